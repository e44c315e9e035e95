"""Awareness-calendar posts: each date, into each network it matters to, at set lead times.

By default a date is posted 7 days before and on its first day, at 09:00 local time,
into the network's announcements channel on every platform it has one. A network's
leads can switch a date off, re-time it, change how many days ahead it is posted and
rewrite its message, in chat. (`calendar` itself, listing what is coming, belongs to
the questions feature; these are the leads' `calendar ...` commands.)
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import load
from bot.delivery import TargetKind
from bot.errors import UserError
from bot.messages import Reply, Section, Visibility
from bot.numbers import is_number
from bot.outbox_codec import encode_reply
from bot.outbox_plans import replan
from bot.registry import PLAN_AHEAD
from bot.router import Audience, Command, HandlerContext, Router
from bot.wall_clock import parse_clock_time, wall_clock
from handlers.announcements import check_text, require_lead, split_text, take_network
from handlers.awareness_dates import AwarenessDate, Occurrence, occurrence_in, parse_calendar
from storage.database import Database
from storage.models import CalendarPostSetting, Network
from storage.repositories import (
    CalendarPostSettingRepository,
    NetworkRepository,
    OutboxRepository,
    PlannedPost,
)

DEFAULT_LEAD_DAYS = (7, 0)
DEFAULT_AT = time(9, 0)
GRACE = timedelta(hours=6)
LIST_DAYS = 90
MAX_MESSAGE = 2000


@cache
def shipped_rules() -> tuple[AwarenessDate, ...]:
    return parse_calendar(load("calendar.toml"))


def applies(rule: AwarenessDate, network: Network) -> bool:
    return "all" in rule.networks or network.slug in rule.networks


def lead_label(days: int) -> str:
    return "on-the-day" if days == 0 else f"{days}d-before"


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
    if post.lead_days == 0:
        start = "Today" if occurrence.single_day else "Starting today"
        opening = f"{start}: {name} ({occurrence.describe()})."
    else:
        ahead = "in a week" if post.lead_days == 7 else f"in {post.lead_days} days"
        opening = f"Coming up {ahead}: {name}, {occurrence.describe()}."
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
            occurrence = occurrence_in(rule, year)
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
    for network in await NetworkRepository(session).active():
        channels = await outbox.channels_for(network.id, "announcements")
        if not channels:
            continue
        settings = await settings_repository.of_network(network.id)
        for post in posts_between(rules, network, settings, zone, window_start, now + PLAN_AHEAD):
            if not post.enabled:
                continue
            custom = settings[post.rule.id].message if post.custom else ""
            message = encode_reply(calendar_reply(post, custom))
            for platform, ref in channels.items():
                planned.append(
                    PlannedPost(
                        schedule_key=f"calendar:{post.rule.id}:{network.slug}:"
                        f"{lead_label(post.lead_days)}:{platform}",
                        occurrence_at=datetime.combine(post.occurrence.first, time(0), UTC),
                        due_at=post.due,
                        network_id=network.id,
                        platform=platform,
                        target_kind=TargetKind.CHANNEL.value,
                        target_ref=ref,
                        message=message,
                    )
                )
    await replan(session, "calendar:", planned, due_from=window_start, now=now)
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


# ---------------------------------------------------------------------------
# Lead commands
# ---------------------------------------------------------------------------


def find_rule(typed: str) -> AwarenessDate:
    wanted = " ".join(typed.lower().replace("-", " ").split())
    rules = shipped_rules()
    if not wanted:
        raise UserError("Which awareness date? For example `trans-awareness-week`.")
    for rule in rules:
        names = {rule.id.replace("-", " "), rule.name.lower(), rule.short.lower()}
        if wanted in names:
            return rule
    choices = {rule.name.lower(): rule for rule in rules}
    close = difflib.get_close_matches(wanted, list(choices), n=1, cutoff=0.6)
    hint = f" Did you mean `{choices[close[0]].id}`?" if close else ""
    raise UserError(
        f"I don't know that awareness date.{hint} `calendar posts <network>` lists them."
    )


async def _network_and_rule(context: HandlerContext, typed: str) -> tuple[Network, str]:
    network, rest = await take_network(context, typed)
    require_lead(context, network, "change its awareness-calendar posts")
    return network, rest


async def _setting(
    context: HandlerContext, network: Network, rule: AwarenessDate
) -> CalendarPostSetting:
    return await CalendarPostSettingRepository(context.session).get_or_new(
        network.id, rule.id, context.request.person.key, context.now
    )


async def _replan(context: HandlerContext) -> None:
    await context.session.flush()
    await plan_calendar(
        context.session, shipped_rules(), context.services.settings.timezone, context.now
    )


async def _describe(context: HandlerContext, network: Network, rule: AwarenessDate) -> str:
    settings = await CalendarPostSettingRepository(context.session).of_network(network.id)
    post_rule = PostRule.of(settings.get(rule.id))
    if not post_rule.enabled:
        return f"{rule.name} is off for {network.name}: nothing will be posted."
    days = ", ".join(
        "on the first day" if days == 0 else f"{days} days before"
        for days in sorted(post_rule.lead_days, reverse=True)
    )
    return f"{rule.name} will be posted for {network.name} {days}, at {post_rule.at:%H:%M}."


async def switch(context: HandlerContext, enabled: bool) -> Reply:
    network, rest = await _network_and_rule(context, context.args)
    rule = find_rule(rest)
    setting = await _setting(context, network, rule)
    setting.enabled = enabled
    await _replan(context)
    return Reply(text=await _describe(context, network, rule))


async def turn_off(context: HandlerContext) -> Reply:
    return await switch(context, False)


async def turn_on(context: HandlerContext) -> Reply:
    return await switch(context, True)


async def retime(context: HandlerContext) -> Reply:
    network, rest = await _network_and_rule(context, context.args)
    name, _, typed_time = rest.rpartition(" ")
    at = parse_clock_time(typed_time)
    if at is None:
        raise UserError("What time? For example `calendar time pride trans-awareness-week 10:00`.")
    rule = find_rule(name)
    setting = await _setting(context, network, rule)
    setting.at_time = f"{at:%H:%M}"
    await _replan(context)
    return Reply(text=await _describe(context, network, rule))


async def set_days(context: HandlerContext) -> Reply:
    network, rest = await _network_and_rule(context, context.args)
    name, _, typed_days = rest.rpartition(" ")
    parts = [part.strip() for part in typed_days.split(",")]
    if not parts or not all(is_number(part) and int(part) <= 60 for part in parts):
        raise UserError(
            "Which days before? A list of numbers from 0 (the first day) to 60, for example "
            "`calendar days pride trans-awareness-week 14,7,0`."
        )
    rule = find_rule(name)
    setting = await _setting(context, network, rule)
    setting.lead_days = ",".join(str(day) for day in sorted({int(part) for part in parts}))
    await _replan(context)
    return Reply(text=await _describe(context, network, rule))


async def set_message(context: HandlerContext) -> Reply:
    head, text = split_text(context.args)
    network, name = await _network_and_rule(context, head)
    rule = find_rule(name)
    if len(text) > MAX_MESSAGE:
        raise UserError(f"That message is {len(text):,} characters; keep it to {MAX_MESSAGE:,}.")
    cleaned = "" if text.lower() in ("", "default") else check_text(text)
    setting = await _setting(context, network, rule)
    setting.message = cleaned
    await _replan(context)
    what = "its own words" if cleaned else "the standard description"
    return Reply(text=f"{rule.name} posts for {network.name} will use {what} from now on.")


async def list_posts(context: HandlerContext) -> Reply:
    network, _ = await take_network(context, context.args)
    require_lead(context, network, "see its awareness-calendar posts")
    zone = context.services.settings.timezone
    settings = await CalendarPostSettingRepository(context.session).of_network(network.id)
    posts = posts_between(
        shipped_rules(),
        network,
        settings,
        zone,
        context.now,
        context.now + timedelta(days=LIST_DAYS),
    )
    channels = await OutboxRepository(context.session).channels_for(network.id, "announcements")
    lines = []
    for post in posts:
        when = post.due.astimezone(zone).strftime("%a %d %b %H:%M")
        state = "" if post.enabled else " (off)"
        words = " (own words)" if post.custom else ""
        lines.append(
            f"{when} · {post.rule.name} ({lead_label(post.lead_days).replace('-', ' ')}) · "
            f"`{post.rule.id}`{state}{words}"
        )
    where = (
        "Posted in the announcements channel."
        if channels
        else "No announcements channel is set, so nothing will be posted until an admin sets one."
    )
    body = "\n".join(lines) or "Nothing in the next 90 days."
    return Reply(
        heading=f"{network.name}: awareness posts, next {LIST_DAYS} days",
        text=f"{network.name} awareness posts in the next {LIST_DAYS} days:\n{body}\n{where}",
        sections=(Section(text=body),),
        context=f"{where} Change one with `calendar off|on|time|days|message`.",
    )


def register(router: Router) -> None:
    services = router.services
    router.add_planner(CalendarPlanner(services.database, services.settings.timezone))
    commands = (
        Command(
            "calendar posts",
            list_posts,
            "your network's awareness-calendar posts for the next 90 days",
            "calendar posts <network>",
            Audience.LEAD,
        ),
        Command(
            "calendar off",
            turn_off,
            "stop posting an awareness date for your network",
            "calendar off <network> <date>",
            Audience.LEAD,
        ),
        Command(
            "calendar on",
            turn_on,
            "post an awareness date for your network again",
            "calendar on <network> <date>",
            Audience.LEAD,
        ),
        Command(
            "calendar time",
            retime,
            "change the time an awareness date is posted",
            "calendar time <network> <date> <HH:MM>",
            Audience.LEAD,
        ),
        Command(
            "calendar days",
            set_days,
            "change how many days ahead an awareness date is posted",
            "calendar days <network> <date> <days,before>",
            Audience.LEAD,
        ),
        Command(
            "calendar message",
            set_message,
            "write your own message for an awareness date",
            "calendar message <network> <date>: <text>",
            Audience.LEAD,
        ),
    )
    for command in commands:
        router.add(command)
