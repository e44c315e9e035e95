"""Knowledge-base entries leads added or changed in chat."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    KnowledgeRecord,
)


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
