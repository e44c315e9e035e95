"""Queries. Every repository takes a session and never commits: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
    AnonymousQuestion,
    AuditEntry,
    Base,
    BreakoutPick,
    BreakoutSettings,
    BreakoutTopic,
    CalendarPostSetting,
    Consent,
    InboundDelivery,
    KnowledgeRecord,
    Membership,
    Network,
    NetworkChannel,
    NetworkLead,
    NetworkSession,
    OutboxPost,
    PendingJoin,
    SessionFeedback,
    SessionInvitation,
    SessionRegistration,
    TeamsConversationReference,
    User,
)
from storage.types import to_the_day, to_the_hour

# When someone was last seen is kept to the hour: a finer record of when people use the
# bot serves nobody, and most requests then write nothing to their user row.
LAST_SEEN_PRECISION = timedelta(hours=1)


def _insert_for(session: AsyncSession):  # type: ignore[no-untyped-def]
    """The dialect's INSERT, which knows ON CONFLICT on both SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return postgres_insert if dialect == "postgresql" else sqlite_insert


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_key(self, platform: str, external_id: str) -> User | None:
        return await self.session.scalar(
            select(User).where(User.platform == platform, User.external_id == external_id)
        )

    async def touch(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> User:
        """The user for this identity, created on first sight; keeps the display name current."""
        user = await self._ensure(platform, external_id, display_name, now)
        if now - user.last_seen_at >= LAST_SEEN_PRECISION:
            user.last_seen_at = to_the_hour(now)
        if display_name and display_name != user.display_name:
            user.display_name = display_name
        return user

    async def for_key(self, person_key: str, now: datetime) -> User:
        """The user behind a `platform:id` key (someone invited or named by a lead), created
        if they have never talked to the bot."""
        platform, _, external_id = person_key.partition(":")
        return await self._ensure(platform, external_id, "", now)

    async def _ensure(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> User:
        # A person's first two requests can arrive together (a double click, a retried
        # event): the insert yields to whichever came first instead of failing.
        user = await self.get_by_key(platform, external_id)
        if user is not None:
            return user
        insert = _insert_for(self.session)
        await self.session.execute(
            insert(User)
            .values(
                platform=platform,
                external_id=external_id,
                display_name=display_name,
                # Coarse, so neither lines up with what the person did in that request
                # (an anonymous question asked in their very first one, say).
                created_at=to_the_day(now),
                last_seen_at=to_the_hour(now),
            )
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        )
        user = await self.get_by_key(platform, external_id)
        if user is None:
            raise LookupError("a user row vanished between its insert and its read")
        return user


class NetworkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self) -> Sequence[Network]:
        return (
            await self.session.scalars(
                select(Network).where(Network.archived_at.is_(None)).order_by(Network.name)
            )
        ).all()

    async def by_slug(self, slug: str) -> Network | None:
        return await self.session.scalar(select(Network).where(Network.slug == slug))

    async def every(self) -> Sequence[Network]:
        """Active and archived networks, so a command can say a network was archived."""
        return (await self.session.scalars(select(Network).order_by(Network.name))).all()

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(Network)) or 0

    async def add(self, network: Network) -> Network:
        self.session.add(network)
        await self.session.flush()
        return network

    async def leads(self, network_id: int) -> Sequence[str]:
        return (
            await self.session.scalars(
                select(NetworkLead.person_key)
                .where(NetworkLead.network_id == network_id)
                .order_by(NetworkLead.id)
            )
        ).all()

    async def led_by(self, person_key: str) -> Sequence[Network]:
        return (
            await self.session.scalars(
                select(Network)
                .join(NetworkLead, NetworkLead.network_id == Network.id)
                .where(NetworkLead.person_key == person_key)
                .order_by(Network.name)
            )
        ).all()

    async def add_lead(self, network_id: int, person_key: str, now: datetime) -> bool:
        """Make someone a lead. False when they already were one."""
        insert = _insert_for(self.session)
        result = await self.session.execute(
            insert(NetworkLead)
            .values(network_id=network_id, person_key=person_key, added_at=now)
            .on_conflict_do_nothing(index_elements=["network_id", "person_key"])
        )
        return bool(result.rowcount)

    async def remove_lead(self, network_id: int, person_key: str) -> bool:
        result = await self.session.execute(
            delete(NetworkLead).where(
                NetworkLead.network_id == network_id, NetworkLead.person_key == person_key
            )
        )
        return bool(result.rowcount)

    async def channels(self, network_id: int, platform: str) -> dict[str, str]:
        """purpose -> channel reference, for one network on one platform."""
        rows = await self.session.execute(
            select(NetworkChannel.purpose, NetworkChannel.channel_ref).where(
                NetworkChannel.network_id == network_id, NetworkChannel.platform == platform
            )
        )
        return {purpose: ref for purpose, ref in rows.all()}

    async def set_channel(self, network_id: int, platform: str, purpose: str, ref: str) -> None:
        existing = await self.session.scalar(
            select(NetworkChannel).where(
                NetworkChannel.network_id == network_id,
                NetworkChannel.platform == platform,
                NetworkChannel.purpose == purpose,
            )
        )
        if existing is None:
            self.session.add(
                NetworkChannel(
                    network_id=network_id, platform=platform, purpose=purpose, channel_ref=ref
                )
            )
        else:
            existing.channel_ref = ref


