"""What the breakout commands share: finding a session's breakouts and topics, and wording.

Hosts and note-takers volunteer in public, so their names may be shown with a topic.
Who picked which room is only ever shown to that person, the room's hosts and the
network's leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.messages import Reply
from bot.router import HandlerContext
from bot.services import PeopleNames
from bot.small_numbers import SmallNumbers
from handlers.sessions.common import load_session
from storage.models import BreakoutSettings, BreakoutTopic, NetworkSession, User
from storage.repositories import BreakoutRepository, UserRepository
from storage.statuses import SessionStatus, TopicStatus

MAX_TITLE_CHARS = 120
_QUOTES = "\"'“”‘’"
_TOPIC_ID = re.compile(r"^#?([0-9]{1,9})(?:\s+(.*))?$", re.DOTALL)

NOT_OPEN = "not open yet"
OPEN = "open"
CLOSED = "closed"


async def breakout_session(
    context: HandlerContext, session_id: int
) -> tuple[NetworkSession, BreakoutSettings]:
    item = await load_session(context, session_id)
    settings = await BreakoutRepository(context.session).settings_of(item.id)
    if settings is None:
        # Only the people who can turn them on need the command that does it.
        how = (
            f" Turn them on with `breakouts {item.id} rounds: 1`."
            if context.roles.leads(item.network_id)
            else ""
        )
        raise UserError(f"Session {item.id} ({item.title}) has no breakout rooms.{how}")
    return item, settings


def signup_state(settings: BreakoutSettings, now: datetime) -> str:
    if now < settings.opens_at:
        return NOT_OPEN
    return OPEN if now < settings.closes_at else CLOSED


def still_changeable(
    context: HandlerContext, item: NetworkSession, settings: BreakoutSettings
) -> None:
    """Topics can be proposed and changed until the signup closes (and the session is on)."""
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more, so its topics are fixed.")
    if context.now >= settings.closes_at:
        raise UserError(
            f"The breakout signup for session {item.id} has closed, so its topics are fixed now. "
            "If something needs to change, ask the network's leads."
        )


def tidy_title(text: str) -> str:
    """A typed title as it always was read: spaces folded, quotes around it dropped."""
    return " ".join(text.split()).strip(_QUOTES).strip()


def checked_title(title: str) -> str:
    """The title, if it is neither too short nor too long (a form's arrives as entered)."""
    if len(title.strip()) < 3:
        raise UserError(
            "What's the topic? Give it a short title, like “Finding the words to speak up”.",
            field="title",
        )
    if len(title) > MAX_TITLE_CHARS:
        raise UserError(
            f"That title is {len(title)} characters long; please keep it to {MAX_TITLE_CHARS}.",
            field="title",
        )
    return title


def clean_title(text: str) -> str:
    return checked_title(tidy_title(text))


def split_topic_id(args: str, command: str) -> tuple[int, str]:
    found = _TOPIC_ID.match(args.strip())
    if found is None:
        raise UserError(
            f"Which topic? Give its number, like `{command} 4`. `topics <session>` lists them "
            "with their numbers."
        )
    return int(found.group(1)), (found.group(2) or "").strip()


async def load_topic(context: HandlerContext, topic_id: int) -> BreakoutTopic:
    topic = await BreakoutRepository(context.session).topic(topic_id)
    if topic is None:
        raise UserError(f"I can't find topic {topic_id}. `topics <session>` lists them.")
    return topic


async def topic_in_its_session(
    context: HandlerContext, topic_id: int
) -> tuple[BreakoutTopic, NetworkSession, BreakoutSettings]:
    """The topic numbered `topic_id`, its session and breakout settings."""
    topic = await load_topic(context, topic_id)
    item, settings = await breakout_session(context, topic.session_id)
    return topic, item, settings


async def changeable_topic(
    context: HandlerContext, topic_id: int
) -> tuple[BreakoutTopic, NetworkSession, BreakoutSettings]:
    """As `topic_in_its_session`, for a topic that can still change: proposed or approved,
    in a session whose signup is still open."""
    topic, item, settings = await topic_in_its_session(context, topic_id)
    still_changeable(context, item, settings)
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.APPROVED):
        raise UserError(f"Topic {topic.id} was {topic.status}, so it can't be changed.")
    return topic, item, settings


