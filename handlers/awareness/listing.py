"""`calendar`: the awareness days, weeks and months coming up, for anyone, with a way to put
each network's sessions in your own calendar."""

from __future__ import annotations

from bot.messages import Reply, Section, Visibility
from bot.router import HandlerContext
from handlers.awareness.dates import Occurrence, upcoming
from handlers.awareness.posts import shipped_rules
from handlers.awareness.yearly_dates import confirmed_dates, dates_button, may_set
from handlers.calendar_link import subscribe_button
from storage.repositories import NetworkRepository

MOST_BUTTONS = 5
ANNOUNCED = "dates announced each year"


def line(occurrence: Occurrence, today_is_in: bool) -> str:
    """`• UK Disability History Month: mid-November to mid-December 2026 (dates announced
    each year; not yet confirmed)`."""
    label = f"• {occurrence.rule.name}: {occurrence.describe()}"
    notes = []
    if today_is_in and occurrence.confirmed:
        notes.append("on now")
    if occurrence.rule.announced:
        notes.append(ANNOUNCED if occurrence.confirmed else f"{ANNOUNCED}, not yet confirmed")
    return label + (f" ({'; '.join(notes)})" if notes else "")


async def show_calendar(context: HandlerContext) -> Reply:
    today = context.now.astimezone(context.services.settings.timezone).date()
    coming = upcoming(
        shipped_rules(), today, days=60, at_least=5, confirmed=await confirmed_dates(context)
    )
    lines = [line(item, item.first <= today) for item in coming]
    unconfirmed = [item.rule for item in coming if not item.confirmed]
    settable = [rule for rule in unconfirmed if await may_set(context, rule)]
    networks = await NetworkRepository(context.session).active()
    subscribe = tuple(subscribe_button(network) for network in networks[:MOST_BUTTONS])
    sections = [
        Section(
            text="\n".join(lines),
            buttons=tuple(dates_button(rule) for rule in settable[:MOST_BUTTONS]),
        ),
    ]
    if subscribe:
        sections.append(
            Section(
                heading="Network sessions in your own calendar",
                text="Subscribe once and Outlook or Google Calendar keeps up with new sessions.",
                buttons=subscribe,
            )
        )
    caveat = (
        "Worked out from each date's rule. Where organisers announce the dates each year, "
        "they are shown once a lead or an admin has confirmed them."
    )
    return Reply(
        text="Coming up in the awareness calendar:\n" + "\n".join(lines),
        heading="Awareness calendar",
        sections=tuple(sections),
        context=caveat,
        visibility=Visibility.CONVERSATION,
    )
