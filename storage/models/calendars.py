"""Calendars beyond one person's file: each network's subscribable sessions feed, and the
awareness dates whose organisers announce them each year.

None of these rows says anything about a person: a feed token is the network's, a feed
event is a public session's, and the confirmed dates are the organisers'.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class CalendarFeed(Base):
    """The secret token in a network's feed URL; a new one (rotation) retires the old URL."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), unique=True
    )
    # Random (secrets.token_urlsafe), compared in constant time. Kept as it is, not hashed,
    # so that `calendar link` can give the same URL again instead of breaking subscriptions.
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarFeedEvent(Base):
    """What a feed last said about one session, so its SEQUENCE goes up when it changes."""

    __tablename__ = "calendar_feed_events"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("network_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    # A digest of the fields the feed shows: a different one means the session changed.
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AwarenessDateYear(Base):
    """This year's dates of an awareness date its organisers set each year, as confirmed by a
    lead or an admin. `year` is the year the occurrence starts in."""

    __tablename__ = "awareness_date_years"
    __table_args__ = (UniqueConstraint("date_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_id: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(Integer)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
