"""The scheduler: APScheduler runs the planners and the outbox dispatcher on a timer.

APScheduler only decides *when to look*: every few seconds the dispatcher sends what
the outbox says is due, and every quarter of an hour the planners write the coming
posts into the outbox. What is due is in the database, never in APScheduler's
memory, so a restart loses nothing and replicas on one PostgreSQL share the work.

Post times are wall-clock times in the configured zone, worked out by `wall_clock`
rather than by a cron trigger: APScheduler 3's CronTrigger fires twice at 01:30 on
the night the clocks go back, and at 02:30 rather than 02:00 on the night they go
forward.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import Pacer, Publishers, TargetKind
from bot.funnel import ErrorFunnel
from bot.housekeeping import retention_jobs
from bot.logs import log_event
from bot.messages import Reply
from bot.numbers import is_number
from bot.outbox import Dispatcher, DispatchPolicy, encode_reply, replan
from bot.tasks import InFlight
from storage.database import Database
from storage.models import NetworkSession
from storage.repositories import (
    PlannedPost,
    RegistrationRepository,
    SessionRepository,
    purge_expired_access_needs,
)

if TYPE_CHECKING:
    from bot.app import Application

_log = logging.getLogger("allybot.scheduler")

DISPATCH_EVERY = timedelta(seconds=10)
PLAN_EVERY = timedelta(minutes=15)
# How far ahead planners write posts: far enough that a lead sees a month of them.
PLAN_AHEAD = timedelta(days=35)


# ---------------------------------------------------------------------------
# Wall-clock time
# ---------------------------------------------------------------------------


def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (in UTC) when clocks in `zone` show `at` on `day`, exactly once.

    A time that does not exist that day (in the hour the clocks go forward) becomes the
    first time after it that does; a time that happens twice (the hour they go back)
    is the first of the two.
    """
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two
    if _exists(local):
        return local.astimezone(UTC)
    start = datetime.combine(day, at.replace(second=0, microsecond=0))
    for minutes in range(1, 24 * 60):
        candidate = (start + timedelta(minutes=minutes)).replace(tzinfo=zone)
        if _exists(candidate):
            return candidate.astimezone(UTC)
    raise ValueError(f"no valid local time on {day} at or after {at}")


def _exists(local: datetime) -> bool:
    # A local time in a gap does not survive a round trip through UTC.
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None, fold=0) == local.replace(tzinfo=None, fold=0)


def parse_clock_time(text: str) -> time | None:
    """`09:00`, `9:30`, `9am`, `5.30pm` -> a time; None when it is not one."""
    cleaned = text.strip().lower().replace(".", ":")
    suffix = ""
    for ending in ("am", "pm"):
        if cleaned.endswith(ending):
            suffix, cleaned = ending, cleaned[: -len(ending)].strip()
    hours_text, _, minutes_text = cleaned.partition(":")
    if not is_number(hours_text) or (minutes_text and not is_number(minutes_text)):
        return None
    if len(hours_text) > 2 or len(minutes_text) > 2:
        return None
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if suffix:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59 and len(minutes_text) in (0, 2)):
        return None
    return time(hours, minutes)


# ---------------------------------------------------------------------------
# Planners
# ---------------------------------------------------------------------------


class Planner(Protocol):
    """Writes the posts of one kind due between now (less the grace period) and the horizon."""

    name: str

    async def plan(self, now: datetime) -> int:
        """Plan posts; returns how many are planned."""
        ...


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
            await replan(session, "session:", posts, due_from=now, now=now)
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
                schedule_key=f"session:{item.id}:{label}:{person}",
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


# ---------------------------------------------------------------------------
# The scheduler itself
# ---------------------------------------------------------------------------

Housekeeping = Callable[[datetime], Awaitable[int]]


