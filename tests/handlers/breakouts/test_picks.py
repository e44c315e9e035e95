"""Picking a room: registered people only, one room a round, switching while the signup is
open, full rooms suggest others; `my` shows the pick."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Application
from bot.clock import FixedClock
from tests.conftest import NOW, say_one
from tests.support.breakouts import breakout_session, topic_number


async def test_picking_needs_a_place_one_room_a_round_and_switching_while_open(
    app: Application, clock: FixedClock
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    words = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    care = topic_number((await say_one(app, f"host {session_id} Self-care", user="li")).text)
    stranger = await say_one(app, f"pick {session_id} {words}", user="robin")
    assert "Register first with `register" in stranger.text

    picked = await say_one(app, f"pick {session_id} finding the words", user="kim")
    assert "You're in “Finding the words”" in picked.text
    switched = await say_one(app, f"pick {session_id} {care}", user="kim")
    assert "You're in “Self-care” (instead of “Finding the words”)" in switched.text
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert "Self-care (topic" in listed.text and "your pick" in listed.text
    assert "places available" in listed.text
    assert "Kim" not in listed.text
    mine = await say_one(app, "my", user="kim")
    assert "Online social: “Self-care”, round 1" in mine.text

    clock.set(NOW + timedelta(days=9, hours=23, minutes=30))
    closed = await say_one(app, f"pick {session_id} {words}", user="kim")
    assert "has closed" in closed.text


async def test_a_full_room_says_so_and_suggests_others(app: Application) -> None:
    people = ("p1", "p2", "p3", "p4")
    session_id = await breakout_session(app, people=people)
    full_one = topic_number((await say_one(app, f"host {session_id} Popular", user="jo")).text)
    await say_one(app, f"host {session_id} Quieter", user="li")
    for person in people[:3]:
        await say_one(app, f"pick {session_id} {full_one}", user=person)
    refused = await say_one(app, f"pick {session_id} {full_one}", user="p4")
    assert "Sorry, “Popular” is full" in refused.text
    assert "These still have places: “Quieter”" in refused.text


async def test_signup_not_open_yet_and_rounds(app: Application) -> None:
    session_id = await breakout_session(
        app, settings="rounds: 2 | opens: 28 Nov 2026 09:00", people=("kim",)
    )
    one = topic_number((await say_one(app, f"host {session_id} First talk", user="jo")).text)
    two = await say_one(app, f"host {session_id} round 2 Second talk", user="jo")
    assert "is on the list" in two.text
    bad = await say_one(app, f"host {session_id} round 3 Third", user="jo")
    assert "no round 3" in bad.text
    early = await say_one(app, f"pick {session_id} {one}", user="kim")
    assert "opens Sat 28 Nov 2026, 09:00 GMT" in early.text
