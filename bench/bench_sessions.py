"""`sessions`, `my` and `register` with 5,000 sessions and 500,000 registrations.

Target (issue 6): each under 15 ms (median and p95) through `Router.dispatch`, on SQLite,
and on PostgreSQL too when ALLYBOT_TEST_POSTGRES_URL is set. The data is bulk-loaded
with executemany in large batches so that setting up takes seconds, not minutes.

    python bench/bench_sessions.py [--registrations 500000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert, select

# The recording messenger is a test fake, in tests/ beside bot/.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import Application, build_application  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.config_loading import normalise_database_url  # noqa: E402
from bot.messages import Conversation, Person, Request  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Network, NetworkSession, SessionRegistration, User  # noqa: E402
from tests.fakes.messenger import RecordingMessenger  # noqa: E402

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SESSIONS = 5_000
PER_SESSION_CAPACITY = 80
USERS = 50_000
BATCH = 20_000
TARGET_MS = 15.0


async def bulk_load(database: Database, registrations: int) -> None:
    per_session = registrations // SESSIONS
    async with database.transaction() as session:
        networks = (await session.scalars(select(Network.id).order_by(Network.id))).all()
        await session.execute(
            insert(User),
            [
                {
                    "platform": "console",
                    "external_id": f"u{number}",
                    "display_name": f"User {number}",
                    "created_at": NOW,
                    "last_seen_at": NOW,
                }
                for number in range(USERS)
            ],
        )
        first_user = await session.scalar(select(User.id).where(User.external_id == "u0"))
        assert first_user is not None
        # Sessions from a year ago to a year ahead, so most of them are in the past.
        await session.execute(
            insert(NetworkSession),
            [
                {
                    "network_id": networks[number % len(networks)],
                    "title": f"Session {number}",
                    "kind": ("webinar", "training", "social")[number % 3],
                    "starts_at": NOW + timedelta(hours=(number - SESSIONS // 2) * 3.5),
                    "duration_minutes": 90,
                    "location": "https://meet.example/x",
                    "description": "",
                    "capacity": PER_SESSION_CAPACITY,
                    "status": "scheduled",
                    "facilitators": "",
                    "invite_only": False,
                    "recording_url": "",
                    "created_at": NOW,
                }
                for number in range(SESSIONS)
            ],
        )
        session_ids = (
            await session.scalars(
                select(NetworkSession.id).where(NetworkSession.title.like("Session %"))
            )
        ).all()
    rows: list[dict[str, object]] = []
    for index, session_id in enumerate(session_ids):
        for place in range(per_session):
            user = first_user + (index * 97 + place * 131) % USERS
            waiting = place >= PER_SESSION_CAPACITY
            rows.append(
                {
                    "session_id": session_id,
                    "user_id": user,
                    "status": "waitlisted" if waiting else "registered",
                    "position": place + 1,
                    "registered_at": NOW,
                    "access_needs": None,
                    "needs_delete_after": None,
                    "attended": False,
                    "neutral_title": False,
                    "calendar_sequence": 1,
                    "feedback_given": False,
                    "created_at": NOW,
                }
            )
            if len(rows) >= BATCH:
                await _insert(database, rows)
                rows = []
    if rows:
        await _insert(database, rows)
    # A live database has planner statistics; a freshly bulk-loaded one needs them gathered.
    async with database.engine.connect() as connection:
        await connection.exec_driver_sql("ANALYZE")
        await connection.commit()


async def _insert(database: Database, rows: list[dict[str, object]]) -> None:
    async with database.transaction() as session:
        await session.execute(insert(SessionRegistration), rows)


def request(user: str, text: str) -> Request:
    return Request(Person("console", user, user), text, Conversation("D-bench"))


async def timed(rounds: int, action: Callable[[int], Awaitable[None]]) -> tuple[float, float]:
    for warm in range(5):
        await action(-1 - warm)
    samples = []
    for number in range(rounds):
        started = time.perf_counter()
        await action(number)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


async def run(label: str, database: Database, registrations: int, rounds: int) -> bool:
    await database.upgrade()
    application: Application = await build_application(
        Settings(),
        messenger=RecordingMessenger(),
        demo=True,
        clock=FixedClock(NOW),
        database=database,
        upgrade=False,
    )
    started = time.perf_counter()
    await bulk_load(database, registrations)
    print(
        f"[{label}] loaded {SESSIONS:,} sessions, {registrations:,} registrations "
        f"in {time.perf_counter() - started:.1f} s"
    )
    async with database.transaction() as session:
        upcoming = (
            await session.scalars(
                select(NetworkSession.id)
                .where(NetworkSession.starts_at > NOW, NetworkSession.title.like("Session %"))
                .order_by(NetworkSession.starts_at)
            )
        ).all()
    router = application.router

    async def sessions(_: int) -> None:
        await router.dispatch(request("u1", "sessions"))

    async def my(number: int) -> None:
        await router.dispatch(request(f"u{abs(number) * 7 % USERS}", "my"))

    async def register(number: int) -> None:
        # A new person each time, into a session that is usually full: the waitlist path.
        target = upcoming[abs(number) % len(upcoming)]
        replies = await router.dispatch(request(f"new{number}", f"register {target}"))
        assert "registered" in replies[0].text or "waitlist" in replies[0].text, replies[0].text

    ok = True
    for name, action in (("sessions", sessions), ("my", my), ("register", register)):
        median, p95 = await timed(rounds, action)
        within = median < TARGET_MS and p95 < TARGET_MS
        ok = ok and within
        print(
            f"[{label}] {name:<9} median {median:6.2f} ms   p95 {p95:6.2f} ms   "
            f"{'ok' if within else 'OVER ' + str(TARGET_MS) + ' ms'}"
        )
    await application.close()
    return ok


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args()
    logging.disable(logging.INFO)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        results.append(await run("sqlite", Database(url), options.registrations, options.rounds))
    postgres = os.environ.get("ALLYBOT_TEST_POSTGRES_URL", "")
    if postgres:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        plain = postgres.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(plain)
        await connection.execute(f'CREATE SCHEMA "{schema}"')
        await connection.close()
        try:
            database = Database(normalise_database_url(postgres), schema=schema)
            results.append(await run("postgres", database, options.registrations, options.rounds))
        finally:
            connection = await asyncpg.connect(plain)
            await connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await connection.close()
    else:
        print("[postgres] skipped: set ALLYBOT_TEST_POSTGRES_URL to measure it too")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
