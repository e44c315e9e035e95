"""Create-session drafts waiting for their Create button (see `SessionDraft`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SessionDraft
from storage.rowcount import rowcount


class SessionDraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, draft: SessionDraft) -> SessionDraft:
        self.session.add(draft)
        await self.session.flush()
        return draft

    async def get(self, draft_id: int) -> SessionDraft | None:
        return await self.session.get(SessionDraft, draft_id)

    async def remove(self, draft: SessionDraft) -> None:
        await self.session.delete(draft)
        await self.session.flush()

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Drafts nobody confirmed in time; how many went."""
        result = await self.session.execute(
            delete(SessionDraft).where(SessionDraft.created_at < cutoff)
        )
        return rowcount(result)
