"""After a session: feedback, anonymous unless named, and the recording link."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from storage.models import SessionFeedback
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import (
    add_session,
)


async def test_feedback_after_the_session_anonymous_unless_named(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app)
    for person in ("ana", "ben"):
        await say_one(app, f"register {session_id}", user=person)
    early = await say_one(app, f"feedback {session_id} 5", user="ana")
    assert "hasn't happened yet" in early.text
    clock.set(NOW + timedelta(days=3, hours=2))
    reply = await say_one(app, f"feedback {session_id} 5 Loved the breakout rooms", user="ana")
    assert "anonymously" in reply.text
    named = await say_one(app, f"feedback {session_id} 4 Good pace named", user="ben")
    assert "with your name" in named.text
    twice = await say_one(app, f"feedback {session_id} 1", user="ana")
    assert "already given feedback" in twice.text
    stranger = await say_one(app, f"feedback {session_id} 3", user="kim")
    assert "don't have you down" in stranger.text
    bad = await say_one(app, f"feedback {session_id} 9", user="ben")
    assert "from 1 (poor) to 5" in bad.text
    async with app.database.transaction() as session:
        rows = (await session.scalars(select(SessionFeedback).order_by(SessionFeedback.id))).all()
    assert [(row.rating, row.comment, row.user_id is None) for row in rows] == [
        (5, "Loved the breakout rooms", True),
        (4, "Good pace", False),
    ]


async def test_anonymous_feedback_is_not_tied_to_its_author_by_time_or_log(
    app: Application, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}", user="ana")
    clock.set(NOW + timedelta(days=3, hours=2, minutes=17, seconds=5))
    with caplog.at_level(logging.INFO, logger="allybot"):
        await say_one(app, f"feedback {session_id} 2 MARKER-FB", user="ana")
    async with app.database.transaction() as session:
        row = (await session.scalars(select(SessionFeedback))).one()
    assert (row.created_at.minute, row.created_at.second, row.created_at.microsecond) == (0, 0, 0)
    # Only the feedback's own line: the registration before it rightly names its person,
    # and is captured too when an earlier test left the bot's loggers at INFO.
    handled = [
        fields
        for r in caplog.records
        if r.getMessage() == "request_handled"
        for fields in [getattr(r, "allybot_fields", {})]
        if fields.get("command") == "feedback"
    ]
    assert handled and not any("person" in fields for fields in handled)


async def test_recording_link_goes_to_people_who_had_a_place(
    app: Application, messenger: RecordingMessenger, clock: FixedClock
) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}", user="ana")
    before = await say_one(app, f"recording {session_id} https://video.example/1", user="alex")
    assert "After the session" in before.text
    assert messenger.sent == []
    clock.set(NOW + timedelta(days=4))
    reply = await say_one(app, f"recording {session_id} https://video.example/2", user="alex")
    assert "sent privately to the 1 person" in reply.text
    [notice] = messenger.sent
    assert notice.recipient_key == "console:ana"
    assert "https://video.example/2" in notice.reply.text
    assert "https://video.example/2" in (await say_one(app, f"session {session_id}")).text
