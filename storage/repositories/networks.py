"""Networks, their leads and their channels."""

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
    Network,
    NetworkChannel,
    NetworkLead,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount


class NetworkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self) -> Sequence[Network]:
        return (
            await self.session.scalars(
                select(Network).where(Network.archived_at.is_(None)).order_by(Network.name)
            )
        ).all()

    async def active_with_leads(self) -> Sequence[Network]:
        """Active networks someone can ask: each with at least one lead to receive it."""
        has_lead = select(NetworkLead.id).where(NetworkLead.network_id == Network.id).exists()
        return (
            await self.session.scalars(
                select(Network)
                .where(Network.archived_at.is_(None), has_lead)
                .order_by(Network.name)
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
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(NetworkLead)
            .values(network_id=network_id, person_key=person_key, added_at=now)
            .on_conflict_do_nothing(index_elements=["network_id", "person_key"])
        )
        return bool(rowcount(result))

    async def remove_lead(self, network_id: int, person_key: str) -> bool:
        result = await self.session.execute(
            delete(NetworkLead).where(
                NetworkLead.network_id == network_id, NetworkLead.person_key == person_key
            )
        )
        return bool(rowcount(result))

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
