"""`announce`: a lead schedules a post into the network's announcement channels.

Typed (`announce pride on 1 Dec 2026 09:00: <text>`) or through its form. Only the
network's leads (and admins) may post into its channels.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.errors import UserError
from bot.messages import (
    Button,
    ButtonStyle,
    Call,
    Form,
    FormField,
    FormFieldKind,
    Reply,
    Section,
)
from bot.numbers import parse_id
from bot.router import HandlerContext
from bot.wall_clock import wall_clock
from handlers.announcements.arguments import Announce
from handlers.announcements.common import platforms_text, zone_name, zone_of
from handlers.announcements.planner import plan_announcement
from handlers.announcements.schedules import Schedule, parse_schedule
from handlers.leading import require_lead, take_network
from handlers.text_checks import EXAMPLES, MAX_TEXT, check_entered
from storage.models import Announcement, Network
from storage.repositories import AnnouncementRepository, OutboxRepository
from storage.statuses import AnnouncementStatus

# The kind of form `announcement_form` builds, for `Router.add_form`.
ANNOUNCEMENT_FORM = "announcement"


async def announce(context: HandlerContext) -> Reply:
    given = context.given(Announce)
    if not given.network:
        raise UserError(f"Which network, when and what? For example {EXAMPLES}.")
    network, typed_when = await take_network(context, given.network)
    when = given.when or typed_when
    text = given.text
    require_lead(context, network)
    if not when and not text:
        return form_first(
            f"When should it go out in {network.name}, and what should it say? "
            "Fill in the form.",
            schedule_button(network),
        )
    zone = zone_of(context)
    schedule = _schedule(when, context)
    # Typed text comes trimmed from the command; a form's text is kept as it was entered.
    text = check_entered(text, field="text")
    if schedule.on is not None and wall_clock(schedule.on, schedule.at, zone) <= context.now:
        raise UserError(
            f"{schedule.on.day} {schedule.on:%B %Y} at {schedule.at:%H:%M} has already "
            "passed. Pick a time in the future.",
            field="when",
        )
    channels = await OutboxRepository(context.session).channels_for(network.id, "announcements")
    if not channels:
        raise UserError(
            f"{network.name} has no announcements channel yet, so there is nowhere to post. "
            "An admin can set one with `channel "
            f"{network.slug} <platform> announcements <channel id>`."
        )
    announcement = await AnnouncementRepository(context.session).add(
        Announcement(
            network_id=network.id,
            text=text,
            repeat=schedule.repeat,
            on_date=schedule.on.isoformat() if schedule.on else "",
            weekday=schedule.weekday,
            nth=schedule.nth,
            at_time=f"{schedule.at:%H:%M}",
            status=AnnouncementStatus.ACTIVE,
            created_by=context.request.person.key,
            created_at=context.now,
            updated_at=context.now,
        )
    )
    await plan_announcement(context.session, announcement, network, zone, context.now)
    return Reply(
        text=f"Scheduled announcement {announcement.id} for {network.name}, "
        f"{schedule.describe()} ({zone_name(zone)}), in {platforms_text(channels)}. "
        f"`preview announcement {announcement.id}` shows exactly what will be posted.",
        buttons=(preview_button(announcement.id), cancel_button(announcement.id)),
    )


def _schedule(when: str, context: HandlerContext) -> Schedule:
    """When it goes out; a refusal is about the form's `when` field."""
    try:
        return parse_schedule(when, context.now.astimezone(zone_of(context)).date())
    except UserError as error:
        raise UserError(error.message, field=error.field or "when") from None


def preview_button(announcement_id: int) -> Button:
    return Button(
        f"Preview announcement {announcement_id}",
        call=Call.of("preview announcement", announcement=announcement_id),
    )


def cancel_button(announcement_id: int) -> Button:
    return Button(
        f"Cancel announcement {announcement_id}",
        call=Call.of("cancel announcement", announcement=announcement_id),
        style=ButtonStyle.DANGER,
    )


def form_first(ask: str, button: Button) -> Reply:
    """A question answered by the form behind `button`; typing stays as a footnote."""
    shortcut = f"Or type it, for example {EXAMPLES}."
    return Reply(
        text=f"{ask}\n{shortcut}",
        sections=(Section(text=ask, buttons=(button,)),),
        context=shortcut,
    )


def schedule_button(network: Network) -> Button:
    # Where forms don't exist (the console), pressing it asks `announce <network>`, which
    # answers with how to type the rest.
    return Button(
        "Schedule an announcement",
        call=Call.of("announce", network=network.slug),
        form=announcement_form(network),
    )


async def build_announcement_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    """The scheduling form again, for a Slack modal, if the person still leads the network."""
    network = await context.session.get(Network, parse_id(params.get("network", "")))
    if network is None or network.archived_at is not None:
        raise UserError("That network is no longer active, so there is nowhere to announce.")
    require_lead(context, network)
    return announcement_form(network)


def announcement_form(network: Network) -> Form:
    """Scheduling an announcement as a form: its `when` and its text arrive as entered."""
    return Form(
        id=f"announcement-{network.slug}",
        title=f"Announce in {network.name}",
        fields=(
            FormField(
                name="when",
                label="When",
                placeholder="on 1 Dec 2026 09:00, or every monday 09:00",
            ),
            FormField(
                name="text",
                label="What it says",
                kind=FormFieldKind.MULTILINE,
                max_length=MAX_TEXT,
            ),
        ),
        call=Call.of("announce", network=network.slug),
        kind=ANNOUNCEMENT_FORM,
        params=(("network", str(network.id)),),
        submit_label="Schedule",
    )
