"""Network sessions and the places, invitations and feedback that belong to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.statuses import SessionStatus
from storage.types import UTCDateTime


class NetworkSession(Base):
    """A webinar, training, social or other gathering a network runs."""

    __tablename__ = "network_sessions"
    __table_args__ = (Index("ix_network_sessions_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.SCHEDULED)
    # Person keys (`platform:id`) of facilitators, comma-separated: they see access needs too.
    facilitators: Mapped[str] = mapped_column(Text, default="", server_default="")
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    invite_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    recording_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SessionRegistration(Base):
    """Someone's place at a session: registered, on the waitlist, or cancelled.

    `position` is the order of arrival, given out under a lock on the session row, so the
    waitlist is first come, first served. `access_needs` is seen only by the organisers
    and is cleared after `needs_delete_after`.
    """

    __tablename__ = "session_registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        # Counting places taken and finding the head of the waitlist without a scan.
        Index("ix_session_registrations_session_status", "session_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("network_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    access_needs: Mapped[str | None] = mapped_column(Text, nullable=True)
    needs_delete_after: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, index=True
    )
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    neutral_title: Mapped[bool] = mapped_column(Boolean, default=False)
    # Goes up with every calendar file sent for this registration (iCalendar SEQUENCE).
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0)
    feedback_given: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SessionInvitation(Base):
    """An invitation to an invitation-only session. Invitees get a users row if they had none."""

    __tablename__ = "session_invitations"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("network_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SessionFeedback(Base):
    """A 1-5 rating and optional comment; `user_id` is empty unless the person chose to sign it."""

    __tablename__ = "session_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("network_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SessionDraft(Base):
    """A create-session draft too long for its Create button to carry: the parts as the lead
    gave them (a JSON object), so the button carries only this row's id. Kept until the
    session is created or for a day (`purge_older_than`), and only its author may use it."""

    __tablename__ = "session_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    parts: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
