"""A post taken over from a replica that died mid-send is looked for before it is sent again.

The real Slack publisher against the fake Slack Web API, which keeps what it accepted
and serves it back through `conversations.history`: a post Slack took before its
sender died is recorded as sent, not posted twice; one that never reached Slack is sent.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.config import Settings, SlackSettings
from bot.config_loading import load_settings
from bot.delivery import (
    DeliveryTarget,
    EarlierSend,
    Pacer,
    Publishers,
    PublishResult,
    SendWindow,
    Sighting,
    TargetKind,
)
from bot.messages import Reply, Visibility
from bot.outbox import Dispatcher, DispatchPolicy
from bot.outbox_codec import encode_reply
from bot.platforms.slack.app import SlackAdapter
from bot.platforms.slack.history import CheckingSlackPublisher
from bot.platforms.slack.sender import Pacer as ChannelPacer
from bot.platforms.slack.sender import SlackSender, build_client
from storage.database import Database
from storage.repositories import PlannedPost
from tests.conftest import NOW
from tests.core.test_outbox import plan, rows
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import FakeTime
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_history import posted_outbox_ids

LEASE = timedelta(seconds=60)


@pytest.fixture
async def api(clock: FixedClock) -> AsyncIterator[FakeSlackApi]:
    # Slack's clock is the test's, so "history since the post was due" means what it says.
    fake = FakeSlackApi(now=lambda: clock.now().timestamp())
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def sender(api: FakeSlackApi) -> AsyncIterator[SlackSender]:
    fake = FakeTime()
    sender = SlackSender(
        build_client("xoxb-test", api.api_url),
        ChannelPacer(interval=0.0, monotonic=fake.monotonic, sleep=fake.sleep),
    )
    await sender.open()
    yield sender
    await sender.close()


class DiesMidSend:
    """The real publisher, in a process that dies at its `die_at`-th post: after Slack took
    it (`after_slack`) or before it got there. A dead process never returns."""

    def __init__(self, inner: CheckingSlackPublisher, die_at: int, *, after_slack: bool) -> None:
        self.inner = inner
        self.die_at = die_at
        self.after_slack = after_slack
        self.calls = 0
        self.dead = asyncio.Event()

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        self.calls += 1
        if self.calls == self.die_at and not self.after_slack:
            self.dead.set()
            await asyncio.Event().wait()
        result = await self.inner.publish(target, reply, outbox_id)
        if self.calls == self.die_at:
            self.dead.set()
            await asyncio.Event().wait()
        return result

    async def already_posted(
        self, target: DeliveryTarget, outbox_id: int, window: object
    ) -> EarlierSend:
        raise AssertionError("the dying replica took nothing over")


def announcements(
    count: int, channels: int = 2, due: timedelta = timedelta(0)
) -> list[PlannedPost]:
    return [
        PlannedPost(
            schedule_key=f"announcement:{n}",
            occurrence_at=NOW + due,
            due_at=NOW + due,
            network_id=None,
            platform="slack",
            target_kind=TargetKind.CHANNEL.value,
            target_ref=f"C{n % channels:04d}",
            message=encode_reply(
                Reply(text=f"Announcement {n}", visibility=Visibility.CONVERSATION)
            ),
        )
        for n in range(count)
    ]


def replica(database: Database, clock: FixedClock, publisher: object, name: str) -> Dispatcher:
    publishers = Publishers()
    publishers.register("slack", publisher)  # type: ignore[arg-type]
    fake = FakeTime()
    return Dispatcher(
        database=database,
        publishers=publishers,
        clock=clock,
        messenger=RecordingMessenger(),
        claimed_by=name,
        policy=DispatchPolicy(claim_timeout=LEASE, batch_size=20),
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
    )


async def die_then_take_over(
    database: Database,
    clock: FixedClock,
    sender: SlackSender,
    *,
    after_slack: bool,
    due: timedelta = timedelta(0),
    look: bool = True,
) -> int:
    """Ten posts; the first replica dies at the fourth; the second takes over after the
    lease. Returns what the second one reported sent."""
    await plan(database, *announcements(10, channels=1, due=due))
    dying = DiesMidSend(CheckingSlackPublisher(sender), die_at=4, after_slack=after_slack)
    task = asyncio.create_task(replica(database, clock, dying, "dead").run_once())
    try:
        await dying.dead.wait()
        publisher = CheckingSlackPublisher(sender, look=look)
        survivor = replica(database, clock, publisher, "survivor")
        clock.set(NOW + LEASE + timedelta(seconds=1))
        return (await survivor.run_once()).sent
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_post_slack_took_before_its_replica_died_is_recorded_not_posted_twice(
    database: Database, clock: FixedClock, api: FakeSlackApi, sender: SlackSender
) -> None:
    sent = await die_then_take_over(database, clock, sender, after_slack=True)
    outbox = await rows(database)
    posted = posted_outbox_ids(api.calls)
    assert Counter(posted) == Counter({str(row.id): 1 for row in outbox})
    assert all(row.status == "sent" for row in outbox)
    assert sent == 7
    # The survivor looked for each post it took over, found the one Slack had taken by its
    # metadata, and kept Slack's id for it.
    history = api.of("conversations.history")
    assert len(history) == 7
    assert all(call.body["include_all_metadata"] in ("1", "true") for call in history)
    (found,) = [row for row in outbox if row.claimed_by == "survivor" and row.id == int(posted[3])]
    stamps = {m["ts"] for m in api.history.channels[found.target_ref]}
    assert found.platform_message_id in stamps


async def test_a_post_that_never_reached_slack_is_sent_by_the_replica_taking_over(
    database: Database, clock: FixedClock, api: FakeSlackApi, sender: SlackSender
) -> None:
    sent = await die_then_take_over(database, clock, sender, after_slack=False)
    outbox = await rows(database)
    assert Counter(posted_outbox_ids(api.calls)) == Counter({str(row.id): 1 for row in outbox})
    assert sent == 7
    assert len(api.of("conversations.history")) == 7


async def test_without_the_history_scope_the_post_is_sent_again_as_before(
    database: Database, clock: FixedClock, api: FakeSlackApi, sender: SlackSender
) -> None:
    # An app installed before the scope was added: Slack refuses, so nobody can tell.
    api.fail("conversations.history", "missing_scope")
    sent = await die_then_take_over(database, clock, sender, after_slack=True)
    outbox = await rows(database)
    assert all(row.status == "sent" for row in outbox)
    assert sent == 7
    assert sorted(Counter(posted_outbox_ids(api.calls)).values()) == [1] * 9 + [2]


async def test_slack_cannot_tell_for_a_private_post_and_reads_only_the_window(
    api: FakeSlackApi, sender: SlackSender, clock: FixedClock
) -> None:
    publisher = CheckingSlackPublisher(sender)
    around_now = SendWindow(NOW - timedelta(minutes=5), NOW)
    person = DeliveryTarget("slack", TargetKind.PERSON, "slack:U1")
    assert (await publisher.already_posted(person, 1, around_now)).sighting is (
        Sighting.CANNOT_TELL
    )
    channel = DeliveryTarget("slack", TargetKind.CHANNEL, "C0001")
    reply = Reply(text="Hello", visibility=Visibility.CONVERSATION)
    clock.set(NOW - timedelta(hours=1))
    await publisher.publish(channel, reply, 5)
    clock.set(NOW)
    assert (await publisher.already_posted(channel, 5, around_now)).sighting is Sighting.ABSENT
    an_hour_ago = SendWindow(NOW - timedelta(hours=1, minutes=1), NOW - timedelta(minutes=59))
    earlier = await publisher.already_posted(channel, 5, an_hour_ago)
    assert earlier.sighting is Sighting.FOUND
    assert (await publisher.already_posted(channel, 6, an_hour_ago)).sighting is Sighting.ABSENT
    # Each read asks Slack for that stretch only, a small page at a time.
    for call in api.of("conversations.history"):
        assert float(call.body["latest"]) - float(call.body["oldest"]) <= 5 * 60
        assert int(call.body["limit"]) <= 50


async def test_a_post_due_hours_ago_is_looked_for_only_around_the_dead_attempt(
    database: Database, clock: FixedClock, api: FakeSlackApi, sender: SlackSender
) -> None:
    # Retried for three hours, then claimed by the replica that died: only the minutes
    # around that last attempt are read, not the three hours of the channel since it was due.
    sent = await die_then_take_over(
        database, clock, sender, after_slack=True, due=-timedelta(hours=3)
    )
    outbox = await rows(database)
    assert Counter(posted_outbox_ids(api.calls)) == Counter({str(row.id): 1 for row in outbox})
    assert sent == 7
    history = api.of("conversations.history")
    assert len(history) == 7
    for call in history:
        oldest, latest = float(call.body["oldest"]), float(call.body["latest"])
        assert oldest >= (NOW - timedelta(minutes=10)).timestamp()
        assert latest - oldest <= 15 * 60


async def test_with_the_history_lookup_off_no_channel_is_read(
    database: Database, clock: FixedClock, api: FakeSlackApi, sender: SlackSender
) -> None:
    sent = await die_then_take_over(database, clock, sender, after_slack=True, look=False)
    assert sent == 7
    assert api.of("conversations.history") == []
    # The price, as the setting's documentation says: the post Slack took shows twice.
    assert sorted(Counter(posted_outbox_ids(api.calls)).values()) == [1] * 9 + [2]


async def test_the_setting_turns_the_adapters_lookup_off(app: Application, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[slack]\nbot_token = "xoxb-1"\nhistory_lookup = false\n')
    loaded = load_settings(config, environ={})
    assert loaded.slack.history_lookup is False
    assert Settings().slack.history_lookup is True
    for lookup in (False, True):
        slack = SlackSettings(bot_token="xoxb-1", signing_secret="s", history_lookup=lookup)
        adapter = SlackAdapter(replace(app.settings, slack=slack), app)
        publisher = adapter.publisher()
        assert isinstance(publisher, CheckingSlackPublisher) and publisher.look is lookup
