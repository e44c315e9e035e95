"""Leads see who is in which room, export it as CSV, and place people without a room."""

from __future__ import annotations

import csv
import io

from bot.app import Application
from bot.messages import Visibility
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.breakouts import LEAD, breakout_session, topic_number

PEOPLE = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")


async def three_rooms(app: Application) -> tuple[int, int, int, int]:
    session_id = await breakout_session(app, settings="size: 3 | opens: now", people=PEOPLE)
    first = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    second = topic_number((await say_one(app, f"host {session_id} =1+2 privilege", user="li")).text)
    third = topic_number((await say_one(app, f"propose {session_id} Self-care", user="kim")).text)
    for person, topic in (("p1", first), ("p2", first), ("p3", second)):
        await say_one(app, f"pick {session_id} {topic}", user=person)
    return session_id, first, second, third


async def test_rooms_shows_names_only_to_leads_with_the_unassigned(app: Application) -> None:
    session_id, *_ = await three_rooms(app)
    refused = await say_one(app, f"rooms {session_id}", user="p1")
    assert "for network leads" in refused.text
    rooms = await say_one(app, f"rooms {session_id}", user=LEAD, shared=True)
    assert rooms.visibility is Visibility.PRIVATE
    assert (
        "Room 1: Finding the words: Hosts: Jo · notes: nobody yet · 2 people: P1, P2" in rooms.text
    )
    assert "Room 3: Self-care: Hosts: nobody yet" in rooms.text
    assert "4 people registered without a room" in rooms.text
    assert [app.router.words_for(b.call) for b in rooms.all_buttons if b.call] == [
        f"place {session_id}",
        f"rooms {session_id} csv",
    ]


async def test_rooms_csv_is_one_row_a_person_and_safe_in_a_spreadsheet(app: Application) -> None:
    session_id, *_ = await three_rooms(app)
    reply = await say_one(app, f"rooms {session_id} csv", user=LEAD)
    [attachment] = reply.attachments
    assert attachment.filename == f"breakout-rooms-session-{session_id}.csv"
    assert attachment.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(attachment.content)))
    assert rows == [
        ["room", "topic", "host", "person", "person id"],
        ["Room 1", "Finding the words", "Jo", "P1", "console:p1"],
        ["Room 1", "Finding the words", "Jo", "P2", "console:p2"],
        # A title starting with "=" is not run as a formula.
        ["Room 2", "'=1+2 privilege", "Li", "P3", "console:p3"],
    ]


async def test_place_fills_the_emptiest_rooms_first_and_tells_each_person(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id, *_ = await three_rooms(app)
    reply = await say_one(app, f"place {session_id}", user=LEAD)
    assert "Placed 4 people, each told privately." in reply.text
    csv_reply = await say_one(app, f"rooms {session_id} csv", user=LEAD)
    rows = list(csv.reader(io.StringIO(csv_reply.attachments[0].content)))[1:]
    by_room: dict[str, list[str]] = {}
    for room, _, _, person, _ in rows:
        by_room.setdefault(room, []).append(person)
    # 2, 1 and 0 before; the four without a room go to the emptiest each time.
    assert by_room == {
        "Room 1": ["P1", "P2", "P7"],
        "Room 2": ["P3", "P5"],
        "Room 3": ["P4", "P6"],
    }
    told = {notice.recipient_key: notice.reply.text for notice in messenger.sent}
    assert "put you in the breakout room “Self-care”" in told["console:p4"]
    assert "“=1+2 privilege”" in told["console:p5"]
    assert (
        "Online social: “Self-care”, round 1 (placed by the leads)"
        in (await say_one(app, "my", user="p4")).text
    )
    assert "already has a room" in (await say_one(app, f"place {session_id}", user=LEAD)).text

    for person in ("p8", "p9", "p10"):
        await say_one(app, f"register {session_id}", user=person)
    more = await say_one(app, f"place {session_id}", user=LEAD)
    assert "Placed 2 people" in more.text
    assert "1 person could not be placed: every room is full" in more.text
