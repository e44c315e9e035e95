"""Planning posts into the outbox, and describing them to a lead without their content."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from storage.models import OutboxPost
from storage.repositories import OutboxRepository, PlannedPost
from storage.statuses import OutboxStatus


async def replan(
    session: AsyncSession,
    key_prefix: str,
    posts: Sequence[PlannedPost],
    *,
    due_from: datetime,
    now: datetime,
) -> None:
    """Make the untried posts under `key_prefix` due from `due_from` exactly `posts`.

    New occurrences are added, changed ones take the new time and text, and ones no
    longer planned (cancelled, re-timed, switched off) are removed before they go out.
    Posts already claimed, sent, failed or skipped are history and stay as they are.
    """
    repository = OutboxRepository(session)
    await repository.plan(posts, now)
    await repository.unplan(key_prefix, {post.identity for post in posts}, due_from)


def describe_schedule(schedule_key: str) -> str:
    """`announcement:12` -> `announcement 12`; never includes who a private post is for."""
    kind, _, rest = schedule_key.partition(":")
    parts = rest.split(":")
    if kind == "announcement":
        return f"announcement {parts[0]}"
    if kind == "calendar" and len(parts) >= 3:
        return f"awareness post for {parts[0]} ({parts[2].replace('-', ' ')})"
    if kind == "session" and len(parts) >= 2:
        return f"session {parts[0]} {parts[1].replace('-', ' ')}"
    return kind or "scheduled post"


def describe_target(post: OutboxPost) -> str:
    if post.target_kind == TargetKind.PERSON:
        return "a private message"
    return f"channel {post.target_ref} on {post.platform}"


def planned_post_status(post: OutboxPost) -> str:
    """How a lead sees a post: scheduled, sent, sent late, failed, skipped."""
    if post.status == OutboxStatus.SENT:
        return "sent late" if post.late else "sent"
    if post.status == OutboxStatus.PENDING and post.attempts:
        return "retrying"
    if post.status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
        return "scheduled" if post.status == OutboxStatus.PENDING else "sending"
    return post.status
