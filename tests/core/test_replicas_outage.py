"""Two real `allybot serve` replicas reach PostgreSQL through a loopback proxy, and the
test cuts it in the middle of a fan-out of twenty Slack posts, then restores it.

While the database is away both replicas say so on `/healthz` (503), and a person's slash
command gets the short "can't reach my records" answer instead of silence; neither process
logs a traceback. Once it is back, the fan-out finishes by itself with every post delivered
exactly once (the post Slack took while its replica could not record it is found in the
channel's history, not posted again), `/healthz` says 200, and Slack's redelivery of the
command sent during the outage is answered once, whichever replica it reaches.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.config_loading import normalise_database_url
from bot.funnel import UNREACHABLE
from bot.messages import Reply, Visibility
from bot.outbox_codec import encode_reply
from storage.database import Database
from storage.repositories import OutboxRepository, PlannedPost
from tests.fakes.slack_api import Call, FakeSlackApi, SlackHarness
from tests.fakes.slack_history import posted_outbox_ids
from tests.fakes.tcp_proxy import TcpProxy
from tests.support.replicas import SIGNING_SECRET, ServeProcess, needs_postgres, start_serve

POSTS = 20
# Cut when Slack has taken this many posts, holding the last one's answer until the cut.
CUT_AT = 5
OUTAGE_SECONDS = 6.0
LEASE_SECONDS = 2.0

CONFIG = f"""
[server]
host = "127.0.0.1"
port = 0
shutdown_timeout_seconds = 5

[scheduler]
lease_seconds = {LEASE_SECONDS}
dispatch_every_seconds = 0.3
batch_size = 4
posts_per_second = 3
"""


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def proxy(empty_postgres: str) -> AsyncIterator[TcpProxy]:
    real = make_url(empty_postgres)
    fake = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await fake.start()
    yield fake
    await fake.stop()


def through(proxy: TcpProxy, database_url: str) -> str:
    url = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    return url.render_as_string(hide_password=False)


async def plan_fan_out(database_url: str) -> None:
    """Twenty announcements, one to each of twenty channels, all due now."""
    now = datetime.now(UTC)
    database = Database(normalise_database_url(database_url))
    try:
        async with database.transaction() as session:
            await OutboxRepository(session).plan(
                [
                    PlannedPost(
                        schedule_key=f"outage:{n}",
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


async def statuses(database_url: str) -> Counter[str]:
    database = Database(normalise_database_url(database_url))
    try:
        async with database.transaction() as session:
            posts = await OutboxRepository(session).with_prefix("outage:")
            return Counter(post.status for post in posts)
    finally:
        await database.dispose()


def answers(api: FakeSlackApi, name: str) -> list[str]:
    return [
        str(call.body.get("text", ""))
        for call in api.of("response_url")
        if call.body["_url"] == name
    ]


async def until_healthz(replica: ServeProcess, status: int, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while (seen := await replica.healthz()) != status:
        assert time.monotonic() < deadline, (replica.name, seen, replica.log())
        await asyncio.sleep(0.2)


@needs_postgres
async def test_two_replicas_ride_out_the_database_cut_mid_fan_out_and_lose_nothing(
    tmp_path: Path, empty_postgres: str, api: FakeSlackApi, proxy: TcpProxy
) -> None:
    (tmp_path / "config.toml").write_text(CONFIG)
    api.user("U100", display_name="Robin")
    replicas = [
        start_serve(tmp_path, through(proxy, empty_postgres), api.api_url, name)
        for name in ("first", "second")
    ]
    first, second = replicas
    cut = asyncio.Event()

    async def before_answer(call: Call) -> None:
        if call.method != "chat.postMessage" or "metadata" not in call.body:
            return
        if len(posted_outbox_ids(api.calls)) == CUT_AT and not cut.is_set():
            # Slack has this post; its replica hears so only after the database is gone.
            await proxy.cut()
            cut.set()

    api.before_answer = before_answer
    for n in range(POSTS):
        api.channel(f"C{n:04d}", is_private=False, name=f"channel-{n}")
    # Slack signs each request to a replica; a redelivery repeats the body, signed anew.
    slack: dict[str, SlackHarness] = {}
    try:
        for replica in replicas:
            await replica.serving()
            events_url = f"http://127.0.0.1:{replica.port}/slack/events"
            slack[replica.name] = SlackHarness(api, None, events_url)
        await plan_fan_out(empty_postgres)
        await asyncio.wait_for(cut.wait(), 20)
        cut_at = time.monotonic()

        for replica in replicas:
            await until_healthz(replica, 503)
        command = slack["first"].command_body("networks", response_url=api.response_url("outage"))
        status, _, _ = await post_command(slack, first, command)
        assert status == 200
        await api.wait_for(lambda fake: bool(answers(fake, "outage")), 10)
        assert answers(api, "outage") == [UNREACHABLE]

        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
        await proxy.restore()

        await api.wait_for(lambda fake: len(set(posted_outbox_ids(fake.calls))) >= POSTS, 30)
        for replica in replicas:
            await until_healthz(replica, 200)
        # Slack retries the command on the other replica, then once more on the first.
        for retry_num, replica in ((1, second), (2, first)):
            status, _, _ = await post_command(slack, replica, command, retry_num=retry_num)
            assert status == 200
        await api.wait_for(lambda fake: len(answers(fake, "outage")) >= 2, 10)
        # Anything sent twice (a post or an answer) would have arrived by now too.
        await asyncio.sleep(1.5)

        counts = Counter(posted_outbox_ids(api.calls))
        assert len(counts) == POSTS
        assert [outbox_id for outbox_id, count in counts.items() if count > 1] == []
        assert await statuses(empty_postgres) == Counter({"sent": POSTS})
        # Handled once after recovery: the real answer (no networks are configured here).
        assert answers(api, "outage")[1:] == [
            "There are no networks yet. An admin can add them in the configuration."
        ]
        # Both shared the fan-out, and the post Slack took during the cut was looked for.
        assert {call.token for call in api.of("chat.postMessage")} == {r.token for r in replicas}
        assert api.of("conversations.history")

        for replica in replicas:
            assert await replica.stopped() == 0, replica.log()
    finally:
        for harness in slack.values():
            await harness.close()
        for replica in replicas:
            replica.kill()
    logs = first.log() + second.log()
    assert "event=database_unreachable" in logs
    # The post Slack took while its replica could not record it was found, not re-sent.
    assert "earlier=found" in logs, logs
    for replica in replicas:
        assert "Traceback" not in replica.log(), replica.log()
        assert "level=error" not in replica.log(), replica.log()


async def post_command(
    slack: dict[str, SlackHarness], replica: ServeProcess, body: str, retry_num: int | None = None
) -> tuple[int, str, float]:
    """POST a signed slash command to `replica`, as Slack delivers (or redelivers) it."""
    return await slack[replica.name].post(
        body, "application/x-www-form-urlencoded", retry_num=retry_num, sign_with=SIGNING_SECRET
    )
