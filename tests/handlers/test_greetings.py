"""Saying hello or thanks gets a friendly answer, not "I'd rather not guess"; a question
that starts with "hi" is still a question."""

from __future__ import annotations

import json

import pytest

from bot.app import Application
from bot.messages import Call
from handlers.greetings import Greeting, greeting_in
from tests.conftest import say_one
from tests.fakes.slack_api import slack_harness
from tests.support.pressing import press_one

HELLOS = [
    "hi",
    "Hi!",
    "hello",
    "HELLO!!! 👋",
    "hey",
    "heyyy",
    "hey there",
    "Hi allybot",
    "helo",
    "hallo",
    "good morning",
    "Good morning :)",
    "morning all",
    "hiya",
]
THANKS = ["thanks", "Thanks!", "thank you", "Thank you so much!", "cheers", "thnaks", "ta"]
NOT_GREETINGS = [
    "hi, how do I join a network?",
    "hello what is allyship",
    "thanks for the session, when is the next one?",
    "help",
    "high contrast captions",
    "hey jude",
    "they",
    "",
]


@pytest.mark.parametrize("text", HELLOS)
def test_hellos_are_recognised_in_any_case_with_typos_and_punctuation(text: str) -> None:
    assert greeting_in(text) is Greeting.HELLO


@pytest.mark.parametrize("text", THANKS)
def test_thanks_are_recognised(text: str) -> None:
    assert greeting_in(text) is Greeting.THANKS


@pytest.mark.parametrize("text", NOT_GREETINGS)
def test_anything_more_than_a_greeting_is_not_one(text: str) -> None:
    assert greeting_in(text) is None


@pytest.mark.parametrize("text", ["hi", "Good morning!", "helo"])
async def test_a_hello_gets_a_friendly_reply_with_the_help_buttons(
    app: Application, text: str
) -> None:
    reply = await say_one(app, text, user="robin")
    assert reply.text.startswith("Hello! I'm allybot")
    assert "rather not guess" not in reply.text
    assert [button.label for button in reply.buttons] == [
        "Networks",
        "Sessions",
        "Ask a question",
        "Your data",
    ]
    opened = await press_one(app, reply.buttons[1], user="robin")
    assert opened.heading == "Help: Sessions"


@pytest.mark.parametrize("text", ["thanks", "Thank you!", "cheers"])
async def test_thanks_gets_you_re_welcome(app: Application, text: str) -> None:
    reply = await say_one(app, text, user="robin")
    assert reply.text == "You're welcome! Ask me any time."
    assert reply.buttons == ()


async def test_a_question_that_starts_with_hi_still_reaches_the_knowledge_base(
    app: Application,
) -> None:
    reply = await say_one(app, "hi, how do I join a network?", user="robin")
    assert reply.heading == "How to join a network"
    assert "Hello! I'm allybot" not in reply.text


async def test_a_greeting_is_not_mistaken_for_a_mistyped_command(app: Application) -> None:
    # "helo" is one letter from `help`; as a whole message it is a hello.
    reply = await say_one(app, "helo", user="robin")
    assert "Did you mean" not in reply.text
    assert reply.buttons[0].call == Call.of("help", topic="networks")


async def test_slack_hi_gets_a_hello_with_buttons(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.command("hi", channel="D100")
        [answer] = await slack.api.wait_for_calls("response_url")
        shown = json.dumps(answer.body, ensure_ascii=False)
        await slack.command("thanks!", channel="D100")
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert "Hello! I'm allybot" in shown and "rather not guess" not in shown
    labels = [
        element["text"]["text"]
        for block in answer.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert labels == ["Networks", "Sessions", "Ask a question", "Your data"]
    assert "You're welcome!" in json.dumps(answers[1].body)
