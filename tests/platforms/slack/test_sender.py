"""The Slack sender and messenger against the fake Web API: scheduled posts with
metadata, per-channel pacing, private messages and channel invites."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery import DeliveryFailed, DeliveryTarget, TargetKind
from bot.messages import Reply, Visibility
from bot.outbound import ChannelInvite, InviteOutcome, Notice
from bot.platforms.slack.sender import (
    Pacer,
    SlackMessenger,
    SlackPublisher,
    SlackRefusal,
    SlackSender,
    build_client,
)
from tests.fakes.slack_api import FakeSlackApi


class FakeTime:
    """A monotonic clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def sender(api: FakeSlackApi, fake_time: FakeTime) -> SlackSender:
    pacer = Pacer(interval=1.0, monotonic=fake_time.monotonic, sleep=fake_time.sleep)
    return SlackSender(build_client("xoxb-test", api.api_url), pacer)


ANNOUNCEMENT = Reply(
    text="Trans Awareness Week starts today.",
    heading="Trans Awareness Week",
    visibility=Visibility.CONVERSATION,
)


async def test_a_scheduled_post_carries_its_outbox_id_in_metadata(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    ts = await sender.post_to_channel("C300", ANNOUNCEMENT, outbox_id=42)
    [call] = api.of("chat.postMessage")
    assert ts
    assert call.body["channel"] == "C300"
    assert call.body["metadata"] == {
        "event_type": "allybot_outbox",
        "event_payload": {"outbox_id": "42"},
    }
    assert call.body["blocks"][0]["text"]["text"] == "Trans Awareness Week"


async def test_posts_to_one_channel_are_paced_but_other_channels_are_not_held_up(
    api: FakeSlackApi, sender: SlackSender, fake_time: FakeTime
) -> None:
    await sender.post_to_channel("C300", ANNOUNCEMENT, outbox_id=1)
    await sender.post_to_channel("C301", ANNOUNCEMENT, outbox_id=2)
    assert fake_time.slept == []
    await sender.post_to_channel("C300", ANNOUNCEMENT, outbox_id=3)
    assert fake_time.slept == [1.0]
    assert [call.body["channel"] for call in api.of("chat.postMessage")] == [
        "C300",
        "C301",
        "C300",
    ]


async def test_a_post_slack_refuses_raises_with_slacks_reason(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    api.fail("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackRefusal) as refused:
        await sender.post_to_channel("C404", ANNOUNCEMENT, outbox_id=7)
    assert refused.value.code == "channel_not_found"


async def test_a_server_error_is_retried(api: FakeSlackApi, sender: SlackSender) -> None:
    api.server_error("chat.postMessage")
    await sender.post_to_channel("C300", ANNOUNCEMENT, outbox_id=8)
    assert len(api.of("chat.postMessage")) == 2


async def test_a_private_notice_goes_to_the_persons_direct_message(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    await SlackMessenger(sender).send_private(
        Notice("slack:U777", Reply(text="Your place is confirmed."))
    )
    [opened] = api.of("conversations.open")
    [posted] = api.of("chat.postMessage")
    assert opened.body["users"] == "U777"
    assert posted.body["channel"] == "DU777"


async def test_inviting_someone_adds_them_to_the_channel(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    result = await SlackMessenger(sender).invite(ChannelInvite("slack:U777", "C500"))
    [call] = api.of("conversations.invite")
    assert call.body == {"channel": "C500", "users": "U777"}
    assert result.outcome is InviteOutcome.INVITED


async def test_someone_already_in_the_channel_is_told_so(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    api.fail("conversations.invite", "already_in_channel")
    result = await SlackMessenger(sender).invite(ChannelInvite("slack:U777", "C500"))
    assert result.outcome is InviteOutcome.ALREADY_IN


async def test_slack_says_whether_a_channel_is_private(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    api.channel("C-OPEN", is_private=False)
    api.channel("C-CLOSED", is_private=True)
    messenger = SlackMessenger(sender)
    assert await messenger.channel_is_private("slack", "C-OPEN") is False
    assert await messenger.channel_is_private("slack", "C-CLOSED") is True
    # A private channel the bot is not in is "not found": it cannot tell.
    assert await messenger.channel_is_private("slack", "C-UNSEEN") is None


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("not_in_channel", "Add the bot to the channel"),
        ("channel_not_found", "check the channel id"),
        ("missing_scope", "reinstall"),
        ("method_not_supported_for_channel_type", "ordinary channel"),
        ("something_new", "something_new"),
    ],
)
async def test_an_invite_slack_refuses_gives_a_link_and_a_fix(
    api: FakeSlackApi, sender: SlackSender, error: str, words: str
) -> None:
    api.fail("conversations.invite", error)
    result = await SlackMessenger(sender).invite(ChannelInvite("slack:U777", "C500"))
    assert result.outcome is InviteOutcome.NOT_POSSIBLE
    assert result.link == "https://slack.com/app_redirect?channel=C500"
    assert words in result.fix


async def test_channel_links_open_in_the_configured_workspace_for_govslack(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    api.fail("conversations.invite", "not_in_channel")
    messenger = SlackMessenger(sender, workspace_url="https://acme.slack-gov.com/")
    result = await messenger.invite(ChannelInvite("slack:U777", "C500"))
    assert result.link == "https://acme.slack-gov.com/archives/C500"


async def test_the_publisher_posts_scheduled_posts_with_outbox_metadata(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    publisher = SlackPublisher(sender)
    result = await publisher.publish(
        DeliveryTarget("slack", TargetKind.CHANNEL, "C300"), ANNOUNCEMENT, 11
    )
    await publisher.publish(
        DeliveryTarget("slack", TargetKind.PERSON, "slack:U9"), ANNOUNCEMENT, 12
    )
    channel_post, private_post = api.of("chat.postMessage")
    assert result.message_id
    assert channel_post.body["metadata"]["event_payload"] == {"outbox_id": "11"}
    assert private_post.body["channel"] == "DU9"


async def test_the_publisher_says_whether_a_refused_post_is_worth_retrying(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    target = DeliveryTarget("slack", TargetKind.CHANNEL, "C300")
    api.fail("chat.postMessage", "not_in_channel")
    with pytest.raises(DeliveryFailed) as refused:
        await SlackPublisher(sender).publish(target, ANNOUNCEMENT, 13)
    assert refused.value.permanent
    assert "/invite @allybot" in refused.value.fix

    # Still rate limited after the client's own retries: try again later, when Slack said.
    api.rate_limit("chat.postMessage", retry_after=0, times=4)
    with pytest.raises(DeliveryFailed) as limited:
        await SlackPublisher(sender).publish(target, ANNOUNCEMENT, 14)
    assert not limited.value.permanent
    assert limited.value.retry_after == 0


async def test_the_publisher_edits_a_channel_post_in_place(
    api: FakeSlackApi, sender: SlackSender
) -> None:
    publisher = SlackPublisher(sender)
    target = DeliveryTarget("slack", TargetKind.CHANNEL, "C300")
    result = await publisher.update(target, "1700000000.000100", ANNOUNCEMENT)
    [call] = api.of("chat.update")
    assert result.message_id == "1700000000.000100"
    assert call.body["channel"] == "C300"
    assert call.body["ts"] == "1700000000.000100"
    assert call.body["blocks"][0]["text"]["text"] == "Trans Awareness Week"
    assert api.of("chat.postMessage") == []

    api.fail("chat.update", "message_not_found")
    with pytest.raises(DeliveryFailed) as refused:
        await publisher.update(target, "1700000000.000100", ANNOUNCEMENT)
    assert refused.value.permanent
    assert "the post was deleted" in refused.value.fix
