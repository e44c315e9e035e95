"""Scheduled announcements of a network."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Announcement,
)
from storage.statuses import AnnouncementStatus


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
                .where(
                    Announcement.network_id == network_id,
                    Announcement.status == AnnouncementStatus.ACTIVE,
                )
                .order_by(Announcement.id)
            )
        ).all()

    async def active(self) -> Sequence[Announcement]:
        return (
            await self.session.scalars(
                select(Announcement)
                .where(Announcement.status == AnnouncementStatus.ACTIVE)
                .order_by(Announcement.id)
            )
        ).all()
