"""Breakout commands for network leads: turn breakouts on, approve or decline topics,
see and export who is in which room, and place people who have not picked."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import UserError
from bot.messages import Attachment, Button, ButtonStyle, Reply, Section
from bot.numbers import parse_count
from bot.router import Audience, Command, HandlerContext, Router
from handlers.breakout_common import (
    breakout_session,
    display_name,
    has_space,
    hosts_text,
    names_of,
    people_count,
    round_label,
    still_changeable,
    topic_in_its_session,
    topic_people,
)
from handlers.breakout_posts import replan_for
from handlers.formatting import when
from handlers.pages import more_section, paginate, split_page
from handlers.session_dates import parse_when
from handlers.session_leads import led_session
from storage.models import (
    BreakoutPick,
    BreakoutSettings,
    BreakoutTopic,
    Network,
    NetworkSession,
    User,
)
from storage.repositories import BreakoutRepository, OutboxRepository
from storage.statuses import SessionStatus, TopicStatus

MOST_ROUNDS = 5
LARGEST_ROOM = 500
MAX_REASON_CHARS = 500
# The default: the signup goes into the channel a week before the session.
OPENS_BEFORE = timedelta(days=7)
CLOSES_BEFORE = timedelta(hours=1)
USAGE = "breakouts <session> rounds: 2 | size: 8 | opens: … | closes: … | approval: yes"
_PARTS = {
    "rounds": "rounds",
    "round": "rounds",
    "size": "size",
    "room size": "size",
    "limit": "size",
    "opens": "opens",
    "open": "opens",
    "closes": "closes",
    "close": "closes",
    "approval": "approval",
}
_PART = re.compile(
    r"^(" + "|".join(sorted(_PARTS, key=len, reverse=True)) + r")\s*:\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_YES = frozenset({"yes", "y", "on", "true"})
_NO = frozenset({"no", "n", "off", "false"})
_NO_LIMIT = frozenset({"none", "no limit", "unlimited", "any", "-"})


@dataclass(slots=True)
class _Given:
    rounds: str | None = None
    size: str | None = None
    opens: str | None = None
    closes: str | None = None
    approval: str | None = None


def _parts(text: str) -> _Given:
    given = _Given()
    for chunk in filter(None, (piece.strip() for piece in text.split("|"))):
        found = _PART.match(chunk)
        if found is None:
            raise UserError(
                f"I couldn't tell which part “{chunk[:40]}” is. Use `rounds:`, `size:`, "
                f"`opens:`, `closes:` and `approval:`, separated by `|`, like `{USAGE}`."
            )
        setattr(given, _PARTS[found.group(1).lower()], found.group(2).strip())
    return given


def _number(value: str, name: str, lowest: int, highest: int) -> int:
    return parse_count(value, lowest, highest, what=name)


def _moment(context: HandlerContext, value: str, name: str) -> datetime:
    if value.lower() == "now":
        return context.now
    return parse_when(value, context.now, context.services.settings.timezone, field=name)


async def configure(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "breakouts")
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more, so it can't have breakouts.")
    repository = BreakoutRepository(context.session)
    settings = await repository.lock_settings(item.id)
    if settings is not None and context.now >= settings.closes_at:
        raise UserError(
            f"The breakout signup for session {item.id} has closed and the room lists have gone "
            f"out, so its settings are fixed. `rooms {item.id}` shows who is where."
        )
    given = _parts(rest)
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
        buttons=(Button("See the topics", f"topics {item.id}"),),
    )


async def _led_topic(
    context: HandlerContext, command: str
) -> tuple[BreakoutTopic, NetworkSession, BreakoutSettings, str]:
    topic, item, settings, rest = await topic_in_its_session(context, command)
    if not context.roles.leads(item.network_id):
        raise UserError(f"Only the leads of session {item.id}'s network can do that.")
    still_changeable(context, item, settings)
    if topic.status != TopicStatus.PROPOSED:
        raise UserError(f"Topic {topic.id} is {topic.status}, not waiting for approval.")
    return topic, item, settings, rest


def _proposers(topic: BreakoutTopic) -> list[int]:
    people = (topic.proposer_user_id, topic.host_user_id, topic.cohost_user_id)
    return list(dict.fromkeys(key for key in people if key is not None))


async def _tell(context: HandlerContext, user_ids: list[int], reply: Reply) -> None:
    for user_id in user_ids:
        user = await context.session.get(User, user_id)
        if user is not None and user.id != context.user.id:
            context.notify(user.key, reply)


async def approve(context: HandlerContext) -> Reply:
    topic, item, settings, _ = await _led_topic(context, "approve topic")
    topic.status = TopicStatus.APPROVED
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    await _tell(
        context,
        _proposers(topic),
        Reply(
            text=f"Good news: “{topic.title}” is approved for {item.title} and on the list "
            f"(`topics {item.id}`). Thank you for volunteering!"
        ),
    )
    return Reply(text=f"Approved topic {topic.id}, “{topic.title}”; its hosts have been told.")


async def decline(context: HandlerContext) -> Reply:
    topic, item, _settings, reason = await _led_topic(context, "decline topic")
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(f"Please keep the reason to {MAX_REASON_CHARS} characters.")
    topic.status = TopicStatus.DECLINED
    topic.updated_at = context.now
    because = f" The leads said: “{reason}”" if reason else ""
    await _tell(
        context,
        _proposers(topic),
        Reply(
            text=f"Thank you for proposing “{topic.title}” for {item.title}. The leads have "
            f"decided not to include it this time.{because}"
        ),
    )
    told = " with your reason" if reason else ""
    return Reply(text=f"Declined topic {topic.id}; whoever proposed it was told privately{told}.")


@dataclass(frozen=True, slots=True)
class _Room:
    label: str
    topic: BreakoutTopic
    people: list[tuple[User, BreakoutPick]]


async def _rooms(
    context: HandlerContext, item: NetworkSession, settings: BreakoutSettings
) -> list[_Room]:
    repository = BreakoutRepository(context.session)
    rooms = []
    number = {round_number: 0 for round_number in range(1, settings.rounds + 1)}
    for topic in await repository.topics(item.id):
        number[topic.round] = number.get(topic.round, 0) + 1
        label = f"Room {number[topic.round]}"
        if settings.rounds > 1:
            label = f"Round {topic.round} {label}"
        rooms.append(_Room(label, topic, await repository.room(topic.id)))
    return rooms


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(rooms: list[_Room], names: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["room", "topic", "host", "person", "person id"])
    for room in rooms:
        hosts = hosts_text(room.topic, names)
        for user, _ in room.people:
            writer.writerow(
                [
                    _cell(room.label),
                    _cell(room.topic.title),
                    _cell(hosts),
                    _cell(display_name(user)),
                    user.key,
                ]
            )
    return out.getvalue()


async def rooms(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "rooms")
    rest, page_number = split_page(rest)
    _, settings = await breakout_session(context, item.id)
    found = await _rooms(context, item, settings)
    names = await names_of(context.session, topic_people([room.topic for room in found]))
    repository = BreakoutRepository(context.session)
    sections = []
    for room in found:
        people = ", ".join(
            display_name(user) + (" (placed)" if pick.placed else "") for user, pick in room.people
        )
        notes = names.get(room.topic.notes_user_id or 0, "nobody yet")
        sections.append(
            Section(
                heading=f"{room.label}: {room.topic.title}",
                text=f"Hosts: {hosts_text(room.topic, names)} · notes: {notes} · "
                f"{people_count(len(room.people))}: {people or 'nobody yet'}",
            )
        )
    # A social can have dozens of rooms: a page of them, with More; the CSV has them all.
    page = paginate([f"{section.heading}: {section.text}" for section in sections], page_number)
    sections = page.of(sections)
    waiting = [
        (round_number, len(await repository.unassigned(item.id, round_number)))
        for round_number in range(1, settings.rounds + 1)
    ]
    unassigned = sum(count for _, count in waiting)
    buttons: tuple[Button, ...] = (Button("CSV", f"rooms {item.id} csv"),)
    if unassigned:
        per_round = ", ".join(
            f"{count} in {round_label(settings, number)}" for number, count in waiting if count
        )
        sections.append(
            Section(
                heading="Not in a room yet",
                text=f"{people_count(unassigned)} registered without a room ({per_round}). "
                f"`place {item.id}` puts them in the rooms with the most space.",
            )
        )
        buttons = (Button("Place them", f"place {item.id}", ButtonStyle.PRIMARY), *buttons)
    lines = [f"• {section.heading}: {section.text}" for section in sections]
    if (more := more_section(page, f"rooms {item.id}")) is not None:
        sections.append(more)
        lines.append(more.text)
    attachments: tuple[Attachment, ...] = ()
    note = "Private to you."
    if rest.strip().lower() == "csv":
        attachments = (
            Attachment(f"breakout-rooms-session-{item.id}.csv", "text/csv", _csv(found, names)),
        )
        note = "Private to you. The CSV (room, topic, host, person, person id) is attached."
    return Reply(
        heading=f"Breakout rooms: {item.title}",
        text="\n".join(lines) or "No approved topics yet.",
        sections=tuple(sections),
        buttons=buttons,
        context=note,
        attachments=attachments,
    )


async def place(context: HandlerContext) -> Reply:
    item, _ = await led_session(context, context.args, "place")
    _, settings = await breakout_session(context, item.id)
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more.")
    repository = BreakoutRepository(context.session)
    # The same lock as picks: nobody picks a place this is giving out.
    locked = await repository.lock_settings(item.id)
    assert locked is not None
    settings = locked
    topics = list(await repository.topics(item.id))
    counts = await repository.pick_counts(item.id)
    placed: dict[int, list[User]] = {}
    left_out = 0
    zone = context.services.settings.timezone
    for round_number in range(1, settings.rounds + 1):
        choices = [topic for topic in topics if topic.round == round_number]
        for user in await repository.unassigned(item.id, round_number):
            open_rooms = [t for t in choices if has_space(settings, counts.get(t.id, 0))]
            if not open_rooms:
                left_out += 1
                continue
            # Fewest people first keeps the rooms balanced; ties go to the older topic.
            topic = min(open_rooms, key=lambda t: (counts.get(t.id, 0), t.id))
            counts[topic.id] = counts.get(topic.id, 0) + 1
            await repository.add(
                BreakoutPick(
                    session_id=item.id,
                    round=round_number,
                    topic_id=topic.id,
                    user_id=user.id,
                    placed=True,
                    picked_at=context.now,
                )
            )
            placed.setdefault(topic.id, []).append(user)
            context.notify(
                user.key,
                Reply(
                    text=f"The organisers of {item.title} ({when(item.starts_at, zone)}) have "
                    f"put you in the breakout room “{topic.title}” for "
                    f"{round_label(settings, round_number)}.",
                    buttons=(Button("See the topics", f"topics {item.id}"),),
                ),
            )
    if context.now >= settings.closes_at:
        # The hosts' lists have gone out; tell them who joined since.
        for topic in topics:
            if topic.id in placed:
                await _tell(
                    context,
                    [key for key in (topic.host_user_id, topic.cohost_user_id) if key is not None],
                    Reply(
                        text=f"Joining your breakout room “{topic.title}” at {item.title}: "
                        + ", ".join(display_name(user) for user in placed[topic.id])
                        + ".",
                        context="Private to you.",
                    ),
                )
    else:
        await replan_for(context, item, settings)
    total = sum(len(users) for users in placed.values())
    lines = [
        f"• {topic.title}: +{len(placed[topic.id])} (now {people_count(counts.get(topic.id, 0))})"
        for topic in topics
        if topic.id in placed
    ]
    missing = (
        f" {people_count(left_out)} could not be placed: every room is full." if left_out else ""
    )
    if not total and not left_out:
        return Reply(text=f"Everyone registered for session {item.id} already has a room.")
    return Reply(
        text=f"Placed {people_count(total)}, each told privately.{missing}\n" + "\n".join(lines),
        context="Private to you.",
    )


def register(router: Router) -> None:
    for phrase, handler, summary, usage in (
        ("breakouts", configure, "turn on breakout rooms for a session and set them up", USAGE),
        ("approve topic", approve, "approve a proposed breakout topic", "approve topic <number>"),
        (
            "decline topic",
            decline,
            "decline a proposed topic (the reason goes privately to its host)",
            "decline topic <number> [reason]",
        ),
        (
            "rooms",
            rooms,
            "who is in which breakout room, 20 rooms at a time (add `csv` for a file)",
            "rooms <session> [csv] [page <n>]",
        ),
        ("place", place, "put people without a room into rooms with space", "place <session>"),
    ):
        router.add(
            Command(
                phrase=phrase, handler=handler, summary=summary, usage=usage, audience=Audience.LEAD
            )
        )
