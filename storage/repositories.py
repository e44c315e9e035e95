"""Queries. Every repository takes a session and never commits: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEntry,
    InboundDelivery,
    Network,
    NetworkChannel,
    NetworkLead,
    NetworkSession,
    User,
)


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
        user = await self.get_by_key(platform, external_id)
        if user is None:
            user = User(
                platform=platform,
                external_id=external_id,
                display_name=display_name,
                created_at=now,
                last_seen_at=now,
            )
            self.session.add(user)
            await self.session.flush()
            return user
        user.last_seen_at = now
        if display_name and display_name != user.display_name:
            user.display_name = display_name
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
