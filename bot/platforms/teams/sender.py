"""Everything the bot sends to Teams: replies, private messages and scheduled posts, and
edits of a channel post it made (the breakout signup list, kept current).

All of it is proactive (`continue_conversation` on a stored or just-seen reference), so
a slow command never holds Teams' HTTP request open. The SDK neither paces nor retries:
sends are paced per conversation (at most 7 a second and 60 in 30 seconds) and retried
on 429, 412, 502 and 504 with jittered exponential back-off that honours Retry-After.
Anything the connector still refuses becomes a `TeamsRefusal` with words for a lead.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import quote

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)
from msrest.exceptions import ClientRequestError

from bot.delivery import DeliveryFailed, DeliveryTarget, PublishResult, TargetKind
from bot.logs import log_event
from bot.messages import Reply
from bot.metrics import PlatformCalls
from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice
from bot.platforms.teams.references import ReferenceStore, StoredReference
from bot.platforms.teams.render import (
    CARD_CONTENT_TYPE,
    MAX_MESSAGE_BYTES,
    Element,
    TeamsMessage,
    encoded_size,
    escape_card_text,
    escape_plain_text,
    render,
    split_text,
)
from bot.platforms.teams.requests import CHANNEL, PERSONAL, PLATFORM

_log = logging.getLogger("allybot.teams")

CHANNEL_ID = "msteams"
RETRY_STATUSES = frozenset({412, 429, 502, 504})
ROSTER_ERROR = "BotNotInConversationRoster"

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class Pacer:
    """Per conversation: at most `per_second` sends a second, `per_window` in `window` seconds."""

    per_second: int = 7
    per_window: int = 60
    window: float = 30.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def _wait_needed(self, sent: deque[float], now: float) -> float:
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        waits = [0.0]
        if len(sent) >= self.per_window:
            waits.append(sent[-self.per_window] + self.window - now)
        if len(sent) >= self.per_second:
            waits.append(sent[-self.per_second] + 1.0 - now)
        return max(waits)

    async def wait_turn(self, conversation_id: str) -> None:
        key = conversation_id.split(";", 1)[0]
        lock = self._locks.setdefault(key, asyncio.Lock())
        sent = self._sent.setdefault(key, deque())
        async with lock:
            wait = self._wait_needed(sent, self.monotonic())
            while wait > 0:
                await self.sleep(wait)
                wait = self._wait_needed(sent, self.monotonic())
            sent.append(self.monotonic())


@dataclass(slots=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    sleep: Sleep = asyncio.sleep
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential back-off with jitter (so replicas do not retry in step), never sooner
        than the connector's Retry-After."""
        backoff = min(self.cap, self.base * (2**attempt))
        jittered = backoff * (0.5 + self.random() / 2)
        return max(jittered, retry_after or 0.0)


