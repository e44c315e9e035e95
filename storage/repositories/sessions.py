"""Network sessions (webinars, trainings, socials): finding and locking them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    NetworkSession,
)
from storage.statuses import SessionStatus

# Sessions are refused beyond this length, so "ended between" can look back this far.
LONGEST_SESSION = timedelta(hours=12)


class SessionRepository:
    """Network sessions (webinars, trainings, socials), not database sessions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upcoming(
        self, now: datetime, network_id: int | None = None, limit: int = 20
    ) -> Sequence[NetworkSession]:
        query = (
            select(NetworkSession)
            .where(
                NetworkSession.starts_at >= now, NetworkSession.status == SessionStatus.SCHEDULED
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id)
            .limit(limit)
        )
        if network_id is not None:
            query = query.where(NetworkSession.network_id == network_id)
        return (await self.session.scalars(query)).all()

    async def add(self, network_session: NetworkSession) -> NetworkSession:
        self.session.add(network_session)
        await self.session.flush()
        return network_session

    async def get_session(self, session_id: int) -> NetworkSession | None:
        return await self.session.get(NetworkSession, session_id)

    async def lock_session(self, session_id: int) -> NetworkSession | None:
        """The session row, locked until the transaction ends (PostgreSQL; SQLite has one writer).

        Taken before counting places so concurrent registrations queue here and never overfill.
        """
        return await self.session.scalar(
            select(NetworkSession)
            .where(NetworkSession.id == session_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def sessions_starting_between(
        self, start: datetime, end: datetime
    ) -> Sequence[NetworkSession]:
        """Scheduled sessions with start <= starts_at < end (for 24-hour and 1-hour reminders)."""
        return (
            await self.session.scalars(
                select(NetworkSession)
                .where(
                    NetworkSession.starts_at >= start,
                    NetworkSession.starts_at < end,
                    NetworkSession.status == SessionStatus.SCHEDULED,
                )
                .order_by(NetworkSession.starts_at, NetworkSession.id)
            )
        ).all()

    async def sessions_ended_between(self, start: datetime, end: datetime) -> list[NetworkSession]:
        """Scheduled sessions whose end falls in start <= end < `end` (for feedback requests)."""
        candidates = await self.sessions_starting_between(start - LONGEST_SESSION, end)
        return [
            item
            for item in candidates
            if start <= item.starts_at + timedelta(minutes=item.duration_minutes) < end
        ]

    async def network_sessions(self, network_id: int, limit: int = 20) -> Sequence[NetworkSession]:
        """A network's sessions, latest first (for its report)."""
        return (
            await self.session.scalars(
                select(NetworkSession)
                .where(NetworkSession.network_id == network_id)
                .order_by(NetworkSession.starts_at.desc(), NetworkSession.id.desc())
                .limit(limit)
            )
        ).all()
