"""The Teams turn logic on botbuilder's TestAdapter: what the bot sends back, and when."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ConversationReference

from bot.app import Application
from bot.messages import Reply, Visibility
from bot.platforms.teams.bot import AllyTeamsBot
from bot.platforms.teams.references import ReferenceStore
from bot.platforms.teams.render import CARD_CONTENT_TYPE
from bot.platforms.teams.retries import Pacer
from bot.platforms.teams.sender import TeamsSender
from bot.router import Command, HandlerContext
from bot.tasks import InFlight
from tests.fakes.teams_connector import execute, mention_message, personal_message

SERVICE_URL = "https://smba.example.invalid/emea/"


class KeywordTestAdapter(TestAdapter):
    """TestAdapter names the bot id `bot_id`; CloudAdapter, which production uses, names it
    `bot_app_id`. Accept the keyword production passes."""

    async def continue_conversation(  # type: ignore[override]
        self,
        reference: ConversationReference,
        callback: Callable[[TurnContext], Awaitable[Any]],
        bot_id: str | None = None,
        claims_identity: Any = None,
        audience: str | None = None,
        *,
        bot_app_id: str | None = None,
    ) -> Any:
        return await super().continue_conversation(
            reference, callback, bot_id or bot_app_id, claims_identity, audience
        )


async def _no_wait(_seconds: float) -> None:
    return None


class Harness:
    def __init__(self, app: Application, template: dict[str, Any], invoke_budget: float) -> None:
        self.adapter = KeywordTestAdapter(template_or_conversation=Activity().deserialize(template))
        references = ReferenceStore(app.database, app.services.clock)
        sender = TeamsSender(self.adapter, "", references, pacer=Pacer(sleep=_no_wait))
        self.tasks = InFlight(app.services.funnel)
        self.bot = AllyTeamsBot(app, sender, references, self.tasks, invoke_budget=invoke_budget)

    async def receive(self, activity: dict[str, Any], *, settle: bool = True) -> None:
        await self.adapter.process_activity(Activity().deserialize(activity), self.bot.on_turn)
        if settle:
            await self.tasks.drain()

    @property
    def sent(self) -> list[Activity]:
        return list(self.adapter.activity_buffer)

    def shown(self) -> list[str]:
        texts: list[str] = []
        for activity in self.sent:
            if activity.type == "invokeResponse":
                texts.append(str(activity.value.body.value).replace("\\", ""))
            elif activity.attachments:
                texts.append(str(activity.attachments[0].content).replace("\\", ""))
            else:
                texts.append(activity.text or "")
        return texts


def personal(app: Application, invoke_budget: float = 5.0) -> Harness:
    return Harness(app, personal_message(SERVICE_URL, ""), invoke_budget)


def channel(app: Application) -> Harness:
    harness = Harness(app, mention_message(SERVICE_URL, ""), 5.0)
    # TestAdapter numbers activities from 0; a second adapter in one test must not reuse
    # ids, or the bot rightly takes its activities for redeliveries and ignores them.
    harness.adapter._next_id = 1000
    return harness


async def test_a_typed_command_is_answered_with_a_card(app: Application) -> None:
    teams = personal(app)
    await teams.receive(personal_message(SERVICE_URL, "help"))
    [answer] = teams.sent
    assert answer.attachments[0].content_type == CARD_CONTENT_TYPE
    assert "pick one to see how" in teams.shown()[0]


async def test_a_plain_answer_is_plain_text(app: Application) -> None:
    teams = personal(app)
    await teams.receive(personal_message(SERVICE_URL, "leave nowhere"))
    [answer] = teams.sent
    assert answer.attachments is None
    assert answer.text_format == "plain"


async def test_the_mention_is_stripped_before_the_command_is_read(app: Application) -> None:
    teams = channel(app)
    await teams.receive(mention_message(SERVICE_URL, "networks"))
    [answer] = teams.shown()
    assert "Pride" in answer


async def test_in_a_channel_private_answers_go_to_the_personal_chat(app: Application) -> None:
    # Robin has talked to the bot privately before, so the personal chat is known.
    await personal(app).receive(personal_message(SERVICE_URL, "hello"))
    teams = channel(app)
    await teams.receive(mention_message(SERVICE_URL, "help"))
    by_conversation = {a.conversation.id: a for a in teams.sent}
    assert by_conversation["a:personal-29:robin"].attachments  # the help card, privately
    in_channel = next(a for a in teams.sent if a.conversation.id.startswith("19:"))
    assert in_channel.text == "I've replied to you privately."


def slow_command(app: Application, release: asyncio.Event) -> None:
    async def slow(context: HandlerContext) -> Reply:
        await release.wait()
        return Reply(text="Done at last.", visibility=Visibility.CONVERSATION)

    app.router.add(Command("slow", slow, "waits for the test"))


async def test_the_turn_ends_before_a_slow_command_and_the_answer_follows(
    app: Application,
) -> None:
    release = asyncio.Event()
    slow_command(app, release)
    teams = personal(app)
    await asyncio.wait_for(teams.receive(personal_message(SERVICE_URL, "slow"), settle=False), 2)
    assert teams.sent == []  # the turn (and so the HTTP request) is over; nothing yet
    release.set()
    await teams.tasks.drain()
    assert teams.shown() == ["Done at last."]


async def test_a_slow_card_action_answers_working_on_it_then_follows_up(
    app: Application,
) -> None:
    release = asyncio.Event()
    slow_command(app, release)
    teams = personal(app, invoke_budget=0.05)
    await teams.receive(execute(SERVICE_URL, {"command": "slow"}), settle=False)
    [response] = teams.sent
    assert response.type == "invokeResponse"
    assert response.value.status == 200
    assert "Working on it" in teams.shown()[0]
    release.set()
    await teams.tasks.drain()
    assert teams.shown()[1] == "Done at last."


async def test_a_card_action_returns_the_refreshed_card_in_the_invoke_response(
    app: Application,
) -> None:
    teams = personal(app)
    await teams.receive(execute(SERVICE_URL, {"command": "networks"}))
    [response] = teams.sent
    assert response.type == "invokeResponse"
    body = response.value.body
    assert body.status_code == 200
    assert body.type == CARD_CONTENT_TYPE
    assert body.value["type"] == "AdaptiveCard"


async def test_a_card_action_that_is_not_ours_is_answered_kindly(app: Application) -> None:
    teams = personal(app)
    await teams.receive(execute(SERVICE_URL, {"something": "else"}))
    assert "nothing to do" in teams.shown()[0]


@pytest.mark.parametrize("text", ["", "   "])
async def test_an_empty_message_gets_a_hint(app: Application, text: str) -> None:
    teams = personal(app)
    await teams.receive(personal_message(SERVICE_URL, text))
    assert "help" in teams.shown()[0]