class TeamsRefusal(Exception):
    """The connector refused; `fix` says, in plain words, what a lead can do about it."""

    def __init__(
        self, operation: str, status: int, code: str, fix: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{operation}: HTTP {status} {code}")
        self.operation = operation
        self.status = status
        self.code = code
        self.fix = fix
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Whether trying again later could help (the retries here ran out)."""
        return self.status in RETRY_STATUSES

    @property
    def not_in_roster(self) -> bool:
        return self.status == 403 and self.code == ROSTER_ERROR


_FIXES: dict[int, str] = {
    403: (
        "The bot is not a member of that team or chat any more, so Teams refused the post: "
        "add allybot to the team again (the team's ⋯ menu → Manage team → Apps), then retry."
    ),
    404: (
        "Teams does not know that conversation: check the channel configured for the "
        "network, and that allybot is installed in its team."
    ),
    401: "Teams refused the bot's credentials: check MicrosoftAppId and MicrosoftAppPassword.",
}
_GENERIC_FIX = "Teams refused the message (HTTP {status}); try again later."
NO_REFERENCE_FIX = (
    "allybot has not been added to the team that holds this channel, so it cannot post "
    "there: add the app to the team (the team's ⋯ menu → Manage team → Apps)."
)
# A refused edit means something other than a refused post: a 404 is the post gone, not
# a wrong channel. Only list posts are edited in place (the breakout signup), so the
# words point at the command that always shows the current list.
_EDIT_FIXES: dict[int, str] = {
    **_FIXES,
    403: (
        "allybot is no longer a member of that team, so Teams refused to update its post: "
        "add allybot to the team again (the team's ⋯ menu → Manage team → Apps); the next "
        "change to the list updates the post again."
    ),
    404: (
        "the post was deleted in Teams, so it can no longer be kept current; "
        "`topics <session>` still shows the current list."
    ),
}
# Said at the end of an edited post cut down to one message (see `one_message`).
CUT_SHORT_NOTE = (
    "This list is too long for one Teams message, so it stops here, and any replies under "
    "this post may be out of date: `topics <session>` shows the whole current list."
)
# Room render() leaves for the activity around a message; the note must not eat into it.
_EDIT_BUDGET = MAX_MESSAGE_BYTES - 4_000


def _error_details(error: ErrorResponseException) -> tuple[int, float | None, str]:
    response = error.response
    status = int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)
    headers = getattr(response, "headers", None) or {}
    retry_after: float | None = None
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    if raw:
        try:
            retry_after = max(0.0, float(raw))
        except ValueError:
            retry_after = None
    body = getattr(error, "error", None)
    inner = getattr(body, "error", None)
    code = str(getattr(inner, "code", "") or "")
    return status, retry_after, code


def one_message(reply: Reply, note: str = CUT_SHORT_NOTE) -> TeamsMessage:
    """The reply as exactly one Teams message, for editing a post in place.

    An edit can only replace the one activity that was posted, and a stream of new posts
    is what editing in place is there to avoid; so when the reply needs more than one
    message, the post keeps the first (the heading and the first items, as a new post
    would show them) and ends with `note`, saying where the rest is. Attachments would
    follow as messages of their own, so an edit leaves them out (list posts have none).
    """
    messages = render(replace(reply, attachments=()))
    first = messages[0]
    if len(messages) == 1:
        return first
    if first.card is None:
        text = first.text
        ending = "\n\n" + escape_plain_text(note)
        while encoded_size(text + ending) > _EDIT_BUDGET:
            text = split_text(text, max(1, len(text) // 2))[0]
        return TeamsMessage(text=text + ending)
    card = dict(first.card)
    body = list(card.get("body", []))
    ending_block: Element = {"type": "TextBlock", "text": escape_card_text(note), "wrap": True}
    card["body"] = [*body, ending_block]
    # The first card was packed to the limit: make room for the note by cutting items.
    while len(body) > 1 and encoded_size(card) > _EDIT_BUDGET:
        body.pop()
        card["body"] = [*body, ending_block]
    return TeamsMessage(text="", card=card, summary=first.summary)


def leave_retries_to_us(turn_context: TurnContext) -> None:
    """Turn off the retries msrest asks of urllib3 on HTTP statuses, for this turn's calls.

    They apply to idempotent methods only, so to an edit (PUT) and not to a send (POST):
    urllib3 then waits out a 429's Retry-After or retries a 5xx itself, in a worker thread,
    outside the pacer and with no cap, and when it gives up raises a ClientRequestError
    that hides the status, so the outbox could no longer tell a lead why. With them off,
    every refusal reaches `with_retry`, as a send's does; retries of a failed connection
    stay as they are.
    """
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    if client is None:
        # Adapters that make no HTTP calls (botbuilder's TestAdapter) keep no client.
        return
    policy = client.config.retry_policy.policy
    policy.status_forcelist = frozenset()
    policy.respect_retry_after_header = False
    policy.raise_on_status = False


def activity_for(message: TeamsMessage) -> Activity:
    if message.card is not None:
        return Activity(
            type=ActivityTypes.message,
            summary=message.summary or None,
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=message.card)],
        )
    return Activity(type=ActivityTypes.message, text=message.text, text_format="plain")


class TeamsSender:
    """The one place that talks to the Bot Framework connector."""

    def __init__(
        self,
        adapter: BotAdapter,
        app_id: str,
        references: ReferenceStore,
        *,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.references = references
        self.pacer = pacer or Pacer()
        self.retry = retry or RetryPolicy()
        # Told of each refusal, for `GET /metrics` (retries and 429s).
        self.calls: PlatformCalls | None = None

    async def with_retry(
        self,
        operation: str,
        call: Callable[[], Awaitable[T]],
        fixes: Mapping[int, str] = _FIXES,
    ) -> T:
        for attempt in range(self.retry.attempts):
            try:
                return await call()
            except ErrorResponseException as error:
                status, retry_after, code = _error_details(error)
                retrying = status in RETRY_STATUSES and attempt + 1 < self.retry.attempts
                if self.calls is not None:
                    self.calls.refused(status, retrying=retrying)
                if retrying:
                    delay = self.retry.delay(attempt, retry_after)
                    log_event(
                        _log,
                        logging.INFO,
                        "teams_retry",
                        operation=operation,
                        status=status,
                        attempt=attempt + 1,
                        delay=round(delay, 2),
                    )
                    await self.retry.sleep(delay)
                    continue
                log_event(
                    _log,
                    logging.WARNING,
                    "teams_refused",
                    operation=operation,
                    status=status,
                    code=code,
                )
                fix = fixes.get(status, _GENERIC_FIX.format(status=status))
                raise TeamsRefusal(operation, status, code, fix, retry_after) from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def send(self, reference: ConversationReference, reply: Reply) -> list[str]:
        """Send every message of a reply into a conversation; returns their activity ids."""
        return await self.send_messages(reference, render(reply))

    async def send_card(self, reference: ConversationReference, card: Element) -> list[str]:
        return await self.send_messages(reference, [TeamsMessage(text="", card=card)])

    async def send_messages(
        self, reference: ConversationReference, messages: list[TeamsMessage]
    ) -> list[str]:
        ids: list[str] = []

        async def deliver(turn_context: TurnContext) -> None:
            leave_retries_to_us(turn_context)
            for message in messages:
                await self.pacer.wait_turn(reference.conversation.id)
                response = await self.with_retry(
                    "send", lambda m=message: turn_context.send_activity(activity_for(m))
                )
                ids.append(str(getattr(response, "id", "") or ""))

        await self.adapter.continue_conversation(
            reference=reference, callback=deliver, bot_app_id=self.app_id
        )
        return ids

    async def open_personal(
        self, person_id: str, service_url: str, tenant_id: str, bot: ChannelAccount
    ) -> ConversationReference:
        """Create the 1:1 chat with someone (Teams returns the existing one if there is one)."""
        parameters = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[ChannelAccount(id=person_id)],
            tenant_id=tenant_id or None,
            channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
        )
        created: list[ConversationReference] = []

        async def capture(turn_context: TurnContext) -> None:
            created.append(TurnContext.get_conversation_reference(turn_context.activity))

        await self.with_retry(
            "create_conversation",
            lambda: self.adapter.create_conversation(
                bot_app_id=self.app_id,
                callback=capture,
                conversation_parameters=parameters,
                channel_id=CHANNEL_ID,
                service_url=service_url,
            ),
        )
        reference = created[0]
        reference.user = ChannelAccount(id=person_id)
        reference.bot = bot
        reference.activity_id = None
        if tenant_id:
            reference.conversation.tenant_id = tenant_id
        await self.references.remember_reference(
            f"{PLATFORM}:{person_id}", PERSONAL, reference, tenant_id
        )
        return reference

    async def personal_reference(
        self, person_key: str, *, near: StoredReference | None = None
    ) -> ConversationReference:
        """The person's 1:1 chat with the bot: stored, or opened now on the service URL of
        `near` (the conversation they wrote from) or of any conversation the bot knows."""
        stored = await self.references.get(person_key)
        if stored is not None:
            return stored.reference
        source = near or await self.references.latest()
        if source is None or source.reference.bot is None:
            raise TeamsRefusal(
                "personal",
                404,
                "NoPersonalChat",
                "This person has never talked to allybot: ask them to open a chat with it first.",
            )
        person_id = person_key.partition(":")[2]
        return await self.open_personal(
            person_id, source.service_url, source.tenant_id, source.reference.bot
        )

    async def send_private(
        self, person_key: str, reply: Reply, *, near: StoredReference | None = None
    ) -> list[str]:
        return await self.send(await self.personal_reference(person_key, near=near), reply)

    async def channel_reference(self, channel_ref: str, operation: str) -> StoredReference:
        """Where to reach a channel: its stored reference (the bot was added there), or one
        derived from any reference the bot has, since a channel in the same team needs only
        another conversation id. Teams says 403 if the bot is not in that team after all."""
        stored = await self.references.get(channel_ref)
        if stored is not None:
            return stored
        team = await self.references.latest()
        if team is None or team.reference.conversation is None:
            raise TeamsRefusal(operation, 404, "NoConversationReference", NO_REFERENCE_FIX)
        derived = StoredReference(
            ConversationReference().deserialize(team.reference.serialize()),
            team.tenant_id,
            team.service_url,
        )
        derived.reference.conversation.id = channel_ref
        derived.reference.conversation.conversation_type = CHANNEL
        return derived

    async def post_to_channel(self, channel_ref: str, reply: Reply, outbox_id: int | str) -> str:
        """A scheduled post: a new thread in the channel, later parts as replies in it.

        Returns the id of the thread's first message. A 403 (the bot is no longer in the
        team) raises a TeamsRefusal whose `fix` can be shown to the network's leads.
        """
        stored = await self.channel_reference(channel_ref, "post")
        messages = render(reply)
        first = await self.send_messages(stored.reference, messages[:1])
        thread_id = first[0] if first else ""
        if len(messages) > 1:
            thread = ConversationReference().deserialize(stored.reference.serialize())
            thread.conversation.id = f"{channel_ref};messageid={thread_id}"
            await self.send_messages(thread, messages[1:])
        log_event(
            _log,
            logging.INFO,
            "teams_posted",
            channel=channel_ref,
            outbox=outbox_id,
            parts=len(messages),
        )
        return thread_id

    async def update_channel_post(self, channel_ref: str, message_id: str, reply: Reply) -> None:
        """Replace the first message of a thread this bot started in a channel with `reply`
        (`PUT /v3/conversations/{channel}/activities/{message_id}` on the connector).

        The post is addressed the way it was made, through the channel's reference, and
        paced and retried like any send. A reply too long for one message is cut short
        with a note (`one_message`). A 404 (the post was deleted) or 403 (the bot left the
        team) raises a TeamsRefusal whose `fix` says what a lead can do.
        """
        stored = await self.channel_reference(channel_ref, "update")
        activity = activity_for(one_message(reply))
        activity.id = message_id

        async def edit(turn_context: TurnContext) -> None:
            leave_retries_to_us(turn_context)
            await self.pacer.wait_turn(stored.reference.conversation.id)
            await self.with_retry(
                "update", lambda: turn_context.update_activity(activity), _EDIT_FIXES
            )

        await self.adapter.continue_conversation(
            reference=stored.reference, callback=edit, bot_app_id=self.app_id
        )
        log_event(_log, logging.INFO, "teams_updated", channel=channel_ref, message=message_id)


def channel_link(channel_ref: str) -> str:
    """A deep link to a Teams channel, where the id looks like one."""
    if not channel_ref.startswith("19:"):
        return ""
    return f"https://teams.microsoft.com/l/channel/{quote(channel_ref, safe='')}/channel"


INVITE_FIX = (
    "Teams does not let bots add people to channels: add them in Teams (the team's ⋯ menu → "
    "Add member, or the channel's ⋯ menu → Manage channel for a private channel)."
)


class TeamsMessenger:
    """The platform's side of bot.outbound.Messenger for Teams."""

    def __init__(self, sender: TeamsSender) -> None:
        self.sender = sender

    async def send_private(self, notice: Notice) -> None:
        platform, _, user = notice.recipient_key.partition(":")
        if platform != PLATFORM or not user:
            raise ValueError(f"not a Teams person: {notice.recipient_key!r}")
        await self.sender.send_private(notice.recipient_key, notice.reply)

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        return InviteResult(
            InviteOutcome.NOT_POSSIBLE, link=channel_link(invite.channel_ref), fix=INVITE_FIX
        )

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        """Always None: a channel id (`19:...@thread.tacv2`) and the stored conversation
        reference look the same for standard and private channels, and the Bot Framework
        connector has no call that says which it is. A standard channel is visible to the
        whole team, so the admin is asked to check."""
        return None


