"""One announcement a lead owns: preview it, edit it, cancel it."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Reply
from bot.numbers import parse_id
from bot.router import HandlerContext
from handlers.announcements.arguments import AnnouncementNumber, EditAnnouncement
from handlers.announcements.common import platforms_text, zone_name, zone_of
from handlers.announcements.planner import announcement_reply, plan_announcement
from handlers.announcements.schedules import parse_schedule, schedule_of
from handlers.announcements.scheduling import preview_button
from handlers.text_checks import check_entered
from storage.models import Announcement, Network
from storage.repositories import AnnouncementRepository, OutboxRepository
from storage.statuses import AnnouncementStatus


async def _own_announcement(context: HandlerContext, token: str) -> tuple[Announcement, Network]:
    """The active announcement numbered `token` (as typed), if the person leads its network."""
    announcement = await AnnouncementRepository(context.session).get(
        parse_id(token, what="announcement")
    )
    network = await context.session.get(Network, announcement.network_id) if announcement else None
    if announcement is None or network is None or not context.roles.leads(network.id):
        # The same answer whether it does not exist or is another network's, so nothing leaks.
        raise UserError(
            f"I can't find announcement {token} among the ones you lead. "
            "`announcements <network>` lists them."
        )
    if announcement.status != AnnouncementStatus.ACTIVE:
        raise UserError(f"Announcement {token} was cancelled, so there is nothing to change.")
    return announcement, network


async def _numbered(context: HandlerContext) -> tuple[Announcement, Network]:
    return await _own_announcement(context, str(context.given(AnnouncementNumber).announcement))


async def preview(context: HandlerContext) -> list[Reply]:
    announcement, network = await _numbered(context)
    channels = await OutboxRepository(context.session).channels_for(network.id, "announcements")
    schedule = schedule_of(announcement)
    post = announcement_reply(network, announcement.text)
    note = Reply(
        text=f"Announcement {announcement.id} goes out {schedule.describe()} "
        f"({zone_name(zone_of(context))}) in {platforms_text(channels) or 'no channel yet'}. "
        "This is exactly what will be posted:"
    )
    # Shown privately to the lead: a preview must never land in a shared channel.
    return [note, Reply(text=post.text, context=post.context)]


async def edit(context: HandlerContext) -> Reply:
    given = context.given(EditAnnouncement)
    announcement, network = await _own_announcement(context, str(given.announcement))
    when, text = given.when, given.text
    if not text.strip() and not when:
        raise UserError(
            f"What should change? For example `edit announcement {announcement.id}: new text` "
            f"or `edit announcement {announcement.id} every friday 16:00: new text`."
        )
    zone = zone_of(context)
    if when:
        schedule = parse_schedule(when, context.now.astimezone(zone).date())
        announcement.repeat = schedule.repeat
        announcement.on_date = schedule.on.isoformat() if schedule.on else ""
        announcement.weekday = schedule.weekday
        announcement.nth = schedule.nth
        announcement.at_time = f"{schedule.at:%H:%M}"
    if text:
        announcement.text = check_entered(text, field="text")
    announcement.updated_at = context.now
    await plan_announcement(context.session, announcement, network, zone, context.now)
    return Reply(
        text=f"Updated announcement {announcement.id}: it goes out "
        f"{schedule_of(announcement).describe()}. Posts already sent are unchanged.",
        buttons=(preview_button(announcement.id),),
    )


async def cancel(context: HandlerContext) -> Reply:
    announcement, network = await _numbered(context)
    announcement.status = AnnouncementStatus.CANCELLED
    announcement.updated_at = context.now
    await plan_announcement(context.session, announcement, network, zone_of(context), context.now)
    return Reply(
        text=f"Cancelled announcement {announcement.id} for {network.name}. "
        "Nothing more of it will be posted."
    )
