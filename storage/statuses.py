"""The states stored rows can be in, each defined once.

The columns hold plain strings: a `StrEnum` member is a `str`, so it is written as its
value, a value read back compares equal to its member, and `str()` or an f-string shows
the value (`scheduled`), never the member's name.
"""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SessionKind(StrEnum):
    """What a session is; a training is what `RegistrationRepository.trained_count` counts."""

    WEBINAR = "webinar"
    TRAINING = "training"
    SOCIAL = "social"
    TRAIN_THE_TRAINER = "train-the-trainer"
    OTHER = "other"


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class QuestionStatus(StrEnum):
    """Draft (shown to the asker, not yet sent), sent, answered, or expired (asker forgotten)."""

    DRAFT = "draft"
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"


class TopicStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class AnnouncementStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
