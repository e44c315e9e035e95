"""Outbox leases: replicas share a burst, a dead replica's posts are taken over within a
minute, a stop hands back what it did not send, stuck posts are shown and reported."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import DeliveryTarget, PublishResult
from bot.funnel import ErrorFunnel
from bot.messages import Reply
from bot.outbox import Dispatcher, DispatchPolicy
from bot.outbox_lease import HeldBatch, report_stuck
from bot.scheduler import BotScheduler
from storage.database import Database
from storage.repositories import OutboxRepository, PlannedPost
from tests.conftest import NOW, DatabaseTarget, say_one
from tests.core.test_outbox import (
    described,
    dispatcher,
    plan,
    planned,
    pride_id,
    reminders,
    rows,
)
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher

LEASE = timedelta(seconds=60)


def leased(worker: Dispatcher, batch_size: int = 10) -> Dispatcher:
    worker.policy = DispatchPolicy(claim_timeout=LEASE, batch_size=batch_size)
    return worker


def channel_posts(
    count: int, ref: str = "C-one", network_id: int | None = None
) -> list[PlannedPost]:
    return [
        planned(f"announcement:{ref}:{n}", timedelta(0), ref=ref, network_id=network_id)
        for n in range(count)
    ]


class HangingPublisher(RecordingPublisher):
    """Publishes normally until the `hang_at`-th post, which never returns (a dead process)."""

    __slots__ = ("calls", "hang_at", "hanging")

    def __init__(self, hang_at: int) -> None:
        super().__init__()
        self.calls = 0
        self.hang_at = hang_at
        self.hanging = asyncio.Event()

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        self.calls += 1
        if self.calls == self.hang_at:
            self.hanging.set()
            await asyncio.Event().wait()
        return await super().publish(target, reply, outbox_id)


@dataclass(slots=True)
class MeetingPublisher(RecordingPublisher):
    """One replica's platform: its first post waits until the other replica posts too.

    Shared bursts are a matter of timing: on a busy machine one replica can drain a burst
    before the other's first claim. Holding each replica's first post until the other has
    one of its own makes the test wait for what it claims, and fails it only when a
    replica could not claim any: when the first took the whole burst at once.
    """

    started: asyncio.Event = field(default_factory=asyncio.Event)
    other: MeetingPublisher | None = None

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        self.started.set()
        if self.other is not None:
            # Long enough for the slowest machine, short enough to fail rather than hang;
            # waited once, so a replica that never posts fails the test in 20 s, not per batch.
            other, self.other = self.other, None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(other.started.wait(), timeout=20)
        return await RecordingPublisher.publish(self, target, reply, outbox_id)


async def test_two_replicas_share_a_burst_of_one_hundred_and_send_none_twice(
    database_url: DatabaseTarget, database: Database, clock: FixedClock
) -> None:
    await plan(
        database,
        *reminders(100),
    )
    other = database_url.open()
    try:
        platform_a, platform_b = MeetingPublisher(latency=0.005), MeetingPublisher(latency=0.005)
        platform_a.other, platform_b.other = platform_b, platform_a
        # The default policy: its batches are small enough to share a burst.
        first = dispatcher(database, platform_a, clock, name="replica-a")
        second = dispatcher(other, platform_b, clock, name="replica-b")
        reports = await asyncio.gather(first.run_once(), second.run_once())
    finally:
        await other.dispose()
    counts = Counter(platform_a.ids() + platform_b.ids())
    assert len(counts) == 100 and max(counts.values()) == 1
    # Each replica sent some: small batches leave the other its share of a burst.
    assert platform_a.ids() and platform_b.ids()
    assert [report.sent for report in reports] == [len(platform_a.ids()), len(platform_b.ids())]


async def test_a_dead_replicas_batch_is_taken_over_after_its_lease_with_no_duplicates(
    database: Database, clock: FixedClock
) -> None:
    await plan(database, *channel_posts(10))
    dying = HangingPublisher(hang_at=3)
    # The default lease: a dead replica holds its posts up for a minute, not ten.
    dead = dispatcher(database, dying, clock, name="dead")
    task = asyncio.create_task(dead.run_once())
    try:
        await dying.hanging.wait()
        assert len(dying.published) == 2
        healthy_publisher = RecordingPublisher()
        healthy = dispatcher(database, healthy_publisher, clock, name="healthy")
        # Within the lease the posts are still the dead replica's.
        clock.set(NOW + LEASE - timedelta(seconds=1))
        assert (await healthy.run_once()).handled == 0
        clock.set(NOW + LEASE + timedelta(seconds=1))
        assert (await healthy.run_once()).sent == 8
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    sent_first = set(dying.ids())
    assert len(sent_first) == 2
    assert not sent_first & set(healthy_publisher.ids())
    assert Counter(dying.ids() + healthy_publisher.ids()) == Counter(
        {row.id: 1 for row in await rows(database)}
    )
    # The dead replica's clean-up did not touch what the healthy one sent.
    assert all(row.status == "sent" for row in await rows(database))


async def test_a_slow_batch_keeps_its_posts_by_renewing_its_lease(
    database: Database, clock: FixedClock
) -> None:
    """Ten posts to one channel taking 25 s each: far longer than the lease, never taken."""
    await plan(database, *channel_posts(10))
    started = asyncio.Event()

    def slow_send(_: object) -> None:
        started.set()
        clock.set(clock.now() + timedelta(seconds=25))

    publisher = RecordingPublisher(on_publish=slow_send)
    slow = leased(dispatcher(database, publisher, clock, name="slow"))
    rival = leased(dispatcher(database, publisher, clock, name="rival"))
    task = asyncio.create_task(slow.run_once())
    await started.wait()
    rival_sent = 0
    while not task.done():
        rival_sent += (await rival.run_once()).sent
        await asyncio.sleep(0)
    assert (await task).sent == 10
    assert rival_sent == 0
    assert max(Counter(publisher.ids()).values()) == 1


async def test_a_stop_mid_batch_finishes_the_sends_under_way_and_hands_back_the_rest(
    database: Database, clock: FixedClock
) -> None:
    await plan(
        database, *channel_posts(4, "C-one"), *channel_posts(4, "C-two"), *channel_posts(4, "C-3")
    )
    publisher = RecordingPublisher()
    stopping = leased(dispatcher(database, publisher, clock, name="stopping"), batch_size=12)
    publisher.on_publish = lambda item: stopping.stopping.set()
    report = await stopping.run_once()
    assert 1 <= report.sent < 12
    by_status = Counter(row.status for row in await rows(database))
    # Nothing is left "sending": each send under way was recorded, the rest handed back.
    assert by_status == {"sent": report.sent, "pending": 12 - report.sent}
    returned = [row for row in await rows(database) if row.status == "pending"]
    assert all(row.claimed_by == "" and row.attempts == 0 for row in returned)
    # Another replica sends the rest straight away, not after a timeout.
    other = leased(dispatcher(database, publisher, clock, name="other"))
    assert (await other.run_once()).sent == 12 - report.sent
    assert sorted(publisher.ids()) == sorted(row.id for row in await rows(database))


async def test_posts_stuck_while_sending_are_a_problem_in_the_outbox_and_leads_hear_once(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    network_id = await pride_id(app)
    await plan(app.database, planned("announcement:7", timedelta(0), network_id=network_id))
    async with app.database.transaction() as session:
        await OutboxRepository(session).claim_due(NOW, "crashed", 10, stale_before=NOW)
    clock.set(NOW + LEASE + timedelta(minutes=1))
    shown = await say_one(app, "outbox pride", user="alex")
    assert "stuck" not in shown.text

    clock.set(NOW + LEASE + timedelta(minutes=6))
    shown = await say_one(app, "outbox pride", user="alex")
    assert shown.text.splitlines()[1].startswith("⚠ Problem: 1 post has been stuck")
    assert "announcement 7 · console · stuck while sending" in shown.text

    worker = leased(
        dispatcher(
            app.database, RecordingPublisher(), clock, messenger, descriptions=described(app)
        )
    )
    worker.zone = ZoneInfo("Europe/London")
    assert await report_stuck(worker) == 1
    assert await report_stuck(worker) == 0
    [notice] = messenger.sent
    assert notice.recipient_key == "console:alex"
    assert "announcement 7" in notice.reply.text
    assert "sending since Sat 21 Nov 2026, 10:00 GMT" in notice.reply.text
    # And it is then sent again.
    assert (await worker.run_once()).sent == 1
    assert len(messenger.sent) == 1


async def test_leads_read_the_due_time_of_a_post_too_late_to_send_in_their_own_zone(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    network_id = await pride_id(app)
    due = datetime(2026, 7, 14, 8, 0, tzinfo=UTC)
    post = planned("announcement:4", timedelta(0), network_id=network_id)
    await plan(app.database, replace(post, due_at=due, occurrence_at=due))
    clock.set(due + timedelta(hours=8))
    worker = dispatcher(app.database, RecordingPublisher(), clock, messenger)
    worker.zone = ZoneInfo("Europe/London")
    assert (await worker.run_once()).skipped == 1
    [notice] = messenger.sent
    assert "due Tue 14 Jul 2026, 09:00 BST" in notice.reply.text
    assert "UTC" not in notice.reply.text


async def test_a_post_is_marked_late_exactly_when_the_docs_say(
    database: Database, clock: FixedClock
) -> None:
    await plan(
        database,
        planned("announcement:1", -timedelta(minutes=4)),
        planned("announcement:2", -timedelta(minutes=6)),
    )
    await dispatcher(database, RecordingPublisher(), clock).run_once()
    late = {row.schedule_key: row.late for row in await rows(database)}
    assert late == {"announcement:1": False, "announcement:2": True}
    docs = (Path(__file__).parents[2] / "docs" / "scheduler.md").read_text()
    assert "more than 5 minutes after its time is marked late" in docs
    assert DispatchPolicy().late_after == timedelta(minutes=5)


async def test_a_stop_whose_send_hangs_is_cut_short_quietly_and_the_rest_handed_back(
    database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await plan(database, *channel_posts(5))
    hanging = HangingPublisher(hang_at=2)
    worker = dispatcher(database, hanging, clock, name="stopping")
    scheduler = BotScheduler(
        dispatcher=worker,
        planners=[],
        clock=clock,
        zone=ZoneInfo("Europe/London"),
        funnel=ErrorFunnel(),
        dispatch_every=timedelta(hours=1),
        plan_every=timedelta(hours=1),
    )
    await scheduler.start()
    run = asyncio.create_task(scheduler._run_dispatcher())
    await hanging.hanging.wait()
    with caplog.at_level(logging.DEBUG):
        await scheduler.stop(wait_seconds=0)
    assert run.done() and not run.cancelled()
    assert "CancelledError" not in caplog.text
    assert "dispatch_cut_short" in caplog.text
    by_status = Counter(row.status for row in await rows(database))
    # One sent, the one whose send hung is left to its lease, the other three are back.
    assert by_status == {"sent": 1, "sending": 1, "pending": 3}


async def test_a_send_that_hangs_is_no_longer_renewed_so_another_replica_takes_it_over(
    database: Database, clock: FixedClock
) -> None:
    await plan(database, *channel_posts(2))
    async with database.transaction() as session:
        hung, slow = await OutboxRepository(session).claim_due(
            NOW, "hung", 10, stale_before=NOW - LEASE
        )
    batch = HeldBatch(database, "hung", clock, LEASE, {hung.id, slow.id}, renewed_at=NOW)
    assert await batch.start_send(hung.id)
    # Six minutes on, the first send has not come back; the batch sends its next post.
    clock.set(NOW + timedelta(minutes=6))
    assert await batch.start_send(slow.id)
    publisher = RecordingPublisher()
    await dispatcher(database, publisher, clock, name="healthy").run_once()
    # The hung post is taken over; the one whose send has just started is not.
    assert publisher.ids() == [hung.id]
