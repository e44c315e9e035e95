"""The outbox of scheduled posts, and what plans them: announcements and calendar posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.statuses import AnnouncementStatus, OutboxStatus
from storage.types import UTCDateTime


class OutboxPost(Base):
    """One scheduled message: a row per (schedule, occurrence), claimed once, then sent.

    The database, not the scheduler's memory, says what is due, so posts survive
    restarts and several replicas never send one twice. `target_ref` is a channel id
    or, for private posts, a person key (`platform:id`) that `forget me` deletes by.
    `last_error` is a short reason for operators and leads, never message content.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("schedule_key", "occurrence_at"),
        # The dispatcher's one hot query: what is pending and due.
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_key: Mapped[str] = mapped_column(String(200))
    occurrence_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), nullable=True, index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_ref: Mapped[str] = mapped_column(String(300), index=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    late: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    platform_message_id: Mapped[str] = mapped_column(String(255), default="")
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Announcement(Base):
    """A lead's post into their network's announcement channels, once or on a rule.

    Times are wall-clock in the configured zone (`on_date` is an ISO date, `at_time`
    HH:MM), so a 09:00 post stays at 09:00 across the clock changes.
    `repeat` is once, weekly (on `weekday`) or monthly (the `nth` `weekday`).
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    repeat: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[str] = mapped_column(String(10), default="")
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)
    nth: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at_time: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(16), default=AnnouncementStatus.ACTIVE)
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarPostSetting(Base):
    """A network's changes to how one awareness date is posted: off, re-timed or re-worded."""

    __tablename__ = "calendar_post_settings"
    __table_args__ = (UniqueConstraint("network_id", "date_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    date_id: Mapped[str] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(default=True)
    # Days before the first day to post, e.g. "7,0" (0 is the first day itself).
    lead_days: Mapped[str] = mapped_column(String(64), default="7,0")
    at_time: Mapped[str] = mapped_column(String(5), default="09:00")
    message: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
