"""Redelivery detection holds when copies of a delivery arrive together, on both databases,
and a person is answered even when the database lock cannot be had in time."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.funnel import APOLOGY
from bot.messages import Conversation, Person, Reply, Request
from storage.database import Database
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import add_session, registrations_of

SORRY = APOLOGY.split(" and ", 1)[0]


def request_from(user: str, text: str) -> Request:
    return Request(
        person=Person(platform="console", id=user, display_name=user.title()),
        text=text,
        conversation=Conversation(id="D-private"),
    )


async def copies_at_once(
    app: Application, deliveries: list[tuple[str, str, str]], copies: int
) -> dict[str, list[list[Reply] | None]]:
    """Each (key, user, text) delivered `copies` times, every copy its own task."""
    tasks = {
        key: [
            asyncio.create_task(app.router.dispatch_once(request_from(user, text), key))
            for _ in range(copies)
        ]
        for key, user, text in deliveries
    }
    return {key: list(await asyncio.gather(*copies_of)) for key, copies_of in tasks.items()}


async def test_twenty_copies_of_each_delivery_act_once_and_are_answered_once(
    app: Application,
) -> None:
    session_id = await add_session(app, capacity=3)
    people = [f"person{number}" for number in range(5)]
    for person in people:
        await say_one(app, "help", user=person)

    answered = await copies_at_once(
        app,
        [(f"delivery-{person}", person, f"register {session_id}") for person in people],
        copies=20,
    )

    for key, results in answered.items():
        replies = [result for result in results if result is not None]
        assert len(replies) == 1, key
        assert SORRY not in replies[0][0].text
    # Each person registered once: three places, then the waitlist from 1.
    rows = await registrations_of(app, session_id)
    assert sorted(name for name, _, _ in rows) == people
    assert [status for _, status, _ in rows] == ["registered"] * 3 + ["waitlisted"] * 2
    assert [position for _, _, position in rows] == [1, 2, 3, 4, 5]


async def test_twenty_copies_of_a_refused_delivery_are_answered_once(app: Application) -> None:
    answered = await copies_at_once(
        app, [("delivery-refused", "robin", "cancel 999")], copies=20
    )
    replies = [result for result in answered["delivery-refused"] if result is not None]
    assert len(replies) == 1
    assert "nothing to cancel" in replies[0][0].text


async def test_a_person_is_answered_when_the_lock_cannot_be_had_in_time(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    database = Database(f"sqlite+aiosqlite:///{path}", busy_timeout_seconds=0.05)
    await database.upgrade()
    app = await build_application(
        Settings(),
        messenger=RecordingMessenger(),
        demo=True,
        clock=FixedClock(NOW),
        database=database,
        upgrade=False,
    )
    # Another process (a backup, `allybot chat`) holds the write lock for longer than the
    # busy timeout allows anyone to wait.
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        held = await app.router.dispatch_once(request_from("robin", "networks"), "delivery-1")
        plain = await app.router.dispatch(request_from("robin", "networks"))
        other.execute("ROLLBACK")
        # The same connections work again once the lock is free.
        later = await app.router.dispatch_once(request_from("robin", "networks"), "delivery-2")
    finally:
        other.close()
        await app.close()
    assert held is not None and SORRY in held[0].text
    assert SORRY in plain[0].text
    assert later is not None and "Pride Network" in later[0].text
