"""Registrations, waitlists, invitations, attendance and feedback for network sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    case,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    NetworkSession,
    SessionFeedback,
    SessionInvitation,
    SessionRegistration,
    User,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount
from storage.statuses import RegistrationStatus, SessionKind, SessionStatus


@dataclass(frozen=True, slots=True)
class PlaceCounts:
    registered: int = 0
    waitlisted: int = 0
    attended: int = 0


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    count: int = 0
    average: float | None = None


@dataclass(frozen=True, slots=True)
class MyBooking:
    """One of a person's registrations, with their place in the waitlist when they are on it."""

    session: NetworkSession
    registration: SessionRegistration
    waitlist_place: int | None


class RegistrationRepository:
    """Registrations, waitlists, invitations, attendance and feedback for network sessions.

    Who registered and their access needs are sensitive: callers keep replies private.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, session_id: int, user_id: int) -> SessionRegistration | None:
        return await self.session.scalar(
            select(SessionRegistration).where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.user_id == user_id,
            )
        )

    async def count(self, session_id: int, status: str) -> int:
        return (
            await self.session.scalar(
                select(func.count())
                .select_from(SessionRegistration)
                .where(
                    SessionRegistration.session_id == session_id,
                    SessionRegistration.status == status,
                )
            )
            or 0
        )

    async def registered_counts(self, session_ids: Sequence[int]) -> dict[int, int]:
        """session id -> places taken, for a list of sessions in one query."""
        if not session_ids:
            return {}
        rows = await self.session.execute(
            select(SessionRegistration.session_id, func.count())
            .where(
                SessionRegistration.session_id.in_(list(session_ids)),
                SessionRegistration.status == RegistrationStatus.REGISTERED,
            )
            .group_by(SessionRegistration.session_id)
        )
        return {session_id: int(count) for session_id, count in rows.all()}

    async def next_position(self, session_id: int) -> int:
        """The next place in the order of arrival (call with the session row locked)."""
        highest = await self.session.scalar(
            select(func.max(SessionRegistration.position)).where(
                SessionRegistration.session_id == session_id
            )
        )
        return int(highest or 0) + 1

    async def first_waitlisted(self, session_id: int) -> SessionRegistration | None:
        return await self.session.scalar(
            select(SessionRegistration)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(SessionRegistration.position)
            .limit(1)
        )

    async def waitlisted_keys(self, session_id: int) -> list[str]:
        """The person keys of everyone waiting for a place, first in line first."""
        rows = await self.session.execute(
            select(User.platform, User.external_id)
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(SessionRegistration.position)
        )
        return [f"{platform}:{external_id}" for platform, external_id in rows]

    async def waitlist_place(self, registration: SessionRegistration) -> int:
        """1 for the first in line."""
        return (
            await self.session.scalar(
                select(func.count())
                .select_from(SessionRegistration)
                .where(
                    SessionRegistration.session_id == registration.session_id,
                    SessionRegistration.status == RegistrationStatus.WAITLISTED,
                    SessionRegistration.position <= registration.position,
                )
            )
            or 0
        )

    async def statuses_of(self, user_id: int, session_ids: Sequence[int]) -> dict[int, str]:
        """session id -> the person's registration status, for a list of sessions."""
        if not session_ids:
            return {}
        rows = await self.session.execute(
            select(SessionRegistration.session_id, SessionRegistration.status).where(
                SessionRegistration.user_id == user_id,
                SessionRegistration.session_id.in_(list(session_ids)),
            )
        )
        return {session_id: status for session_id, status in rows.all()}

    async def add(self, registration: SessionRegistration) -> SessionRegistration:
        self.session.add(registration)
        await self.session.flush()
        return registration

    async def bookings_of(self, user_id: int, now: datetime) -> list[MyBooking]:
        """A person's places and waitlist places for sessions still to come, soonest first."""
        rows = await self.session.execute(
            select(NetworkSession, SessionRegistration)
            .join(SessionRegistration, SessionRegistration.session_id == NetworkSession.id)
            .where(
                SessionRegistration.user_id == user_id,
                SessionRegistration.status.in_(
                    (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
                ),
                NetworkSession.starts_at >= now,
                NetworkSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id)
        )
        bookings = []
        for network_session, registration in rows.all():
            place = None
            if registration.status == RegistrationStatus.WAITLISTED:
                place = await self.waitlist_place(registration)
            bookings.append(MyBooking(network_session, registration, place))
        return bookings

    async def people(
        self, session_id: int, statuses: Sequence[str] = (RegistrationStatus.REGISTERED,)
    ) -> Sequence[tuple[User, SessionRegistration]]:
        """Who holds a place (or waits), in order of arrival."""
        rows = await self.session.execute(
            select(User, SessionRegistration)
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status.in_(list(statuses)),
            )
            .order_by(SessionRegistration.position)
        )
        return [(user, registration) for user, registration in rows.all()]

    async def registrants(self, session_id: int) -> list[str]:
        """Person keys of everyone registered (not waitlisted): for reminders and follow-ups."""
        return [user.key for user, _ in await self.people(session_id)]

    async def purge_expired_access_needs(self, now: datetime) -> int:
        """Delete access needs whose keeping time has passed; return how many were deleted."""
        result = await self.session.execute(
            update(SessionRegistration)
            .where(
                SessionRegistration.needs_delete_after.is_not(None),
                SessionRegistration.needs_delete_after <= now,
            )
            .values(access_needs=None, needs_delete_after=None)
        )
        return int(rowcount(result) or 0)

    async def invite(self, session_id: int, user_id: int, now: datetime) -> bool:
        """Invite someone. False when they were already invited."""
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(SessionInvitation)
            .values(session_id=session_id, user_id=user_id, invited_at=now)
            .on_conflict_do_nothing(index_elements=["session_id", "user_id"])
        )
        return bool(rowcount(result))

    async def is_invited(self, session_id: int, user_id: int) -> bool:
        found = await self.session.scalar(
            select(SessionInvitation.id).where(
                SessionInvitation.session_id == session_id, SessionInvitation.user_id == user_id
            )
        )
        return found is not None

    async def open_invitations(self, user_id: int, now: datetime) -> Sequence[NetworkSession]:
        """Sessions still to come that the person is invited to and has not registered for."""
        registered = select(SessionRegistration.session_id).where(
            SessionRegistration.user_id == user_id,
            SessionRegistration.status.in_(
                (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
            ),
        )
        return (
            await self.session.scalars(
                select(NetworkSession)
                .join(SessionInvitation, SessionInvitation.session_id == NetworkSession.id)
                .where(
                    SessionInvitation.user_id == user_id,
                    NetworkSession.starts_at >= now,
                    NetworkSession.status == SessionStatus.SCHEDULED,
                    NetworkSession.id.not_in(registered),
                )
                .order_by(NetworkSession.starts_at, NetworkSession.id)
            )
        ).all()

    async def attendees(self, session_id: int) -> Sequence[User]:
        return (
            await self.session.scalars(
                select(User)
                .join(SessionRegistration, SessionRegistration.user_id == User.id)
                .where(
                    SessionRegistration.session_id == session_id,
                    SessionRegistration.attended.is_(True),
                )
                .order_by(User.id)
            )
        ).all()

    async def add_feedback(self, feedback: SessionFeedback) -> None:
        self.session.add(feedback)
        await self.session.flush()

    async def place_counts(self, session_ids: Sequence[int]) -> dict[int, PlaceCounts]:
        if not session_ids:
            return {}
        attended = func.sum(case((SessionRegistration.attended.is_(True), 1), else_=0))
        rows = await self.session.execute(
            select(
                SessionRegistration.session_id,
                SessionRegistration.status,
                func.count(),
                attended,
            )
            .where(SessionRegistration.session_id.in_(list(session_ids)))
            .group_by(SessionRegistration.session_id, SessionRegistration.status)
        )
        found: dict[int, dict[str, int]] = {}
        for session_id, status, count, attended_count in rows.all():
            totals = found.setdefault(session_id, {"attended": 0})
            totals[status] = int(count)
            totals["attended"] += int(attended_count or 0)
        return {
            session_id: PlaceCounts(
                registered=totals.get(RegistrationStatus.REGISTERED, 0),
                waitlisted=totals.get(RegistrationStatus.WAITLISTED, 0),
                attended=totals["attended"],
            )
            for session_id, totals in found.items()
        }

    async def feedback_summaries(self, session_ids: Sequence[int]) -> dict[int, FeedbackSummary]:
        if not session_ids:
            return {}
        rows = await self.session.execute(
            select(SessionFeedback.session_id, func.count(), func.avg(SessionFeedback.rating))
            .where(SessionFeedback.session_id.in_(list(session_ids)))
            .group_by(SessionFeedback.session_id)
        )
        return {
            session_id: FeedbackSummary(int(count), float(average))
            for session_id, count, average in rows.all()
        }

    async def trained_count(
        self, network_id: int, kind: SessionKind = SessionKind.TRAINING
    ) -> int:
        """How many different people have attended a session of this kind in the network."""
        return (
            await self.session.scalar(
                select(func.count(func.distinct(SessionRegistration.user_id)))
                .join(NetworkSession, NetworkSession.id == SessionRegistration.session_id)
                .where(
                    NetworkSession.network_id == network_id,
                    NetworkSession.kind == kind,
                    SessionRegistration.attended.is_(True),
                )
            )
            or 0
        )

    async def first_trainings(
        self, network_id: int, kind: SessionKind = SessionKind.TRAINING
    ) -> list[datetime]:
        """When each person trained in the network was first trained: the start of the first
        session of this kind they attended (one per person, so they add up to
        `trained_count`)."""
        rows = await self.session.scalars(
            select(func.min(NetworkSession.starts_at))
            .select_from(SessionRegistration)
            .join(NetworkSession, NetworkSession.id == SessionRegistration.session_id)
            .where(
                NetworkSession.network_id == network_id,
                NetworkSession.kind == kind,
                SessionRegistration.attended.is_(True),
            )
            .group_by(SessionRegistration.user_id)
        )
        return list(rows.all())


async def purge_expired_access_needs(session: AsyncSession, now: datetime) -> int:
    """For the scheduler: delete access needs past their keeping time. Never commits."""
    return await RegistrationRepository(session).purge_expired_access_needs(now)
