"""Two real `allybot serve` replicas on one PostgreSQL share a fan-out of 40 Slack posts, and
one of them is stopped in the middle of it: by kill -9, or by SIGTERM.

The replicas post to the local fake Slack Web API (each with its own bot token, so the
fake tells them apart), with a short lease and dispatch interval from `[scheduler]`.
Killed after Slack took a post but before it recorded it, the replica's posts are taken
over by the other within a lease, and the one in flight is found in the channel's
history instead of being posted again. Stopped with SIGTERM, it finishes the send under
way and hands the rest back, and the other sends them at once.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config_loading import normalise_database_url
from bot.messages import Reply, Visibility
from bot.outbox_codec import encode_reply
from storage.database import Database
from storage.repositories import OutboxRepository, PlannedPost
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.fakes.slack_history import posted_outbox_ids
from tests.support.replicas import ServeProcess, needs_postgres, start_serve

POSTS = 40
LEASE_SECONDS = 3.0


def config(lease_seconds: float) -> str:
    return f"""
[server]
host = "127.0.0.1"
port = 0
shutdown_timeout_seconds = 5

[scheduler]
lease_seconds = {lease_seconds}
dispatch_every_seconds = 0.3
batch_size = 10
posts_per_second = 8
"""


@dataclass(slots=True)
class Posts:
    """What Slack accepted, from whom and when: the fake's hook sees each call first."""

    at: list[tuple[float, str, str]] = field(default_factory=list)

    def by(self, token: str) -> int:
        return sum(1 for _, who, _ in self.at if who == token)


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


async def fan_out(database_url: str) -> datetime:
    """Forty announcements, one to each of forty channels, all due now."""
    now = datetime.now(UTC)
    database = Database(normalise_database_url(database_url))
    try:
        async with database.transaction() as session:
            await OutboxRepository(session).plan(
                [
                    PlannedPost(
                        schedule_key=f"fanout:{n}",
                        occurrence_at=now,
                        due_at=now,
                        network_id=None,
                        platform="slack",
                        target_kind="channel",
                        target_ref=f"C{n:04d}",
                        message=encode_reply(
                            Reply(text=f"Announcement {n}", visibility=Visibility.CONVERSATION)
                        ),
                    )
                    for n in range(POSTS)
                ],
                now,
            )
    finally:
        await database.dispose()
    return now


async def statuses(database_url: str) -> Counter[str]:
    database = Database(normalise_database_url(database_url))
    try:
        async with database.transaction() as session:
            posts = await OutboxRepository(session).with_prefix("fanout:")
            return Counter(post.status for post in posts)
    finally:
        await database.dispose()


async def run_two_and_stop_one(
    tmp_path: Path, database_url: str, api: FakeSlackApi, stop: signal.Signals, lease: float
) -> tuple[ServeProcess, ServeProcess, Posts, float, float]:
    """Both replicas serving, then the fan-out; `stop` goes to the first at its third post,
    while Slack holds that post's answer. Returns when all forty are in, with the moment
    of the signal (monotonic, and on the wall clock the logs use)."""
    (tmp_path / "config.toml").write_text(config(lease))
    first = start_serve(tmp_path, database_url, api.api_url, "first")
    second = start_serve(tmp_path, database_url, api.api_url, "second")
    replicas = (first, second)
    posts = Posts()
    stopped_at = 0.0
    stopped_wall = 0.0

    async def before_answer(call: Call) -> None:
        nonlocal stopped_at, stopped_wall
        if call.method != "chat.postMessage" or "metadata" not in call.body:
            return
        outbox_id = str(call.body["metadata"]["event_payload"]["outbox_id"])
        posts.at.append((time.monotonic(), call.token, outbox_id))
        if call.token == first.token and posts.by(first.token) == 3:
            stopped_at, stopped_wall = time.monotonic(), time.time()
            first.process.send_signal(stop)
            if stop is signal.SIGKILL:
                # Slack took the post; the replica never hears so.
                await first.exited(within=10)

    api.before_answer = before_answer
    try:
        for replica in replicas:
            await replica.serving()
        await fan_out(database_url)
        await api.wait_for(lambda fake: len(set(posted_outbox_ids(fake.calls))) >= POSTS, 30)
        # Anything sent twice would have arrived by now too.
        await asyncio.sleep(0.5)
        second.process.send_signal(signal.SIGTERM)
        if stop is signal.SIGTERM:
            assert await first.exited(within=15) == 0, first.log()
        assert await second.exited(within=15) == 0, second.log()
    finally:
        for replica in replicas:
            replica.kill()
    assert stopped_at, "the first replica never posted three times:\n" + first.log()
    return first, second, posts, stopped_at, stopped_wall


def assert_each_posted_once(api: FakeSlackApi) -> None:
    counts = Counter(posted_outbox_ids(api.calls))
    assert len(counts) == POSTS
    assert [outbox_id for outbox_id, count in counts.items() if count > 1] == []


@needs_postgres
async def test_a_replica_killed_mid_fan_out_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
    empty_postgres: str,
    api: FakeSlackApi,
) -> None:
    _, second, _, _, killed_at = await run_two_and_stop_one(
        tmp_path, empty_postgres, api, signal.SIGKILL, LEASE_SECONDS
    )
    assert_each_posted_once(api)
    assert await statuses(empty_postgres) == Counter({"sent": POSTS})
    # The survivor looked for the killed replica's posts before sending them, and found
    # the one Slack had taken.
    assert api.of("conversations.history")
    assert "event=outbox_taken_over" in second.log()
    assert "earlier=found" in second.log()
    # Taken over within a lease (and a dispatch interval or two).
    found = re.search(r"ts=(\S+) .*event=outbox_taken_over .*earlier=found", second.log())
    assert found is not None
    taken_over = datetime.strptime(found.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert taken_over.timestamp() - killed_at < LEASE_SECONDS + 2, second.log()
    assert "Traceback" not in second.log(), second.log()


@needs_postgres
async def test_a_replica_stopped_mid_fan_out_finishes_its_send_and_hands_back_the_rest(
    tmp_path: Path,
    empty_postgres: str,
    api: FakeSlackApi,
) -> None:
    # A long lease: the rest must go out because they were handed back, not taken over.
    lease = 60.0
    first, second, posts, stopped_at, _ = await run_two_and_stop_one(
        tmp_path, empty_postgres, api, signal.SIGTERM, lease
    )
    assert_each_posted_once(api)
    assert await statuses(empty_postgres) == Counter({"sent": POSTS})
    log = first.log()
    assert "Traceback" not in log, log
    assert "level=error" not in log, log
    assert "event=outbox_handed_back" in log, log
    # The post under way when the signal came was finished and recorded by the first.
    assert posts.by(first.token) >= 3
    assert not api.of("conversations.history")
    last = max(at for at, _, _ in posts.at)
    assert last - stopped_at < 10, (last - stopped_at, second.log())
    assert "Traceback" not in second.log(), second.log()
