"""Everything the bot posts to Slack: replies, private messages, invites and scheduled posts.

`chat.postMessage` allows about one message a second per channel, so posts to one
channel are paced (a lock and the next allowed time per channel); the retry handlers
on the client deal with any 429 that still happens. Errors from Slack become a
`SlackRefusal` carrying Slack's error code, for the caller to word for a person.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.delivery import DeliveryFailed, DeliveryTarget, PublishResult, TargetKind
from bot.logs import log_event
from bot.messages import Reply
from bot.metrics import PlatformCalls
from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice
from bot.platforms.slack.files import not_delivered, upload_files
from bot.platforms.slack.pacing import Pacer
from bot.platforms.slack.refusals import SlackRefusal
from bot.platforms.slack.render import MAX_BLOCKS_PER_MESSAGE, SlackMessage, render
from bot.platforms.slack.retries import counted

_log = logging.getLogger("allybot.slack")

OUTBOX_EVENT_TYPE = "allybot_outbox"
_NO_DIRECT_MESSAGE = "I couldn't open our direct message, where files go"
# A response_url may be used five times; longer replies go by direct message instead.
RESPONSE_URL_USES = 5


def retry_handlers(calls: PlatformCalls | None = None) -> list[Any]:
    return counted(
        [
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
        calls,
    )


def build_client(token: str, api_url: str, calls: PlatformCalls | None = None) -> AsyncWebClient:
    """The Web API client: Bolt does not read SLACK_API_URL, so the base URL is set here."""
    return AsyncWebClient(token=token, base_url=api_url, retry_handlers=retry_handlers(calls))


class SlackSender:
    """Posts replies; the one place that calls chat.* and conversations.*."""

    def __init__(self, client: AsyncWebClient, pacer: Pacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or Pacer()

    async def open(self) -> None:
        """Share one HTTP connection pool for every call; without it each call opens its own."""
        if self.client.session is None:
            self.client.session = aiohttp.ClientSession()

    async def close(self) -> None:
        session, self.client.session = self.client.session, None
        if session is not None:
            await session.close()

    async def call(self, method: str, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            log_event(_log, logging.WARNING, "slack_refused", method=method, error=code)
            raise SlackRefusal(method, code, _retry_after(error.response.headers)) from None

    async def post(
        self,
        channel: str,
        reply: Reply,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[str]:
        """Post every message of a reply in a channel (or DM); returns their timestamps."""
        stamps: list[str] = []
        for message in render(reply):
            async with self.paced(channel):
                response = await self.call(
                    "chat.postMessage",
                    self.client.chat_postMessage(
                        channel=channel,
                        text=message.text,
                        blocks=message.blocks,
                        thread_ts=thread_ts,
                        metadata=metadata,
                        unfurl_links=False,
                    ),
                )
            stamps.append(str(response.get("ts", "")))
        return stamps

    @contextlib.asynccontextmanager
    async def paced(self, channel: str) -> AsyncIterator[None]:
        """The channel's turn (posts, edits, uploads); a rate limit Slack still answers with
        pauses the channel."""
        async with self.pacer.turn(channel):
            try:
                yield
            except SlackRefusal as refusal:
                if refusal.code == "ratelimited":
                    self.pacer.pause(channel, refusal.retry_after or self.pacer.interval)
                raise

    async def post_ephemeral(self, channel: str, user: str, reply: Reply) -> None:
        """Only `user` sees it; nothing is left in the channel."""
        for message in render(reply):
            await self.call(
                "chat.postEphemeral",
                self.client.chat_postEphemeral(
                    channel=channel, user=user, text=message.text, blocks=message.blocks
                ),
            )

    async def open_direct(self, user: str) -> str:
        response = await self.call("conversations.open", self.client.conversations_open(users=user))
        return str(response["channel"]["id"])

    async def post_direct(self, user: str, reply: Reply) -> None:
        channel = await self.open_direct(user)
        await self.post(channel, await self.send_files(user, reply, direct=channel))

    async def send_files(self, user: str, reply: Reply, *, direct: str = "") -> Reply:
        """Upload the reply's files into `user`'s DM with the bot (`direct`, else opened
        now); returns the reply without them, saying so if any did not arrive. Never raises
        for Slack: a DM that cannot be opened loses the files, not the reply."""
        if not reply.attachments:
            return reply
        try:
            channel = direct or await self.open_direct(user)
        except SlackRefusal:
            return not_delivered(reply, _NO_DIRECT_MESSAGE)
        except (aiohttp.ClientError, TimeoutError) as error:
            log_event(_log, logging.WARNING, "slack_dm_unreachable", error=type(error).__name__)
            return not_delivered(reply, _NO_DIRECT_MESSAGE)
        return await upload_files(self, channel, reply)

    async def respond(
        self,
        response_url: str,
        user: str,
        reply: Reply,
        *,
        in_channel: bool = False,
        footer: dict[str, Any] | None = None,
    ) -> None:
        """Answer through a command's or click's response_url: ephemeral unless `in_channel`.

        `footer`, a block of the adapter's own (the share button), ends the last message when
        it fits. A reply longer than the response_url may carry goes to the person by direct
        message, which is private, so it is right whatever the reply's visibility.
        """
        messages = render(reply)
        last = messages[-1]
        if footer is not None and len(last.blocks) < MAX_BLOCKS_PER_MESSAGE:
            messages[-1] = SlackMessage(text=last.text, blocks=[*last.blocks, footer])
        if len(messages) > RESPONSE_URL_USES:
            await self._respond_one(
                response_url,
                SlackMessage(
                    text="That's a long answer, so I've sent it to you in a direct message.",
                    blocks=[],
                ),
                in_channel=False,
            )
            await self.post_direct(user, reply)
            return
        for message in messages:
            await self._respond_one(response_url, message, in_channel=in_channel)

    async def _respond_one(self, url: str, message: SlackMessage, *, in_channel: bool) -> None:
        webhook = AsyncWebhookClient(
            url, session=self.client.session, retry_handlers=self.client.retry_handlers
        )
        payload: dict[str, Any] = {
            "response_type": "in_channel" if in_channel else "ephemeral",
            "replace_original": False,
            "text": message.text,
        }
        if message.blocks:
            payload["blocks"] = message.blocks
        response = await webhook.send_dict(payload)
        if response.status_code != 200:
            log_event(_log, logging.WARNING, "slack_respond_failed", status=response.status_code)
            raise SlackRefusal("response_url", f"http_{response.status_code}")

    async def post_to_channel(self, channel_ref: str, reply: Reply, outbox_id: int | str) -> str:
        """A scheduled post. Its metadata carries the outbox id, so a post can be traced back
        to the row that caused it (and found again instead of posted twice)."""
        metadata = {
            "event_type": OUTBOX_EVENT_TYPE,
            "event_payload": {"outbox_id": str(outbox_id)},
        }
        stamps = await self.post(channel_ref, reply, metadata=metadata)
        log_event(
            _log,
            logging.INFO,
            "slack_posted",
            channel=channel_ref,
            outbox=outbox_id,
            parts=len(stamps),
        )
        return stamps[0] if stamps else ""

    async def edit(self, channel: str, ts: str, reply: Reply) -> None:
        """Replace a message the bot posted (a signup list whose places changed).

        Only the first message of a long reply can take the place of the one posted.
        """
        message = render(reply)[0]
        async with self.paced(channel):
            await self.call(
                "chat.update",
                self.client.chat_update(
                    channel=channel, ts=ts, text=message.text, blocks=message.blocks
                ),
            )
        log_event(_log, logging.INFO, "slack_edited", channel=channel)


def _retry_after(headers: Any) -> float | None:
    for name, value in dict(headers or {}).items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list) else value
            try:
                return float(text)
            except (TypeError, ValueError):
                return None
    return None


def channel_link(channel_id: str, workspace_url: str = "") -> str:
    """A link that opens the channel: in the configured workspace, else through slack.com's
    redirect (which GovSlack does not serve)."""
    if workspace_url:
        return f"{workspace_url}archives/{channel_id}"
    return f"https://slack.com/app_redirect?channel={channel_id}"


# What a lead can do about each refusal, in plain words.
_INVITE_FIXES: dict[str, str] = {
    "not_in_channel": "Add the bot to the channel (type `/invite @allybot` in it), then try again",
    "channel_not_found": (
        "The channel configured for this network does not exist or is private and the bot "
        "is not in it: check the channel id in the configuration and add the bot to it"
    ),
    "missing_scope": (
        "The Slack app is missing a permission: reinstall it from slack/manifest.yaml "
        "so it has the channels:manage and groups:write scopes"
    ),
    "method_not_supported_for_channel_type": (
        "The bot cannot add people to this kind of channel (a shared or direct one): "
        "choose an ordinary channel for the network"
    ),
    "cant_invite": "Slack would not allow this person to be added: add them by hand",
    "cant_invite_self": "The bot tried to add itself: check the network's channel setting",
    "user_is_restricted": "This person is a guest without access: a Slack admin can add them",
    "is_archived": "The network's channel is archived: unarchive it or configure a new one",
}
_UNREACHABLE_FIX = "Slack could not be reached: add them by hand, or check the bot's network"
_GENERIC_FIX = "Slack refused to add them ({code}): add them by hand and check the bot's access"


class SlackMessenger:
    """The platform's side of bot.outbound.Messenger: private messages and channel invites."""

    def __init__(self, sender: SlackSender, workspace_url: str = "") -> None:
        self.sender = sender
        self.workspace_url = workspace_url

    async def send_private(self, notice: Notice) -> None:
        platform, _, user = notice.recipient_key.partition(":")
        if platform != "slack" or not user:
            raise ValueError(f"not a Slack person: {notice.recipient_key!r}")
        await self.sender.post_direct(user, notice.reply)

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        user = invite.person_key.partition(":")[2]
        channel = invite.channel_ref
        link = channel_link(channel, self.workspace_url)
        try:
            await self.sender.call(
                "conversations.invite",
                self.sender.client.conversations_invite(channel=channel, users=user),
            )
        except SlackRefusal as refusal:
            if refusal.code == "already_in_channel":
                return InviteResult(InviteOutcome.ALREADY_IN, link=link)
            fix = _INVITE_FIXES.get(refusal.code, _GENERIC_FIX.format(code=refusal.code))
            return InviteResult(InviteOutcome.NOT_POSSIBLE, link=link, fix=fix)
        except (aiohttp.ClientError, TimeoutError) as error:
            # The join stands; the person still gets the link and can go in themselves.
            log_event(_log, logging.WARNING, "slack_invite_unreachable", error=type(error).__name__)
            return InviteResult(InviteOutcome.NOT_POSSIBLE, link=link, fix=_UNREACHABLE_FIX)
        return InviteResult(InviteOutcome.INVITED, link=link)

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        """`conversations.info`'s `is_private`; None when Slack will not say (the bot cannot
        see a private channel it is not in, or lacks the channels:read/groups:read scope)."""
        if platform != "slack":
            return None
        try:
            answer = await self.sender.call(
                "conversations.info", self.sender.client.conversations_info(channel=channel_ref)
            )
        except (SlackRefusal, aiohttp.ClientError, TimeoutError):
            return None
        channel = answer.get("channel") or {}
        private = channel.get("is_private")
        return private if isinstance(private, bool) else None


