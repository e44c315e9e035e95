"""Helpers for the session tests: make sessions directly and read calendar attachments."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from bot.app import Application
from bot.messages import Call, Conversation, Person, Reply, Request
from storage.models import NetworkSession, SessionRegistration, User
from storage.repositories import NetworkRepository
from tests.conftest import NOW


async def add_session(
    app: Application,
    *,
    network: str = "pride",
    title: str = "Allyship basics",
    kind: str = "training",
    starts_in: timedelta = timedelta(days=3),
    duration_minutes: int = 60,
    capacity: int | None = None,
    invite_only: bool = False,
    location: str = "https://meet.example/abc",
) -> int:
    async with app.database.transaction() as session:
        found = await NetworkRepository(session).by_slug(network)
        assert found is not None
        item = NetworkSession(
            network_id=found.id,
            title=title,
            kind=kind,
            starts_at=NOW + starts_in,
            duration_minutes=duration_minutes,
            location=location,
            description="",
            capacity=capacity,
            invite_only=invite_only,
            created_at=NOW,
        )
        session.add(item)
        await session.flush()
        return item.id


async def registrations_of(app: Application, session_id: int) -> list[tuple[str, str, int]]:
    """(person id, status, position) for a session, in order of arrival."""
    async with app.database.transaction() as session:
        rows = await session.execute(
            select(User.external_id, SessionRegistration.status, SessionRegistration.position)
            .join(User, User.id == SessionRegistration.user_id)
            .where(SessionRegistration.session_id == session_id)
            .order_by(SessionRegistration.position)
        )
        return [(name, status, position) for name, status, position in rows.all()]


def calendar_of(reply: Reply) -> Calendar:
    [attachment] = [item for item in reply.attachments if item.filename.endswith(".ics")]
    return Calendar.from_ical(attachment.content)


def event_start(reply: Reply) -> datetime:
    [event] = calendar_of(reply).walk("VEVENT")
    return event.decoded("dtstart")


async def press(app: Application, call: Call | None, *, user: str = "you") -> Reply:
    """What pressing a button (or submitting a form) with `call` answers `user`, in private."""
    assert call is not None
    replies = await app.router.dispatch(
        Request(
            person=Person(platform="console", id=user, display_name=user.title()),
            text="",
            conversation=Conversation(id="D-private"),
            call=call,
        )
    )
    assert len(replies) == 1, replies
    return replies[0]
