"""Anonymous questions through the real Slack and Teams adapters: the "Ask the leads" button
carries the question as a value, so `|`, colons and line breaks reach the leads unchanged;
Send, Don't send, Publish and More act when pressed; the console shows the typed words."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.messages import Call, Person
from bot.platforms.console import ConsoleChat
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.slack_api import slack_harness
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.handlers.questions.helpers import stored_questions
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import (
    slack_button,
    slack_call,
    slack_press,
    slack_say,
    teams_button,
)
from tests.support.pressing import press_one, typed_for

# Not in the knowledge base, so the bot offers to ask the leads; `|` and `:` kept.
UNSURE = "is the zorblax quarterly budget | plan: ready?"
# What a question with line breaks looks like in a button's call.
MULTILINE = "Two things | really:\n1. Is there a trans staff group?\n  2. Can allies come: too?"


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def test_slack_the_ask_button_carries_the_question_and_sending_reaches_the_leads(
    app: Application, messenger: RecordingMessenger
) -> None:
    async with slack_harness(app) as slack:
        unsure = await slack_say(slack, UNSURE)
        ask = slack_button(unsure, "Ask the Pride Network leads")
        assert slack_call(ask) == {
            "c": "ask leads",
            "v": [["network", "pride"], ["question", UNSURE]],
        }
        draft = await slack_press(slack, ask)
        assert "Before you send this" in json.dumps(draft)
        sent = await slack_press(slack, slack_button(draft, "Send anonymously"))
        assert "Sent." in json.dumps(sent)
    [question] = await stored_questions(app)
    assert question.text == UNSURE and question.status == "sent"
    [notice] = messenger.sent
    assert notice.recipient_key == "console:alex"
    assert f"\n\n{UNSURE}\n\n" in notice.reply.text


async def test_slack_line_breaks_bars_and_colons_in_a_question_arrive_unchanged(
    app: Application, messenger: RecordingMessenger
) -> None:
    carried = Call.of("ask leads", network="pride", question=MULTILINE)
    async with slack_harness(app) as slack:
        element = {
            "action_id": "allybot_call_1",
            "value": json.dumps({"c": carried.phrase, "v": [list(v) for v in carried.values]}),
        }
        draft = await slack_press(slack, element)
        sent = await slack_press(slack, slack_button(draft, "Send anonymously"))
        assert "Sent." in json.dumps(sent)
    [question] = await stored_questions(app)
    assert question.text == MULTILINE
    [notice] = messenger.sent
    assert MULTILINE in notice.reply.text
    assert notice.reply.sections[0].text == MULTILINE


async def test_slack_dont_send_deletes_the_draft(app: Application) -> None:
    async with slack_harness(app) as slack:
        draft = await slack_say(slack, "ask leads pride a private: thing | here")
        gone = await slack_press(slack, slack_button(draft, "Don't send"))
    assert "nobody saw it" in json.dumps(gone)
    assert await stored_questions(app) == []


async def test_teams_the_ask_button_carries_the_question_and_send_reaches_the_leads(
    app: Application, teams: Teams, messenger: RecordingMessenger
) -> None:
    await teams.post(personal_message(teams.connector.url, UNSURE))
    ask = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Ask the Pride Network leads")
    assert ask["data"] == {
        "call": {"c": "ask leads", "v": [["network", "pride"], ["question", UNSURE]]}
    }
    # Action.Submit, as older clients press it.
    await teams.post(submit(teams.connector.url, ask["fallback"]["data"]))
    send = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Send anonymously")
    status, body = await teams.post(execute(teams.connector.url, send["data"]))
    assert status == 200 and "Sent." in json.dumps(body["value"])
    [question] = await stored_questions(app)
    assert question.text == UNSURE and question.status == "sent"
    [notice] = messenger.sent
    assert UNSURE in notice.reply.text


async def test_teams_line_breaks_bars_and_colons_in_a_question_arrive_unchanged(
    app: Application, teams: Teams, messenger: RecordingMessenger
) -> None:
    carried = {"c": "ask leads", "v": [["network", "pride"], ["question", MULTILINE]]}
    status, body = await teams.post(execute(teams.connector.url, {"call": carried}))
    assert status == 200 and "Before you send this" in json.dumps(body["value"])
    [draft] = await stored_questions(app)
    await teams.post(
        submit(teams.connector.url, {"call": {"c": "send question", "v": [["question", "1"]]}})
    )
    [question] = await stored_questions(app)
    assert question.id == draft.id and question.text == MULTILINE
    [notice] = messenger.sent
    assert notice.reply.sections[0].text == MULTILINE


async def test_teams_dont_send_deletes_the_draft(app: Application, teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "ask leads pride one: two | three"))
    discard = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Don't send")
    await teams.post(submit(teams.connector.url, discard["fallback"]["data"]))
    assert "nobody saw it" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert await stored_questions(app) == []


async def test_publish_and_more_buttons_act_when_pressed(app: Application) -> None:
    for number in range(25):
        await say_one(app, f"ask leads pride question {number:02d}: why | how?", user=f"q{number}")
        await say_one(app, f"send question {number + 1}", user=f"q{number}")
    first = await say_one(app, "questions", user="alex")
    [more] = [button for button in first.all_buttons if button.label == "More"]
    assert more.call == Call.of("questions", page=2)
    assert typed_for(app, more) == "questions page 2"
    second = await press_one(app, more, user="alex")
    assert "question 20: why | how?" in second.text and "question 00" not in second.text

    answered = await say_one(app, "answer 1 Yes: monthly | on Thursdays.", user="alex")
    [publish] = answered.all_buttons
    assert typed_for(app, publish) == "kb publish 1"
    published = await press_one(app, publish, user="alex")
    assert "Published as `kb question-00-why-how`" in published.text
    [see] = published.all_buttons
    assert see.call == Call.of("kb", entry="question-00-why-how")
    entry = await press_one(app, see, user="alex")
    assert "Yes: monthly | on Thursdays." in entry.text


async def test_the_console_shows_and_presses_the_buttons(app: Application) -> None:
    draft = await say_one(app, "ask leads pride is there a group?", user="robin")
    assert [typed_for(app, button) for button in draft.all_buttons] == [
        "send question 1",
        "discard question 1",
    ]
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "robin"),
        io.StringIO("ask leads pride is there a group?\n2\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    assert "[1] Send anonymously   [2] Don't send" in out.getvalue()
    assert "nobody saw it" in out.getvalue()
    assert [question.id for question in await stored_questions(app)] == [1]

