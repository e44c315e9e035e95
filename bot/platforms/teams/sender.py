"""Everything the bot sends to Teams: replies, private messages and scheduled posts, and
edits of a channel post it made (the breakout signup list, kept current).

All of it is proactive (`continue_conversation` on a stored or just-seen reference), so
a slow command never holds Teams' HTTP request open. Pacing, retries and the words for a
refusal are in `bot.platforms.teams.retries`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import TypeVar

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
    ResourceResponse,
)

from bot.logs import log_event
from bot.messages import Attachment as File
from bot.messages import Reply
from bot.metrics import PlatformCalls
from bot.platforms.teams.files import PendingFiles, consent_activity
from bot.platforms.teams.references import ReferenceStore, StoredReference
from bot.platforms.teams.render import (
    CARD_CONTENT_TYPE,
    MAX_MESSAGE_BYTES,
    Element,
    TeamsMessage,
    encoded_size,
    render,
    split_text,
)
from bot.platforms.teams.requests import CHANNEL, PERSONAL, PLATFORM
from bot.platforms.teams.retries import (
    EDIT_FIXES,
    FIXES,
    GENERIC_FIX,
    NO_REFERENCE_FIX,
    RETRY_STATUSES,
    Pacer,
    RetryPolicy,
    TeamsRefusal,
    error_details,
    leave_retries_to_us,
)
from bot.platforms.teams.text_layout import plain_text, text_elements

_log = logging.getLogger("allybot.teams")

CHANNEL_ID = "msteams"

T = TypeVar("T")


# Said at the end of an edited post cut down to one message (see `one_message`).
CUT_SHORT_NOTE = (
    "This list is too long for one Teams message, so it stops here, and any replies under "
    "this post may be out of date: `topics <session>` shows the whole current list."
)
# Room render() leaves for the activity around a message; the note must not eat into it.
_EDIT_BUDGET = MAX_MESSAGE_BYTES - 4_000


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
        ending = "\n\n" + plain_text(note)
        while encoded_size(text + ending) > _EDIT_BUDGET:
            text = split_text(text, max(1, len(text) // 2))[0]
        return TeamsMessage(text=text + ending)
    card = dict(first.card)
    body = list(card.get("body", []))
    [ending_block] = text_elements(note)
    card["body"] = [*body, ending_block]
    # The first card was packed to the limit: make room for the note by cutting items.
    while len(body) > 1 and encoded_size(card) > _EDIT_BUDGET:
        body.pop()
        card["body"] = [*body, ending_block]
    return TeamsMessage(text="", card=card, summary=first.summary)


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
        # Files offered by FileConsentCard, waiting for the person to accept them.
        self.files = PendingFiles()
        # Told of each refusal, for `GET /metrics` (retries and 429s).
        self.calls: PlatformCalls | None = None

    async def with_retry(
        self,
        operation: str,
        call: Callable[[], Awaitable[T]],
        fixes: Mapping[int, str] = FIXES,
    ) -> T:
        for attempt in range(self.retry.attempts):
            try:
                return await call()
            except ErrorResponseException as error:
                status, retry_after, code = error_details(error)
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
                fix = fixes.get(status, GENERIC_FIX.format(status=status))
                raise TeamsRefusal(operation, status, code, fix, retry_after) from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def send(self, reference: ConversationReference, reply: Reply) -> list[str]:
        """Send every message of a reply into a conversation, then offer its files (only a
        personal chat can take them); returns the activity ids."""
        ids = await self.send_messages(reference, render(reply))
        if reply.attachments:
            ids += await self.offer_files(reference, reply.attachments)
        return ids

    async def offer_files(
        self, reference: ConversationReference, files: tuple[File, ...]
    ) -> list[str]:
        """A FileConsentCard per file in a personal chat; the bytes wait in `self.files`."""
        conversation = reference.conversation
        if conversation is None or conversation.conversation_type not in (PERSONAL, None):
            raise ValueError("files are only ever offered in a personal chat")
        person_id = reference.user.id if reference.user is not None else ""
        if not person_id:
            raise ValueError("a personal chat's reference names nobody to offer files to")
        offers = [partial(consent_activity, f, self.files.add(person_id, f)) for f in files]
        return await self._send_activities(reference, list(offers))

    async def send_card(self, reference: ConversationReference, card: Element) -> list[str]:
        return await self.send_messages(reference, [TeamsMessage(text="", card=card)])

    async def send_messages(
        self, reference: ConversationReference, messages: list[TeamsMessage]
    ) -> list[str]:
        return await self._send_activities(
            reference, [partial(activity_for, message) for message in messages]
        )

    async def _send_activities(
        self, reference: ConversationReference, builders: list[Callable[[], Activity]]
    ) -> list[str]:
        ids: list[str] = []

        async def deliver(turn_context: TurnContext) -> None:
            leave_retries_to_us(turn_context)
            for build in builders:
                await self.pacer.wait_turn(reference.conversation.id)

                # The activity is built afresh on each attempt: sending fills in its fields.
                def send(b: Callable[[], Activity] = build) -> Awaitable[ResourceResponse | None]:
                    return turn_context.send_activity(b())

                response = await self.with_retry("send", send)
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
                "update", lambda: turn_context.update_activity(activity), EDIT_FIXES
            )

        await self.adapter.continue_conversation(
            reference=stored.reference, callback=edit, bot_app_id=self.app_id
        )
        log_event(_log, logging.INFO, "teams_updated", channel=channel_ref, message=message_id)
