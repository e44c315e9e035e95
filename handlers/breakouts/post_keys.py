"""The breakout posts' outbox keys, how a lead reads them, and which housekeeping keeps.

`breakout:<session>:signup:<platform>` is the list posted when the signup opens,
`breakout:<session>:update:<platform>` each edit of it, `breakout:<session>:rooms:<platform>`
the final room list, and `breakout:<session>:host:<topic>:<user id>` a host's private list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox_keys import MalformedOutboxKey, OutboxKey
from bot.outbox_keys import prefix as key_prefix
from storage.retention import open_breakout_session_ids

BREAKOUT = "breakout"
SIGNUP, UPDATE, ROOMS, HOST = "signup", "update", "rooms", "host"


def prefix(session_id: int) -> str:
    return key_prefix(BREAKOUT, session_id)


def signup_key(session_id: int, platform: str) -> str:
    return OutboxKey.of(BREAKOUT, session_id, SIGNUP, platform).format()


def update_key(session_id: int, platform: str) -> str:
    return OutboxKey.of(BREAKOUT, session_id, UPDATE, platform).format()


def rooms_key(session_id: int, platform: str) -> str:
    return OutboxKey.of(BREAKOUT, session_id, ROOMS, platform).format()


def host_key(session_id: int, topic_id: int, user_id: int) -> str:
    return OutboxKey.of(BREAKOUT, session_id, HOST, topic_id, user_id).format()


@dataclass(frozen=True, slots=True)
class BreakoutPostKey:
    """What a stored breakout key says: whose post, which one, and (a host's) which topic."""

    session_id: int
    post: str
    topic_id: int | None = None

    @classmethod
    def parse(cls, schedule_key: str) -> BreakoutPostKey:
        key = OutboxKey.parse(schedule_key)
        parts = key.parts
        if key.kind != BREAKOUT or len(parts) < 2 or not parts[0].isdigit():
            raise MalformedOutboxKey(f"not a breakout post's key: {schedule_key!r}")
        if parts[1] == HOST:
            if len(parts) < 3 or not parts[2].isdigit():
                raise MalformedOutboxKey(f"a host's list without its topic: {schedule_key!r}")
            return cls(int(parts[0]), HOST, int(parts[2]))
        return cls(int(parts[0]), parts[1])


_DESCRIPTIONS = {
    SIGNUP: "breakout topics for session {}",
    UPDATE: "breakout topics for session {}, updated",
    ROOMS: "breakout rooms for session {}",
    HOST: "breakout room list for a host of session {}",
}


def describe_breakout_post(key: OutboxKey) -> str | None:
    """`breakout rooms for session 12`: a host's list never says which host."""
    if len(key.parts) < 2 or key.parts[1] not in _DESCRIPTIONS:
        return None
    return _DESCRIPTIONS[key.parts[1]].format(key.parts[0])


async def open_signup_posts(session: AsyncSession, now: datetime) -> list[str]:
    """The posts of every signup not closed yet: they are re-planned whatever their due
    time, so housekeeping keeps them (or a deleted signup list would be posted again)."""
    return [prefix(item) for item in await open_breakout_session_ids(session, now)]
