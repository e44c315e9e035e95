"""Capacity holds under simultaneous registrations and cancellations (the point of the row lock)."""

from __future__ import annotations

import asyncio
import re

from bot.app import Application
from bot.outbound import RecordingMessenger
from tests.conftest import say_one
from tests.test_handlers_sessions_support import add_session, registrations_of

PEOPLE = [f"person{number:02d}" for number in range(30)]


def waitlist_number(text: str) -> int | None:
    found = re.search(r"number (\d+) on the waitlist", text)
    return int(found.group(1)) if found else None


async def test_thirty_people_at_once_for_five_places(
    app: Application, messenger: RecordingMessenger
) -> None:
    # PostgreSQL is the real proof (the row lock); SQLite holds it by having one writer.
    session_id = await add_session(app, capacity=5)
    replies = await asyncio.gather(
        *(say_one(app, f"register {session_id}", user=person) for person in PEOPLE)
    )
    registered = [reply for reply in replies if "You're registered" in reply.text]
    numbers = sorted(n for reply in replies if (n := waitlist_number(reply.text)) is not None)
    assert len(registered) == 5
    assert numbers == list(range(1, 26))
    rows = await registrations_of(app, session_id)
    assert [status for _, status, _ in rows].count("registered") == 5
    # The order of arrival is the order places were given: the first five got them.
    assert [status for _, status, _ in rows[:5]] == ["registered"] * 5
    waiting = [name for name, status, _ in rows if status == "waitlisted"]

    # Three people give up their places at the same moment: exactly the first three waiting
    # are promoted, each told once.
    leavers = [name for name, status, _ in rows[:3]]
    await asyncio.gather(*(say_one(app, f"cancel {session_id}", user=name) for name in leavers))
    promoted = sorted(notice.recipient_key for notice in messenger.sent)
    assert promoted == sorted(f"console:{name}" for name in waiting[:3])
    rows = await registrations_of(app, session_id)
    assert [status for _, status, _ in rows].count("registered") == 5
    still_waiting = [name for name, status, _ in rows if status == "waitlisted"]
    assert still_waiting == waiting[3:]
    first_left = await say_one(app, "my", user=still_waiting[0])
    assert "number 1 on the waitlist" in first_left.text
