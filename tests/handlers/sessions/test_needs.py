"""Access needs: given when registering or later, kept until a week after the session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from storage.models import SessionRegistration
from storage.repositories import purge_expired_access_needs
from tests.conftest import NOW, say_one
from tests.support.sessions import (
    add_session,
)


async def test_access_needs_are_kept_until_a_week_after_and_the_person_is_told(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app, duration_minutes=60)
    reply = await say_one(app, f"register {session_id} needs: live captions please")
    assert (
        "Only the session's organisers (its network's leads and facilitators) and the bot's "
        "admins will see your access needs"
    ) in reply.text
    assert "delete them 7 days after the session" in reply.text
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.access_needs == "live captions please"
        expected = NOW + timedelta(days=3, hours=1) + timedelta(days=7)
        assert registration.needs_delete_after == expected
    async with app.database.transaction() as session:
        assert await purge_expired_access_needs(session, expected - timedelta(minutes=1)) == 0
    async with app.database.transaction() as session:
        assert await purge_expired_access_needs(session, expected) == 1
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.access_needs is None
        assert registration.status == "registered"


async def test_needs_can_be_added_after_registering(app: Application) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}")
    reply = await say_one(app, f"register {session_id} needs: step-free access")
    assert "passed your access needs" in reply.text
    empty = await say_one(app, f"register {session_id} needs:")
    assert "What do you need" in empty.text
