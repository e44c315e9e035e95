"""Capacity holds under simultaneous registrations and cancellations, on SQLite and PostgreSQL.

Every dispatch is its own task, all in flight at once. On PostgreSQL the session row lock
queues them; on SQLite the write lock taken at BEGIN does.
"""

from __future__ import annotations

import asyncio
import re

from bot.app import Application
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import add_session, registrations_of

PEOPLE = [f"person{number:03d}" for number in range(100)]
PLACES = 20


def waitlist_number(text: str) -> int | None:
    found = re.search(r"number (\d+) on the waitlist", text)
    return int(found.group(1)) if found else None


async def all_at_once(app: Application, text: str, people: list[str]) -> list[str]:
    tasks = [asyncio.create_task(say_one(app, text, user=person)) for person in people]
    return [reply.text for reply in await asyncio.gather(*tasks)]


async def test_a_hundred_people_at_once_for_twenty_places(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, capacity=PLACES)
    # People who have talked to the bot before: registering then starts by only reading,
    # which is where an unlocked count lets two people take the last place.
    await all_at_once(app, "help", PEOPLE)

    replies = await all_at_once(app, f"register {session_id}", PEOPLE)

    assert sum("You're registered" in text for text in replies) == PLACES
    told = sorted(n for text in replies if (n := waitlist_number(text)) is not None)
    assert told == list(range(1, len(PEOPLE) - PLACES + 1))
    rows = await registrations_of(app, session_id)
    assert [status for _, status, _ in rows].count("registered") == PLACES
    assert [position for _, _, position in rows] == list(range(1, len(PEOPLE) + 1))
    # The order of arrival is the order places were given: the first twenty got them.
    assert {status for _, status, _ in rows[:PLACES]} == {"registered"}
    waiting = [name for name, status, _ in rows if status == "waitlisted"]
    assert len(waiting) == len(PEOPLE) - PLACES

    # Ten people give up their places at the same moment: exactly the first ten waiting
    # are promoted, in waitlist order, each told once.
    leavers = [name for name, _, _ in rows[:10]]
    cancelled = await all_at_once(app, f"cancel {session_id}", leavers)
    assert all("I've cancelled your place" in text for text in cancelled)
    promoted = [notice.recipient_key for notice in messenger.sent]
    assert sorted(promoted) == sorted(f"console:{name}" for name in waiting[:10])
    rows = await registrations_of(app, session_id)
    assert [status for _, status, _ in rows].count("registered") == PLACES
    still_waiting = [name for name, status, _ in rows if status == "waitlisted"]
    assert still_waiting == waiting[10:]

    # Everyone still waiting asks where they stand at once: 1..70, each number once.
    standing = await all_at_once(app, "my", still_waiting)
    told = [waitlist_number(text) for text in standing]
    assert told == list(range(1, len(still_waiting) + 1))


async def test_waitlisted_people_leaving_at_once_keep_the_line_contiguous(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, capacity=2)
    people = PEOPLE[:30]
    await all_at_once(app, "help", people)
    await all_at_once(app, f"register {session_id}", people)
    rows = await registrations_of(app, session_id)
    waiting = [name for name, status, _ in rows if status == "waitlisted"]

    # Every other person waiting leaves at once; then both place holders cancel at once.
    leaving = waiting[::2]
    replies = await all_at_once(app, f"cancel {session_id}", leaving)
    assert all("off the waitlist" in text for text in replies)
    staying = waiting[1::2]
    standing = await all_at_once(app, "my", staying)
    assert [waitlist_number(text) for text in standing] == list(range(1, len(staying) + 1))

    holders = [name for name, status, _ in rows if status == "registered"]
    await all_at_once(app, f"cancel {session_id}", holders)
    promoted = sorted(notice.recipient_key for notice in messenger.sent)
    assert promoted == sorted(f"console:{name}" for name in staying[:2])
    rows = await registrations_of(app, session_id)
    assert [name for name, status, _ in rows if status == "registered"] == staying[:2]
    standing = await all_at_once(app, "my", staying[2:])
    assert [waitlist_number(text) for text in standing] == list(range(1, len(staying) - 1))
