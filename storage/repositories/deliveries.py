"""Inbound deliveries remembered, so a redelivered one acts only once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    delete,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    InboundDelivery,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount


class DeliveryRepository:
    """Remembers platform deliveries so a retried or redelivered one acts only once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, key: str, platform: str, now: datetime) -> bool:
        """Record `key`; True only for the first caller, whichever replica it runs in."""
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(InboundDelivery)
            .values(key=key, platform=platform, received_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        return bool(rowcount(result))

    async def forget_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(
            delete(InboundDelivery).where(InboundDelivery.received_at < cutoff)
        )
        return int(rowcount(result) or 0)