class SessionRepository:
    """Network sessions (webinars, trainings, socials), not database sessions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upcoming(
        self, now: datetime, network_id: int | None = None, limit: int = 20
    ) -> Sequence[NetworkSession]:
        query = (
            select(NetworkSession)
            .where(NetworkSession.starts_at >= now, NetworkSession.status == "scheduled")
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


class DeliveryRepository:
    """Remembers platform deliveries so a retried or redelivered one acts only once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, key: str, platform: str, now: datetime) -> bool:
        """Record `key`; True only for the first caller, whichever replica it runs in."""
        insert = _insert_for(self.session)
        result = await self.session.execute(
            insert(InboundDelivery)
            .values(key=key, platform=platform, received_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        return bool(result.rowcount)

    async def forget_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(
            delete(InboundDelivery).where(InboundDelivery.received_at < cutoff)
        )
        return int(result.rowcount or 0)


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        now: datetime,
        actor_key: str,
        action: str,
        network_id: int | None = None,
        subject: str = "",
    ) -> None:
        self.session.add(
            AuditEntry(
                at=now, actor_key=actor_key, action=action, network_id=network_id, subject=subject
            )
        )

    async def recent(self, limit: int = 50) -> Sequence[AuditEntry]:
        return (
            await self.session.scalars(
                select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
            )
        ).all()


class MembershipRepository:
    """Who is in which network and as what. Special-category data: callers keep replies private."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int, network_id: int) -> Membership | None:
        return await self.session.scalar(
            select(Membership).where(
                Membership.user_id == user_id, Membership.network_id == network_id
            )
        )

    async def add(self, user_id: int, network_id: int, role: str, now: datetime) -> bool:
        """Add a membership. False when the person was already in the network (nothing changes)."""
        insert = _insert_for(self.session)
        result = await self.session.execute(
            insert(Membership)
            .values(user_id=user_id, network_id=network_id, role=role, joined_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "network_id"])
        )
        return bool(result.rowcount)

    async def remove(self, user_id: int, network_id: int) -> bool:
        result = await self.session.execute(
            delete(Membership).where(
                Membership.user_id == user_id, Membership.network_id == network_id
            )
        )
        return bool(result.rowcount)

    async def remove_all(self, user_id: int) -> int:
        result = await self.session.execute(delete(Membership).where(Membership.user_id == user_id))
        return int(result.rowcount or 0)

    async def of_user(self, user_id: int) -> Sequence[tuple[Network, str]]:
        rows = await self.session.execute(
            select(Network, Membership.role)
            .join(Membership, Membership.network_id == Network.id)
            .where(Membership.user_id == user_id)
            .order_by(Network.name)
        )
        return [(network, role) for network, role in rows.all()]

    async def counts(self, network_id: int) -> dict[str, int]:
        """role -> how many people hold it in one network."""
        rows = await self.session.execute(
            select(Membership.role, func.count())
            .where(Membership.network_id == network_id)
            .group_by(Membership.role)
        )
        return {role: int(count) for role, count in rows.all()}

    async def roster(self, network_id: int) -> Sequence[tuple[User, Membership]]:
        rows = await self.session.execute(
            select(User, Membership)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network_id)
            .order_by(Membership.role, User.display_name, User.id)
        )
        return [(user, membership) for user, membership in rows.all()]


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> Consent | None:
        return await self.session.scalar(select(Consent).where(Consent.user_id == user_id))

    async def active(self, user_id: int) -> bool:
        consent = await self.of_user(user_id)
        return consent is not None and consent.withdrawn_at is None

    async def agree(self, user_id: int, text_version: str, now: datetime) -> None:
        consent = await self.of_user(user_id)
        if consent is None:
            self.session.add(Consent(user_id=user_id, text_version=text_version, agreed_at=now))
        else:
            consent.text_version = text_version
            consent.agreed_at = now
            consent.withdrawn_at = None
        await self.session.flush()

    async def withdraw(self, user_id: int, now: datetime) -> bool:
        """Mark the agreement withdrawn. False when there was no active agreement."""
        consent = await self.of_user(user_id)
        if consent is None or consent.withdrawn_at is not None:
            return False
        consent.withdrawn_at = now
        return True


class PendingJoinRepository:
    """The one join a person started before agreeing; a newer one replaces it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> PendingJoin | None:
        return await self.session.scalar(select(PendingJoin).where(PendingJoin.user_id == user_id))

    async def put(self, user_id: int, network_id: int, role: str, now: datetime) -> None:
        pending = await self.of_user(user_id)
        if pending is None:
            self.session.add(
                PendingJoin(user_id=user_id, network_id=network_id, role=role, created_at=now)
            )
        else:
            pending.network_id = network_id
            pending.role = role
            pending.created_at = now
        await self.session.flush()

    async def clear(self, user_id: int) -> None:
        await self.session.execute(delete(PendingJoin).where(PendingJoin.user_id == user_id))

    async def pending_of(self, user_id: int) -> tuple[Network, str] | None:
        """The network and role of the join waiting for this person's agreement, if any."""
        row = (
            await self.session.execute(
                select(Network, PendingJoin.role)
                .join(PendingJoin, PendingJoin.network_id == Network.id)
                .where(PendingJoin.user_id == user_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])


def person_tables() -> list[tuple[Table, Column[int]]]:
    """Every (table, column) that points at users.id: what a person's data is made of.

    Found from the models rather than listed, so tables other features add later are
    exported by `my data` and counted by `forget me` without anyone remembering to.
    """
    found: list[tuple[Table, Column[int]]] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(key.column.table.name == User.__tablename__ for key in column.foreign_keys):
                found.append((table, column))
    return found


ERASED = "(erased)"


# In `my data` and `forget me`: sessions that name the person as a facilitator.
FACILITATED = "sessions_facilitated"


class PersonDataRepository:
    """Everything held about one person, to show it to them or to erase it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, user: User) -> dict[str, list[dict[str, object]]]:
        """table -> the person's rows (column -> value), for every table that refers to them."""
        data: dict[str, list[dict[str, object]]] = {
            User.__tablename__: [_row_dict(user.__table__, user)]  # type: ignore[arg-type]
        }
        for table, condition in _rows_about(user):
            rows = (await self.session.execute(select(table).where(condition))).all()
            if rows:
                data.setdefault(table.name, []).extend(dict(row._mapping) for row in rows)
        facilitated = await self._facilitated(user.key)
        if facilitated:
            # The session, not its whole row: that names the other facilitators too.
            data[FACILITATED] = [
                {"session_id": item.id, "title": item.title, "starts_at": item.starts_at}
                for item in facilitated
            ]
        return data

    async def counts(self, user: User) -> dict[str, int]:
        """table -> how many rows about the person it holds (tables holding none are left out)."""
        counts: dict[str, int] = {}
        for table, condition in _rows_about(user):
            count = await self.session.scalar(
                select(func.count()).select_from(table).where(condition)
            )
            if count:
                counts[table.name] = counts.get(table.name, 0) + int(count)
        facilitated = await self._facilitated(user.key)
        if facilitated:
            counts[FACILITATED] = len(facilitated)
        return counts

    async def _facilitated(self, key: str) -> Sequence[NetworkSession]:
        """Sessions naming the person among their facilitators (a comma-separated list)."""
        listed = literal(",") + func.replace(NetworkSession.facilitators, " ", "") + literal(",")
        return (
            await self.session.scalars(
                select(NetworkSession)
                .where(listed.contains(f",{key},", autoescape=True))
                .order_by(NetworkSession.id)
            )
        ).all()

    async def erase(self, user: User, now: datetime) -> dict[str, int]:
        """Remove the person and everything that refers to them; return what was removed.

        Rows pointing at users.id go with the user (ON DELETE CASCADE); rows that hold the
        person by key (lead roles, scheduled private messages) are deleted here; audit
        entries keep the action and lose the name. One new audit entry records that an
        erasure happened, and nothing more.
        """
        removed = await self.counts(user)
        key = user.key
        for table, condition in _rows_held_by_key(user):
            await self.session.execute(delete(table).where(condition))
        for item in await self._facilitated(key):
            item.facilitators = ",".join(
                kept
                for kept in (part.strip() for part in item.facilitators.split(","))
                if kept and kept != key
            )
        await self.session.execute(
            update(AuditEntry).where(AuditEntry.actor_key == key).values(actor_key=ERASED)
        )
        await self.session.execute(
            update(AuditEntry).where(AuditEntry.subject == key).values(subject=ERASED)
        )
        await self.session.delete(user)
        await self.session.flush()
        self.session.add(AuditEntry(at=now, actor_key=ERASED, action="person_erased", subject=""))
        return removed


def _rows_held_by_key(user: User) -> list[tuple[Table, ColumnElement[bool]]]:
    """Tables that hold a person by their `platform:id` key rather than by users.id."""
    key = user.key
    return [
        (NetworkLead.__table__, NetworkLead.person_key == key),  # type: ignore[list-item]
        (
            OutboxPost.__table__,  # type: ignore[list-item]
            and_(OutboxPost.target_kind == "person", OutboxPost.target_ref == key),
        ),
        # What they wrote as a lead carries their words: it goes with them.
        (Announcement.__table__, Announcement.created_by == key),  # type: ignore[list-item]
        (KnowledgeRecord.__table__, KnowledgeRecord.updated_by == key),  # type: ignore[list-item]
    ]


def _rows_about(user: User) -> list[tuple[Table, ColumnElement[bool]]]:
    by_id = [(table, column == user.id) for table, column in person_tables()]
    return [*by_id, *_rows_held_by_key(user)]


def _row_dict(table: Table, row: object) -> dict[str, object]:
    return {column.name: getattr(row, column.key) for column in table.columns}


class QuestionRepository:
    """Anonymous questions to leads. The asker link is the sensitive part: see `purge_links`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_draft(
        self, network_id: int, asker_user_id: int, text: str, now: datetime
    ) -> AnonymousQuestion:
        question = AnonymousQuestion(
            network_id=network_id,
            asker_user_id=asker_user_id,
            text=text,
            status="draft",
            created_at=now,
            answer="",
            published_entry="",
        )
        self.session.add(question)
        await self.session.flush()
        return question

    async def get(self, question_id: int) -> AnonymousQuestion | None:
        return await self.session.get(AnonymousQuestion, question_id)

    async def open_for(self, network_ids: Sequence[int]) -> Sequence[AnonymousQuestion]:
        """Sent and not yet answered, oldest first."""
        return (
            await self.session.scalars(
                select(AnonymousQuestion)
                .where(
                    AnonymousQuestion.network_id.in_(list(network_ids)),
                    AnonymousQuestion.status == "sent",
                )
                .order_by(AnonymousQuestion.created_at, AnonymousQuestion.id)
            )
        ).all()

    async def purge_links(self, sent_before: datetime, drafted_before: datetime) -> int:
        """Forget who asked what once it is old enough; return how many questions changed.

        Sent questions keep their text (leads may still answer it into the knowledge
        base) but lose the asker; drafts that were never sent are deleted outright.
        """
        stale = (
            await self.session.scalars(
                select(AnonymousQuestion).where(
                    AnonymousQuestion.asker_user_id.is_not(None),
                    AnonymousQuestion.status == "sent",
                    AnonymousQuestion.created_at < sent_before,
                )
            )
        ).all()
        for question in stale:
            question.asker_user_id = None
            question.status = "expired"
        drafts = await self.session.execute(
            delete(AnonymousQuestion).where(
                AnonymousQuestion.status == "draft", AnonymousQuestion.created_at < drafted_before
            )
        )
        return len(stale) + int(drafts.rowcount or 0)


class KnowledgeRepository:
    """Knowledge-base entries leads added or changed in chat (shipped ones live in content)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def every(self) -> Sequence[KnowledgeRecord]:
        return (
            await self.session.scalars(select(KnowledgeRecord).order_by(KnowledgeRecord.id))
        ).all()

    async def by_slug(self, slug: str) -> KnowledgeRecord | None:
        return await self.session.scalar(
            select(KnowledgeRecord).where(KnowledgeRecord.slug == slug)
        )

    async def version(self) -> tuple[int, int]:
        """Changes whenever any entry is added or changed: (rows, sum of revisions)."""
        row = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(KnowledgeRecord.revision), 0))
            )
        ).one()
        return int(row[0]), int(row[1])

    async def add(self, record: KnowledgeRecord) -> KnowledgeRecord:
        self.session.add(record)
        await self.session.flush()
        return record


