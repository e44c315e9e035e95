"""The audit trail of what leads and admins did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEntry,
)


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
