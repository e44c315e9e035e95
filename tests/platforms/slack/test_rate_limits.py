"""A 429 from Slack pauses that channel for as long as Slack asks, and only that channel:
the real AsyncWebClient and its retry handlers against the fake Web API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import DeliveryFailed, DeliveryTarget, TargetKind
from bot.messages import Reply, Visibility
from bot.platforms.slack.sender import Pacer, SlackPublisher, SlackSender, build_client
from tests.fakes.slack_api import FakeSlackApi
from tests.platforms.slack.test_sender import FakeTime

POST = Reply(text="Trans Awareness Week starts today.", visibility=Visibility.CONVERSATION)


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


async def test_posts_queued_behind_a_rate_limited_one_wait_out_its_retry_after(
    api: FakeSlackApi,
) -> None:
    sender = SlackSender(build_client("xoxb-test", api.api_url), Pacer(interval=0.0))
    api.rate_limit("chat.postMessage", retry_after=1)
    first = asyncio.ensure_future(sender.post_to_channel("C300", POST, outbox_id=1))
    await api.wait_for_calls("chat.postMessage")
    # Queued while the first waits out Slack's Retry-After: one to the same channel, one
    # to another channel.
    same = asyncio.ensure_future(sender.post_to_channel("C300", POST, outbox_id=2))
    other = asyncio.ensure_future(sender.post_to_channel("C301", POST, outbox_id=3))
    await asyncio.gather(first, same, other)
    calls = api.of("chat.postMessage")
    limited = next(call for call in calls if call.status == 429)
    to_c300 = [call for call in calls if call.body["channel"] == "C300"]
    [to_c301] = [call for call in calls if call.body["channel"] == "C301"]
    assert [call.status for call in to_c300] == [429, 200, 200]
    # Nothing reached the paused channel before the second Slack asked for had passed...
    assert all(call.at - limited.at >= 1.0 for call in to_c300[1:])
    # ...while the other channel was not held up.
    assert to_c301.at - limited.at < 0.9


async def test_a_rate_limit_slack_keeps_answering_pauses_the_channel_for_retry_after(
    api: FakeSlackApi,
) -> None:
    time = FakeTime()
    pacer = Pacer(interval=1.0, monotonic=time.monotonic, sleep=time.sleep)
    # No retry handlers: the 429 comes back to the sender at once.
    publisher = SlackPublisher(SlackSender(AsyncWebClient("xoxb-test", api.api_url), pacer))
    channel = DeliveryTarget("slack", TargetKind.CHANNEL, "C300")
    api.rate_limit("chat.postMessage", retry_after=30)
    with pytest.raises(DeliveryFailed) as failed:
        await publisher.publish(channel, POST, outbox_id=1)
    assert failed.value.retry_after == 30
    await publisher.publish(DeliveryTarget("slack", TargetKind.CHANNEL, "C301"), POST, 2)
    assert time.slept == []
    await publisher.publish(channel, POST, outbox_id=3)
    assert time.slept == [30.0]