class BotScheduler:
    """APScheduler jobs: dispatch every few seconds, plan every 15 minutes, tidy up daily.

    Each job runs through the error funnel, so one failure is logged with a reference
    and the next run goes ahead. `start` runs the planners, the dispatcher and the housekeeping at
    once, which is how posts that fell due while the bot was down are caught up.
    """

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        planners: Sequence[Planner],
        clock: Clock,
        zone: ZoneInfo,
        funnel: ErrorFunnel,
        housekeeping: Sequence[tuple[str, Housekeeping]] = (),
        dispatch_every: timedelta = DISPATCH_EVERY,
        plan_every: timedelta = PLAN_EVERY,
    ) -> None:
        self.dispatcher = dispatcher
        self.planners = list(planners)
        self.housekeeping = list(housekeeping)
        self.clock = clock
        self.funnel = funnel
        self.zone = zone
        self.scheduler = AsyncIOScheduler(timezone=zone)
        self.in_flight = InFlight(funnel)
        self._dispatching: asyncio.Task[object] | None = None
        now = datetime.now(zone)
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        # Planning first, then dispatching, so a catch-up run sees freshly planned posts.
        self.scheduler.add_job(
            self._run_planners,
            IntervalTrigger(seconds=plan_every.total_seconds(), timezone=zone),
            id="plan",
            next_run_time=now,
            **common,
        )
        self.scheduler.add_job(
            self._run_dispatcher,
            IntervalTrigger(seconds=dispatch_every.total_seconds(), timezone=zone),
            id="dispatch",
            next_run_time=now + timedelta(seconds=1),
            **common,
        )
        self.scheduler.add_job(
            self._run_housekeeping,
            CronTrigger(hour=3, minute=15, timezone=zone),
            id="housekeeping",
            **common,
        )

    async def start(self) -> None:
        self.scheduler.start()
        # Retention is enforced at start-up too: a bot restarted daily before 03:15 would
        # otherwise never purge anything.
        self.in_flight.spawn(self._run_housekeeping())
        log_event(_log, logging.INFO, "scheduler_started", claimer=self.dispatcher.claimed_by)

    async def stop(self, wait_seconds: float = 30.0) -> None:
        """Start no new runs, let the ones under way finish, then shut APScheduler down.

        APScheduler would cancel a run mid-send, leaving its posts claimed until the claim
        times out; instead the dispatcher claims nothing more, finishes the sends under
        way and hands the rest of its batch back for another replica to send at once.
        """
        if not self.scheduler.running:
            return
        self.dispatcher.stopping.set()
        self.scheduler.pause()
        await self.in_flight.wait_at_most(wait_seconds)
        if self._dispatching is not None and not self._dispatching.done():
            # A send that outlasts the wait is cut short here, not by the loop closing:
            # the rest of its batch is handed back and nothing logs a CancelledError.
            self._dispatching.cancel()
            await asyncio.wait({self._dispatching})
        self.scheduler.shutdown(wait=False)
        # APScheduler's asyncio scheduler shuts down in a callback on the loop: let it run.
        await asyncio.sleep(0)
        log_event(_log, logging.INFO, "scheduler_stopped", unfinished=len(self.in_flight))

    def next_fire_times(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    async def _run_planners(self) -> None:
        now = self.clock.now()
        with self.in_flight.current():
            for planner in self.planners:

                async def run(planner: Planner = planner) -> None:
                    planned = await planner.plan(now)
                    log_event(_log, logging.DEBUG, "planned", planner=planner.name, posts=planned)

                await self.funnel.run_job(f"plan:{planner.name}", run)

    async def _run_dispatcher(self) -> None:
        async def run() -> None:
            await self.dispatcher.run_once()

        with self.in_flight.current():
            self._dispatching = asyncio.current_task()
            try:
                await self.funnel.run_job("dispatch", run)
            except asyncio.CancelledError:
                if not self.dispatcher.stopping.is_set():
                    raise
                # Cancelled by `stop`: the post in flight is left to its lease.
                log_event(_log, logging.WARNING, "dispatch_cut_short")
            finally:
                self._dispatching = None

    async def _run_housekeeping(self) -> None:
        now = self.clock.now()
        with self.in_flight.current():
            for name, job in self.housekeeping:

                async def run(name: str = name, job: Housekeeping = job) -> None:
                    changed = await job(now)
                    log_event(_log, logging.INFO, "housekeeping", job=name, changed=changed)

                await self.funnel.run_job(f"housekeeping:{name}", run)


def build_scheduler(application: Application, publishers: Publishers) -> BotScheduler:
    """The served bot's scheduler: every planner, the dispatcher and the daily tidy-up."""
    # Imported here: these feature modules use this module's wall-clock helpers.
    from handlers.announcements import AnnouncementPlanner
    from handlers.calendar import CalendarPlanner
    from handlers.questions import purge_question_links

    services = application.services
    settings = services.settings
    grace = timedelta(hours=settings.scheduler.grace_hours)
    database = application.database
    dispatcher = Dispatcher(
        database=database,
        publishers=publishers,
        clock=services.clock,
        messenger=services.messenger,
        zone=settings.timezone,
        policy=DispatchPolicy(
            grace=grace,
            claim_timeout=timedelta(seconds=settings.scheduler.lease_seconds),
            batch_size=settings.scheduler.batch_size,
        ),
        pacer=Pacer(overall_per_second=settings.scheduler.posts_per_second),
        funnel=services.funnel,
        metrics=services.metrics,
    )

    async def purge_needs(now: datetime) -> int:
        async with database.transaction() as session:
            return await purge_expired_access_needs(session, now)

    async def purge_questions(now: datetime) -> int:
        return await purge_question_links(database, now)

    return BotScheduler(
        dispatcher=dispatcher,
        planners=[
            CalendarPlanner(database, settings.timezone),
            AnnouncementPlanner(database, settings.timezone),
            SessionReminderPlanner(database, StoredSessions(), settings.timezone, grace),
        ],
        clock=services.clock,
        zone=settings.timezone,
        funnel=services.funnel,
        housekeeping=[
            ("access-needs", purge_needs),
            ("question-links", purge_questions),
            *retention_jobs(database, settings.retention),
        ],
        dispatch_every=timedelta(seconds=settings.scheduler.dispatch_every_seconds),
        plan_every=timedelta(minutes=settings.scheduler.plan_every_minutes),
    )


# ---------------------------------------------------------------------------
# One scheduler per SQLite file
# ---------------------------------------------------------------------------


class SchedulerAlreadyRunning(Exception):
    """Another process already runs the scheduler on this SQLite database."""


class SchedulerLock:
    """An exclusive lock file beside a SQLite database, held while the scheduler runs.

    SQLite cannot arbitrate several dispatchers safely across processes, so the second
    `allybot serve` on the same file is refused with a clear message. The operating
    system releases the lock if the process dies, so a crash never leaves it stuck.
    """

    def __init__(self, database_path: Path) -> None:
        # Beside the file itself, so the same file reached through a symlink or another
        # relative path meets the same lock.
        real = database_path.resolve()
        self.path = real.with_name(real.name + ".scheduler.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SchedulerAlreadyRunning(
                f"another allybot process is already running the scheduler on this SQLite "
                f"database ({self.path.name} is locked). SQLite supports one `allybot serve` "
                "at a time: stop the other one, or use PostgreSQL (DATABASE_URL) to run "
                "several."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL or an in-memory database."""
    if not url.startswith("sqlite"):
        return None
    _, _, path = url.partition(":///")
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        return None
    return Path(path.split("?", 1)[0])
