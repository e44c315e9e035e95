"""Wall-clock times across the clock changes, the session reminders, the scheduler's wiring
and the one-scheduler-per-SQLite-file rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FixedClock
from bot.delivery import Pacer, Publishers
from bot.funnel import ErrorFunnel
from bot.outbox import Dispatcher
from bot.outbox_codec import decode_reply
from bot.scheduler import BotScheduler
from bot.scheduler_lock import SchedulerAlreadyRunning, SchedulerLock, sqlite_path
from bot.wall_clock import parse_clock_time, wall_clock
from handlers.sessions.reminders import SessionReminderPlanner, UpcomingSession
from storage.database import Database
from storage.repositories import OutboxRepository
from tests.conftest import NOW
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import FakeTime, RecordingPublisher

LONDON = ZoneInfo("Europe/London")


def test_nine_in_the_morning_is_nine_local_in_summer_and_in_winter() -> None:
    summer = wall_clock(date(2026, 7, 14), time(9, 0), LONDON)
    winter = wall_clock(date(2026, 12, 3), time(9, 0), LONDON)
    assert summer == datetime(2026, 7, 14, 8, 0, tzinfo=UTC)
    assert winter == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_time_skipped_when_the_clocks_go_forward_posts_at_the_first_time_after_it() -> None:
    # Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST, so 01:30 never happens.
    moment = wall_clock(date(2026, 3, 29), time(1, 30), LONDON)
    assert moment == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert moment.astimezone(LONDON).strftime("%H:%M %Z") == "02:00 BST"


def test_a_time_that_happens_twice_when_the_clocks_go_back_posts_once_at_the_first() -> None:
    # Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice.
    days = [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)]
    moments = [wall_clock(day, time(1, 30), LONDON) for day in days]
    assert moments[1] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert moments[1].astimezone(LONDON).strftime("%H:%M %Z") == "01:30 BST"
    # Exactly one post on that day, and a day apart from its neighbours by the wall clock.
    assert [m.astimezone(LONDON).date() for m in moments] == days


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("09:00", time(9)), ("9:30", time(9, 30)), ("9am", time(9)), ("5.30pm", time(17, 30))],
)
def test_clock_times_are_read_the_ways_people_type_them(typed: str, expected: time) -> None:
    assert parse_clock_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9:5", "noonish", "13pm", ""])
def test_things_that_are_not_clock_times_are_refused(typed: str) -> None:
    assert parse_clock_time(typed) is None


@dataclass(slots=True)
class FakeSessions:
    """The sessions feature as the reminder planner sees it."""

    sessions: list[UpcomingSession] = field(default_factory=list)
    people: dict[int, list[str]] = field(default_factory=dict)
    neutral: set[str] = field(default_factory=set)

    async def starting_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]:
        return [item for item in self.sessions if start <= item.starts_at < end]

    async def ended_between(
        self, session: AsyncSession, start: datetime, end: datetime
    ) -> Sequence[UpcomingSession]:
        return [item for item in self.sessions if start <= item.ends_at < end]

    async def registrants(self, session: AsyncSession, session_id: int) -> Sequence[str]:
        return self.people.get(session_id, [])

    async def wanting_neutral_titles(self, session: AsyncSession, session_id: int) -> set[str]:
        return self.neutral


def training(starts_at: datetime, session_id: int = 5) -> UpcomingSession:
    return UpcomingSession(
        id=session_id,
        network_id=1,
        title="Allyship training",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
    )


async def test_registrants_get_private_reminders_a_day_and_an_hour_before_then_feedback(
    app, clock: FixedClock, messenger: RecordingMessenger
) -> None:  # type: ignore[no-untyped-def]
    source = FakeSessions(
        sessions=[training(NOW + timedelta(hours=20))],
        people={5: ["console:kim", "console:lee"]},
        neutral={"console:lee"},
    )
    planner = SessionReminderPlanner(app.database, source, LONDON)
    publisher = RecordingPublisher()
    publishers = Publishers()
    publishers.register("console", publisher)
    fake = FakeTime()
    dispatcher = Dispatcher(
        database=app.database,
        publishers=publishers,
        clock=clock,
        messenger=messenger,
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
    )

    # The 24-hour reminder fell due 4 hours ago, within the grace period: sent, late.
    await planner.plan(clock.now())
    await planner.plan(clock.now())  # planning twice changes nothing
    report = await dispatcher.run_once()
    assert (report.sent, report.late) == (2, 2)
    assert sorted(item.target.ref for item in publisher.published) == [
        "console:kim",
        "console:lee",
    ]
    texts = {item.target.ref: item.reply.text for item in publisher.published}
    assert "Allyship training starts Sunday 22 November at 06:00" in texts["console:kim"]
    # Lee asked for a neutral title: the reminder does not name the session.
    assert "Allyship" not in texts["console:lee"]
    assert "your session 5 starts Sunday 22 November at 06:00" in texts["console:lee"]

    # Someone cancels before the 1-hour reminder: only the other person gets it.
    source.people[5] = ["console:kim"]
    clock.set(NOW + timedelta(hours=19))
    await planner.plan(clock.now())
    report = await dispatcher.run_once()
    assert report.sent == 1
    assert publisher.published[-1].target.ref == "console:kim"

    clock.set(NOW + timedelta(hours=24))
    await planner.plan(clock.now())
    await dispatcher.run_once()
    assert publisher.published[-1].reply.heading == "How was it?"
    assert "feedback 5 <1-5>" in publisher.published[-1].reply.text
    assert len(publisher.published) == 4


async def test_reminders_of_a_cancelled_session_are_withdrawn_before_they_go(
    app, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    database = app.database
    source = FakeSessions(sessions=[training(NOW + timedelta(hours=29))], people={5: ["slack:U1"]})
    planner = SessionReminderPlanner(database, source, LONDON)
    clock.set(NOW + timedelta(hours=5))
    await planner.plan(clock.now())
    async with database.transaction() as session:
        planned = await OutboxRepository(session).with_prefix("session:5:")
    assert [row.schedule_key for row in planned] == [
        "session:5:reminder-24h:slack:U1",
        "session:5:reminder-1h:slack:U1",
    ]
    assert decode_reply(planned[0].message).visibility.value == "private"

    source.sessions.clear()
    await planner.plan(clock.now())
    async with database.transaction() as session:
        assert list(await OutboxRepository(session).with_prefix("session:")) == []


async def test_the_scheduler_plans_and_dispatches_at_once_then_on_its_triggers(
    database: Database, clock: FixedClock
) -> None:
    dispatcher = Dispatcher(
        database=database, publishers=Publishers(), clock=clock, messenger=RecordingMessenger()
    )
    scheduler = BotScheduler(
        dispatcher=dispatcher, planners=[], clock=clock, zone=LONDON, funnel=ErrorFunnel()
    )
    await scheduler.start()
    try:
        times = scheduler.next_fire_times()
        now = datetime.now(LONDON)
        # Catch-up: planning and dispatching run straight away on start.
        assert times["plan"] is not None and times["plan"] <= now + timedelta(seconds=1)
        assert times["dispatch"] is not None
        assert times["dispatch"] <= now + timedelta(seconds=2)
        housekeeping = times["housekeeping"]
        assert housekeeping is not None
        local = housekeeping.astimezone(LONDON)
        assert (local.hour, local.minute) == (3, 15)
        assert str(housekeeping.tzinfo) == "Europe/London"
    finally:
        await scheduler.stop()


def test_a_second_scheduler_on_the_same_sqlite_file_is_refused_clearly(tmp_path: Path) -> None:
    database_file = tmp_path / "allybot.db"
    first = SchedulerLock(database_file)
    first.acquire()
    try:
        with pytest.raises(SchedulerAlreadyRunning, match="SQLite supports one `allybot serve`"):
            SchedulerLock(database_file).acquire()
    finally:
        first.release()
    # Once the first has stopped, a new one may start.
    again = SchedulerLock(database_file)
    again.acquire()
    again.release()


def test_the_same_sqlite_file_through_a_symlink_is_refused_too(tmp_path: Path) -> None:
    database_file = tmp_path / "data" / "allybot.db"
    database_file.parent.mkdir()
    database_file.touch()
    alias = tmp_path / "alias.db"
    alias.symlink_to(database_file)
    first = SchedulerLock(database_file)
    first.acquire()
    try:
        with pytest.raises(SchedulerAlreadyRunning):
            SchedulerLock(alias).acquire()
    finally:
        first.release()


def test_only_sqlite_files_need_the_lock() -> None:
    assert sqlite_path("sqlite+aiosqlite:////var/lib/allybot/bot.db") == Path(
        "/var/lib/allybot/bot.db"
    )
    assert sqlite_path("sqlite+aiosqlite:///:memory:") is None
    assert sqlite_path("postgresql+asyncpg://db/allybot") is None


async def test_the_real_sessions_source_finds_registrants_of_upcoming_sessions(
    app, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    from handlers.sessions.reminders import StoredSessions
    from storage.models import Network, NetworkSession, SessionRegistration, User

    async with app.database.transaction() as session:
        network = (await session.execute(select(Network).limit(1))).scalar_one()
        talk = NetworkSession(
            network_id=network.id,
            title="Allyship 101",
            kind="webinar",
            starts_at=NOW + timedelta(hours=24),
            duration_minutes=60,
            created_at=NOW,
        )
        kim = User(platform="slack", external_id="UKIM", created_at=NOW, last_seen_at=NOW)
        session.add_all([talk, kim])
        await session.flush()
        session.add(
            SessionRegistration(
                session_id=talk.id,
                user_id=kim.id,
                status="registered",
                position=1,
                neutral_title=True,
                registered_at=NOW,
                created_at=NOW,
            )
        )
    planner = SessionReminderPlanner(app.database, StoredSessions(), LONDON)
    assert await planner.plan(clock.now()) == 2
    async with app.database.transaction() as session:
        rows = await OutboxRepository(session).with_prefix(f"session:{talk.id}:")
    assert [(row.schedule_key.split(":")[2], row.target_ref) for row in rows] == [
        ("reminder-24h", "slack:UKIM"),
        ("reminder-1h", "slack:UKIM"),
    ]
    # Kim asked for a neutral title: the reminder does not name the session.
    assert all("Allyship 101" not in decode_reply(row.message).text for row in rows)
