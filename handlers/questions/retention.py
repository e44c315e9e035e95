"""How long the link between an asker and their anonymous question is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.database import Database
from storage.repositories import QuestionRepository

LINK_KEPT_FOR = timedelta(days=30)
DRAFT_KEPT_FOR = timedelta(days=1)


async def purge_question_links(database: Database, now: datetime) -> int:
    """Delete asker links older than 30 days and unsent drafts older than a day.

    The scheduler calls this daily; it returns how many questions it changed.
    """
    async with database.transaction() as session:
        return await QuestionRepository(session).purge_links(
            sent_before=now - LINK_KEPT_FOR, drafted_before=now - DRAFT_KEPT_FOR
        )
