"""Room sizes hold under simultaneous picks: the settings row lock on PostgreSQL, the write
lock taken at BEGIN on SQLite. Every pick is its own task, all in flight at once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import Application
from storage.models import BreakoutPick
from tests.conftest import say_one
from tests.support.breakouts import breakout_session, topic_number

PEOPLE = tuple(f"person{number:02d}" for number in range(24))


async def room_sizes(app: Application, session_id: int) -> dict[int, int]:
    async with app.database.transaction() as session:
        rows = await session.execute(
            select(BreakoutPick.topic_id, func.count())
            .where(BreakoutPick.session_id == session_id)
            .group_by(BreakoutPick.topic_id)
        )
        return {topic_id: int(count) for topic_id, count in rows.all()}


async def test_twenty_four_people_at_once_for_a_room_of_five(app: Application) -> None:
    session_id = await breakout_session(app, settings="size: 5 | opens: now", people=PEOPLE)
    popular = topic_number((await say_one(app, f"host {session_id} Popular", user="jo")).text)
    other = topic_number((await say_one(app, f"host {session_id} Other", user="li")).text)

    replies = await asyncio.gather(
        *(say_one(app, f"pick {session_id} {popular}", user=person) for person in PEOPLE)
    )
    got_in = [reply for reply in replies if "You're in “Popular”" in reply.text]
    full = [reply for reply in replies if "“Popular” is full" in reply.text]
    assert len(got_in) == 5
    assert len(full) == len(PEOPLE) - 5
    assert all("These still have places: “Other”" in reply.text for reply in full)
    assert await room_sizes(app, session_id) == {popular: 5}

    # Everyone left switches to the other room at once, while those in Popular switch too:
    # the other room still never holds more than five.
    replies = await asyncio.gather(
        *(say_one(app, f"pick {session_id} {other}", user=person) for person in PEOPLE)
    )
    assert sum("You're in “Other”" in reply.text for reply in replies) == 5
    sizes = await room_sizes(app, session_id)
    assert sizes[other] == 5
    assert sizes.get(popular, 0) <= 5


async def test_thirty_people_at_once_across_three_rooms_of_four(app: Application) -> None:
    people = tuple(f"guest{number:02d}" for number in range(30))
    session_id = await breakout_session(app, settings="size: 4 | opens: now", people=people)
    rooms = [
        topic_number((await say_one(app, f"host {session_id} {name}", user=host)).text)
        for name, host in (("Books", "jo"), ("Films", "li"), ("Walks", "sam"))
    ]

    tasks = [
        asyncio.create_task(say_one(app, f"pick {session_id} {rooms[index % 3]}", user=person))
        for index, person in enumerate(people)
    ]
    replies = [reply.text for reply in await asyncio.gather(*tasks)]

    assert sum("You're in “" in text for text in replies) == 12
    assert await room_sizes(app, session_id) == {room: 4 for room in rooms}
    # Nobody got a room twice, nor the apology.
    assert sum("is full" in text for text in replies) == len(people) - 12
