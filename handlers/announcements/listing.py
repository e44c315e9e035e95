"""`announcements <network>`: what is waiting to go out, 10 at a time, and what is done."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages import Button, Call, Reply, Section
from bot.router import HandlerContext
from handlers.announcements.arguments import AnnouncementsList
from handlers.announcements.common import zone_name, zone_of
from handlers.announcements.schedules import schedule_of
from handlers.announcements.scheduling import (
    cancel_button,
    form_first,
    preview_button,
    schedule_button,
)
from handlers.leading import require_lead, take_network
from handlers.pages import button_sets, more_section, paginate
from storage.models import Announcement
from storage.repositories import AnnouncementRepository, NetworkRepository

# How many one-off announcements already due `announcements` still mentions.
PAST_SHOWN = 5


async def _which_network(context: HandlerContext) -> Reply | None:
    """`announcements` with no network, from a lead: the networks they lead as buttons (or
    None for someone leading none, who hears which networks there are)."""
    led = [
        item
        for item in await NetworkRepository(context.session).active()
        if context.roles.leads(item.id)
    ]
    if not led:
        return None
    buttons = tuple(
        Button(f"Announcements: {item.name}", call=Call.of("announcements", network=item.slug))
        for item in led
    )
    ask = "Which network's announcements?"
    return Reply(text=ask, sections=(Section(text=ask), *button_sets(buttons)))


async def list_announcements(context: HandlerContext) -> Reply:
    given = context.given(AnnouncementsList)
    if not given.network.strip() and given.page is None:
        asked = await _which_network(context)
        if asked is not None:
            return asked
    network, rest = await take_network(context, given.network)
    number = given.page_number(rest)
    require_lead(context, network)
    items = await AnnouncementRepository(context.session).of_network(network.id)
    if not items:
        return form_first(
            f"{network.name} has no announcements scheduled.", schedule_button(network)
        )
    # A one-off whose time has passed is done: shown apart, with nothing left to cancel.
    done = [item for item in items if _gone_out(item, context.now, zone_of(context))]
    waiting = [item for item in items if item not in done]
    # Each one waiting has its own section and buttons, so a page holds 10 of them.
    page = paginate([str(item.id) for item in waiting], number, size=10)
    ahead = page.of(waiting)
    more = more_section(
        page, f"announcements {network.slug}", call=Call.of("announcements", network=network.slug)
    )
    sections = [
        Section(
            heading=f"{item.id}. {schedule_of(item).describe()}",
            text=_shorten(item.text, 200),
            buttons=(preview_button(item.id), cancel_button(item.id)),
        )
        for item in ahead
    ]
    lines = [
        f"{item.id}. {schedule_of(item).describe()}: {_shorten(item.text, 80)}" for item in ahead
    ] or ["Nothing is waiting to go out."]
    if done:
        latest = sorted(done, key=lambda item: item.on_date or "", reverse=True)[:PAST_SHOWN]
        past = [
            f"{item.id}. was due {schedule_of(item).describe()}: {_shorten(item.text, 80)}"
            for item in latest
        ]
        cut = len(done) > len(latest)
        shown = f"The latest {len(latest)} of {len(done)} shown. " if cut else ""
        note = f"{shown}`outbox {network.slug}` shows how each went."
        sections.append(Section(heading="Already due", text="\n".join([*past, note])))
        lines += ["", "Already due:", *past, note]
    if more is not None:
        # Right after the announcements it counts, before those already due.
        sections.insert(len(ahead), more)
        lines.insert(len(ahead), more.text)
    return Reply(
        buttons=(schedule_button(network),),
        heading=f"{network.name} announcements",
        text=f"{network.name} announcements:\n" + "\n".join(lines),
        sections=tuple(sections),
        context=f"Times are {zone_name(zone_of(context))}.",
    )


def _gone_out(item: Announcement, now: datetime, zone: ZoneInfo) -> bool:
    schedule = schedule_of(item)
    if schedule.repeat != "once" or schedule.on is None:
        return False
    return datetime.combine(schedule.on, schedule.at, tzinfo=zone) <= now


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
