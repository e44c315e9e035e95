"""Teams over HTTP: activities posted to /api/messages of a running server, replies
recorded by a fake Bot Framework connector on a free local port."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import Application
from bot.config import Settings, TeamsSettings
from bot.delivery import DeliveryFailed, DeliveryTarget, TargetKind
from bot.errors import UserError
from bot.forms import form_to_data
from bot.messages import Button, Call, Form, FormField, FormFieldKind, Reply, Section
from bot.outbound import ChannelInvite, InviteOutcome, Notice
from bot.platforms.teams.adapter import TeamsAdapter
from bot.platforms.teams.render import CARD_CONTENT_TYPE
from bot.platforms.teams.retries import Pacer, RetryPolicy, TeamsRefusal
from bot.router import Audience, Command, HandlerContext
from bot.serve import PlatformMessenger
from bot.web import WebServer, build_web_app
from storage.models import TeamsConversationReference
from storage.repositories import NetworkRepository, PersonDataRepository, UserRepository
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.teams_connector import (
    BOT_ID,
    CHANNEL,
    GROUP_CHAT,
    TENANT,
    FakeConnector,
    Recorded,
    conversation_update,
    execute,
    installation_update,
    mention_message,
    personal_message,
    submit,
)
from tests.support.adaptive_cards import assert_valid_cards, checkable


@dataclass
class Sleeps:
    """Stands in for asyncio.sleep: records each wait instead of waiting."""

    waits: list[float]

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class Teams:
    adapter: TeamsAdapter
    connector: FakeConnector
    url: str
    session: aiohttp.ClientSession
    sleeps: Sleeps
    # The cards that answered button presses (Action.Execute), checked when the test ends.
    answered: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        async with self.session.post(self.url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else None
            status = response.status
        await self.adapter.drain()
        if isinstance(body, dict) and body.get("type") == CARD_CONTENT_TYPE:
            self.answered.append(body["value"])
        return status, body

    def sent(self, conversation_id: str | None = None) -> list[Recorded]:
        return self.connector.sent(conversation_id)


def teams_settings(**teams: Any) -> Settings:
    return replace(
        Settings(), teams=TeamsSettings(enabled=True, allow_unauthenticated=True, **teams)
    )


@contextlib.asynccontextmanager
async def running_teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    """The Teams adapter served on a free port, whose waits are recorded, not slept."""
    sleeps = Sleeps([])
    adapter = TeamsAdapter(
        teams_settings(),
        app,
        pacer=Pacer(sleep=sleeps),
        retry=RetryPolicy(sleep=sleeps, random=lambda: 0.5),
    )
    server = WebServer(build_web_app(app.database, adapter.routes(), app.services.metrics))
    port = await server.start("127.0.0.1", 0)
    await adapter.start()
    try:
        async with aiohttp.ClientSession() as session:
            teams = Teams(
                adapter, connector, f"http://127.0.0.1:{port}/api/messages", session, sleeps
            )
            yield teams
        if teams.answered and checkable():
            assert_valid_cards(teams.answered)
    finally:
        await adapter.stop()
        await server.stop()


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def test_personal_help_is_answered_with_a_card(teams: Teams) -> None:
    status, _ = await teams.post(personal_message(teams.connector.url, "help"))
    assert status == 201
    [reply] = teams.sent("a:personal-29:robin")
    assert reply.card is not None
    assert "pick one to see how" in reply.shown_text


PERSONAL_ROBIN = "a:personal-29:robin"
APOLOGY = "something went wrong"


async def stored_keys(app: Application) -> set[str]:
    async with app.database.transaction() as session:
        rows = await session.scalars(select(TeamsConversationReference.ref_key))
        return set(rows.all())


def everything_shown(calls: list[Recorded]) -> str:
    return "\n".join(call.shown_text for call in calls)


async def test_every_command_anyone_may_type_gets_an_answer_in_the_personal_chat(
    teams: Teams, app: Application
) -> None:
    phrases = sorted(
        command.phrase
        for command in app.router.commands
        if command.audience is Audience.EVERYONE and command.phrase != "forget me"
    )
    assert {"help", "networks", "my", "join", "my data"} <= set(phrases)
    for phrase in phrases:
        before = len(teams.sent(PERSONAL_ROBIN))
        status, _ = await teams.post(personal_message(teams.connector.url, phrase))
        assert status == 201
        answers = teams.sent(PERSONAL_ROBIN)[before:]
        assert answers, f"no answer to {phrase!r}"
        assert APOLOGY not in everything_shown(answers).lower(), phrase


async def test_lead_commands_are_refused_politely_to_everyone_else(teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "add lead pride teams:29:kim"))
    [answer] = teams.sent(PERSONAL_ROBIN)
    assert "is for" in answer.shown_text


async def test_a_public_answer_in_a_channel_goes_into_the_thread(teams: Teams) -> None:
    status, _ = await teams.post(mention_message(teams.connector.url, "networks"))
    assert status == 201
    [answer] = teams.sent(CHANNEL)
    assert answer.conversation_id == f"{CHANNEL};messageid=1000"
    assert "Pride" in answer.shown_text
    assert teams.connector.created() == []


async def test_a_private_answer_asked_in_a_channel_goes_to_the_personal_chat(
    teams: Teams, app: Application
) -> None:
    await teams.post(personal_message(teams.connector.url, "join pride"))
    await teams.post(personal_message(teams.connector.url, "agree"))
    personal_before = len(teams.sent(PERSONAL_ROBIN))

    await teams.post(mention_message(teams.connector.url, "my"))

    [in_channel] = teams.sent(CHANNEL)
    assert in_channel.shown_text == "I've replied to you privately."
    private = teams.sent(PERSONAL_ROBIN)[personal_before:]
    assert "Pride" in everything_shown(private)
    assert teams.connector.created() == []


async def test_a_private_answer_opens_a_personal_chat_when_there_is_none_yet(
    teams: Teams, app: Application
) -> None:
    await teams.post(mention_message(teams.connector.url, "help"))

    [in_channel] = teams.sent(CHANNEL)
    assert in_channel.shown_text == "I've replied to you privately."
    assert "pick one to see how" not in in_channel.shown_text
    [created] = teams.connector.created()
    assert created.body["members"] == [{"id": "29:robin"}]
    assert created.body["bot"]["id"] == BOT_ID
    assert created.body["channelData"] == {"tenant": {"id": TENANT}}
    [private] = teams.sent(PERSONAL_ROBIN)
    assert "pick one to see how" in private.shown_text
    assert "teams:29:robin" in await stored_keys(app)


async def test_a_group_chat_gets_the_same_private_rule(teams: Teams) -> None:
    await teams.post(mention_message(teams.connector.url, "my data", scope="groupChat"))
    [in_chat] = teams.sent(GROUP_CHAT)
    assert in_chat.shown_text == "I've replied to you privately."
    assert teams.sent(PERSONAL_ROBIN)


async def test_action_submit_does_what_typing_the_command_does(teams: Teams) -> None:
    status, _ = await teams.post(submit(teams.connector.url, {"command": "network pride"}))
    assert status == 201
    [answer] = teams.sent(PERSONAL_ROBIN)
    assert "Pride" in answer.shown_text


async def test_action_execute_answers_with_a_refreshed_card(teams: Teams) -> None:
    status, body = await teams.post(execute(teams.connector.url, {"command": "networks"}))
    assert status == 200
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert "Pride" in json.dumps(card)
    assert teams.sent() == []


async def test_action_execute_in_a_channel_keeps_private_answers_private(teams: Teams) -> None:
    status, body = await teams.post(
        execute(teams.connector.url, {"command": "my"}, scope="channel")
    )
    assert status == 200
    assert "I've replied to you privately" in json.dumps(body["value"])
    assert teams.sent(CHANNEL) == []
    assert teams.sent(PERSONAL_ROBIN)


def choose_network_form() -> dict[str, Any]:
    form = Form(
        id="pick-network",
        title="Which network?",
        fields=(
            FormField(
                "network",
                "Network",
                FormFieldKind.CHOICE,
                choices=(("Pride", "pride"), ("Disability", "disability")),
            ),
        ),
        call=Call("network"),
    )
    return form_to_data(form)


async def test_a_form_submitted_by_action_execute_is_checked_then_run(teams: Teams) -> None:
    form = choose_network_form()
    status, body = await teams.post(execute(teams.connector.url, {"form": form}, verb="form"))
    assert status == 200
    shown = json.dumps(body["value"])
    assert "Please fill in \\u201cNetwork\\u201d." in shown
    assert '"id": "network"' in shown  # the form itself, to correct

    status, body = await teams.post(
        execute(teams.connector.url, {"form": form, "network": "pride"}, verb="form")
    )
    assert status == 200
    assert "Pride" in json.dumps(body["value"])


async def test_a_form_submitted_by_action_submit_is_checked_then_run(teams: Teams) -> None:
    form = choose_network_form()
    await teams.post(submit(teams.connector.url, {"form": form, "network": "nonsense"}))
    [problem] = teams.sent(PERSONAL_ROBIN)
    assert "Please pick one of the options" in problem.shown_text

    await teams.post(submit(teams.connector.url, {"form": form, "network": "disability"}))
    answer = teams.sent(PERSONAL_ROBIN)[-1]
    assert "Disability" in answer.shown_text


async def test_installing_in_a_personal_scope_stores_the_reference_and_says_hello_once(
    teams: Teams, app: Application
) -> None:
    await teams.post(installation_update(teams.connector.url, "add"))
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID], scope="personal"))

    assert "teams:29:robin" in await stored_keys(app)
    [hello] = teams.sent(PERSONAL_ROBIN)
    assert "Welcome to allybot" in hello.shown_text

    await teams.post(installation_update(teams.connector.url, "remove"))
    assert "teams:29:robin" not in await stored_keys(app)


async def test_adding_the_bot_to_a_team_greets_the_channel_and_removal_forgets_it(
    teams: Teams, app: Application
) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID, "29:someone"]))
    assert CHANNEL in await stored_keys(app)
    [hello] = teams.sent(CHANNEL)
    assert "Hello! I'm allybot" in hello.shown_text
    assert hello.conversation_id == CHANNEL  # a new post in the channel, not a thread reply

    await teams.post(conversation_update(teams.connector.url, removed=[BOT_ID]))
    assert CHANNEL not in await stored_keys(app)


async def test_someone_else_joining_a_team_is_not_an_install(
    teams: Teams, app: Application
) -> None:
    await teams.post(conversation_update(teams.connector.url, added=["29:someone"]))
    assert teams.sent() == []
    assert await stored_keys(app) == set()


async def test_a_redelivered_activity_acts_once(teams: Teams) -> None:
    activity = personal_message(teams.connector.url, "join pride")
    first, _ = await teams.post(activity)
    second, _ = await teams.post(activity)
    assert first == second == 201
    assert len(teams.sent(PERSONAL_ROBIN)) == 1


async def test_a_redelivered_invoke_answers_without_acting_twice(teams: Teams) -> None:
    activity = execute(teams.connector.url, {"command": "join pride"})
    _, first = await teams.post(activity)
    status, second = await teams.post(activity)
    assert status == 200
    assert "already done" in json.dumps(second["value"])
    assert "already done" not in json.dumps(first["value"])


async def test_a_429_is_retried_after_the_retry_after_it_names(teams: Teams) -> None:
    teams.connector.fail_next(429, retry_after="3")
    await teams.post(personal_message(teams.connector.url, "help"))
    attempts = [c for c in teams.connector.calls if c.conversation_id == PERSONAL_ROBIN]
    assert [c.status for c in attempts] == [429, 201]
    assert 3.0 in teams.sleeps.waits


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_transient_connector_errors_are_retried_with_back_off(
    teams: Teams, status: int
) -> None:
    teams.connector.fail_next(status, times=2)
    await teams.post(personal_message(teams.connector.url, "help"))
    attempts = [c.status for c in teams.connector.calls if c.conversation_id == PERSONAL_ROBIN]
    assert attempts == [status, status, 201]
    # Exponential: the second wait is twice the first (the jitter is fixed at its middle).
    assert teams.sleeps.waits[1] == pytest.approx(2 * teams.sleeps.waits[0])


async def test_private_notices_reach_the_personal_chat_proactively(
    teams: Teams, app: Application
) -> None:
    await teams.post(personal_message(teams.connector.url, "hello"))
    before = len(teams.sent(PERSONAL_ROBIN))
    await teams.adapter.messenger().send_private(
        Notice("teams:29:robin", Reply(text="Your question has an answer."))
    )
    [notice] = teams.sent(PERSONAL_ROBIN)[before:]
    assert notice.body["text"] == "Your question has an answer."
    assert notice.body["textFormat"] == "plain"


async def test_a_notice_to_someone_without_a_chat_opens_one(teams: Teams) -> None:
    await teams.post(mention_message(teams.connector.url, "networks"))
    await teams.adapter.messenger().send_private(
        Notice("teams:29:kim", Reply(text="You are now a lead."))
    )
    [created] = teams.connector.created()
    assert created.body["members"] == [{"id": "29:kim"}]
    assert teams.sent("a:personal-29:kim")


async def test_a_scheduled_post_starts_a_new_thread_in_the_channel(teams: Teams) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID]))
    before = len(teams.sent(CHANNEL))
    thread = await teams.adapter.sender.post_to_channel(
        CHANNEL, Reply(text="Trans Awareness Week starts today.", heading="This week"), 42
    )
    [post] = teams.sent(CHANNEL)[before:]
    assert post.conversation_id == CHANNEL
    assert thread.startswith("activity-")
    assert "Trans Awareness Week" in post.shown_text


async def test_a_roster_refusal_becomes_a_reason_for_the_leads(teams: Teams) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID]))
    teams.connector.fail_next(403, code="BotNotInConversationRoster")
    with pytest.raises(TeamsRefusal) as refused:
        await teams.adapter.sender.post_to_channel(CHANNEL, Reply(text="Hello"), 7)
    assert refused.value.not_in_roster
    assert "add allybot to the team again" in refused.value.fix


async def test_a_long_reply_is_split_into_messages_under_80_kb(teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "hello"))
    before = len(teams.sent(PERSONAL_ROBIN))
    rows = "\n".join(f"Person {n}: registered for the allyship session" for n in range(6000))
    reply = Reply(
        text=rows,
        heading="Registrations",
        sections=(Section(heading="Everyone", text=rows),),
        buttons=(Button("Export", "export"),),
    )
    stored = await teams.adapter.references.get("teams:29:robin")
    assert stored is not None
    await teams.adapter.sender.send(stored.reference, reply)
    parts = teams.sent(PERSONAL_ROBIN)[before:]
    assert len(parts) > 3
    assert all(part.size < 80_000 for part in parts)
    shown = everything_shown(parts)
    assert "Person 0:" in shown and "Person 5999:" in shown
    # The button comes once, at the end.
    assert "Export" in json.dumps(parts[-1].card)
    assert all("Export" not in json.dumps(part.card) for part in parts[:-1])


async def test_channel_invites_are_not_possible_in_teams_and_say_what_to_do(
    teams: Teams,
) -> None:
    result = await teams.adapter.messenger().invite(ChannelInvite("teams:29:robin", CHANNEL))
    assert result.outcome is InviteOutcome.NOT_POSSIBLE
    assert result.link.startswith("https://teams.microsoft.com/l/channel/19%3Ageneral")
    assert "add them in Teams" in result.fix


async def test_the_publisher_turns_a_roster_refusal_into_a_permanent_failure_with_a_fix(
    teams: Teams,
) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID]))
    teams.connector.fail_next(403, code="BotNotInConversationRoster")
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    with pytest.raises(DeliveryFailed) as failed:
        await teams.adapter.publisher().publish(target, Reply(text="Reminder"), 9)
    assert failed.value.permanent
    assert failed.value.reason == "BotNotInConversationRoster"
    assert "Manage team" in failed.value.fix


async def test_the_publisher_reports_throttling_that_outlasts_the_retries_as_retryable(
    teams: Teams,
) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID]))
    teams.connector.fail_next(429, times=5, retry_after="20")
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    with pytest.raises(DeliveryFailed) as failed:
        await teams.adapter.publisher().publish(target, Reply(text="Reminder"), 9)
    assert not failed.value.permanent
    assert failed.value.retry_after == 20.0


async def test_the_publisher_posts_privately_to_a_person(teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "hello"))
    before = len(teams.sent(PERSONAL_ROBIN))
    target = DeliveryTarget("teams", TargetKind.PERSON, "teams:29:robin")
    result = await teams.adapter.publisher().publish(target, Reply(text="Your session is soon."), 3)
    [reminder] = teams.sent(PERSONAL_ROBIN)[before:]
    assert result.message_id.startswith("activity-")
    assert reminder.body["text"] == "Your session is soon."


async def test_a_scheduled_post_too_long_for_one_message_continues_in_its_thread(
    teams: Teams,
) -> None:
    await teams.post(conversation_update(teams.connector.url, added=[BOT_ID]))
    before = len(teams.sent(CHANNEL))
    long_text = "\n".join(f"Session {n}: allyship training" for n in range(8000))
    thread = await teams.adapter.sender.post_to_channel(CHANNEL, Reply(text=long_text), 11)
    parts = teams.sent(CHANNEL)[before:]
    assert len(parts) > 1
    assert parts[0].conversation_id == CHANNEL
    assert {p.conversation_id for p in parts[1:]} == {f"{CHANNEL};messageid={thread}"}


async def test_forget_me_removes_the_stored_personal_chat(teams: Teams, app: Application) -> None:
    await teams.post(personal_message(teams.connector.url, "hello"))
    assert "teams:29:robin" in await stored_keys(app)
    async with app.database.transaction() as session:
        user = await UserRepository(session).get_by_key("teams", "29:robin")
        assert user is not None
        exported = await PersonDataRepository(session).export(user)
        assert "teams_conversation_references" in exported
        await PersonDataRepository(session).erase(user, app.services.clock.now())
    assert "teams:29:robin" not in await stored_keys(app)


async def test_joining_a_network_sends_the_channel_link_and_tells_the_leads_privately(
    teams: Teams, app: Application, messenger: RecordingMessenger
) -> None:
    platforms = PlatformMessenger()
    platforms.register("teams", teams.adapter.messenger())
    platforms.register("console", messenger)
    app.services.messenger = platforms
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "teams", "members", CHANNEL)
        await networks.add_lead(pride.id, "teams:29:lee", app.services.clock.now())

    await teams.post(personal_message(teams.connector.url, "join pride"))
    await teams.post(personal_message(teams.connector.url, "agree"))

    to_robin = everything_shown(teams.sent(PERSONAL_ROBIN))
    assert "I couldn't add you to its members' channel myself" in to_robin
    assert "https://teams.microsoft.com/l/channel/19%3Ageneral" in to_robin
    to_lee = everything_shown(teams.sent("a:personal-29:lee"))
    assert "couldn't be added to its channel" in to_lee
    assert "add them in Teams" in to_lee
    assert "Robin" not in to_lee and "29:robin" not in to_lee


async def test_a_redelivery_racing_the_original_still_acts_once(teams: Teams) -> None:
    # Teams redelivers while the first delivery is still in flight; the database decides.
    activity = personal_message(teams.connector.url, "join pride")
    statuses = await asyncio.gather(*(teams.post(activity) for _ in range(5)))
    assert [status for status, _ in statuses] == [201] * 5
    assert len(teams.sent(PERSONAL_ROBIN)) == 1


async def test_a_refusal_naming_a_form_field_is_shown_on_the_form(
    teams: Teams, app: Application
) -> None:
    async def pick(context: HandlerContext) -> Reply:
        raise UserError("Disability has no sessions this month; try Pride.", field="network")

    app.router.add(Command("pick network", pick, "picks a network"))
    form = form_to_data(
        Form(
            id="pick",
            title="Pick",
            fields=(FormField("network", "Network"),),
            call=Call("pick network"),
        )
    )
    status, body = await teams.post(
        execute(teams.connector.url, {"form": form, "network": "disability"}, verb="form")
    )
    assert status == 200
    card = body["value"]
    network_at = next(i for i, e in enumerate(card["body"]) if e.get("id") == "network")
    assert card["body"][network_at]["value"] == "disability"
    assert "no sessions this month" in card["body"][network_at + 1]["text"]

    await teams.post(submit(teams.connector.url, {"form": form, "network": "disability"}))
    [again] = teams.sent(PERSONAL_ROBIN)
    assert "no sessions this month" in again.shown_text
    assert again.card is not None and any(e.get("id") == "network" for e in again.card["body"])


def show_cards(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.ShowCard":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


async def test_the_access_needs_form_from_sessions_registers_privately(teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "sessions"))
    listing = teams.sent(PERSONAL_ROBIN)[-1]
    assert listing.card is not None
    forms = [s for s in show_cards(listing.card) if "needs" in json.dumps(s)]
    if not forms:
        pytest.skip("the demo content has no upcoming session to register for")
    submit_action = forms[0]["card"]["actions"][0]
    assert submit_action["verb"] == "form"
    data = dict(submit_action["data"])
    for item in data["form"]["fields"]:
        data[item["name"]] = item["initial"] or "Step-free access, please"
    status, body = await teams.post(execute(teams.connector.url, data, verb="form"))
    assert status == 200
    shown = json.dumps(body["value"]).lower()
    assert "something went wrong" not in shown
    assert "you're registered" in shown
    # The calendar file the reply carries is offered after it, since a card cannot hold it.
    [offer] = teams.connector.consent_cards(PERSONAL_ROBIN)
    assert offer["name"].endswith(".ics")
    assert "BEGIN:VCALENDAR" not in everything_shown(teams.sent())
