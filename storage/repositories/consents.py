"""A person's agreement to their data being kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Consent,
)


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