def is_host(topic: BreakoutTopic, user_id: int) -> bool:
    return user_id in (topic.host_user_id, topic.cohost_user_id)


def may_change(context: HandlerContext, item: NetworkSession, topic: BreakoutTopic) -> bool:
    """The person who proposed a topic, its hosts, and the network's leads."""
    return context.user.id in (
        topic.proposer_user_id,
        topic.host_user_id,
        topic.cohost_user_id,
    ) or context.roles.leads(item.network_id)


async def names_of(
    session: AsyncSession, user_ids: Iterable[int | None], people: PeopleNames | None = None
) -> dict[int, str]:
    """user id -> display name: the one they came with, else their platform directory's
    (with `people`), else their platform id."""
    people = people or PeopleNames()
    names: dict[int, str] = {}
    for user_id in {user_id for user_id in user_ids if user_id is not None}:
        user = await session.get(User, user_id)
        if user is not None:
            names[user_id] = await people.name(user.key, user.display_name)
    return names


def display_name(user: User) -> str:
    return user.display_name or user.external_id


def topic_people(topics: Sequence[BreakoutTopic]) -> list[int | None]:
    return [
        user_id
        for topic in topics
        for user_id in (topic.host_user_id, topic.cohost_user_id, topic.notes_user_id)
    ]


def hosts_text(topic: BreakoutTopic, names: dict[int, str]) -> str:
    hosts = [names[key] for key in (topic.host_user_id, topic.cohost_user_id) if key in names]
    return " & ".join(hosts) if hosts else "nobody yet"


def hosted_by(topic: BreakoutTopic, names: dict[int, str]) -> str:
    """`Hosted by Jo & Li`, or `Needs a host` (never "Hosted by no host yet")."""
    hosts = hosts_text(topic, names)
    return "Needs a host" if hosts == "nobody yet" else f"Hosted by {hosts}"


def places_text(settings: BreakoutSettings, taken: int, shown: SmallNumbers) -> str:
    """What everyone sees of a room, in `topics` and the channel post edited on every pick:
    a band, or a count under the small-numbers rule, never who or exactly how many."""
    if settings.room_size is None:
        return f"{shown.people(taken)} so far"
    return shown.places(settings.room_size, taken).phrase


def people_count(count: int) -> str:
    """Exact: only for the private lists of a room's hosts and the network's leads."""
    return "1 person" if count == 1 else f"{count:,} people"


def has_space(settings: BreakoutSettings, taken: int) -> bool:
    return settings.room_size is None or taken < settings.room_size


def round_label(settings: BreakoutSettings, round_number: int) -> str:
    return f"round {round_number}" if settings.rounds > 1 else "the breakout"


def find_topic(topics: Sequence[BreakoutTopic], typed: str) -> BreakoutTopic | None:
    """A topic by its number, its exact title, or the one title that starts with the words."""
    wanted = " ".join(typed.split()).strip(_QUOTES).strip().lower()
    found = _TOPIC_ID.match(wanted)
    if found is not None and found.group(2) is None:
        return next((topic for topic in topics if topic.id == int(found.group(1))), None)
    exact = [topic for topic in topics if topic.title.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    starting = [topic for topic in topics if topic.title.lower().startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


async def user_for_key(context: HandlerContext, key: str) -> User:
    """The user behind a person key, created if they have never talked to the bot."""
    return await UserRepository(context.session).for_key(key, context.now)


async def tell_users(context: HandlerContext, user_ids: list[int], reply: Reply) -> None:
    """Privately, to each of these people but the one acting (they have the reply)."""
    for user_id in user_ids:
        user = await context.session.get(User, user_id)
        if user is not None and user.id != context.user.id:
            context.notify(user.key, reply)