REGISTERED = "registered"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
# Sessions are refused beyond this length, so "ended between" can look back this far.
LONGEST_SESSION = timedelta(hours=12)


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
                SessionRegistration.status == REGISTERED,
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
                SessionRegistration.status == WAITLISTED,
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
                SessionRegistration.status == WAITLISTED,
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
                    SessionRegistration.status == WAITLISTED,
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
                SessionRegistration.status.in_((REGISTERED, WAITLISTED)),
                NetworkSession.starts_at >= now,
                NetworkSession.status == "scheduled",
            )
            .order_by(NetworkSession.starts_at, NetworkSession.id)
        )
        bookings = []
        for network_session, registration in rows.all():
            place = None
            if registration.status == WAITLISTED:
                place = await self.waitlist_place(registration)
            bookings.append(MyBooking(network_session, registration, place))
        return bookings

    async def people(
        self, session_id: int, statuses: Sequence[str] = (REGISTERED,)
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
                    NetworkSession.status == "scheduled",
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
        return int(result.rowcount or 0)

    async def invite(self, session_id: int, user_id: int, now: datetime) -> bool:
        """Invite someone. False when they were already invited."""
        insert = _insert_for(self.session)
        result = await self.session.execute(
            insert(SessionInvitation)
            .values(session_id=session_id, user_id=user_id, invited_at=now)
            .on_conflict_do_nothing(index_elements=["session_id", "user_id"])
        )
        return bool(result.rowcount)

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
            SessionRegistration.status.in_((REGISTERED, WAITLISTED)),
        )
        return (
            await self.session.scalars(
                select(NetworkSession)
                .join(SessionInvitation, SessionInvitation.session_id == NetworkSession.id)
                .where(
                    SessionInvitation.user_id == user_id,
                    NetworkSession.starts_at >= now,
                    NetworkSession.status == "scheduled",
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
                registered=totals.get(REGISTERED, 0),
                waitlisted=totals.get(WAITLISTED, 0),
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

    async def trained_count(self, network_id: int, kind: str = "training") -> int:
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


async def purge_expired_access_needs(session: AsyncSession, now: datetime) -> int:
    """For the scheduler: delete access needs past their keeping time. Never commits."""
    return await RegistrationRepository(session).purge_expired_access_needs(now)


class TeamsReferenceRepository:
    """Stored Teams conversation references (JSON), by person key or conversation id."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ref_key: str) -> TeamsConversationReference | None:
        return await self.session.scalar(
            select(TeamsConversationReference).where(TeamsConversationReference.ref_key == ref_key)
        )

    async def put(
        self,
        ref_key: str,
        scope: str,
        reference: str,
        *,
        service_url: str,
        tenant_id: str,
        now: datetime,
        user_id: int | None = None,
    ) -> bool:
        """Store or refresh one reference (service URLs change, so the newest one wins).

        Returns True when the key was new. Teams sends installationUpdate and
        conversationUpdate together on install, so the insert must not race into an error.
        """
        values = {
            "scope": scope,
            "reference": reference,
            "service_url": service_url,
            "tenant_id": tenant_id,
            "updated_at": now,
        }
        insert = _insert_for(self.session)
        created = await self.session.execute(
            insert(TeamsConversationReference)
            .values(ref_key=ref_key, user_id=user_id, **values)
            .on_conflict_do_nothing(index_elements=["ref_key"])
        )
        if created.rowcount:
            return True
        if user_id is not None:
            values["user_id"] = user_id
        await self.session.execute(
            update(TeamsConversationReference)
            .where(TeamsConversationReference.ref_key == ref_key)
            .values(**values)
        )
        return False

    async def forget(self, ref_key: str) -> bool:
        result = await self.session.execute(
            delete(TeamsConversationReference).where(TeamsConversationReference.ref_key == ref_key)
        )
        return bool(result.rowcount)

    async def latest(self, tenant_id: str = "") -> TeamsConversationReference | None:
        """The most recently seen reference (in one tenant when given): a service URL to use."""
        query = select(TeamsConversationReference).order_by(
            TeamsConversationReference.updated_at.desc(), TeamsConversationReference.id.desc()
        )
        if tenant_id:
            query = query.where(TeamsConversationReference.tenant_id == tenant_id)
        return await self.session.scalar(query.limit(1))


# ---------------------------------------------------------------------------
# Scheduler: the outbox, announcements and awareness-calendar settings
# ---------------------------------------------------------------------------

OUTBOX_PENDING = "pending"
OUTBOX_SENDING = "sending"
OUTBOX_SENT = "sent"
OUTBOX_FAILED = "failed"
OUTBOX_SKIPPED = "skipped"
# SQLite allows a limited number of bound values per statement; plan in chunks.
_PLAN_CHUNK = 200


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """A post a producer wants in the outbox; `message` is already encoded."""

    schedule_key: str
    occurrence_at: datetime
    due_at: datetime
    network_id: int | None
    platform: str
    target_kind: str
    target_ref: str
    message: str

    @property
    def identity(self) -> tuple[str, datetime]:
        return (self.schedule_key, self.occurrence_at)


class OutboxRepository:
    """Planned posts in, due posts claimed exactly once, outcomes recorded."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def plan(self, posts: Sequence[PlannedPost], now: datetime) -> None:
        """Insert each post once; a post not yet tried takes the latest plan (time, text).

        Planning the same occurrence twice is harmless: the (schedule, occurrence) key
        is unique and a post already claimed or sent is never changed here.
        """
        insert = _insert_for(self.session)
        for start in range(0, len(posts), _PLAN_CHUNK):
            chunk = posts[start : start + _PLAN_CHUNK]
            statement = insert(OutboxPost).values(
                [
                    {
                        "schedule_key": post.schedule_key,
                        "occurrence_at": post.occurrence_at,
                        "due_at": post.due_at,
                        "network_id": post.network_id,
                        "platform": post.platform,
                        "target_kind": post.target_kind,
                        "target_ref": post.target_ref,
                        "message": post.message,
                        "status": OUTBOX_PENDING,
                        "late": False,
                        "attempts": 0,
                        "next_attempt_at": post.due_at,
                        "claimed_by": "",
                        "platform_message_id": "",
                        "last_error": "",
                        "created_at": now,
                    }
                    for post in chunk
                ]
            )
            fresh = statement.excluded
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["schedule_key", "occurrence_at"],
                    set_={
                        "due_at": fresh.due_at,
                        "next_attempt_at": fresh.next_attempt_at,
                        "network_id": fresh.network_id,
                        "platform": fresh.platform,
                        "target_kind": fresh.target_kind,
                        "target_ref": fresh.target_ref,
                        "message": fresh.message,
                    },
                    where=(OutboxPost.status == OUTBOX_PENDING) & (OutboxPost.attempts == 0),
                )
            )

    async def unplan(
        self, key_prefix: str, keep: set[tuple[str, datetime]], due_from: datetime
    ) -> int:
        """Delete untried posts under `key_prefix`, due from `due_from`, that are no longer planned.

        A cancelled or re-timed schedule must not leave its old posts to go out.
        """
        rows = await self.session.execute(
            select(OutboxPost.id, OutboxPost.schedule_key, OutboxPost.occurrence_at).where(
                OutboxPost.schedule_key.startswith(key_prefix, autoescape=True),
                OutboxPost.status == OUTBOX_PENDING,
                OutboxPost.attempts == 0,
                OutboxPost.due_at >= due_from,
            )
        )
        stale = [row.id for row in rows if (row.schedule_key, row.occurrence_at) not in keep]
        if stale:
            await self.session.execute(delete(OutboxPost).where(OutboxPost.id.in_(stale)))
        return len(stale)

    async def claim_due(
        self, now: datetime, claimed_by: str, limit: int, stale_before: datetime
    ) -> Sequence[OutboxPost]:
        """Claim up to `limit` due posts for `claimed_by`; no other claimer can get them.

        A post claimed before `stale_before` and never finished belonged to a process
        that stopped mid-send: it is due again.
        """
        due = ((OutboxPost.status == OUTBOX_PENDING) & (OutboxPost.next_attempt_at <= now)) | (
            (OutboxPost.status == OUTBOX_SENDING) & (OutboxPost.claimed_at < stale_before)
        )
        candidates = (
            select(OutboxPost.id)
            .where(due)
            .order_by(OutboxPost.next_attempt_at, OutboxPost.id)
            .limit(limit)
        )
        claim = {
            "status": OUTBOX_SENDING,
            "claimed_by": claimed_by,
            "claimed_at": now,
            "attempts": OutboxPost.attempts + 1,
        }
        if self._postgres:
            # Rows another replica has locked are skipped, not waited for.
            ids = list(await self.session.scalars(candidates.with_for_update(skip_locked=True)))
            if ids:
                await self.session.execute(
                    update(OutboxPost).where(OutboxPost.id.in_(ids)).values(**claim)
                )
        else:
            # SQLite has no row locks: a conditional update claims, its row count says who won.
            ids = []
            for post_id in await self.session.scalars(candidates):
                result = await self.session.execute(
                    update(OutboxPost).where(OutboxPost.id == post_id, due).values(**claim)
                )
                if result.rowcount:
                    ids.append(post_id)
        if not ids:
            return []
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.id.in_(ids))
                .order_by(OutboxPost.next_attempt_at, OutboxPost.id)
                .execution_options(populate_existing=True)
            )
        ).all()

    async def finish(self, post_id: int, claimed_by: str, **values: object) -> bool:
        """Record an outcome for a post this claimer still holds. False when it lost the claim."""
        result = await self.session.execute(
            update(OutboxPost)
            .where(
                OutboxPost.id == post_id,
                OutboxPost.status == OUTBOX_SENDING,
                OutboxPost.claimed_by == claimed_by,
            )
            .values(**values)
        )
        return bool(result.rowcount)

    async def get(self, post_id: int) -> OutboxPost | None:
        return await self.session.get(OutboxPost, post_id)

    async def of_network(
        self, network_id: int, since: datetime, limit: int = 200
    ) -> Sequence[OutboxPost]:
        """A network's posts due from `since` on, soonest first."""
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.network_id == network_id, OutboxPost.due_at >= since)
                .order_by(OutboxPost.due_at, OutboxPost.id)
                .limit(limit)
            )
        ).all()

    async def with_prefix(self, key_prefix: str) -> Sequence[OutboxPost]:
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.schedule_key.startswith(key_prefix, autoescape=True))
                .order_by(OutboxPost.due_at, OutboxPost.id)
            )
        ).all()

    async def channels_for(self, network_id: int, purpose: str) -> dict[str, str]:
        """platform -> channel ref of one purpose (say `announcements`) for one network."""
        rows = await self.session.execute(
            select(NetworkChannel.platform, NetworkChannel.channel_ref)
            .where(NetworkChannel.network_id == network_id, NetworkChannel.purpose == purpose)
            .order_by(NetworkChannel.platform)
        )
        return {platform: ref for platform, ref in rows.all() if ref}


class AnnouncementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, announcement: Announcement) -> Announcement:
        self.session.add(announcement)
        await self.session.flush()
        return announcement

    async def get(self, announcement_id: int) -> Announcement | None:
        return await self.session.get(Announcement, announcement_id)

    async def of_network(self, network_id: int) -> Sequence[Announcement]:
        return (
            await self.session.scalars(
                select(Announcement)
                .where(Announcement.network_id == network_id, Announcement.status == "active")
                .order_by(Announcement.id)
            )
        ).all()

    async def active(self) -> Sequence[Announcement]:
        return (
            await self.session.scalars(
                select(Announcement)
                .where(Announcement.status == "active")
                .order_by(Announcement.id)
            )
        ).all()


class CalendarPostSettingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_network(self, network_id: int) -> dict[str, CalendarPostSetting]:
        rows = await self.session.scalars(
            select(CalendarPostSetting).where(CalendarPostSetting.network_id == network_id)
        )
        return {row.date_id: row for row in rows}

    async def get_or_new(
        self, network_id: int, date_id: str, person_key: str, now: datetime
    ) -> CalendarPostSetting:
        """The network's setting for one date, created with the defaults when there is none."""
        existing = await self.session.scalar(
            select(CalendarPostSetting).where(
                CalendarPostSetting.network_id == network_id,
                CalendarPostSetting.date_id == date_id,
            )
        )
        if existing is not None:
            existing.updated_by = person_key
            existing.updated_at = now
            return existing
        setting = CalendarPostSetting(
            network_id=network_id,
            date_id=date_id,
            enabled=True,
            lead_days="7,0",
            at_time="09:00",
            message="",
            updated_by=person_key,
            updated_at=now,
        )
        self.session.add(setting)
        await self.session.flush()
        return setting


# ---------------------------------------------------------------------------
# Breakout topics, hosts, note-takers and picks
# ---------------------------------------------------------------------------

TOPIC_PROPOSED = "proposed"
TOPIC_APPROVED = "approved"
TOPIC_DECLINED = "declined"
TOPIC_WITHDRAWN = "withdrawn"


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
        self, session_id: int, statuses: Sequence[str] = (TOPIC_APPROVED,)
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
                NetworkSession.status == "scheduled",
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
                BreakoutTopic.status.in_((TOPIC_PROPOSED, TOPIC_APPROVED)),
                NetworkSession.starts_at >= now,
                NetworkSession.status == "scheduled",
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
            BreakoutTopic.status == TOPIC_APPROVED,
        )
        hosts = {key for row in (await self.session.execute(hosting)).all() for key in row if key}
        rows = await self.session.scalars(
            select(User)
            .join(SessionRegistration, SessionRegistration.user_id == User.id)
            .where(
                SessionRegistration.session_id == session_id,
                SessionRegistration.status == REGISTERED,
                SessionRegistration.user_id.not_in(picked),
            )
            .order_by(SessionRegistration.position)
        )
        return [user for user in rows.all() if user.id not in hosts]
