"""The database schema as typed SQLAlchemy models.

Changes go through an Alembic migration in `storage/migrations/versions/`; a test
checks that the migrations produce exactly this schema.

People are referred to by `person_key` (`platform:id`) where they may not have spoken
to the bot yet (configured leads and admins), and by `users.id` otherwise, so that
`forget me` can remove everything about a person by following foreign keys.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.statuses import AnnouncementStatus, OutboxStatus, QuestionStatus, SessionStatus
from storage.types import UTCDateTime

# Named constraints make migrations reproducible on every database (SQLite
# batch migrations need names to find the constraint they alter).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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


class DeploymentSecret(Base):
    """A secret the deployment made for itself (the key of the pseudonyms in its logs), kept
    here so that restarts and replicas share it. About nobody."""

    __tablename__ = "deployment_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Network(Base):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    meets: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class NetworkLead(Base):
    __tablename__ = "network_leads"
    __table_args__ = (UniqueConstraint("network_id", "person_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(300), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetworkChannel(Base):
    """Where a network's members, allies and announcements live on one platform."""

    __tablename__ = "network_channels"
    __table_args__ = (UniqueConstraint("network_id", "platform", "purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(16))
    channel_ref: Mapped[str] = mapped_column(String(255))


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


class InboundDelivery(Base):
    """A platform delivery already acted on, so retries and redeliveries act once.

    Kept in the database rather than memory so the rule holds across replicas.
    """

    __tablename__ = "inbound_deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class AuditEntry(Base):
    """Who did what to which record, and when: ids and action names, never content."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_key: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(64))
    network_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str] = mapped_column(String(300), default="")


class Membership(Base):
    """Someone's place in a network: as a member (lived experience) or as an ally.

    Special-category data: it can reveal orientation, gender identity, disability or
    ethnicity. Only the person and that network's leads ever see it.
    """

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "network_id"),
        # Counting a network's members and allies without reading every row.
        Index("ix_memberships_network_id_role", "network_id", "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Consent(Base):
    """A person's agreement to the bot keeping their memberships: when, which wording, withdrawn?"""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text_version: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PendingJoin(Base):
    """A join waiting for the person's agreement, so that a bare `agree` can complete it."""

    __tablename__ = "pending_joins"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
