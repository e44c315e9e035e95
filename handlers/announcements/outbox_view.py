"""`outbox <network>`: what a network has scheduled, sent, late or failed, and why."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery import TargetKind
from bot.messages import Call, Field, Reply, Section
from bot.outbox_lease import STUCK_STATUS, stuck_since, stuck_warning
from bot.outbox_plans import PlannedPostStatus, planned_post_status
from bot.router import HandlerContext
from handlers.announcements.arguments import AnnouncementsList
from handlers.announcements.common import zone_name, zone_of
from handlers.leading import require_lead, take_network
from handlers.pages import more_section, paginate
from storage.repositories import OutboxRepository

# One line a post; a page as long as the list showed before it was paged.
OUTBOX_PAGE = 60


async def show_outbox(context: HandlerContext) -> Reply:
    given = context.given(AnnouncementsList)
    network, rest = await take_network(context, given.network)
    number = given.page_number(rest)
    require_lead(context, network, "see its outbox")
    since = context.now - timedelta(days=7)
    posts = await OutboxRepository(context.session).of_network(network.id, since, limit=500)
    if not posts:
        return Reply(
            text=f"Nothing has been scheduled for {network.name} in the last week or ahead."
        )
    zone = zone_of(context)
    channel_lines: list[str] = []
    # Private posts (reminders to registrants) are counted, never listed by person.
    private: dict[tuple[str, str], int] = {}
    lease = timedelta(seconds=context.services.settings.scheduler.lease_seconds)
    stuck = 0
    describe = context.router.registry.descriptions.describe
    for post in posts:
        status: str = planned_post_status(post)
        if stuck_since(post, context.now, lease) is not None:
            status, stuck = STUCK_STATUS, stuck + 1
        when = post.due_at.astimezone(zone).strftime("%a %d %b %H:%M")
        if post.target_kind == TargetKind.PERSON:
            key = (f"{when} {describe(post.schedule_key)}", status)
            private[key] = private.get(key, 0) + 1
            continue
        failed = post.last_error and status != PlannedPostStatus.SENT
        why = f" ({post.last_error})" if failed else ""
        channel_lines.append(
            f"{when} · {describe(post.schedule_key)} · {post.platform} · {status}{why}"
        )
    private_lines = [
        f"{label} · {count} private message{'s' if count != 1 else ''} · {status}"
        for (label, status), count in private.items()
    ]
    lines = ([stuck_warning(stuck, lease)] if stuck else []) + channel_lines + private_lines
    page = paginate(lines, number, size=OUTBOX_PAGE)
    command = f"outbox {network.slug}"
    more = more_section(page, command, call=Call.of("outbox", network=network.slug))
    note = f"\n{page.note(command)}" if more is not None else ""
    return Reply(
        heading=f"{network.name} outbox",
        text=f"{network.name} outbox (last 7 days and ahead):\n" + page.text + note,
        sections=(
            Section(text=page.text, fields=(Field("Times", zone_name(zone)),)),
            *((more,) if more is not None else ()),
        ),
    )
