"""A network lead turns breakouts on for a session and sets them up: rounds, room size,
when the signup opens and closes, and whether topics need approval."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.errors import UserError
from bot.messages import Button, Call, Reply
from bot.numbers import parse_count
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.breakouts.arguments import BreakoutSetup
from handlers.breakouts.posts import replan_for
from handlers.sessions.common import led_session_numbered
from handlers.sessions.dates import parse_when
from storage.models import BreakoutSettings, Network, NetworkSession
from storage.repositories import BreakoutRepository, OutboxRepository
from storage.statuses import SessionStatus, TopicStatus

MOST_ROUNDS = 5
LARGEST_ROOM = 500
# The default: the signup goes into the channel a week before the session.
OPENS_BEFORE = timedelta(days=7)
CLOSES_BEFORE = timedelta(hours=1)
_YES = frozenset({"yes", "y", "on", "true"})
_NO = frozenset({"no", "n", "off", "false"})
_NO_LIMIT = frozenset({"none", "no limit", "unlimited", "any", "-"})


def _number(value: str, name: str, lowest: int, highest: int) -> int:
    return parse_count(value, lowest, highest, what=name)


def _moment(context: HandlerContext, value: str, name: str) -> datetime:
    if value.lower() == "now":
        return context.now
    return parse_when(value, context.now, context.services.settings.timezone, field=name)


async def configure(context: HandlerContext) -> Reply:
    given = context.given(BreakoutSetup)
    item = await led_session_numbered(context, given.session)
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more, so it can't have breakouts.")
    repository = BreakoutRepository(context.session)
    settings = await repository.lock_settings(item.id)
    if settings is not None and context.now >= settings.closes_at:
        raise UserError(
            f"The breakout signup for session {item.id} has closed and the room lists have gone "
            f"out, so its settings are fixed. `rooms {item.id}` shows who is where."
        )
    fresh = settings is None
    if settings is None:
        opens = max(context.now, item.starts_at - OPENS_BEFORE)
        settings = BreakoutSettings(
            session_id=item.id,
            rounds=1,
            room_size=None,
            opens_at=opens,
            closes_at=max(item.starts_at - CLOSES_BEFORE, opens + timedelta(minutes=5)),
            approval=False,
            updated_at=context.now,
        )
    if given.rounds is not None:
        rounds = _number(given.rounds, "rounds", 1, MOST_ROUNDS)
        used = await repository.topics(item.id, (TopicStatus.PROPOSED, TopicStatus.APPROVED))
        if any(topic.round > rounds for topic in used):
            raise UserError(
                f"Some topics are in rounds after round {rounds}; withdraw or rename them first."
            )
        settings.rounds = rounds
    if given.size is not None:
        settings.room_size = (
            None
            if given.size.lower() in _NO_LIMIT
            else _number(given.size, "size", 2, LARGEST_ROOM)
        )
    if given.opens is not None:
        settings.opens_at = _moment(context, given.opens, "opens")
    if given.closes is not None:
        settings.closes_at = _moment(context, given.closes, "closes")
    if given.approval is not None:
        answer = given.approval.lower()
        if answer not in _YES | _NO:
            raise UserError("approval should be yes or no.")
        settings.approval = answer in _YES
    _check_times(context, item, settings)
    settings.updated_at = context.now
    if fresh:
        await repository.add(settings)
    await context.session.flush()
    await replan_for(context, item, settings)
    reply = _settings_reply(context, item, settings, fresh)
    if not await OutboxRepository(context.session).channels_for(item.network_id, "announcements"):
        # Without a channel the signup is only in `topics`; say so rather than imply a post.
        network = await context.session.get(Network, item.network_id)
        name = network.name if network is not None else "This network"
        return Reply(
            text=reply.text
            + f" {name} has no announcements channel yet, so nothing will be posted: people "
            f"see the list with `topics {item.id}`.",
            buttons=reply.buttons,
        )
    return reply


def _check_times(context: HandlerContext, item: NetworkSession, settings: BreakoutSettings) -> None:
    zone = context.services.settings.timezone
    if settings.closes_at <= settings.opens_at:
        raise UserError(
            f"The signup would close ({when(settings.closes_at, zone)}) before it opens "
            f"({when(settings.opens_at, zone)}). Please check `opens:` and `closes:`.",
            field="closes",
        )
    if settings.closes_at > item.starts_at:
        raise UserError(
            f"The signup should close by the time the session starts "
            f"({when(item.starts_at, zone)}), so hosts get their lists in time.",
            field="closes",
        )
    if settings.closes_at <= context.now:
        raise UserError("That closing time has already passed.", field="closes")


def _settings_reply(
    context: HandlerContext, item: NetworkSession, settings: BreakoutSettings, fresh: bool
) -> Reply:
    zone = context.services.settings.timezone
    size = "no limit" if settings.room_size is None else f"up to {settings.room_size} a room"
    approval = "leads approve topics first" if settings.approval else "topics appear at once"
    opened = "opens" if settings.opens_at > context.now else "opened"
    text = (
        f"Breakouts for {item.title} (session {item.id}): {settings.rounds} "
        f"round{'s' if settings.rounds > 1 else ''}, {size}, {approval}. The signup {opened} "
        f"{when(settings.opens_at, zone)} in the network's announcement channels and closes "
        f"{when(settings.closes_at, zone)}. Members host topics with `host {item.id} <topic>`."
    )
    return Reply(
        text=("Breakouts are on. " if fresh else "Updated. ") + text,
        buttons=(Button("See the topics", call=Call.of("topics", session=item.id)),),
    )
