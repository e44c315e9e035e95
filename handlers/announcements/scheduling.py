"""`announce`: a lead schedules a post into the network's announcement channels.

Typed (`announce pride on 1 Dec 2026 09:00: <text>`) or through its form. Only the
network's leads (and admins) may post into its channels.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Button, Form, FormField, FormFieldKind, Reply
from bot.router import HandlerContext
from bot.wall_clock import wall_clock
from handlers.announcements.common import platforms_text, zone_name, zone_of
from handlers.announcements.planner import plan_announcement
from handlers.announcements.schedules import parse_schedule
from handlers.leading import require_lead, take_network
from handlers.text_checks import EXAMPLES, MAX_TEXT, check_text, split_text
from storage.models import Announcement, Network
from storage.repositories import AnnouncementRepository, OutboxRepository
from storage.statuses import AnnouncementStatus


async def announce(context: HandlerContext) -> Reply:
    head, text = split_text(context.args)
    if not head:
        raise UserError(f"Which network, when and what? For example {EXAMPLES}.")
    network, when = await take_network(context, head)
    require_lead(context, network)
    if not when and not text:
        return Reply(
            text=f"When should it go out, and what should it say? For example {EXAMPLES}.",
            buttons=(schedule_button(network),),
        )
    zone = zone_of(context)
    schedule = parse_schedule(when, context.now.astimezone(zone).date())
    text = check_text(text)
    if schedule.on is not None and wall_clock(schedule.on, schedule.at, zone) <= context.now:
        raise UserError(
            f"{schedule.on.day} {schedule.on:%B %Y} at {schedule.at:%H:%M} has already "
            "passed. Pick a time in the future."
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
        buttons=(
            Button("Preview", f"preview announcement {announcement.id}"),
            Button("Cancel it", f"cancel announcement {announcement.id}"),
        ),
    )


def schedule_button(network: Network) -> Button:
    # Where forms don't exist (the console), the button types the start of the command.
    return Button(
        "Schedule an announcement", f"announce {network.slug}", form=announcement_form(network)
    )


def announcement_form(network: Network) -> Form:
    """Scheduling an announcement as a form: the same as typing `announce ...`."""
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
        command=f"announce {network.slug} {{when}}: {{text}}",
        submit_label="Schedule",
    )
