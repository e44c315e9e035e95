"""Per-network settings for awareness-calendar posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    CalendarPostSetting,
)


class CalendarPostSettingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_network(self, network_id: int) -> dict[str, CalendarPostSetting]:
        rows = await self.session.scalars(
            select(CalendarPostSetting).where(CalendarPostSetting.network_id == network_id)
        )
        return {row.date_id: row for row in rows}

    async def get_or_new(
        self, network_id: int, date_id: str, person_key: str, now: datetime
    ) -> CalendarPostSetting:
        """The network's setting for one date, created with the defaults when there is none."""
        existing = await self.session.scalar(
            select(CalendarPostSetting).where(
                CalendarPostSetting.network_id == network_id,
                CalendarPostSetting.date_id == date_id,
            )
        )
        if existing is not None:
            existing.updated_by = person_key
            existing.updated_at = now
            return existing
        setting = CalendarPostSetting(
            network_id=network_id,
            date_id=date_id,
            enabled=True,
            lead_days="7,0",
            at_time="09:00",
            message="",
            updated_by=person_key,
            updated_at=now,
        )
        self.session.add(setting)
        await self.session.flush()
        return setting
