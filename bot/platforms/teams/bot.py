"""The Teams turn logic: an ActivityHandler that turns activities into router requests.

Answer first, work after: a message turn only records the conversation reference, then
the command runs in the background and its replies go out proactively, so Teams gets its
HTTP answer at once however slow the command is. An Action.Execute invoke must carry its
answer (a refreshed card) in the HTTP response, so it waits for the command, but never
past `invoke_budget` seconds; after that it answers "working on it" and the replies
follow proactively.

A redelivery is recognised by the router (`dispatch_once`), keyed on the conversation and
the activity id, in the same transaction as what the command changes: a failure to record
it fails the command, which the person hears about, instead of silencing them.

Private replies never appear in a channel or group chat: there the bot says it has
replied privately, and sends the reply to the person's 1:1 chat.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
    ConversationReference,
)

from bot.app import Application
from bot.forms import field_errors, form_from_data, submission
from bot.logs import log_event
from bot.messages import Button, Call, Form, Reply, Request, Visibility
from bot.platforms.teams.file_offers import offer_files, send_with_files
from bot.platforms.teams.files import FILE_CONSENT_INVOKE, FileConsents
from bot.platforms.teams.messenger import TeamsMessenger
from bot.platforms.teams.references import ReferenceStore, StoredReference
from bot.platforms.teams.render import (
    CARD_CONTENT_TYPE,
    MAX_MESSAGE_BYTES,
    Element,
    encoded_size,
    form_card,
    form_values,
    reply_card,
)
from bot.platforms.teams.requests import (
    PERSONAL,
    PLATFORM,
    Submitted,
    conversation_of,
    delivery_key,
    person_of,
    request_for,
    scope_of,
    submitted,
    tenant_of,
    text_without_mention,
)
from bot.platforms.teams.retries import TeamsRefusal
from bot.platforms.teams.sender import TeamsSender
from bot.tasks import InFlight
from storage.repositories import DeliveryRepository

_log = logging.getLogger("allybot.teams")

# Teams waits about 10 seconds for a bot; an invoke answers well inside that.
INVOKE_BUDGET_SECONDS = 5.0

REPLIED_PRIVATELY = Reply(text="I've replied to you privately.", visibility=Visibility.CONVERSATION)
WORKING_ON_IT = Reply(
    text="Working on it: I'll send the answer in a moment.", visibility=Visibility.CONVERSATION
)
ALREADY_DONE = Reply(text="I've already done that.", visibility=Visibility.CONVERSATION)
NO_PRIVATE_CHAT = Reply(
    text=(
        "I couldn't message you privately. Please open a chat with me (search for allybot "
        "in Teams' Apps), say hello, and ask me there."
    ),
    visibility=Visibility.CONVERSATION,
)
HELLO_SHARED = Reply(
    text=(
        "Hello! I'm allybot, here for your staff networks and their allies. Mention me with "
        "`help` to see what I can do. Anything personal (your networks, registrations, access "
        "needs) I answer only in a private chat with you."
    ),
    buttons=(Button("Help", call=Call("help")),),
    visibility=Visibility.CONVERSATION,
)


def _invoke_response(card: Element) -> InvokeResponse:
    return InvokeResponse(
        status=200,
        body=AdaptiveCardInvokeResponse(status_code=200, type=CARD_CONTENT_TYPE, value=card),
    )


def _near(activity: Activity) -> StoredReference:
    """The conversation an activity came from, as the place to open a personal chat from."""
    reference = TurnContext.get_conversation_reference(activity)
    return StoredReference(reference, tenant_of(activity), activity.service_url or "")


class AllyTeamsBot(ActivityHandler):
    def __init__(
        self,
        application: Application,
        sender: TeamsSender,
        references: ReferenceStore,
        tasks: InFlight,
        *,
        invoke_budget: float = INVOKE_BUDGET_SECONDS,
    ) -> None:
        self.application = application
        self.sender = sender
        self.messenger = TeamsMessenger(sender)
        self.references = references
        self.tasks = tasks
        self.invoke_budget = invoke_budget
        self.file_consents = FileConsents(sender.files, application.services)

    # -- every turn ---------------------------------------------------------------------

    async def _first_time(self, activity: Activity) -> bool:
        """Record a delivery answered without running a command (a form sent back to be
        corrected); True unless it came before. Commands are recorded by the router instead,
        in their own transaction."""
        key = delivery_key(activity)
        if not key:
            return True
        try:
            async with self.application.database.transaction() as session:
                return await DeliveryRepository(session).first_time(
                    key, PLATFORM, self.application.services.clock.now()
                )
        except Exception as error:  # noqa: BLE001 - reported; the person still gets an answer
            # Better a rare second answer than none at all.
            self.application.services.funnel.report(error, where="teams:record-delivery")
            return True

    async def _remember(self, activity: Activity) -> None:
        """Keep the conversation's reference for later posts. The answer to this activity
        goes back by the activity's own reference, so a database that cannot store it just
        now is reported and does not leave the person unanswered."""
        try:
            await self.references.remember(activity)
        except Exception as error:  # noqa: BLE001 - reported; the person still gets an answer
            self.application.services.funnel.report(error, where="teams:remember")

    async def _dispatch_once(self, activity: Activity, request: Request) -> list[Reply] | None:
        """Run the command once per (conversation, activity), however often Teams delivers it;
        None when it was handled before."""
        key = delivery_key(activity)
        if not key:
            return await self.application.router.dispatch(request)
        replies = await self.application.router.dispatch_once(request, key)
        if replies is None:
            log_event(_log, logging.INFO, "teams_duplicate_ignored", kind=activity.type)
        return replies

    # -- messages, typed or Action.Submit -------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._remember(activity)
        action = submitted(activity.value)
        reply_to = TurnContext.get_conversation_reference(activity)
        near = _near(activity)
        if action is not None and action.form is not None:
            self.tasks.spawn_job(
                "teams:form", lambda: self._submit_form(activity, action, reply_to)
            )
            return
        if action is not None and action.call is not None:
            request = request_for(activity, "", action.call)
        else:
            text = action.command if action is not None else text_without_mention(activity)
            request = request_for(activity, text)

        async def work() -> None:
            replies = await self._dispatch_once(activity, request)
            if replies is not None:
                await self.deliver(request, reply_to, replies, near=near)
                self.application.services.metrics.answered(PLATFORM)

        self.tasks.spawn_job("teams:message", work)

    async def _submit_form(
        self, activity: Activity, action: Submitted, reply_to: ConversationReference
    ) -> None:
        """Action.Submit of a form card: problems come back as the form again, marked."""
        form = form_from_data(action.form or {})
        values = form_values(form, action.values or {})
        problems = field_errors(form, values)
        if problems:
            if await self._first_time(activity):
                await self.sender.send_card(reply_to, form_card(form, problems, values))
            return
        request = submission(form, values, person_of(activity), conversation_of(activity))
        replies = await self._dispatch_once(activity, request)
        if replies is None:
            return
        refusal = _field_refusal(replies, form)
        if refusal is not None:
            await self.sender.send_card(
                reply_to, form_card(form, {refusal.error_field or "": refusal.text}, values)
            )
            return
        await self.deliver(request, reply_to, replies, near=_near(activity))

    # -- delivering replies ---------------------------------------------------------------

    async def deliver(
        self,
        request: Request,
        reply_to: ConversationReference,
        replies: list[Reply],
        *,
        near: StoredReference,
        say_replied_privately: bool = True,
    ) -> None:
        """Send replies where they belong: private ones only ever to the person's 1:1 chat.

        `say_replied_privately` is off when a card already told the channel so.
        """
        told_privately = not say_replied_privately
        for reply in replies:
            shared = request.conversation.shared
            if shared and reply.visibility is Visibility.CONVERSATION and reply.attachments:
                # The channel may see the reply; its files go only to the personal chat.
                await send_with_files(self.sender, request, reply_to, reply, near=near)
                continue
            if request.conversation.shared and reply.visibility is Visibility.PRIVATE:
                try:
                    await self.sender.send_private(request.person.key, reply, near=near)
                except TeamsRefusal:
                    await self.sender.send(reply_to, NO_PRIVATE_CHAT)
                    return
                if not told_privately:
                    await self.sender.send(reply_to, REPLIED_PRIVATELY)
                    told_privately = True
            else:
                await self.sender.send(reply_to, reply)

    # -- Action.Execute -------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        # Handled here, not in on_adaptive_card_invoke: in botbuilder 4.17.1 a response
        # returned from there is serialised twice and Teams gets an HTTP 500.
        activity = turn_context.activity
        if activity.name == FILE_CONSENT_INVOKE:
            # A redelivered Allow must not upload twice, nor say the file has gone.
            if not await self._first_time(activity):
                return InvokeResponse(status=200)
            return await self.file_consents.answer(turn_context)
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = activity.value if isinstance(activity.value, dict) else {}
        action_value = value.get("action") or {}
        action = submitted(action_value.get("data"))
        if action is None:
            return _invoke_response(reply_card(Reply(text="That button has nothing to do.")))
        await self._remember(activity)
        reply_to = TurnContext.get_conversation_reference(activity)
        near = _near(activity)
        form = form_from_data(action.form) if action.form is not None else None
        values: dict[str, str] = {}
        if form is not None:
            values = form_values(form, action.values or {})
            problems = field_errors(form, values)
            if problems:
                return _invoke_response(form_card(form, problems, values))
            request = submission(form, values, person_of(activity), conversation_of(activity))
        else:
            request = request_for(activity, action.command, action.call)
        dispatch = asyncio.ensure_future(self._dispatch_once(activity, request))
        done, _ = await asyncio.wait({dispatch}, timeout=self.invoke_budget)
        if dispatch not in done:

            async def later() -> None:
                replies = await dispatch
                if replies is not None:
                    await self.deliver(request, reply_to, replies, near=near)

            self.tasks.track(dispatch)
            self.tasks.spawn_job("teams:invoke-late", later)
            return _invoke_response(reply_card(WORKING_ON_IT))
        replies = dispatch.result()
        if replies is None:
            return _invoke_response(reply_card(ALREADY_DONE))
        if form is not None:
            refusal = _field_refusal(replies, form)
            if refusal is not None:
                errors = {refusal.error_field or "": refusal.text}
                return _invoke_response(form_card(form, errors, values))
        return await self._card_answer(request, reply_to, replies, near)

    async def _card_answer(
        self,
        request: Request,
        reply_to: ConversationReference,
        replies: list[Reply],
        near: StoredReference,
    ) -> InvokeResponse:
        """The first reply becomes the refreshed card where everyone may see it; the rest
        (and anything private in a shared conversation) follow as messages."""
        first, rest = replies[0], replies[1:]
        shared = request.conversation.shared
        card = reply_card(first)
        if (shared and first.visibility is Visibility.PRIVATE) or encoded_size(
            card
        ) > MAX_MESSAGE_BYTES:
            card = reply_card(REPLIED_PRIVATELY if shared else WORKING_ON_IT)
            rest = replies
        # A card in an invoke response cannot carry files: they are offered after it.
        files = first.attachments if rest is not replies else ()
        if rest or files:

            async def follow() -> None:
                if files:
                    await offer_files(self.sender, request, reply_to, files, near=near)
                await self.deliver(request, reply_to, rest, near=near, say_replied_privately=False)

            self.tasks.spawn_job("teams:invoke-rest", follow)
        return _invoke_response(card)

    # -- installed and removed ------------------------------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._installed(turn_context.activity)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._removed(turn_context.activity)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if any(member.id == activity.recipient.id for member in members_added):
            await self._installed(activity)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if any(member.id == activity.recipient.id for member in members_removed):
            await self._removed(activity)

    async def _installed(self, activity: Activity) -> None:
        # Teams sends both installationUpdate and conversationUpdate on install: the
        # reference being new is what makes exactly one of them say hello.
        if not await self.references.remember(activity):
            return
        log_event(_log, logging.INFO, "teams_installed", scope=scope_of(activity))
        reply_to = TurnContext.get_conversation_reference(activity)
        if scope_of(activity) != PERSONAL:
            self.tasks.spawn_job("teams:hello", lambda: self._send(reply_to, HELLO_SHARED))
            return
        # The welcome, once a person (it remembers whom it greeted).
        request = request_for(activity, "", Call.of("welcome", first="true"))

        async def hello() -> None:
            replies = await self.application.router.dispatch(request)
            await self.deliver(request, reply_to, replies, near=_near(activity))

        self.tasks.spawn_job("teams:hello", hello)

    async def _send(self, reference: ConversationReference, reply: Reply) -> None:
        await self.sender.send(reference, reply)

    async def _removed(self, activity: Activity) -> None:
        forgotten = await self.references.forget(activity)
        log_event(
            _log,
            logging.INFO,
            "teams_removed",
            scope=scope_of(activity),
            person=(
                self.application.services.pseudonyms.of(person_of(activity).key)
                if scope_of(activity) == PERSONAL
                else "-"
            ),
            forgotten=forgotten,
        )


def _field_refusal(replies: list[Reply], form: Form) -> Reply | None:
    names = {item.name for item in form.fields}
    return next((r for r in replies if r.error_field in names), None)
