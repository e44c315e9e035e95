"""Slack forms as modals: opening one from a button, and answering its submission.

The button carries the form's reference (or, for a form without a registered builder,
the whole form); on a click the router builds the form for the person and the modal
opens at once, inside the three seconds the trigger id lives. A submission is read,
checked field by field, and dispatched as the form's call with the values exactly as
entered; a refusal naming a field is shown next to that field.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.errors import UserError
from bot.forms import as_entered, field_errors, submission
from bot.messages import Conversation, Form, Person, Reply, Request
from bot.platforms.slack.codec import form_from_json, reference_from_json
from bot.platforms.slack.forms import FormOrigin, modal_view, read_opened, read_values
from bot.platforms.slack.requests import PLATFORM, delivery_key, from_action, is_direct

if TYPE_CHECKING:
    from bot.platforms.slack.app import SlackAdapter


async def open_form(
    adapter: SlackAdapter, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
) -> None:
    await ack()
    click = from_action(body, action)
    with adapter.in_flight.current():
        # The trigger id expires three seconds after the click: build and open at once.

        async def open_modal() -> None:
            reference = reference_from_json(click.value)
            if reference is None:
                form = form_from_json(click.value)
            else:
                try:
                    form = await adapter.application.router.build_form(click.request(""), reference)
                except UserError as error:
                    # The form can no longer be built for them (a network gone, say).
                    await adapter.answer(
                        click.request(""), click.response_url, Reply(text=error.message)
                    )
                    return
            view = modal_view(form, FormOrigin(click.channel_id, click.response_url))
            await adapter.sender.call(
                "views.open", adapter.client.views_open(trigger_id=click.trigger_id, view=view)
            )

        adapter.in_flight.spawn_job("slack:form-open", open_modal)


async def submit_form(
    adapter: SlackAdapter,
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    request: AsyncBoltRequest,
) -> None:
    with adapter.in_flight.current():
        opened = read_opened(view)
        user = body.get("user", {})
        # No name: `username` is the legacy handle; `adapter.named` fills in the name.
        person = Person(PLATFORM, user.get("id", ""))
        channel = opened.origin.channel_id
        conversation = Conversation(channel, shared=bool(channel) and not is_direct(channel))
        form = opened.form
        if form is None and opened.reference is not None:
            # Built again as it was opened; nothing of it is kept in Slack.
            try:
                form = await adapter.application.router.build_form(
                    Request(person, "", conversation), opened.reference
                )
            except UserError as error:
                await ack()
                request_in = Request(person, "", conversation)
                refused = Reply(error.message)

                async def refuse() -> None:
                    await adapter.answer(request_in, opened.origin.response_url, refused)

                adapter.in_flight.spawn_job("slack:form", refuse)
                return
        if form is None:
            raise ValueError("a submitted modal carried neither a form nor its reference")
        values = as_entered(form, read_values(form, view))
        problems = field_errors(form, values)
        if problems:
            await ack(response_action="errors", errors=problems)
            return
        request_in = submission(form, values, person, conversation)
        key = delivery_key(request.raw_body, body)

        async def run() -> list[Reply] | None:
            named = await adapter.named(request_in)
            return await adapter.application.router.dispatch_once(named, key)

        # The answer decides whether the modal closes (done) or stays (a field is
        # wrong), so wait for it, but never past the acknowledgement deadline.
        task = adapter.in_flight.spawn(run())
        done, _ = await asyncio.wait({task}, timeout=adapter.form_budget)
        if task in done:
            refusal = field_refusal(task.result() or [], form)
            if refusal is not None and refusal.error_field is not None:
                await ack(response_action="errors", errors={refusal.error_field: refusal.text})
                return
        await ack()

        async def answer(reply: Reply) -> None:
            await adapter.answer(request_in, opened.origin.response_url, reply)

        async def deliver() -> None:
            await adapter.deliver(request_in, await task, answer)

        # The listener's return sends the acknowledgement: the answer goes after it.
        adapter.in_flight.spawn_job("slack:form", deliver)


def field_refusal(replies: list[Reply], form: Form) -> Reply | None:
    """The reply refusing one of the form's fields, if any (shown next to that field)."""
    names = {item.name for item in form.fields}
    return next((reply for reply in replies if reply.error_field in names), None)
