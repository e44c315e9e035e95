"""Repeating announcements fall on the right days, at the same wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Application
from bot.clock import FixedClock
from tests.conftest import say, say_one
from tests.handlers.announcements.support import LONDON, outbox, with_channels


async def test_every_monday_at_nine_stays_at_nine_across_the_clock_change(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    clock.set(datetime(2027, 3, 10, 12, 0, tzinfo=UTC))
    reply = await say_one(app, "announce pride every monday 09:00: Weekly hello", user="alex")
    assert "every Monday at 09:00" in reply.text
    local_times = {row.due_at.astimezone(LONDON).strftime("%H:%M") for row in await outbox(app)}
    utc_hours = sorted({row.due_at.hour for row in await outbox(app)})
    assert local_times == {"09:00"}
    # GMT before 28 March 2027, BST after: the same wall-clock time is two different hours UTC.
    assert utc_hours == [8, 9]
    assert all(row.due_at.astimezone(LONDON).weekday() == 0 for row in await outbox(app))


async def test_the_first_tuesday_of_each_month(app: Application, clock: FixedClock) -> None:
    await with_channels(app)
    await say(app, "announce pride every first tuesday 12:30: Lunch and learn", user="alex")
    days = [row.due_at.astimezone(LONDON) for row in await outbox(app)]
    assert [(day.day, day.month, day.hour, day.minute) for day in days] == [(1, 12, 12, 30)]
