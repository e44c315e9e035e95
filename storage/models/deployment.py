"""What the deployment keeps for itself: deliveries seen, Teams references, audit, secrets."""

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
from storage.types import UTCDateTime


class InboundDelivery(Base):
    """A platform delivery already acted on, so retries and redeliveries act once.

    Kept in the database rather than memory so the rule holds across replicas.
    """

    __tablename__ = "inbound_deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TeamsConversationReference(Base):
    """Where the bot may write in Teams without being spoken to first.

    Teams only lets a bot send proactively through a conversation reference it has seen.
    Personal chats are keyed by the person's key (and tied to their user row, so `forget
    me` removes it); channels and group chats by their conversation id.
    """

    __tablename__ = "teams_conversation_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref_key: Mapped[str] = mapped_column(String(400), unique=True)
    # personal, channel or groupChat
    scope: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    tenant_id: Mapped[str] = mapped_column(String(100), default="")
    service_url: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who did what to which record, and when: ids and action names, never content."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_key: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(64))
    network_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str] = mapped_column(String(300), default="")


class DeploymentSecret(Base):
    """A secret the deployment made for itself (the key of the pseudonyms in its logs), kept
    here so that restarts and replicas share it. About nobody."""

    __tablename__ = "deployment_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
