"""Memberships of networks, and the one join waiting for a person's agreement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Membership,
    Network,
    PendingJoin,
    User,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount


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
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(Membership)
            .values(user_id=user_id, network_id=network_id, role=role, joined_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "network_id"])
        )
        return bool(rowcount(result))

    async def remove(self, user_id: int, network_id: int) -> bool:
        result = await self.session.execute(
            delete(Membership).where(
                Membership.user_id == user_id, Membership.network_id == network_id
            )
        )
        return bool(rowcount(result))

    async def remove_all(self, user_id: int) -> int:
        result = await self.session.execute(delete(Membership).where(Membership.user_id == user_id))
        return int(rowcount(result) or 0)

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
