"""Queries, one module per aggregate. Every repository takes a session and never commits:
the caller owns the transaction.

The public names are re-exported here so `from storage.repositories import X` reads the same
wherever it is written.
"""

from storage.repositories.announcements import (
    AnnouncementRepository,
)
from storage.repositories.audit import (
    AuditRepository,
)
from storage.repositories.breakouts import (
    BreakoutRepository,
    MyPick,
)
from storage.repositories.calendar_posts import (
    CalendarPostSettingRepository,
)
from storage.repositories.calendars import (
    AwarenessDateRepository,
    CalendarFeedRepository,
)
from storage.repositories.consents import (
    ConsentRepository,
)
from storage.repositories.deliveries import (
    DeliveryRepository,
)
from storage.repositories.knowledge import (
    KnowledgeRepository,
)
from storage.repositories.memberships import (
    MembershipRepository,
    PendingJoinRepository,
)
from storage.repositories.networks import (
    NetworkRepository,
)
from storage.repositories.outbox import (
    OutboxRepository,
    PlannedPost,
)
from storage.repositories.person_data import (
    ERASED,
    FACILITATED,
    PersonDataRepository,
    person_tables,
)
from storage.repositories.questions import (
    QuestionRepository,
)
from storage.repositories.registrations import (
    FeedbackSummary,
    MyBooking,
    PlaceCounts,
    RegistrationRepository,
    purge_expired_access_needs,
)
from storage.repositories.session_drafts import (
    SessionDraftRepository,
)
from storage.repositories.sessions import (
    LONGEST_SESSION,
    SessionRepository,
)
from storage.repositories.teams_references import (
    TeamsReferenceRepository,
)
from storage.repositories.users import (
    LAST_SEEN_PRECISION,
    UserRepository,
)
from storage.repositories.welcomes import WelcomeRepository

__all__ = [
    "ERASED",
    "FACILITATED",
    "LAST_SEEN_PRECISION",
    "LONGEST_SESSION",
    "AnnouncementRepository",
    "AuditRepository",
    "AwarenessDateRepository",
    "BreakoutRepository",
    "CalendarFeedRepository",
    "CalendarPostSettingRepository",
    "ConsentRepository",
    "DeliveryRepository",
    "FeedbackSummary",
    "KnowledgeRepository",
    "MembershipRepository",
    "MyBooking",
    "MyPick",
    "NetworkRepository",
    "OutboxRepository",
    "PendingJoinRepository",
    "PersonDataRepository",
    "PlaceCounts",
    "PlannedPost",
    "QuestionRepository",
    "RegistrationRepository",
    "SessionDraftRepository",
    "SessionRepository",
    "TeamsReferenceRepository",
    "UserRepository",
    "WelcomeRepository",
    "person_tables",
    "purge_expired_access_needs",
]
