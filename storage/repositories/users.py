"""People who have talked to the bot (or been named by a lead)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    NetworkLead,
    User,
)
from storage.repositories.dialect import insert_for
from storage.types import to_the_day, to_the_hour

# When someone was last seen is kept to the hour: a finer record of when people use the
# bot serves nobody, and most requests then write nothing to their user row.
LAST_SEEN_PRECISION = timedelta(hours=1)


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_key(self, platform: str, external_id: str) -> User | None:
        return await self.session.scalar(
            select(User).where(User.platform == platform, User.external_id == external_id)
        )

    async def touch(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> User:
        """The user for this identity, created on first sight; keeps the display name current."""
        user = await self._ensure(platform, external_id, display_name, now)
        _refresh(user, display_name, now)
        return user

    async def touch_leading(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> tuple[User, frozenset[int]]:
        """`touch`, and the ids of the networks the person leads.

        Every request needs both, so for someone seen before they are one query: a round
        trip less in every command's transaction, which on SQLite holds the write lock.
        """
        key = f"{platform}:{external_id}"
        rows = (
            await self.session.execute(
                select(User, NetworkLead.network_id)
                .outerjoin(NetworkLead, NetworkLead.person_key == key)
                .where(User.platform == platform, User.external_id == external_id)
            )
        ).all()
        if not rows:
            user = await self.touch(platform, external_id, display_name, now)
            led = await self.session.scalars(
                select(NetworkLead.network_id).where(NetworkLead.person_key == key)
            )
            return user, frozenset(led)
        user = rows[0][0]
        _refresh(user, display_name, now)
        return user, frozenset(network_id for _, network_id in rows if network_id is not None)

    async def for_key(self, person_key: str, now: datetime) -> User:
        """The user behind a `platform:id` key (someone invited or named by a lead), created
        if they have never talked to the bot."""
        platform, _, external_id = person_key.partition(":")
        return await self._ensure(platform, external_id, "", now)

    async def _ensure(
        self, platform: str, external_id: str, display_name: str, now: datetime
    ) -> User:
        # A person's first two requests can arrive together (a double click, a retried
        # event): the insert yields to whichever came first instead of failing.
        user = await self.get_by_key(platform, external_id)
        if user is not None:
            return user
        insert = insert_for(self.session)
        await self.session.execute(
            insert(User)
            .values(
                platform=platform,
                external_id=external_id,
                display_name=display_name,
                # Coarse, so neither lines up with what the person did in that request
                # (an anonymous question asked in their very first one, say).
                created_at=to_the_day(now),
                last_seen_at=to_the_hour(now),
            )
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        )
        user = await self.get_by_key(platform, external_id)
        if user is None:
            raise LookupError("a user row vanished between its insert and its read")
        return user


def _refresh(user: User, display_name: str, now: datetime) -> None:
    if now - user.last_seen_at >= LAST_SEEN_PRECISION:
        user.last_seen_at = to_the_hour(now)
    if display_name and display_name != user.display_name:
        user.display_name = display_name
