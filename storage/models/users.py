"""People who have talked to the bot, and their agreement to being remembered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class User(Base):
    """Someone who has talked to the bot. Created on their first request."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.external_id}"


class Consent(Base):
    """A person's agreement to the bot keeping their memberships: when, which wording, withdrawn?"""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text_version: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Welcome(Base):
    """That the bot has greeted this person once (on first opening its Messages tab, or
    being added to a personal chat), so it never greets them again. Goes with the user."""

    __tablename__ = "welcomes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # To the day, like a user's first time: no finer trace of when they came.
    welcomed_on: Mapped[datetime] = mapped_column(UTCDateTime())


class Greeting(Base):
    """That the bot greeted someone, under their keyed pseudonym (`bot.pseudonyms`), never
    their key or a user row: a welcome nobody asked for (a Messages tab opened) keeps no
    user, and the note outlives `forget me`, so opening the tab again afterwards neither
    greets them again nor brings anything of them back. Kept `retention.idle_people_days`."""

    __tablename__ = "greetings"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    # To the day, like a user's first time: no finer trace of when they came.
    greeted_on: Mapped[datetime] = mapped_column(UTCDateTime())
