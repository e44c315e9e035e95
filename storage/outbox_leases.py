"""Outbox claims as short leases: renewed while sending, handed back on a clean stop.

A claim is a lease whose start is `claimed_at`: `OutboxRepository.claim_due` takes a
post whose lease has run out, so a process that dies mid-batch loses its posts within
one lease length. Every statement here is conditional on the claimer still holding
the post, so a post taken over by another process is never touched by the old one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxPost
from storage.rowcount import rowcount
from storage.statuses import OutboxStatus

# Put in `last_error` of a post reported stuck, so each stuck post is reported once.
STUCK_MARK = "stuck in sending"


def _held(ids: Collection[int], claimed_by: str) -> tuple[ColumnElement[bool], ...]:
    return (
        OutboxPost.id.in_(list(ids)),
        OutboxPost.status == OutboxStatus.SENDING,
        OutboxPost.claimed_by == claimed_by,
    )


async def expired(session: AsyncSession, stale_before: datetime) -> dict[int, datetime]:
    """Posts still "sending" whose lease began before `stale_before` (their claimer is gone),
    with when that lease last began.

    Read in the claim's own transaction, so the dispatcher knows which of the posts it then
    claims were taken over, and so may already have arrived, and around when.
    """
    rows = await session.execute(
        select(OutboxPost.id, OutboxPost.claimed_at).where(
            OutboxPost.status == OutboxStatus.SENDING, OutboxPost.claimed_at < stale_before
        )
    )
    return {post_id: claimed_at for post_id, claimed_at in rows if claimed_at is not None}


async def renew(
    session: AsyncSession, ids: Collection[int], claimed_by: str, now: datetime
) -> set[int]:
    """Start the lease of the posts among `ids` still held by `claimed_by` again; those ids."""
    if not ids:
        return set()
    result = await session.execute(
        update(OutboxPost)
        .where(*_held(ids, claimed_by))
        .values(claimed_at=now)
        .returning(OutboxPost.id)
    )
    return set(result.scalars())


async def hand_back(session: AsyncSession, ids: Collection[int], claimed_by: str) -> int:
    """Make unsent posts still held by `claimed_by` pending again, for anyone to claim now.

    The attempt the claim counted is taken back: nothing was tried.
    """
    if not ids:
        return 0
    result = await session.execute(
        update(OutboxPost)
        .where(*_held(ids, claimed_by))
        .values(
            status=OutboxStatus.PENDING,
            claimed_by="",
            claimed_at=None,
            attempts=OutboxPost.attempts - 1,
        )
    )
    return int(rowcount(result))


async def mark_stuck(session: AsyncSession, stuck_before: datetime) -> Sequence[OutboxPost]:
    """Posts whose lease started before `stuck_before` and were not reported yet, now marked.

    The mark is set by a conditional update, so of several replicas only one reports a post.
    """
    candidates = (
        await session.scalars(
            select(OutboxPost.id).where(
                OutboxPost.status == OutboxStatus.SENDING,
                OutboxPost.claimed_at < stuck_before,
                ~OutboxPost.last_error.startswith(STUCK_MARK),
            )
        )
    ).all()
    marked: list[int] = []
    for post_id in candidates:
        result = await session.execute(
            update(OutboxPost)
            .where(
                OutboxPost.id == post_id,
                OutboxPost.status == OutboxStatus.SENDING,
                OutboxPost.claimed_at < stuck_before,
                ~OutboxPost.last_error.startswith(STUCK_MARK),
            )
            .values(last_error=STUCK_MARK)
        )
        if rowcount(result):
            marked.append(post_id)
    if not marked:
        return []
    return (
        await session.scalars(
            select(OutboxPost).where(OutboxPost.id.in_(marked)).order_by(OutboxPost.id)
        )
    ).all()
