"""Statuses are StrEnums over string columns: written as their values, read back equal."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from storage.database import Database
from storage.models import Network, NetworkSession
from storage.repositories import SessionRepository
from storage.statuses import SessionStatus

NOW = datetime(2026, 11, 13, 9, 0, tzinfo=UTC)


async def test_a_status_is_stored_as_its_value_and_read_back_equal(database: Database) -> None:
    async with database.transaction() as session:
        network = Network(slug="pride", name="Pride", created_at=NOW)
        session.add(network)
        await session.flush()
        item = NetworkSession(
            network_id=network.id,
            title="Allyship 101",
            kind="training",
            starts_at=NOW,
            duration_minutes=60,
            created_at=NOW,
        )
        await SessionRepository(session).add(item)
        item.status = SessionStatus.CANCELLED
        session_id = item.id

    async with database.transaction() as session:
        raw = await session.scalar(
            text("SELECT status FROM network_sessions WHERE id = :id"), {"id": session_id}
        )
        read = await session.scalar(
            select(NetworkSession.status).where(NetworkSession.id == session_id)
        )
    assert raw == "cancelled"
    assert type(read) is str
    assert read == SessionStatus.CANCELLED
    assert read in (SessionStatus.CANCELLED,)


def test_a_status_prints_as_its_value() -> None:
    status = SessionStatus.SCHEDULED
    assert str(status) == "scheduled"
    assert f"{status}" == "scheduled"
    assert f"was {status}" == "was scheduled"
