"""Planning posts into the outbox, and describing them to a lead without their content."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from bot.outbox_keys import MalformedOutboxKey, OutboxKey
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


# How a lead reads one kind of post, from its key: never who a private post is for. None
# when the key's parts are not what the feature writes (then the kind alone is shown).
PostDescriber = Callable[[OutboxKey], str | None]


@dataclass(slots=True)
class PostDescriptions:
    """Each feature's describer for its kind of post, so the core describes any post
    (`outbox <network>`, stuck and late notices) without knowing the kinds."""

    by_kind: dict[str, PostDescriber] = field(default_factory=dict)

    def add(self, kind: str, describer: PostDescriber) -> None:
        if kind in self.by_kind:
            raise ValueError(f"posts of kind {kind!r} are already described")
        self.by_kind[kind] = describer

    def describe(self, schedule_key: str) -> str:
        """`announcement:12:slack` -> `announcement 12`, as its feature describes it."""
        try:
            key = OutboxKey.parse(schedule_key)
        except MalformedOutboxKey:
            return "scheduled post"
        describer = self.by_kind.get(key.kind)
        described = describer(key) if describer is not None else None
        return described or key.kind


def describe_target(post: OutboxPost) -> str:
    if post.target_kind == TargetKind.PERSON:
        return "a private message"
    return f"channel {post.target_ref} on {post.platform}"


class PlannedPostStatus(StrEnum):
    """How a lead sees a post (`outbox`, lead tasks): its stored status, told apart a little
    further (a pending post already tried is being retried; a sent one may have been late)."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    SENT_LATE = "sent late"
    FAILED = "failed"
    SKIPPED = "skipped"


def planned_post_status(post: OutboxPost) -> PlannedPostStatus:
    if post.status == OutboxStatus.SENT:
        return PlannedPostStatus.SENT_LATE if post.late else PlannedPostStatus.SENT
    if post.status == OutboxStatus.PENDING:
        return PlannedPostStatus.RETRYING if post.attempts else PlannedPostStatus.SCHEDULED
    return PlannedPostStatus(post.status)
