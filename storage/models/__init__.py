"""The database schema as typed SQLAlchemy models.

Changes go through an Alembic migration in `storage/migrations/versions/`; a test
checks that the migrations produce exactly this schema.

People are referred to by `person_key` (`platform:id`) where they may not have spoken
to the bot yet (configured leads and admins), and by `users.id` otherwise, so that
`forget me` can remove everything about a person by following foreign keys.

Split by aggregate; every model is re-exported here, and importing this package
registers every table on `Base.metadata` (Alembic and the schema test read it).
"""

from storage.models.base import NAMING, Base
from storage.models.breakouts import BreakoutPick, BreakoutSettings, BreakoutTopic
from storage.models.calendars import AwarenessDateYear, CalendarFeed, CalendarFeedEvent
from storage.models.deployment import (
    AuditEntry,
    DeploymentSecret,
    InboundDelivery,
    TeamsConversationReference,
)
from storage.models.networks import Membership, Network, NetworkChannel, NetworkLead, PendingJoin
from storage.models.questions import AnonymousQuestion, KnowledgeRecord
from storage.models.scheduled_posts import Announcement, CalendarPostSetting, OutboxPost
from storage.models.sessions import (
    NetworkSession,
    SessionDraft,
    SessionFeedback,
    SessionInvitation,
    SessionRegistration,
)
from storage.models.users import Consent, Greeting, User, Welcome

__all__ = [
    "NAMING",
    "Announcement",
    "AnonymousQuestion",
    "AuditEntry",
    "AwarenessDateYear",
    "Base",
    "BreakoutPick",
    "BreakoutSettings",
    "BreakoutTopic",
    "CalendarFeed",
    "CalendarFeedEvent",
    "CalendarPostSetting",
    "Consent",
    "DeploymentSecret",
    "Greeting",
    "InboundDelivery",
    "KnowledgeRecord",
    "Membership",
    "Network",
    "NetworkChannel",
    "NetworkLead",
    "NetworkSession",
    "OutboxPost",
    "PendingJoin",
    "SessionDraft",
    "SessionFeedback",
    "SessionInvitation",
    "SessionRegistration",
    "TeamsConversationReference",
    "User",
    "Welcome",
]
