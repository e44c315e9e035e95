"""Breakout rooms: a session's settings, its topics and who picked which."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class BreakoutSettings(Base):
    """Breakout rooms for one session: rounds, room size, when the signup opens and closes.

    The signup post itself lives in the outbox; its `platform_message_id` is what later
    changes edit in place.
    """

    __tablename__ = "breakout_settings"
    __table_args__ = (UniqueConstraint("session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("network_sessions.id", ondelete="CASCADE"))
    rounds: Mapped[int] = mapped_column(Integer, default=1)
    room_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approval: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BreakoutTopic(Base):
    """A discussion topic for one breakout round: proposed, approved, declined or withdrawn.

    Hosts volunteer publicly, so their names may be shown with the topic. If a host or
    note-taker asks to be forgotten the topic stays, without them (SET NULL), so the
    people who picked it keep their room and someone else can offer to host.
    """

    __tablename__ = "breakout_topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("network_sessions.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    proposer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    host_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    cohost_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    notes_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BreakoutPick(Base):
    """Someone's choice of room for one round: one per (session, round, person).

    Who picked what is never shown in a shared channel; only the person, the room's
    hosts and the network's leads see it.
    """

    __tablename__ = "breakout_picks"
    __table_args__ = (UniqueConstraint("session_id", "round", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("network_sessions.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("breakout_topics.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # True when a lead's `place` put them there rather than their own pick.
    placed: Mapped[bool] = mapped_column(Boolean, default=False)
    picked_at: Mapped[datetime] = mapped_column(UTCDateTime())
