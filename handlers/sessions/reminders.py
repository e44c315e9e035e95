"""Session reminders: private reminders 24 h and 1 h before a session, feedback after.

The sessions feature registers this planner; the scheduler runs it with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from bot.messages import Reply
from bot.outbox_codec import encode_reply
from bot.outbox_keys import SEPARATOR, OutboxKey, prefix
from bot.outbox_plans import replan
from bot.router import Router
from storage.database import Database
from storage.models import NetworkSession
from storage.repositories import PlannedPost, RegistrationRepository, SessionRepository


@dataclass(frozen=True, slots=True)
class UpcomingSession:
    id: int
    network_id: int
    title: str
    starts_at: datetime
    ends_at: datetime


class SessionSource(Protocol):
    """What the session reminders need from the sessions feature, inside one transaction."""

    async def starting_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]: ...

    async def ended_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]: ...

    async def registrants(self, session: AsyncSession, session_id: int) -> Sequence[str]:
        """Person keys of everyone registered (not waitlisted)."""
        ...

    async def wanting_neutral_titles(self, session: AsyncSession, session_id: int) -> set[str]:
        """Registrants who asked for a neutral title: their reminders do not name the session."""
        ...


class StoredSessions:
    """The sessions feature's own queries, as the reminder planner's source."""

    async def starting_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]:
        found = await SessionRepository(session).sessions_starting_between(start, end)
        return [_upcoming(item) for item in found]

    async def ended_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]:
        found = await SessionRepository(session).sessions_ended_between(start, end)
        return [_upcoming(item) for item in found]

    async def registrants(self, session: AsyncSession, session_id: int) -> Sequence[str]:
        return await RegistrationRepository(session).registrants(session_id)

    async def wanting_neutral_titles(self, session: AsyncSession, session_id: int) -> set[str]:
        people = await RegistrationRepository(session).people(session_id)
        return {user.key for user, registration in people if registration.neutral_title}


def _upcoming(item: NetworkSession) -> UpcomingSession:
    return UpcomingSession(
        id=item.id,
        network_id=item.network_id,
        title=item.title,
        starts_at=item.starts_at,
        ends_at=item.starts_at + timedelta(minutes=item.duration_minutes),
    )


# The kind of the sessions' outbox keys: `session:<id>:<label>:<person key>`.
SESSION = "session"


def reminder_key(session_id: int, label: str, person: str) -> str:
    """One person's reminder (or feedback request); their key is itself made of parts."""
    return OutboxKey.of(SESSION, session_id, label, *person.split(SEPARATOR)).format()


def session_prefix(session_id: int) -> str:
    """Every reminder and feedback request of one session."""
    return prefix(SESSION, session_id)


def describe_reminder(key: OutboxKey) -> str | None:
    """`session 12 reminder 24h`: never who it is for."""
    if len(key.parts) < 2:
        return None
    return f"session {key.parts[0]} {key.parts[1].replace('-', ' ')}"


REMINDERS = (("reminder-24h", timedelta(hours=24)), ("reminder-1h", timedelta(hours=1)))
FEEDBACK_AFTER = timedelta(hours=1)


@dataclass(slots=True)
class SessionReminderPlanner:
    """Private reminders to each registrant 24 h and 1 h before, and a feedback request after."""

    database: Database
    source: SessionSource
    zone: ZoneInfo
    grace: timedelta = timedelta(hours=6)
    name: str = "session-reminders"

    async def plan(self, now: datetime) -> int:
        posts: list[PlannedPost] = []
        window_start = now - self.grace
        async with self.database.transaction() as session:
            soon = await self.source.starting_between(
                session, window_start, now + timedelta(hours=25)
            )
            for item in soon:
                people = await self.source.registrants(session, item.id)
                neutral = await self.source.wanting_neutral_titles(session, item.id)
                for label, before in REMINDERS:
                    due = item.starts_at - before
                    if due >= window_start:
                        posts.extend(self._posts(item, people, label, due, self._reminder, neutral))
            ended = await self.source.ended_between(
                session, window_start - FEEDBACK_AFTER, now + timedelta(hours=25)
            )
            for item in ended:
                people = await self.source.registrants(session, item.id)
                neutral = await self.source.wanting_neutral_titles(session, item.id)
                due = item.ends_at + FEEDBACK_AFTER
                posts.extend(self._posts(item, people, "feedback", due, self._feedback, neutral))
            await replan(session, prefix(SESSION), posts, due_from=now, now=now)
        return len(posts)

    def _posts(
        self,
        item: UpcomingSession,
        people: Sequence[str],
        label: str,
        due: datetime,
        compose: Callable[[UpcomingSession, bool], Reply],
        neutral: set[str],
    ) -> list[PlannedPost]:
        named = encode_reply(compose(item, False))
        unnamed = encode_reply(compose(item, True))
        return [
            PlannedPost(
                schedule_key=reminder_key(item.id, label, person),
                occurrence_at=item.starts_at,
                due_at=due,
                network_id=item.network_id,
                platform=person.partition(":")[0],
                target_kind=TargetKind.PERSON.value,
                target_ref=person,
                message=unnamed if person in neutral else named,
            )
            for person in people
        ]

    def _local(self, moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"

    def _reminder(self, item: UpcomingSession, neutral: bool) -> Reply:
        # Someone who asked for a neutral title may read this where others can see it.
        what = f"your session {item.id}" if neutral else item.title
        return Reply(
            heading="Reminder",
            text=f"Reminder: {what} starts {self._local(item.starts_at)}. "
            f"Type `session {item.id}` for the details, or `cancel {item.id}` if you can't "
            "make it, so someone on the waiting list can have your place.",
        )

    def _feedback(self, item: UpcomingSession, neutral: bool) -> Reply:
        what = f"session {item.id}" if neutral else item.title
        return Reply(
            heading="How was it?",
            text=f"Thank you for coming to {what}. How was it? Reply "
            f"`feedback {item.id} <1-5> [comment]`; it takes a few seconds and helps the "
            "organisers.",
        )


def register(router: Router) -> None:
    """Plan every session's reminders, within the configured grace period."""
    settings = router.services.settings
    grace = timedelta(hours=settings.scheduler.grace_hours)
    router.add_planner(
        SessionReminderPlanner(router.services.database, StoredSessions(), settings.timezone, grace)
    )
    router.registry.describe_posts(SESSION, describe_reminder)
