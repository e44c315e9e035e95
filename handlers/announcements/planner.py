"""Planning an announcement's posts into the outbox, a few weeks ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from bot.messages import Reply, Visibility
from bot.outbox_codec import encode_reply
from bot.outbox_keys import OutboxKey, prefix
from bot.outbox_plans import replan
from bot.registry import PLAN_AHEAD
from bot.wall_clock import wall_clock
from handlers.announcements.schedules import schedule_of
from storage.database import Database
from storage.models import Announcement, Network
from storage.repositories import AnnouncementRepository, OutboxRepository, PlannedPost
from storage.statuses import AnnouncementStatus

GRACE = timedelta(hours=6)
# The kind of the announcements' outbox keys: `announcement:<id>:<platform>`.
ANNOUNCEMENT = "announcement"


def announcement_key(announcement_id: int, platform: str) -> str:
    return OutboxKey.of(ANNOUNCEMENT, announcement_id, platform).format()


def announcement_prefix(announcement_id: int) -> str:
    """Every post of one announcement, on every platform."""
    return prefix(ANNOUNCEMENT, announcement_id)


def describe_announcement(key: OutboxKey) -> str | None:
    """`announcement 12`."""
    return f"announcement {key.parts[0]}" if key.parts else None


def announcement_reply(network: Network, text: str) -> Reply:
    return Reply(
        text=text,
        context=f"Announcement from the {network.name} leads",
        visibility=Visibility.CONVERSATION,
    )


async def plan_announcement(
    session: AsyncSession,
    announcement: Announcement,
    network: Network,
    zone: ZoneInfo,
    now: datetime,
) -> list[PlannedPost]:
    """Write this announcement's posts from now (less the grace period) to the horizon."""
    posts: list[PlannedPost] = []
    window_start = now - GRACE
    if announcement.status == AnnouncementStatus.ACTIVE:
        channels = await OutboxRepository(session).channels_for(network.id, "announcements")
        schedule = schedule_of(announcement)
        first = window_start.astimezone(zone).date()
        last = (now + PLAN_AHEAD).astimezone(zone).date()
        message = encode_reply(announcement_reply(network, announcement.text))
        for day in schedule.days_between(first, last):
            due = wall_clock(day, schedule.at, zone)
            if not window_start <= due <= now + PLAN_AHEAD:
                continue
            for platform, ref in channels.items():
                posts.append(
                    PlannedPost(
                        schedule_key=announcement_key(announcement.id, platform),
                        occurrence_at=due,
                        due_at=due,
                        network_id=network.id,
                        platform=platform,
                        target_kind=TargetKind.CHANNEL.value,
                        target_ref=ref,
                        message=message,
                    )
                )
    await replan(
        session, announcement_prefix(announcement.id), posts, due_from=window_start, now=now
    )
    return posts


@dataclass(slots=True)
class AnnouncementPlanner:
    """Keeps every active announcement's posts written a few weeks ahead."""

    database: Database
    zone: ZoneInfo
    name: str = "announcements"

    async def plan(self, now: datetime) -> int:
        planned = 0
        async with self.database.transaction() as session:
            for announcement in await AnnouncementRepository(session).active():
                network = await session.get(Network, announcement.network_id)
                if network is None or network.archived_at is not None:
                    continue
                planned += len(
                    await plan_announcement(session, announcement, network, self.zone, now)
                )
        return planned
