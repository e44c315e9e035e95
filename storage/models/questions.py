"""Anonymous questions to leads, and the knowledge-base entries leads keep in chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.statuses import QuestionStatus
from storage.types import UTCDateTime


class AnonymousQuestion(Base):
    """A question put to a network's leads without the asker's name.

    `asker_user_id` is the only link to who asked. It is cleared once the answer is
    delivered (or after 30 days), and `forget me` removes the whole row through it.
    `status` is draft (shown to the asker, not yet sent), sent, answered or expired.
    """

    __tablename__ = "anonymous_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    asker_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_entry: Mapped[str] = mapped_column(String(120), default="")


class KnowledgeRecord(Base):
    """A knowledge-base entry added, changed or retired by a lead in chat.

    A row whose `slug` matches a shipped entry replaces it; `retired_at` hides it.
    `revision` goes up on every change, so a cached index knows when to rebuild.
    """

    __tablename__ = "knowledge_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="answer")
    title: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    questions: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    related: Mapped[str] = mapped_column(Text, default="")
    calendar: Mapped[str] = mapped_column(String(120), default="")
    network: Mapped[str] = mapped_column(String(64), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
