"""Breakout topics, hosts, note-takers and picks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    BreakoutPick,
    BreakoutSettings,
    BreakoutTopic,
    NetworkSession,
    SessionRegistration,
    User,
)
from storage.statuses import RegistrationStatus, SessionStatus, TopicStatus


@dataclass(frozen=True, slots=True)
class MyPick:
    session: NetworkSession
    topic: BreakoutTopic
    placed: bool


class BreakoutRepository:
    """Breakout settings, topics and picks. Who picked what is sensitive: keep it private."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sessions_involving(self, user_id: int) -> list[int]:
        """Sessions whose breakouts mention this person: picker, proposer, host or notes."""
        picked = select(BreakoutPick.session_id).where(BreakoutPick.user_id == user_id)
        volunteered = select(BreakoutTopic.session_id).where(
            or_(
                BreakoutTopic.proposer_user_id == user_id,
                BreakoutTopic.host_user_id == user_id,
                BreakoutTopic.cohost_user_id == user_id,
                BreakoutTopic.notes_user_id == user_id,
            )
        )
        found = await self.session.scalars(union(picked, volunteered))
        return sorted(set(found.all()))

    async def settings_of(self, session_id: int) -> BreakoutSettings | None:
        return await self.session.scalar(
            select(BreakoutSettings).where(BreakoutSettings.session_id == session_id)
        )

    async def lock_settings(self, session_id: int) -> BreakoutSettings | None:
        """The settings row, locked until the transaction ends (PostgreSQL; SQLite has one writer).

        Every pick and placement in a session takes this lock before counting places, so
        concurrent picks queue here and a room never fills beyond its size.
        """
        return await self.session.scalar(
            select(BreakoutSettings)
            .where(BreakoutSettings.session_id == session_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def add(self, row: BreakoutSettings | BreakoutTopic | BreakoutPick) -> None:
        self.session.add(row)
        await self.session.flush()

    async def topic(self, topic_id: int) -> BreakoutTopic | None:
        return await self.session.get(BreakoutTopic, topic_id)

    async def topics(
        self, session_id: int, statuses: Sequence[str] = (TopicStatus.APPROVED,)
    ) -> Sequence[BreakoutTopic]:
        """A session's topics in the given states, by round and then in the order proposed."""
        return (
            await self.session.scalars(
                select(BreakoutTopic)
                .where(
                    BreakoutTopic.session_id == session_id,
                    BreakoutTopic.status.in_(list(statuses)),
                )
                .order_by(BreakoutTopic.round, BreakoutTopic.id)
            )
        ).all()

    async def pick_of(
        self, session_id: int, round_number: int, user_id: int
    ) -> BreakoutPick | None:
        return await self.session.scalar(
            select(BreakoutPick).where(
                BreakoutPick.session_id == session_id,
                BreakoutPick.round == round_number,
                BreakoutPick.user_id == user_id,
            )
        )

    async def pick_counts(self, session_id: int) -> dict[int, int]:
        """topic id -> how many people are in that room (hosts not counted)."""
        rows = await self.session.execute(
            select(BreakoutPick.topic_id, func.count())
            .where(BreakoutPick.session_id == session_id)
            .group_by(BreakoutPick.topic_id)
        )
        return {topic_id: int(count) for topic_id, count in rows.all()}

    async def remove_picks(self, topic_id: int) -> list[User]:
        """Empty a room (its topic was withdrawn or declined); returns who was in it."""
        people = await self.room(topic_id)
        await self.session.execute(delete(BreakoutPick).where(BreakoutPick.topic_id == topic_id))
        return [user for user, _ in people]

    async def room(self, topic_id: int) -> list[tuple[User, BreakoutPick]]:
        """Who is in one room, in the order they picked it."""
        rows = await self.session.execute(
            select(User, BreakoutPick)
            .join(BreakoutPick, BreakoutPick.user_id == User.id)
            .where(BreakoutPick.topic_id == topic_id)
            .order_by(BreakoutPick.picked_at, BreakoutPick.id)
        )
        return [(user, pick) for user, pick in rows.all()]

    async def picks_of(self, user_id: int, now: datetime) -> list[MyPick]:
        """A person's rooms in sessions still to come, soonest first."""
        rows = await self.session.execute(
            select(NetworkSession, BreakoutTopic, BreakoutPick.placed)
            .join(BreakoutTopic, BreakoutTopic.session_id == NetworkSession.id)
            .join(BreakoutPick, BreakoutPick.topic_id == BreakoutTopic.id)
            .where(
                BreakoutPick.user_id == user_id,
                NetworkSession.starts_at >= now,
                NetworkSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id, BreakoutTopic.round)
        )
        return [MyPick(item, topic, placed) for item, topic, placed in rows.all()]

    async def volunteered_by(
        self, user_id: int, now: datetime
    ) -> list[tuple[NetworkSession, BreakoutTopic]]:
        """Topics a person proposed, hosts, co-hosts or takes notes for, in sessions to come."""
        mine = (
            (BreakoutTopic.proposer_user_id == user_id)
            | (BreakoutTopic.host_user_id == user_id)
            | (BreakoutTopic.cohost_user_id == user_id)
            | (BreakoutTopic.notes_user_id == user_id)
        )
        rows = await self.session.execute(
            select(NetworkSession, BreakoutTopic)
            .join(BreakoutTopic, BreakoutTopic.session_id == NetworkSession.id)
            .where(
                mine,
                BreakoutTopic.status.in_((TopicStatus.PROPOSED, TopicStatus.APPROVED)),
                NetworkSession.starts_at >= now,
                NetworkSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id, BreakoutTopic.id)
        )
        return [(item, topic) for item, topic in rows.all()]

    async def unassigned(self, session_id: int, round_number: int) -> list[User]:
        """Registered attendees with no room in one round who are not hosting in it, by arrival."""
        picked = select(BreakoutPick.user_id).where(
            BreakoutPick.session_id == session_id, BreakoutPick.round == round_number
        )
        hosting = select(BreakoutTopic.host_user_id, BreakoutTopic.cohost_user_id).where(
            BreakoutTopic.session_id == session_id,
            BreakoutTopic.round == round_number,
            BreakoutTopic.status == TopicStatus.APPROVED,
        )
        hosts = {key for row in (await self.session.execute(hosting)).all() for key in row if key}
        rows = await self.session.scalars(
            select(User)
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status == RegistrationStatus.REGISTERED,
                SessionRegistration.user_id.not_in(picked),
            )
            .order_by(SessionRegistration.position)
        )
        return [user for user in rows.all() if user.id not in hosts]
