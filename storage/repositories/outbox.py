"""The outbox: planned posts in, due posts claimed exactly once, outcomes recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    NetworkChannel,
    OutboxPost,
)
from storage.repositories.dialect import insert_for
from storage.rowcount import rowcount
from storage.statuses import OutboxStatus

# SQLite allows a limited number of bound values per statement; plan in chunks.
_PLAN_CHUNK = 200


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """A post a producer wants in the outbox; `message` is already encoded."""

    schedule_key: str
    occurrence_at: datetime
    due_at: datetime
    network_id: int | None
    platform: str
    target_kind: str
    target_ref: str
    message: str

    @property
    def identity(self) -> tuple[str, datetime]:
        return (self.schedule_key, self.occurrence_at)


class OutboxRepository:
    """Planned posts in, due posts claimed exactly once, outcomes recorded."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def plan(self, posts: Sequence[PlannedPost], now: datetime) -> None:
        """Insert each post once; a post not yet tried takes the latest plan (time, text).

        Planning the same occurrence twice is harmless: the (schedule, occurrence) key
        is unique and a post already claimed or sent is never changed here.
        """
        insert = insert_for(self.session)
        for start in range(0, len(posts), _PLAN_CHUNK):
            chunk = posts[start : start + _PLAN_CHUNK]
            statement = insert(OutboxPost).values(
                [
                    {
                        "schedule_key": post.schedule_key,
                        "occurrence_at": post.occurrence_at,
                        "due_at": post.due_at,
                        "network_id": post.network_id,
                        "platform": post.platform,
                        "target_kind": post.target_kind,
                        "target_ref": post.target_ref,
                        "message": post.message,
                        "status": OutboxStatus.PENDING,
                        "late": False,
                        "attempts": 0,
                        "next_attempt_at": post.due_at,
                        "claimed_by": "",
                        "platform_message_id": "",
                        "last_error": "",
                        "created_at": now,
                    }
                    for post in chunk
                ]
            )
            fresh = statement.excluded
            await self.session.execute(
                statement.on_conflict_do_update(
                    index_elements=["schedule_key", "occurrence_at"],
                    set_={
                        "due_at": fresh.due_at,
                        "next_attempt_at": fresh.next_attempt_at,
                        "network_id": fresh.network_id,
                        "platform": fresh.platform,
                        "target_kind": fresh.target_kind,
                        "target_ref": fresh.target_ref,
                        "message": fresh.message,
                    },
                    where=(OutboxPost.status == OutboxStatus.PENDING) & (OutboxPost.attempts == 0),
                )
            )

    async def unplan(
        self, key_prefix: str, keep: set[tuple[str, datetime]], due_from: datetime
    ) -> int:
        """Delete untried posts under `key_prefix`, due from `due_from`, that are no longer planned.

        A cancelled or re-timed schedule must not leave its old posts to go out.
        """
        rows = await self.session.execute(
            select(OutboxPost.id, OutboxPost.schedule_key, OutboxPost.occurrence_at).where(
                OutboxPost.schedule_key.startswith(key_prefix, autoescape=True),
                OutboxPost.status == OutboxStatus.PENDING,
                OutboxPost.attempts == 0,
                OutboxPost.due_at >= due_from,
            )
        )
        stale = [row.id for row in rows if (row.schedule_key, row.occurrence_at) not in keep]
        if stale:
            await self.session.execute(delete(OutboxPost).where(OutboxPost.id.in_(stale)))
        return len(stale)

    async def claim_due(
        self, now: datetime, claimed_by: str, limit: int, stale_before: datetime
    ) -> Sequence[OutboxPost]:
        """Claim up to `limit` due posts for `claimed_by`; no other claimer can get them.

        A post claimed before `stale_before` and never finished belonged to a process
        that stopped mid-send: it is due again.
        """
        due = (
            (OutboxPost.status == OutboxStatus.PENDING) & (OutboxPost.next_attempt_at <= now)
        ) | ((OutboxPost.status == OutboxStatus.SENDING) & (OutboxPost.claimed_at < stale_before))
        candidates = (
            select(OutboxPost.id)
            .where(due)
            .order_by(OutboxPost.next_attempt_at, OutboxPost.id)
            .limit(limit)
        )
        claim = {
            "status": OutboxStatus.SENDING,
            "claimed_by": claimed_by,
            "claimed_at": now,
            "attempts": OutboxPost.attempts + 1,
        }
        if self._postgres:
            # Rows another replica has locked are skipped, not waited for.
            ids = list(await self.session.scalars(candidates.with_for_update(skip_locked=True)))
            if ids:
                await self.session.execute(
                    update(OutboxPost).where(OutboxPost.id.in_(ids)).values(**claim)
                )
        else:
            # SQLite has no row locks: a conditional update claims, its row count says who won.
            ids = []
            for post_id in await self.session.scalars(candidates):
                result = await self.session.execute(
                    update(OutboxPost).where(OutboxPost.id == post_id, due).values(**claim)
                )
                if rowcount(result):
                    ids.append(post_id)
        if not ids:
            return []
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.id.in_(ids))
                .order_by(OutboxPost.next_attempt_at, OutboxPost.id)
                .execution_options(populate_existing=True)
            )
        ).all()

    async def finish(self, post_id: int, claimed_by: str, **values: object) -> bool:
        """Record an outcome for a post this claimer still holds. False when it lost the claim."""
        result = await self.session.execute(
            update(OutboxPost)
            .where(
                OutboxPost.id == post_id,
                OutboxPost.status == OutboxStatus.SENDING,
                OutboxPost.claimed_by == claimed_by,
            )
            .values(**values)
        )
        return bool(rowcount(result))

    async def get(self, post_id: int) -> OutboxPost | None:
        return await self.session.get(OutboxPost, post_id)

    async def of_network(
        self, network_id: int, since: datetime, limit: int = 200
    ) -> Sequence[OutboxPost]:
        """A network's posts due from `since` on, soonest first."""
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.network_id == network_id, OutboxPost.due_at >= since)
                .order_by(OutboxPost.due_at, OutboxPost.id)
                .limit(limit)
            )
        ).all()

    async def with_prefix(self, key_prefix: str) -> Sequence[OutboxPost]:
        return (
            await self.session.scalars(
                select(OutboxPost)
                .where(OutboxPost.schedule_key.startswith(key_prefix, autoescape=True))
                .order_by(OutboxPost.due_at, OutboxPost.id)
            )
        ).all()

    async def channels_for(self, network_id: int, purpose: str) -> dict[str, str]:
        """platform -> channel ref of one purpose (say `announcements`) for one network."""
        rows = await self.session.execute(
            select(NetworkChannel.platform, NetworkChannel.channel_ref)
            .where(NetworkChannel.network_id == network_id, NetworkChannel.purpose == purpose)
            .order_by(NetworkChannel.platform)
        )
        return {platform: ref for platform, ref in rows.all() if ref}