# Refusals that trying again later could get past; anything else needs a person to act.
_TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
_POST_FIXES: dict[str, str] = {
    "not_in_channel": "add the bot to the channel (type `/invite @allybot` in it)",
    "channel_not_found": "check the channel id in the configuration and that the bot is in it",
    "is_archived": "unarchive the channel or configure another one",
    "missing_scope": "reinstall the Slack app from slack/manifest.yaml (it needs chat:write)",
    "restricted_action": "a Slack admin has limited who may post there: allow the bot",
    "invalid_auth": "check SLACK_BOT_TOKEN",
    "account_inactive": "the bot's token was revoked: reinstall the Slack app",
    "token_revoked": "the bot's token was revoked: reinstall the Slack app",
}


class SlackPublisher:
    """Scheduled posts for the outbox dispatcher (bot.delivery.ChannelPublisher)."""

    def __init__(self, sender: SlackSender) -> None:
        self.sender = sender

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        try:
            if target.kind is TargetKind.PERSON:
                user = target.ref.partition(":")[2] or target.ref
                stamps = await self.sender.post(await self.sender.open_direct(user), reply)
                return PublishResult(message_id=stamps[0] if stamps else "")
            return PublishResult(await self.sender.post_to_channel(target.ref, reply, outbox_id))
        except SlackRefusal as refusal:
            if refusal.code in _TRANSIENT:
                raise DeliveryFailed(refusal.code, retry_after=refusal.retry_after) from None
            fix = _POST_FIXES.get(refusal.code, f"Slack refused the post ({refusal.code})")
            raise DeliveryFailed(refusal.code, permanent=True, fix=fix) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        """Edit a channel post in place (bot.delivery.UpdatingPublisher)."""
        try:
            await self.sender.edit(target.ref, message_id, reply)
        except SlackRefusal as refusal:
            if refusal.code in _TRANSIENT:
                raise DeliveryFailed(refusal.code, retry_after=refusal.retry_after) from None
            fix = _EDIT_FIXES.get(refusal.code) or _POST_FIXES.get(
                refusal.code, f"Slack refused the edit ({refusal.code})"
            )
            raise DeliveryFailed(refusal.code, permanent=True, fix=fix) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None
        return PublishResult(message_id=message_id)


_EDIT_FIXES: dict[str, str] = {
    "message_not_found": "the post was deleted; `topics <session>` still shows the current list",
    "cant_update_message": "the post is no longer the bot's to edit",
}
