"""`networks` and `my` with 50 networks and 100,000 memberships, through router.dispatch.

Target (issue 4): each under 10 ms. Runs on SQLite (a temporary file) and, when
ALLYBOT_TEST_POSTGRES_URL is set or `--postgres URL` is given, on PostgreSQL in a fresh
schema that is dropped afterwards. Each timing is a whole request: the user lookup and
touch, roles, the handler's queries and the commit.

    python bench/bench_networks.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import insert

# The recording messenger is a test fake, in tests/ beside bot/.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.config_loading import normalise_database_url  # noqa: E402
from bot.messages import Conversation, Person, Request  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Membership, Network, User  # noqa: E402
from tests.fakes.messenger import RecordingMessenger  # noqa: E402

NETWORKS = 50
USERS = 20_000
PER_USER = 5  # 20,000 people in 5 networks each: 100,000 memberships
RUNS = 200
WARM_UP = 20
TARGET_MS = 10.0
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


async def fill(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(
            insert(Network),
            [
                {
                    "id": number + 1,
                    "slug": f"network-{number + 1:02d}",
                    "name": f"Network {number + 1:02d}",
                    "description": "A staff network open to every colleague, as member or ally.",
                    "meets": "Monthly, online",
                    "contact": f"network{number + 1}@example.org",
                    "created_at": NOW,
                }
                for number in range(NETWORKS)
            ],
        )
        await session.execute(
            insert(User),
            [
                {
                    "id": number + 1,
                    "platform": "console",
                    "external_id": f"u{number + 1}",
                    "display_name": f"User {number + 1}",
                    "created_at": NOW,
                    "last_seen_at": NOW,
                }
                for number in range(USERS)
            ],
        )
        rows = [
            {
                "user_id": user + 1,
                "network_id": (user * 7 + step * 11) % NETWORKS + 1,
                "role": "ally" if (user + step) % 3 else "member",
                "joined_at": NOW,
            }
            for user in range(USERS)
            for step in range(PER_USER)
        ]
        for start in range(0, len(rows), 10_000):
            await session.execute(insert(Membership), rows[start : start + 10_000])
    if database.is_postgres:
        # Fresh tables: give the planner statistics as a running database would have.
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE")


async def time_command(dispatch, text: str, user: str) -> list[float]:  # type: ignore[no-untyped-def]
    request = Request(
        person=Person("console", user, f"User {user[1:]}"),
        text=text,
        conversation=Conversation("D-bench"),
    )
    timings = []
    for run in range(WARM_UP + RUNS):
        started = time.perf_counter()
        replies = await dispatch(request)
        elapsed = (time.perf_counter() - started) * 1000
        if run >= WARM_UP:
            timings.append(elapsed)
    if "Network" not in replies[0].text:
        raise SystemExit(f"unexpected reply to {text!r}: {replies[0].text[:200]!r}")
    return timings


def summary(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


async def bench(label: str, database: Database) -> bool:
    await database.upgrade()
    started = time.perf_counter()
    await fill(database)
    print(
        f"{label}: filled {NETWORKS} networks, {USERS * PER_USER:,} memberships "
        f"in {time.perf_counter() - started:.1f} s"
    )
    app = await build_application(
        Settings(demo_content=False),
        messenger=RecordingMessenger(),
        demo=False,
        clock=FixedClock(NOW),
        database=database,
        upgrade=False,
    )
    ok = True
    # `network <name>` counts one network's members and allies; timed as a bonus.
    for text in ("networks", "my", "network network-01"):
        median, p95 = summary(await time_command(app.router.dispatch, text, "u1"))
        if text != "network network-01":
            ok = ok and p95 < TARGET_MS
        print(f"{label}: {text:<18} median {median:6.2f} ms   p95 {p95:6.2f} ms   ({RUNS} runs)")
    return ok


async def main(postgres_url: str) -> int:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        try:
            results.append(await bench("sqlite", database))
        finally:
            await database.dispose()
    if postgres_url:
        plain = postgres_url.replace("postgresql+asyncpg://", "postgresql://")
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        connection = await asyncpg.connect(plain)
        await connection.execute(f'CREATE SCHEMA "{schema}"')
        await connection.close()
        database = Database(normalise_database_url(postgres_url), schema=schema)
        try:
            results.append(await bench("postgres", database))
        finally:
            await database.dispose()
            connection = await asyncpg.connect(plain)
            await connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await connection.close()
    else:
        print("postgres: skipped (set ALLYBOT_TEST_POSTGRES_URL or pass --postgres URL)")
    verdict = "meets" if all(results) else "MISSES"
    print(f"verdict: {verdict} the {TARGET_MS:.0f} ms target (p95) for `networks` and `my`")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("ALLYBOT_TEST_POSTGRES_URL", ""))
    raise SystemExit(asyncio.run(main(parser.parse_args().postgres)))
