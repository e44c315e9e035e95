"""Someone who may be in crisis is always answered with where to get help now."""

from __future__ import annotations

import pytest

from bot.app import Application
from handlers.knowledge.crisis import in_crisis
from tests.conftest import say_one

IN_CRISIS = [
    "i dont want to be here anymore",
    "i feel like ending it all",
    "I can't go on like this",
    "i want to kill myself",
    "im thinking about ending my life",
    "i keep self harming",
    "i feel like hurting myself",
    "everyone would be better off without me",
    # Slang, typos and other keyboards' apostrophes.
    "i wanna die",
    "kms",
    "i want to kill my self",
    "i don\u2018t want to live",
    "I donʼt want to be here anymore",
    "life isnt worth living",
    "i cant keep myself safe",
    "i want to be dead",
    "i dont know if i can go on",
    "i cant make it through another day",
    "i want to disappear",
    # Someone the asker is worried about.
    "my trans colleague said she wants to kill herself",
    "my colleague said he wants to end his life",
]
NOT_IN_CRISIS = [
    "how do i end a session",
    "i want to end my membership",
    "the meeting is killing me",
    "going to die of boredom in this meeting",
    "my colleague self-identifies as bi",
    # The same words in an ordinary sentence.
    "i cant go on thursday, can i swap",
    "sorry i cant go on the call",
    "i want to die my hair rainbow for pride",
    "cutting myself some slack",
    "how do i end things with my mentor",
    "my phone is going to die, can you send the link",
    "i dont want to live in london anymore",
    "take my life into my own hands",
    "im not safe at work, someone keeps harassing me",
    "i want to disappear from the group chat",
]


@pytest.mark.parametrize("question", IN_CRISIS)
async def test_words_of_crisis_get_samaritans_and_999(app: Application, question: str) -> None:
    reply = await say_one(app, question, user="robin")
    # The words share little with the entry: without this they met "not sure" or an
    # unrelated entry ("i dont want to be here anymore" found the one on ethnicity terms).
    assert "116 123" in reply.text and "999" in reply.text, question
    assert reply.heading == "Mental health support", question
    # A word of care, then the helplines, before the entry's reading and links.
    assert reply.sections[0].text.startswith("I'm sorry you're going through this"), question
    assert reply.sections[1].text.startswith("If you need to talk to someone now"), question


@pytest.mark.parametrize("question", NOT_IN_CRISIS)
def test_ordinary_words_are_not_read_as_crisis(question: str) -> None:
    assert not in_crisis(question)


async def test_with_the_entry_retired_the_helplines_are_still_given(app: Application) -> None:
    await say_one(app, "kb retire mental-health-support", user="jo")
    gone = await say_one(app, "kb mental-health-support", user="robin")
    assert gone.heading != "Mental health support"
    reply = await say_one(app, "i dont want to be here anymore", user="robin")
    assert reply.heading != "Mental health support"
    assert "116 123" in reply.text and "999" in reply.text


def test_long_input_is_read_quickly() -> None:
    # Read on every question: a long message must not make the pattern backtrack.
    import time

    started = time.perf_counter()
    for text in ("i dont want to " * 600, "cant go on " * 900, "a" * 9990):
        in_crisis(text)
    assert time.perf_counter() - started < 2.0