def delivery_failure(refusal: TeamsRefusal) -> DeliveryFailed:
    """The outbox's view of a refusal: retry later if Teams was only busy, else tell a lead."""
    reason = refusal.code or f"http_{refusal.status}"
    if refusal.transient:
        return DeliveryFailed(reason, retry_after=refusal.retry_after)
    return DeliveryFailed(reason, permanent=True, fix=refusal.fix)


class TeamsPublisher:
    """Scheduled posts for the outbox dispatcher (bot.delivery.ChannelPublisher)."""

    def __init__(self, sender: TeamsSender) -> None:
        self.sender = sender

    async def publish(self, target: DeliveryTarget, reply: Reply, outbox_id: int) -> PublishResult:
        try:
            if target.kind is TargetKind.PERSON:
                ids = await self.sender.send_private(target.ref, reply)
                return PublishResult(message_id=ids[0] if ids else "")
            return PublishResult(await self.sender.post_to_channel(target.ref, reply, outbox_id))
        except TeamsRefusal as refusal:
            raise delivery_failure(refusal) from None
        except ClientRequestError as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        """Edit a channel post in place (bot.delivery.UpdatingPublisher)."""
        if target.kind is not TargetKind.CHANNEL:
            # A person's target is their key, not a conversation: nothing to address an edit to.
            raise DeliveryFailed(
                "cannot_update",
                permanent=True,
                fix="allybot edits only its channel posts on Teams, not private messages",
            )
        try:
            await self.sender.update_channel_post(target.ref, message_id, reply)
        except TeamsRefusal as refusal:
            raise delivery_failure(refusal) from None
        except ClientRequestError as error:
            raise DeliveryFailed(f"connection: {type(error).__name__}") from None
        return PublishResult(message_id=message_id)
