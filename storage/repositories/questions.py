"""Anonymous questions to leads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AnonymousQuestion,
)
from storage.rowcount import rowcount
from storage.statuses import QuestionStatus


class QuestionRepository:
    """Anonymous questions to leads. The asker link is the sensitive part: see `purge_links`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_draft(
        self, network_id: int, asker_user_id: int, text: str, now: datetime
    ) -> AnonymousQuestion:
        question = AnonymousQuestion(
            network_id=network_id,
            asker_user_id=asker_user_id,
            text=text,
            status=QuestionStatus.DRAFT,
            created_at=now,
            answer="",
            published_entry="",
        )
        self.session.add(question)
        await self.session.flush()
        return question

    async def get(self, question_id: int) -> AnonymousQuestion | None:
        return await self.session.get(AnonymousQuestion, question_id)

    async def open_for(self, network_ids: Sequence[int]) -> Sequence[AnonymousQuestion]:
        """Sent and not yet answered, oldest first."""
        return (
            await self.session.scalars(
                select(AnonymousQuestion)
                .where(
                    AnonymousQuestion.network_id.in_(list(network_ids)),
                    AnonymousQuestion.status == QuestionStatus.SENT,
                )
                .order_by(AnonymousQuestion.created_at, AnonymousQuestion.id)
            )
        ).all()

    async def purge_links(self, sent_before: datetime, drafted_before: datetime) -> int:
        """Forget who asked what once it is old enough; return how many questions changed.

        Sent questions keep their text (leads may still answer it into the knowledge
        base) but lose the asker; drafts that were never sent are deleted outright.
        """
        stale = (
            await self.session.scalars(
                select(AnonymousQuestion).where(
                    AnonymousQuestion.asker_user_id.is_not(None),
                    AnonymousQuestion.status == QuestionStatus.SENT,
                    AnonymousQuestion.created_at < sent_before,
                )
            )
        ).all()
        for question in stale:
            question.asker_user_id = None
            question.status = QuestionStatus.EXPIRED
        drafts = await self.session.execute(
            delete(AnonymousQuestion).where(
                AnonymousQuestion.status == QuestionStatus.DRAFT,
                AnonymousQuestion.created_at < drafted_before,
            )
        )
        return len(stale) + int(rowcount(drafts) or 0)
