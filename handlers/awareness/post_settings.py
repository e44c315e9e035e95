"""The leads' `calendar ...` commands: switch a date off or on for their network, re-time
it, change how many days ahead it is posted, rewrite its message, and list what is planned.

Every change re-plans the network's awareness posts at once, in the same transaction.
"""

from __future__ import annotations

import difflib
from datetime import timedelta

from bot.errors import UserError
from bot.messages import Reply, Section
from bot.numbers import is_number
from bot.router import HandlerContext
from bot.wall_clock import parse_clock_time
from handlers.awareness.arguments import (
    CalendarDate,
    CalendarDays,
    CalendarMessage,
    CalendarPosts,
    CalendarTime,
)
from handlers.awareness.dates import AwarenessDate
from handlers.awareness.posts import (
    PostRule,
    lead_label,
    plan_calendar,
    posts_between,
    shipped_rules,
)
from handlers.leading import require_lead, take_network
from handlers.text_checks import check_entered
from storage.models import CalendarPostSetting, Network
from storage.repositories import (
    AwarenessDateRepository,
    CalendarPostSettingRepository,
    OutboxRepository,
)

LIST_DAYS = 90
MAX_MESSAGE = 2000


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
    given = context.given(CalendarDate)
    network, rest = await _network_and_rule(context, given.network)
    rule = find_rule(given.named(rest))
    setting = await _setting(context, network, rule)
    setting.enabled = enabled
    await _replan(context)
    return Reply(text=await _describe(context, network, rule))


async def turn_off(context: HandlerContext) -> Reply:
    return await switch(context, False)


async def turn_on(context: HandlerContext) -> Reply:
    return await switch(context, True)


async def retime(context: HandlerContext) -> Reply:
    given = context.given(CalendarTime)
    network, rest = await _network_and_rule(context, given.network)
    name, _, typed_time = given.named(rest).rpartition(" ")
    at = parse_clock_time(typed_time)
    if at is None:
        raise UserError("What time? For example `calendar time pride trans-awareness-week 10:00`.")
    rule = find_rule(name)
    setting = await _setting(context, network, rule)
    setting.at_time = f"{at:%H:%M}"
    await _replan(context)
    return Reply(text=await _describe(context, network, rule))


async def set_days(context: HandlerContext) -> Reply:
    given = context.given(CalendarDays)
    network, rest = await _network_and_rule(context, given.network)
    name, _, typed_days = given.named(rest).rpartition(" ")
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
    given = context.given(CalendarMessage)
    network, rest = await _network_and_rule(context, given.network)
    rule = find_rule(given.named(rest))
    text = given.text
    if len(text) > MAX_MESSAGE:
        raise UserError(f"That message is {len(text):,} characters; keep it to {MAX_MESSAGE:,}.")
    cleaned = "" if text.strip().lower() in ("", "default") else check_entered(text, field="text")
    setting = await _setting(context, network, rule)
    setting.message = cleaned
    await _replan(context)
    what = "its own words" if cleaned else "the standard description"
    return Reply(text=f"{rule.name} posts for {network.name} will use {what} from now on.")


async def list_posts(context: HandlerContext) -> Reply:
    network, _ = await take_network(context, context.given(CalendarPosts).network)
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
        await AwarenessDateRepository(context.session).confirmed(),
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
