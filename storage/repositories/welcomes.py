"""Whom the bot has greeted once: by keyed pseudonym (`Greeting`); `Welcome` rows, by user,
are what earlier versions wrote, still read so nobody is greeted twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Greeting, Welcome
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount
from storage.types import to_the_day


class WelcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def first_time(self, pseudonym: str, user_id: int, now: datetime) -> bool:
        """Record that the person was greeted; True only the first time, whichever replica
        asks (two tabs opened at once greet once). `user_id` 0 is someone the bot holds no
        row for."""
        if user_id and await self.session.scalar(
            select(Welcome.user_id).where(Welcome.user_id == user_id)
        ):
            return False
        return await self.note(pseudonym, now)

    async def note(self, pseudonym: str, now: datetime) -> bool:
        """Note that `pseudonym` was greeted (or need not be); True if it was not yet."""
        insert = insert_for(self.session)
        result = await self.session.execute(
            insert(Greeting)
            .values(pseudonym=pseudonym, greeted_on=to_the_day(now))
            .on_conflict_do_nothing(index_elements=["pseudonym"])
        )
        return bool(rowcount(result))

    async def forget_before(self, before: datetime) -> int:
        result = await self.session.execute(delete(Greeting).where(Greeting.greeted_on < before))
        return rowcount(result)
