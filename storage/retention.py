"""Retention purges: each removes (or blanks) rows about people once their keeping time is over.

Each function takes a session and a cutoff and never commits; the housekeeping job runs
each in its own transaction. They return how many rows they changed. `docs/privacy.md`
says, table by table, what each keeps and for how long.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AnonymousQuestion,
    AuditEntry,
    BreakoutSettings,
    Consent,
    NetworkSession,
    OutboxPost,
    PendingJoin,
    SessionFeedback,
    TeamsConversationReference,
    User,
    Welcome,
)
from storage.repositories import DeliveryRepository, WelcomeRepository, person_tables
from storage.statuses import OutboxStatus, QuestionStatus

# Posts the dispatcher is done with. Pending and claimed posts are never touched: their
# content is still to be sent.
FINISHED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SKIPPED)
# Question states where nobody is waiting for an answer any more.
CLOSED_QUESTIONS = (QuestionStatus.ANSWERED, QuestionStatus.EXPIRED)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def forget_deliveries(session: AsyncSession, before: datetime) -> int:
    """Redelivery records received before `before`."""
    return await DeliveryRepository(session).forget_before(before)


async def expire_pending_joins(session: AsyncSession, before: datetime) -> int:
    """Joins started before `before` and never agreed to: the person did not say yes."""
    result = await session.execute(delete(PendingJoin).where(PendingJoin.created_at < before))
    return _count(result)


async def blank_finished_posts(session: AsyncSession, before: datetime, blank: str) -> int:
    """Replace the content of posts finished before `before` with `blank`; keep the row.

    The row itself stays: its (schedule, occurrence) key is what stops a planner from
    writing the same post again as unsent, and `platform_message_id` is what an edit in
    place needs.
    """
    finished_at = func.coalesce(OutboxPost.sent_at, OutboxPost.due_at)
    result = await session.execute(
        update(OutboxPost)
        .where(
            OutboxPost.status.in_(FINISHED),
            finished_at < before,
            OutboxPost.message != blank,
        )
        .values(message=blank)
    )
    return _count(result)


async def delete_finished_posts(
    session: AsyncSession, before: datetime, keep_prefixes: Sequence[str] = ()
) -> int:
    """Delete posts finished and due before `before`, except under `keep_prefixes`.

    Safe only for `before` further back than any planner looks (its grace period): a
    planner writes posts due from now less its grace, so a deleted older post is never
    written again. Posts that a planner re-plans whatever their due time (a breakout
    signup still open) are passed in `keep_prefixes` and kept.
    """
    conditions = [OutboxPost.status.in_(FINISHED), OutboxPost.due_at < before]
    conditions.extend(
        not_(OutboxPost.schedule_key.startswith(prefix, autoescape=True))
        for prefix in keep_prefixes
    )
    result = await session.execute(delete(OutboxPost).where(*conditions))
    return _count(result)


async def open_breakout_session_ids(session: AsyncSession, now: datetime) -> list[int]:
    """Sessions whose breakout signup has not closed yet (their posts may still be re-planned)."""
    rows = await session.scalars(
        select(BreakoutSettings.session_id).where(BreakoutSettings.closes_at > now)
    )
    return list(rows)


async def delete_closed_questions(session: AsyncSession, before: datetime) -> int:
    """Answered or expired questions (text and answer) last touched before `before`.

    An answer published to the knowledge base lives on there, as its own entry.
    """
    touched = func.coalesce(AnonymousQuestion.answered_at, AnonymousQuestion.created_at)
    result = await session.execute(
        delete(AnonymousQuestion).where(
            AnonymousQuestion.status.in_(CLOSED_QUESTIONS), touched < before
        )
    )
    return _count(result)


async def blank_feedback_comments(session: AsyncSession, before: datetime) -> int:
    """Feedback given before `before` keeps its rating and loses its comment and signature."""
    result = await session.execute(
        update(SessionFeedback)
        .where(
            SessionFeedback.created_at < before,
            or_(SessionFeedback.comment != "", SessionFeedback.user_id.is_not(None)),
        )
        .values(comment="", user_id=None)
    )
    return _count(result)


async def delete_past_sessions(session: AsyncSession, before: datetime) -> int:
    """Sessions that started before `before`, with everything about them.

    Registrations, invitations, feedback and breakout rooms go with the session
    (ON DELETE CASCADE), so who came to what is not kept for ever.
    """
    result = await session.execute(delete(NetworkSession).where(NetworkSession.starts_at < before))
    return _count(result)


async def delete_old_audit_entries(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(AuditEntry).where(AuditEntry.at < before))
    return _count(result)


async def delete_withdrawn_consents(session: AsyncSession, before: datetime) -> int:
    """The record that someone withdrew their agreement, once it is old enough."""
    result = await session.execute(
        delete(Consent).where(Consent.withdrawn_at.is_not(None), Consent.withdrawn_at < before)
    )
    return _count(result)


async def delete_old_greetings(session: AsyncSession, before: datetime) -> int:
    """Notes that someone (by pseudonym) was greeted, made before `before`: they are
    greeted again if they open the bot's tab after that long."""
    return await WelcomeRepository(session).forget_before(before)


async def delete_idle_people(session: AsyncSession, before: datetime) -> int:
    """People not seen since `before` about whom nothing else is kept.

    Someone who only ever asked the bot a question leaves a user row (name, when first and
    last seen); it goes once they have been away long enough. A Teams personal-chat
    reference does not count as something kept: it exists only to write to them; nor does
    the note that they were welcomed (it goes with them, and they are welcomed again if they
    come back after that long).
    """
    not_kept = (TeamsConversationReference.__tablename__, Welcome.__tablename__)
    held = [
        exists().where(column == User.id)
        for table, column in person_tables()
        if table.name not in not_kept
    ]
    idle = select(User.id).where(User.last_seen_at < before, *(not_(clause) for clause in held))
    ids = list(await session.scalars(idle))
    if not ids:
        return 0
    result = await session.execute(delete(User).where(User.id.in_(ids)))
    return _count(result)
