"""Stored Teams conversation references."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    TeamsConversationReference,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount


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
        insert = insert_for(self.session)
        created = await self.session.execute(
            insert(TeamsConversationReference)
            .values(ref_key=ref_key, user_id=user_id, **values)
            .on_conflict_do_nothing(index_elements=["ref_key"])
        )
        if rowcount(created):
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
        return bool(rowcount(result))

    async def latest(self, tenant_id: str = "") -> TeamsConversationReference | None:
        """The most recently seen reference (in one tenant when given): a service URL to use."""
        query = select(TeamsConversationReference).order_by(
            TeamsConversationReference.updated_at.desc(), TeamsConversationReference.id.desc()
        )
        if tenant_id:
            query = query.where(TeamsConversationReference.tenant_id == tenant_id)
        return await self.session.scalar(query.limit(1))
