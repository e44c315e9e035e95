"""Small talk about the bot gets an honest, friendly reply, not a wrong knowledge-base entry."""

from __future__ import annotations

import pytest

from bot.app import Application
from handlers.small_talk import Topic, topic_of
from tests.conftest import say_one

ABOUT_THE_BOT = [
    ("are you a real person or chatgpt", Topic.WHAT_I_AM),
    ("Are you human?", Topic.WHAT_I_AM),
    ("r u a bot", Topic.WHAT_I_AM),
    ("do you have feelings", Topic.HOW_I_AM),
    ("how are you?", Topic.HOW_I_AM),
    ("hows your day going", Topic.HOW_I_AM),
    ("tell me a joke", Topic.JOKES),
    ("can you tell me a joke please", Topic.JOKES),
    ("know any good jokes", Topic.JOKES),
]
QUESTIONS = [
    "is it ok to tell jokes about disability",
    "tell me a joke, its been a long week and my standup was awful",
    "are you allowed to join the pride network",
    "how are you supposed to report harassment",
    "are you a member of the pride network",
    "do you have feelings about allyship",
]


@pytest.mark.parametrize(("text", "topic"), ABOUT_THE_BOT)
def test_questions_about_the_bot_are_recognised(text: str, topic: Topic) -> None:
    assert topic_of(text) is topic


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_that_only_start_like_small_talk_are_not(text: str) -> None:
    assert topic_of(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("do you have feelings", "I don't have feelings"),
        ("know any good jokes", "not much of a comedian"),
        ("are you a real person", "a bot, not a person"),
    ],
)
async def test_small_talk_gets_an_honest_reply_with_the_help_buttons(
    app: Application, text: str, says: str
) -> None:
    reply = await say_one(app, text, user="robin")
    assert says in reply.text
    # Not an entry the words happened to match ("feel" is in the entry on freezing).
    assert reply.heading != "If you froze and said nothing"
    assert [button.label for button in reply.buttons][:2] == ["Networks", "Sessions"]


async def test_a_question_about_jokes_still_reaches_the_knowledge_base(app: Application) -> None:
    reply = await say_one(app, "is it ok to tell jokes about disability", user="robin")
    assert "comedian" not in reply.text
