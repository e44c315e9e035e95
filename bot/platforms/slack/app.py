"""The Slack adapter: Bolt's AsyncApp over HTTP (`POST /slack/events`) or Socket Mode.

Acknowledge first, work after: every listener acknowledges, starts its work in the
background and returns, and Bolt answers the HTTP request as the listener returns, so
Slack always gets its answer within 3 seconds. The work then deduplicates the delivery in
the database, dispatches to the router and renders the replies.

Where replies go: PRIVATE ones only ever ephemerally, by response_url, or in the
person's direct message with the bot; CONVERSATION ones may be posted in the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.app import Application
from bot.config import Settings
from bot.logs import log_event
from bot.messages import Person, Reply, Request, Visibility
from bot.outbound import Messenger
from bot.platforms.slack.codec import call_from_json
from bot.platforms.slack.forms import FORM_CALLBACK_ID
from bot.platforms.slack.history import CheckingSlackPublisher
from bot.platforms.slack.home import first_time, home_view
from bot.platforms.slack.home_changes import HOME_CHANGING
from bot.platforms.slack.home_refresh import HOME_REFRESH_DELAY_SECONDS, HomeRefresher
from bot.platforms.slack.modals import open_form, submit_form
from bot.platforms.slack.people import SlackDirectory, named, welcome_work
from bot.platforms.slack.render import (
    CALL_ACTION_PREFIX,
    COMMAND_ACTION_PREFIX,
    FORM_ACTION_PREFIX,
)
from bot.platforms.slack.requests import (
    PLATFORM,
    EventMessage,
    delivery_key,
    from_action,
    from_command,
    from_mention,
    from_message_event,
)
from bot.platforms.slack.sender import (
    Pacer,
    SlackMessenger,
    SlackPublisher,
    SlackRefusal,
    SlackSender,
    build_client,
)
from bot.platforms.slack.sharing import SHARE_ACTION_ID, share_block, share_pressed
from bot.platforms.slack.turns import PersonTurns
from bot.tasks import InFlight
from bot.web import Route

_log = logging.getLogger("allybot.slack")

SLASH_COMMAND = "/ally"
# How long a form submission may take before the modal is closed and the answer sent
# afterwards; Bolt gives up waiting for an acknowledgement at 3 seconds.
FORM_ANSWER_BUDGET_SECONDS = 2.0
# How many acknowledged requests are worked on at once; the rest queue (in order).
WORK_SLOTS = 4


class SlackAdapter:
    name = PLATFORM

    def __init__(
        self,
        settings: Settings,
        application: Application,
        *,
        pacer: Pacer | None = None,
        form_budget_seconds: float = FORM_ANSWER_BUDGET_SECONDS,
        work_slots: int = WORK_SLOTS,
        home_refresh_delay: float = HOME_REFRESH_DELAY_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        # Refuses HTTP mode without a signing secret, and Socket Mode without an app token.
        settings.check_platforms()
        self.settings = settings
        self.application = application
        self.client = build_client(
            settings.slack.bot_token,
            settings.slack.api_url,
            application.services.metrics.calls(PLATFORM),
        )
        self.sender = SlackSender(self.client, pacer)
        self._messenger = SlackMessenger(self.sender, settings.slack.workspace_url)
        self.directory = SlackDirectory(self.sender)
        application.services.names.add(PLATFORM, self.directory)
        self.form_budget = form_budget_seconds
        self._socket_mode = settings.slack.mode == "socket"
        self._socket: AsyncSocketModeHandler | None = None
        self.in_flight = InFlight(application.services.funnel)
        self._work_slots = asyncio.Semaphore(work_slots)
        self._turns = PersonTurns()
        self.homes = HomeRefresher(
            self.in_flight,
            application.services.funnel,
            self.publish_home,
            delay=home_refresh_delay,
            sleep=sleep,
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack.signing_secret,
            # Socket Mode requests arrive over an authenticated socket, unsigned.
            request_verification_enabled=not self._socket_mode,
            # The listener's return is the acknowledgement (they return at once, work started):
            # otherwise Bolt polls every 10 ms for ack(), longer on a busy event loop.
            process_before_response=True,
            logger=logging.getLogger("slack_bolt.allybot"),
        )
        self._register_listeners()

    # -- the PlatformAdapter protocol ---------------------------------------------------

    def routes(self) -> list[Route]:
        if self._socket_mode:
            return []
        return [Route("POST", "/slack/events", self.handle_http, PLATFORM)]

    def messenger(self) -> Messenger:
        return self._messenger

    def publisher(self) -> SlackPublisher:
        """Scheduled posts (bot.delivery.ChannelPublisher), with outbox metadata, found
        again in the channel's history when a post is taken over after a crash."""
        return CheckingSlackPublisher(self.sender, look=self.settings.slack.history_lookup)

    async def start(self) -> None:
        await self.sender.open()
        self.application.services.change_watchers.append(self.homes.changed_for)
        if self._socket_mode:
            self._socket = AsyncSocketModeHandler(self.bolt, self.settings.slack.app_token)
            await self._socket.connect_async()
            log_event(_log, logging.INFO, "slack_socket_mode_connected")

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):  # stopped without having started
            self.application.services.change_watchers.remove(self.homes.changed_for)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.drain()
        await self.sender.close()

    async def handle_http(self, request: web.Request) -> web.Response:
        bolt_response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def drain(self) -> None:
        """Wait for work already acknowledged to finish (for shutdown, and for tests)."""
        await self.in_flight.drain()

    # -- listeners ----------------------------------------------------------------------

    def _register_listeners(self) -> None:
        bolt = self.bolt
        bolt.command(SLASH_COMMAND)(self._on_command)
        bolt.event("message")(self._on_message)
        bolt.event("app_mention")(self._on_mention)
        bolt.event("app_home_opened")(self._on_home_opened)
        bolt.action(re.compile("^" + re.escape(COMMAND_ACTION_PREFIX)))(self._on_click)
        bolt.action(re.compile("^" + re.escape(CALL_ACTION_PREFIX)))(self._on_call_click)
        bolt.action(re.compile("^" + re.escape(FORM_ACTION_PREFIX)))(self._on_form_button)
        bolt.action(SHARE_ACTION_ID)(self._on_share)
        bolt.view_submission(FORM_CALLBACK_ID)(self._on_form_submission)

    def _after_ack(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        """Start `work` after the acknowledgement (in a slot); a failure is reported."""
        self.in_flight.spawn(self._in_slot(name, work))

    async def _in_slot(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        # Acknowledgements never wait for this; the slots only keep a burst of requests
        # from crowding the event loop and the database with hundreds of jobs at once.
        async with self._work_slots:
            await self.application.services.funnel.run_job(f"slack:{name}", work)

    def _command_work(
        self, request_in: Request, key: str, answer: Callable[[Reply], Awaitable[None]]
    ) -> Callable[[], Awaitable[None]]:
        """Dispatch once per delivery, answer, then keep the App Home current."""

        async def work() -> None:
            async with self._turns.of(request_in.person.id):
                named = await self.named(request_in)
                replies = await self.application.router.dispatch_once(named, key)
                await self.deliver(request_in, replies, answer)

        return work

    def run_command(
        self, name: str, request_in: Request, key: str, answer: Callable[[Reply], Awaitable[None]]
    ) -> None:
        """Acknowledged already: dispatch once per delivery and answer, in a work slot."""
        self._after_ack(name, self._command_work(request_in, key, answer))

    async def deliver(
        self,
        request_in: Request,
        replies: list[Reply] | None,
        answer: Callable[[Reply], Awaitable[None]],
    ) -> None:
        """Answer a dispatched request (None: a repeat, already answered), then keep the
        App Home current."""
        if replies is None:
            # Nobody named: the router's line for the first delivery says whose it was
            # (or, for an anonymous question, rightly nobody's).
            log_event(_log, logging.INFO, "slack_duplicate_ignored", listener="command")
            return
        for reply in replies:
            await answer(reply)
        self.application.services.metrics.answered(PLATFORM)
        await self._refresh_home_after(request_in)

    async def named(self, request: Request) -> Request:
        return await named(self.directory, request)

    async def _on_command(
        self, ack: AsyncAck, body: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        await ack()
        request_in = from_command(body)
        response_url = body.get("response_url", "")

        async def answer(reply: Reply) -> None:
            await self.answer(request_in, response_url, reply)

        key = delivery_key(request.raw_body, body)
        self._after_ack("command", self._command_work(request_in, key, answer))

    async def _on_message(
        self, body: dict[str, Any], event: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        # Only the person's direct messages with the bot: never channel chatter.
        if event.get("channel_type") != "im":
            return
        message = from_message_event(event)
        if message is not None:
            self._after_ack(
                "message", self._event_work(message, delivery_key(request.raw_body, body))
            )

    async def _on_mention(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        request: AsyncBoltRequest,
        context: AsyncBoltContext,
    ) -> None:
        message = from_mention(event, context.bot_user_id or "")
        if message is not None:
            self._after_ack(
                "mention", self._event_work(message, delivery_key(request.raw_body, body))
            )

    def _event_work(self, message: EventMessage, key: str) -> Callable[[], Awaitable[None]]:
        async def answer(reply: Reply) -> None:
            await self._answer_event(message, reply)

        return self._command_work(message.request, key, answer)

    async def _on_home_opened(
        self, body: dict[str, Any], event: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        user = event.get("user", "")
        key = delivery_key(request.raw_body, body)
        tab = event.get("tab", "home")
        if tab == "messages":
            channel = event.get("channel", "")
            self._after_ack("welcome", welcome_work(self, user, channel, key))
            return
        if tab != "home":
            return

        async def work() -> None:
            if await first_time(self.application, key):
                await self.publish_home(user)
            else:
                log_event(_log, logging.INFO, "slack_duplicate_ignored", listener="home")

        self._after_ack("home", work)

    async def _refresh_home_after(self, request: Request) -> None:
        """Keep the App Home current after a command that may change what it shows."""
        if self.application.router.phrase_asked(request) in HOME_CHANGING:
            await self.publish_home(request.person.id)

    async def publish_home(self, user: str) -> None:
        """(Re)build someone's App Home; call it again whenever what it shows changes."""
        view = await home_view(self.application, Person(PLATFORM, user))
        await self.sender.call("views.publish", self.client.views_publish(user_id=user, view=view))

    async def _on_click(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        await ack()
        click = from_action(body, action)
        request_in = click.request(click.value)

        async def answer(reply: Reply) -> None:
            await self.answer(request_in, click.response_url, reply)

        key = delivery_key(request.raw_body, body)
        self._after_ack("click", self._command_work(request_in, key, answer))

    async def _on_call_click(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        """A button carrying a call: its values reach the command as they are."""
        await ack()
        click = from_action(body, action)
        call = call_from_json(click.value)
        if call is None:
            raise ValueError("a call button's value is not a call")
        request_in = replace(click.request(""), call=call)

        async def answer(reply: Reply) -> None:
            await self.answer(request_in, click.response_url, reply)

        key = delivery_key(request.raw_body, body)
        self._after_ack("click", self._command_work(request_in, key, answer))

    async def _on_share(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        await share_pressed(self, ack, body, action, request)

    async def _on_form_button(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await open_form(self, ack, body, action)

    async def _on_form_submission(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], request: AsyncBoltRequest
    ) -> None:
        await submit_form(self, ack, body, view, request)

    # -- delivering replies -------------------------------------------------------------

    async def answer(
        self, request: Request, response_url: str, reply: Reply, *, sharing: bool = False
    ) -> None:
        """Reply to a command, click or form: by response_url, else by direct message.

        An answer a channel may see goes to the person alone with a "Share in channel"
        button (`in_channel` would show everyone their command too); `sharing` is the press
        of that button, which posts it in the channel.
        """
        public = reply.visibility is Visibility.CONVERSATION and request.conversation.shared
        user = request.person.id
        # A command may come from any channel or someone else's DM: files go to the bot's own
        # DM with the person, opened by conversations.open.
        reply = await self.sender.send_files(user, reply)
        try:
            if response_url and public and not sharing:
                await self.sender.respond(response_url, user, reply, footer=share_block(request))
            elif response_url:
                await self.sender.respond(response_url, user, reply, in_channel=public)
            else:
                await self.sender.post_direct(user, reply)
        except SlackRefusal:
            await self._fall_back_to_direct(user, reply)

    async def _answer_event(self, message: EventMessage, reply: Reply) -> None:
        request = message.request
        channel = request.conversation.id
        user = request.person.id
        # Message events come only from the bot's own DM (an "im") or a mention in a channel.
        direct = "" if request.conversation.shared else channel
        reply = await self.sender.send_files(user, reply, direct=direct)
        try:
            if not request.conversation.shared:
                await self.sender.post(channel, reply)
            elif reply.visibility is Visibility.CONVERSATION:
                await self.sender.post(channel, reply, thread_ts=message.thread_ts)
            else:
                await self.sender.post_ephemeral(channel, user, reply)
        except SlackRefusal:
            await self._fall_back_to_direct(user, reply)

    async def _fall_back_to_direct(self, user: str, reply: Reply) -> None:
        """Slack refused where we tried; a direct message is private, so always allowed."""
        log_event(_log, logging.INFO, "slack_reply_by_direct_message")
        await self.sender.post_direct(user, reply)
