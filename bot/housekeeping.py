"""The retention jobs: every period in `[retention]`, enforced daily and at start-up.

Each job is one purge in its own transaction, so one that fails (reported by the error
funnel's `run_job`, which the scheduler runs them through) leaves the others done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from bot.outbox_codec import encode_reply
from bot.registry import KeepPosts
from bot.retention_settings import RetentionSettings
from storage import retention as purges
from storage.database import Database

# What the scheduler runs: given the time, do the work and say how many rows changed.
Job = Callable[[datetime], Awaitable[int]]
Purge = Callable[[AsyncSession, datetime], Awaitable[int]]

# What a finished post's content becomes: still a valid encoded reply, saying nothing.
BLANK_POST = encode_reply(Reply(text=""))


async def _delete_old_posts(
    session: AsyncSession, now: datetime, before: datetime, keep: Sequence[KeepPosts]
) -> int:
    kept = [prefix for keeper in keep for prefix in await keeper(session, now)]
    return await purges.delete_finished_posts(session, before, kept)


def retention_jobs(
    database: Database, retention: RetentionSettings, keep: Sequence[KeepPosts]
) -> list[tuple[str, Job]]:
    """(name, job) for each retention period, for the scheduler's daily housekeeping.

    `keep` are the features' say on which finished posts they may still re-plan (the
    registry's `kept_posts`); there is no default, as without them a post could go twice.
    """

    def job(days: int, purge: Purge) -> Job:
        async def run(now: datetime) -> int:
            async with database.transaction() as session:
                return await purge(session, now - timedelta(days=days))

        return run

    async def delete_old_posts(now: datetime) -> int:
        before = now - timedelta(days=retention.outbox_rows_days)
        async with database.transaction() as session:
            return await _delete_old_posts(session, now, before, keep)

    async def blank_posts(session: AsyncSession, before: datetime) -> int:
        return await purges.blank_finished_posts(session, before, BLANK_POST)

    return [
        ("deliveries", job(retention.deliveries_days, purges.forget_deliveries)),
        ("pending-joins", job(retention.pending_joins_days, purges.expire_pending_joins)),
        ("outbox-content", job(retention.outbox_content_days, blank_posts)),
        ("outbox-rows", delete_old_posts),
        ("closed-questions", job(retention.questions_days, purges.delete_closed_questions)),
        (
            "feedback-comments",
            job(retention.feedback_comments_days, purges.blank_feedback_comments),
        ),
        ("past-sessions", job(retention.sessions_days, purges.delete_past_sessions)),
        ("audit-log", job(retention.audit_days, purges.delete_old_audit_entries)),
        ("withdrawn-consents", job(retention.audit_days, purges.delete_withdrawn_consents)),
        ("idle-people", job(retention.idle_people_days, purges.delete_idle_people)),
        ("greetings", job(retention.idle_people_days, purges.delete_old_greetings)),
    ]
