"""Retention: every period in `[retention]` is enforced, old rows go, newer ones stay, and
blanking or deleting finished posts never makes the outbox post anything twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.config_loading import load_settings
from bot.delivery import Pacer, Publishers, TargetKind
from bot.errors import ConfigError
from bot.funnel import ErrorFunnel
from bot.housekeeping import BLANK_POST, Job, retention_jobs
from bot.messages import Reply
from bot.outbox import Dispatcher
from bot.outbox_codec import decode_reply, encode_reply
from bot.retention_settings import RetentionSettings
from bot.scheduler import BotScheduler
from handlers.breakouts.post_keys import open_signup_posts
from handlers.sessions.reminders import SessionReminderPlanner
from storage.database import Database
from storage.models import (
    AnonymousQuestion,
    AuditEntry,
    Base,
    BreakoutSettings,
    Consent,
    InboundDelivery,
    Membership,
    Network,
    NetworkSession,
    OutboxPost,
    PendingJoin,
    SessionFeedback,
    SessionRegistration,
    User,
)
from storage.repositories import OutboxRepository
from storage.statuses import OutboxStatus
from tests.conftest import NOW
from tests.core.test_scheduler import LONDON, FakeSessions, training
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import FakeTime, RecordingPublisher

RETENTION = RetentionSettings()
DAY = timedelta(days=1)


# What the features ask housekeeping to keep (the served bot takes it from the registry).
KEPT_POSTS = [open_signup_posts]


async def run_all(database: Database, now: datetime) -> dict[str, int]:
    jobs = retention_jobs(database, RETENTION, KEPT_POSTS)
    return {name: await job(now) for name, job in jobs}


async def count(database: Database, model: type[Base]) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def add(database: Database, *rows: Base) -> None:
    async with database.transaction() as session:
        session.add_all(rows)


async def a_network(database: Database) -> int:
    async with database.transaction() as session:
        network = Network(slug="pride", name="Pride Network", created_at=NOW - 1000 * DAY)
        session.add(network)
        await session.flush()
        return network.id


async def a_person(database: Database, name: str, last_seen: datetime = NOW) -> int:
    async with database.transaction() as session:
        user = User(
            platform="console",
            external_id=name,
            display_name=name.title(),
            created_at=last_seen,
            last_seen_at=last_seen,
        )
        session.add(user)
        await session.flush()
        return user.id


async def a_session(database: Database, network_id: int, starts_at: datetime) -> int:
    async with database.transaction() as session:
        item = NetworkSession(
            network_id=network_id,
            title="Allyship training",
            kind="training",
            starts_at=starts_at,
            duration_minutes=180,
            created_at=starts_at - 30 * DAY,
        )
        session.add(item)
        await session.flush()
        return item.id


def sent_post(key: str, due: datetime, text: str = "Breakout rooms: Kim, Lee") -> OutboxPost:
    return OutboxPost(
        schedule_key=key,
        occurrence_at=due,
        due_at=due,
        network_id=None,
        platform="console",
        target_kind=TargetKind.PERSON.value,
        target_ref="console:kim",
        message=encode_reply(Reply(text=text)),
        status=OutboxStatus.SENT,
        attempts=1,
        next_attempt_at=due,
        sent_at=due,
        platform_message_id="m1",
        created_at=due - DAY,
    )


async def test_delivery_records_go_after_their_period_and_recent_ones_stay(
    database: Database,
) -> None:
    await add(
        database,
        InboundDelivery(key="slack:old", platform="slack", received_at=NOW - 8 * DAY),
        InboundDelivery(key="slack:new", platform="slack", received_at=NOW - 6 * DAY),
    )
    changed = await run_all(database, NOW)
    assert changed["deliveries"] == 1
    async with database.transaction() as session:
        kept = list(await session.scalars(select(InboundDelivery.key)))
    assert kept == ["slack:new"]


async def test_a_join_never_agreed_to_expires_and_a_recent_one_stays(database: Database) -> None:
    network_id = await a_network(database)
    old, new = await a_person(database, "kim"), await a_person(database, "lee")
    await add(
        database,
        PendingJoin(user_id=old, network_id=network_id, role="member", created_at=NOW - 8 * DAY),
        PendingJoin(user_id=new, network_id=network_id, role="ally", created_at=NOW - 6 * DAY),
    )
    await run_all(database, NOW)
    async with database.transaction() as session:
        kept = list(await session.scalars(select(PendingJoin.user_id)))
    assert kept == [new]


async def test_answered_and_expired_questions_go_after_their_period_open_ones_stay(
    database: Database,
) -> None:
    network_id = await a_network(database)

    def question(text: str, status: str, at: datetime) -> AnonymousQuestion:
        return AnonymousQuestion(
            network_id=network_id,
            asker_user_id=None,
            text=text,
            status=status,
            created_at=at,
            answered_at=at if status == "answered" else None,
            answer="An answer." if status == "answered" else "",
            published_entry="",
        )

    await add(
        database,
        question("old answered", "answered", NOW - 181 * DAY),
        question("old expired", "expired", NOW - 181 * DAY),
        question("recent answered", "answered", NOW - 179 * DAY),
        # Still waiting for the leads: kept, whatever its age (its asker link expires apart).
        question("old but open", "sent", NOW - 400 * DAY),
    )
    await run_all(database, NOW)
    async with database.transaction() as session:
        kept = sorted(await session.scalars(select(AnonymousQuestion.text)))
    assert kept == ["old but open", "recent answered"]


async def test_old_feedback_keeps_its_rating_and_loses_its_comment_and_signature(
    database: Database,
) -> None:
    network_id = await a_network(database)
    session_id = await a_session(database, network_id, NOW - 200 * DAY)
    kim = await a_person(database, "kim")
    await add(
        database,
        SessionFeedback(
            session_id=session_id,
            user_id=kim,
            rating=4,
            comment="Kim here: loved it",
            created_at=NOW - 181 * DAY,
        ),
        SessionFeedback(
            session_id=session_id, rating=5, comment="Recent thoughts", created_at=NOW - DAY
        ),
    )
    await run_all(database, NOW)
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(
                    SessionFeedback.rating, SessionFeedback.comment, SessionFeedback.user_id
                ).order_by(SessionFeedback.rating)
            )
        ).all()
    assert [tuple(row) for row in rows] == [(4, "", None), (5, "Recent thoughts", None)]


async def test_sessions_go_with_their_registrations_after_their_period(
    database: Database,
) -> None:
    network_id = await a_network(database)
    old = await a_session(database, network_id, NOW - 731 * DAY)
    recent = await a_session(database, network_id, NOW - 729 * DAY)
    kim = await a_person(database, "kim")
    for session_id in (old, recent):
        await add(
            database,
            SessionRegistration(
                session_id=session_id,
                user_id=kim,
                status="registered",
                position=1,
                registered_at=NOW - 800 * DAY,
                attended=True,
                created_at=NOW - 800 * DAY,
            ),
        )
    await run_all(database, NOW)
    async with database.transaction() as session:
        sessions = list(await session.scalars(select(NetworkSession.id)))
        registrations = list(await session.scalars(select(SessionRegistration.session_id)))
    assert sessions == [recent]
    assert registrations == [recent]


async def test_the_audit_log_and_withdrawn_consents_go_after_their_period(
    database: Database,
) -> None:
    kim, lee, ash = [await a_person(database, name) for name in ("kim", "lee", "ash")]
    await add(
        database,
        AuditEntry(at=NOW - 366 * DAY, actor_key="console:alex", action="old", subject=""),
        AuditEntry(at=NOW - 364 * DAY, actor_key="console:alex", action="recent", subject=""),
        Consent(
            user_id=kim, text_version="v", agreed_at=NOW - 900 * DAY, withdrawn_at=NOW - 366 * DAY
        ),
        Consent(
            user_id=lee, text_version="v", agreed_at=NOW - 900 * DAY, withdrawn_at=NOW - 364 * DAY
        ),
        # Agreed long ago and never withdrawn: still in force, so kept.
        Consent(user_id=ash, text_version="v", agreed_at=NOW - 900 * DAY),
    )
    await run_all(database, NOW)
    async with database.transaction() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
        consents = sorted(await session.scalars(select(Consent.user_id)))
    assert actions == ["recent"]
    assert consents == sorted([lee, ash])


async def test_people_away_long_with_nothing_kept_are_forgotten_members_are_not(
    database: Database,
) -> None:
    network_id = await a_network(database)
    await a_person(database, "gone", last_seen=NOW - 366 * DAY)
    await a_person(database, "recent", last_seen=NOW - 364 * DAY)
    member = await a_person(database, "member", last_seen=NOW - 900 * DAY)
    await add(
        database,
        Membership(user_id=member, network_id=network_id, role="member", joined_at=NOW),
    )
    await run_all(database, NOW)
    async with database.transaction() as session:
        kept = sorted(await session.scalars(select(User.external_id)))
    assert kept == ["member", "recent"]


async def test_finished_posts_lose_their_content_then_their_row_and_are_never_posted_again(
    database: Database, clock: FixedClock
) -> None:
    await a_network(database)
    source = FakeSessions(
        sessions=[training(NOW + timedelta(hours=20))], people={5: ["console:kim"]}
    )
    planner = SessionReminderPlanner(database, source, LONDON)
    publisher = RecordingPublisher()
    publishers = Publishers()
    publishers.register("console", publisher)
    fake = FakeTime()
    dispatcher = Dispatcher(
        database=database,
        publishers=publishers,
        clock=clock,
        messenger=RecordingMessenger(),
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
    )
    # The day-before and hour-before reminders, then the feedback request, all go out.
    for hours in (0, 19, 24):
        clock.set(NOW + timedelta(hours=hours))
        await planner.plan(clock.now())
        assert (await dispatcher.run_once()).sent == 1

    # A month on, the sent posts no longer say what the session was...
    await run_all(database, NOW + 32 * DAY)
    async with database.transaction() as session:
        rows = list(await OutboxRepository(session).with_prefix("session:5:"))
    assert len(rows) == 3
    for row in rows:
        assert row.status == OutboxStatus.SENT and row.message == BLANK_POST
        assert "Allyship" not in row.message
        assert decode_reply(row.message).text == ""

    # ...but their rows still stop the planner writing them again, even inside its window.
    for hours in (0, 19, 24):
        clock.set(NOW + timedelta(hours=hours))
        await planner.plan(clock.now())
        assert (await dispatcher.run_once()).sent == 0

    # After the row period they are gone, and no planner looks back that far.
    later = NOW + 92 * DAY
    changed = await run_all(database, later)
    assert changed["outbox-rows"] == 3
    assert await count(database, OutboxPost) == 0
    clock.set(later)
    await planner.plan(later)
    assert (await dispatcher.run_once()).sent == 0
    assert len(publisher.published) == 3


async def test_pending_posts_keep_their_content_whatever_their_age(database: Database) -> None:
    post = sent_post("announcement:1:console", NOW - 100 * DAY, text="Still to go out")
    post.status = "pending"
    post.sent_at = None
    await add(database, post)
    await run_all(database, NOW)
    async with database.transaction() as session:
        [row] = await OutboxRepository(session).with_prefix("announcement:1:")
    assert decode_reply(row.message).text == "Still to go out"


async def test_an_open_breakout_signup_keeps_its_post_so_it_is_not_posted_again(
    database: Database,
) -> None:
    network_id = await a_network(database)
    open_id = await a_session(database, network_id, NOW + 10 * DAY)
    closed_id = await a_session(database, network_id, NOW - 50 * DAY)
    for session_id, closes in ((open_id, NOW + 9 * DAY), (closed_id, NOW - 51 * DAY)):
        await add(
            database,
            BreakoutSettings(
                session_id=session_id,
                rounds=1,
                opens_at=NOW - 100 * DAY,
                closes_at=closes,
                updated_at=NOW - 100 * DAY,
            ),
            sent_post(f"breakout:{session_id}:signup:console", NOW - 100 * DAY),
        )
    await run_all(database, NOW)
    async with database.transaction() as session:
        kept = [row.schedule_key for row in await OutboxRepository(session).with_prefix("")]
    # The open signup's post is re-planned until it closes: deleting it would post it anew.
    assert kept == [f"breakout:{open_id}:signup:console"]


async def test_housekeeping_runs_at_start_up_through_the_error_funnel(
    database: Database, clock: FixedClock
) -> None:
    await add(
        database, InboundDelivery(key="slack:old", platform="slack", received_at=NOW - 30 * DAY)
    )
    ran: list[str] = []

    async def broken(now: datetime) -> int:
        ran.append("broken")
        raise RuntimeError("boom")

    jobs: list[tuple[str, Job]] = [
        ("broken", broken),
        *retention_jobs(database, RETENTION, KEPT_POSTS),
    ]
    scheduler = BotScheduler(
        dispatcher=Dispatcher(
            database=database, publishers=Publishers(), clock=clock, messenger=RecordingMessenger()
        ),
        planners=[],
        clock=clock,
        zone=LONDON,
        funnel=ErrorFunnel(),
        housekeeping=jobs,
    )
    await scheduler.start()
    await scheduler.in_flight.drain()
    await scheduler.stop()
    # One failing job is reported and the others still run.
    assert ran == ["broken"]
    assert await count(database, InboundDelivery) == 0


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_retention_periods_are_read_from_the_config(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, "[retention]\ndeliveries_days = 2\nsessions_days = 365\n"), environ={}
    )
    assert settings.retention.deliveries_days == 2
    assert settings.retention.sessions_days == 365
    assert settings.retention.outbox_content_days == 30
    assert settings.warnings == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[retention]\ndeliveries_days = "a week"\n', "retention.deliveries_days"),
        ("[retention]\ndeliveries_days = 0\n", "between 1 and 365"),
        ("[retention]\noutbox_content_days = 60\noutbox_rows_days = 30\n", "outbox_content_days"),
        (
            "[scheduler]\ngrace_hours = 72.0\n[retention]\noutbox_content_days = 2\n"
            "outbox_rows_days = 3\n",
            "scheduler.grace_hours",
        ),
    ],
)
def test_a_bad_retention_period_names_the_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text), environ={})
    assert words in str(raised.value)
