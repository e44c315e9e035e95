"""Awareness-calendar posts: each date, into each network it matters to, at set lead times.

By default a date is posted 7 days before and on its first day, at 09:00 local time,
into the network's announcements channel on every platform it has one. This module plans
those posts into the outbox; the leads' `calendar ...` commands that change them are in
`handlers.awareness.post_settings`, and `calendar` itself in `handlers.awareness.listing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import load
from bot.delivery import TargetKind
from bot.messages import Reply, Visibility
from bot.numbers import is_number
from bot.outbox_codec import encode_reply
from bot.outbox_keys import OutboxKey, prefix
from bot.outbox_plans import replan
from bot.registry import PLAN_AHEAD
from bot.wall_clock import parse_clock_time, wall_clock
from handlers.awareness.dates import (
    NONE_CONFIRMED,
    AwarenessDate,
    Confirmed,
    Occurrence,
    occurrence_in,
    parse_calendar,
)
from storage.database import Database
from storage.models import CalendarPostSetting, Network
from storage.repositories import (
    AwarenessDateRepository,
    CalendarPostSettingRepository,
    NetworkRepository,
    OutboxRepository,
    PlannedPost,
)

DEFAULT_LEAD_DAYS = (7, 0)
DEFAULT_AT = time(9, 0)
GRACE = timedelta(hours=6)
# The kind of the awareness posts' outbox keys: `calendar:<date>:<network>:<lead>:<platform>`.
CALENDAR = "calendar"


@cache
def shipped_rules() -> tuple[AwarenessDate, ...]:
    return parse_calendar(load("calendar.toml"))


def applies(rule: AwarenessDate, network: Network) -> bool:
    return "all" in rule.networks or network.slug in rule.networks


def lead_label(days: int) -> str:
    return "on-the-day" if days == 0 else f"{days}d-before"


def calendar_key(rule_id: str, network_slug: str, lead_days: int, platform: str) -> str:
    return OutboxKey.of(CALENDAR, rule_id, network_slug, lead_label(lead_days), platform).format()


def describe_calendar_post(key: OutboxKey) -> str | None:
    """`awareness post for tdor (7d before)`."""
    if len(key.parts) < 3:
        return None
    return f"awareness post for {key.parts[0]} ({key.parts[2].replace('-', ' ')})"


@dataclass(frozen=True, slots=True)
class PostRule:
    """How one network posts one date: on or off, which days ahead, what time, what words."""

    enabled: bool = True
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    at: time = DEFAULT_AT
    message: str = ""

    @classmethod
    def of(cls, setting: CalendarPostSetting | None) -> PostRule:
        if setting is None:
            return cls()
        days = tuple(int(part) for part in setting.lead_days.split(",") if is_number(part.strip()))
        return cls(
            enabled=setting.enabled,
            lead_days=days or DEFAULT_LEAD_DAYS,
            at=parse_clock_time(setting.at_time) or DEFAULT_AT,
            message=setting.message,
        )


@dataclass(frozen=True, slots=True)
class CalendarPost:
    rule: AwarenessDate
    occurrence: Occurrence
    lead_days: int
    due: datetime
    enabled: bool
    custom: bool


def calendar_reply(post: CalendarPost, message: str) -> Reply:
    occurrence = post.occurrence
    name = post.rule.name
    if not occurrence.confirmed:
        # Only the rule's estimate: naming days ("starting today") could be wrong.
        opening = (
            f"Coming up: {name}, usually in {occurrence.describe()}. Its organisers announce "
            f"the dates each year, and the {occurrence.first.year} dates are to be confirmed."
        )
    elif post.lead_days == 0:
        start = "Today" if occurrence.single_day else "Starting today"
        opening = f"{start}: {name} ({occurrence.describe()})."
    else:
        ahead = "in a week" if post.lead_days == 7 else f"in {post.lead_days} days"
        opening = f"Coming up {ahead}: {name}, {occurrence.describe()}."
    if occurrence.confirmed and post.rule.announced:
        opening += (
            f" Its organisers announce the dates each year; these are {occurrence.first.year}'s."
        )
    body = message or post.rule.description
    return Reply(
        heading=name,
        text=f"{opening}\n{body}",
        context="From the awareness calendar. Type `calendar` to see what's coming up.",
        visibility=Visibility.CONVERSATION,
    )


def posts_between(
    rules: Sequence[AwarenessDate],
    network: Network,
    settings: dict[str, CalendarPostSetting],
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    confirmed: Confirmed = NONE_CONFIRMED,
) -> list[CalendarPost]:
    """This network's awareness posts due from `start` to `end`, switched off ones included."""
    found: list[CalendarPost] = []
    local_year = start.astimezone(zone).year
    for rule in rules:
        if not applies(rule, network):
            continue
        setting = settings.get(rule.id)
        post_rule = PostRule.of(setting)
        for year in range(local_year - 1, end.astimezone(zone).year + 2):
            occurrence = occurrence_in(rule, year, confirmed)
            for days in post_rule.lead_days:
                due = wall_clock(occurrence.first - timedelta(days=days), post_rule.at, zone)
                if start <= due <= end:
                    found.append(
                        CalendarPost(
                            rule,
                            occurrence,
                            days,
                            due,
                            post_rule.enabled,
                            bool(post_rule.message),
                        )
                    )
    return sorted(found, key=lambda post: (post.due, post.rule.id))


async def plan_calendar(
    session: AsyncSession, rules: Sequence[AwarenessDate], zone: ZoneInfo, now: datetime
) -> list[PlannedPost]:
    """Write every network's awareness posts from now (less the grace period) to the horizon."""
    planned: list[PlannedPost] = []
    window_start = now - GRACE
    outbox = OutboxRepository(session)
    settings_repository = CalendarPostSettingRepository(session)
    confirmed = await AwarenessDateRepository(session).confirmed()
    for network in await NetworkRepository(session).active():
        channels = await outbox.channels_for(network.id, "announcements")
        if not channels:
            continue
        settings = await settings_repository.of_network(network.id)
        ahead = now + PLAN_AHEAD
        for post in posts_between(rules, network, settings, zone, window_start, ahead, confirmed):
            if not post.enabled:
                continue
            custom = settings[post.rule.id].message if post.custom else ""
            message = encode_reply(calendar_reply(post, custom))
            for platform, ref in channels.items():
                planned.append(
                    PlannedPost(
                        schedule_key=calendar_key(
                            post.rule.id, network.slug, post.lead_days, platform
                        ),
                        occurrence_at=datetime.combine(post.occurrence.first, time(0), UTC),
                        due_at=post.due,
                        network_id=network.id,
                        platform=platform,
                        target_kind=TargetKind.CHANNEL.value,
                        target_ref=ref,
                        message=message,
                    )
                )
    await replan(session, prefix(CALENDAR), planned, due_from=window_start, now=now)
    return planned


@dataclass(slots=True)
class CalendarPlanner:
    database: Database
    zone: ZoneInfo
    rules: Sequence[AwarenessDate] = ()
    name: str = "awareness-calendar"

    async def plan(self, now: datetime) -> int:
        async with self.database.transaction() as session:
            return len(await plan_calendar(session, self.rules or shipped_rules(), self.zone, now))
