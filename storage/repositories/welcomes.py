"""Whom the bot has greeted once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Welcome
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount
from storage.types import to_the_day


class WelcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, user_id: int, now: datetime) -> bool:
        """Record that the person was greeted; True only the first time, whichever replica
        asks (two tabs opened at once greet once)."""
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(Welcome)
            .values(user_id=user_id, welcomed_on=to_the_day(now))
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        return bool(rowcount(result))
