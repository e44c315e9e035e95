"""Small talk about the bot itself: "are you a real person?", "do you have feelings?",
"tell me a joke".

Left to the knowledge base, "do you have feelings" finds the entry on freezing ("feel")
and "know any good jokes" the one on microaggressions ("jokes"): a wrong answer to a
friendly question. Only a short message that is nothing but such a question is one;
"is it ok to tell jokes about disability" is a question for the knowledge base.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.messages import Reply
from bot.registry import Recogniser
from bot.router import HandlerContext, Router
from handlers.help.screens import help_buttons

NAME = "(small talk)"


class Topic(StrEnum):
    WHAT_I_AM = "what-i-am"
    HOW_I_AM = "how-i-am"
    JOKES = "jokes"


_OPENING = r"^(?:(?:so|hey|hi|hello|ok|okay|um|lol|allybot)[\s,!.]+)*"
_PATTERNS = (
    (
        Topic.WHAT_I_AM,
        re.compile(
            _OPENING + r"(?:are|r)\s+(?:you|u)\s+(?:really\s+|actually\s+|just\s+)?"
            r"(?:a\s+|an\s+)?(?:real|human|person|bot|robot|ai|chatgpt|chat gpt|machine|computer|"
            r"chatbot|actual person|real person)(?:\s+or\s+(?:a\s+|an\s+)?[a-z ]{1,20})?[\s?!.]*$"
        ),
    ),
    (
        Topic.HOW_I_AM,
        re.compile(
            _OPENING + r"(?:how\s+(?:are|r)\s+(?:you|u)(?:\s+doing|\s+today)?|"
            r"how'?s\s+(?:it\s+going|your\s+day(?:\s+going)?)|(?:do|can)\s+(?:you|u)\s+(?:have\s+|get\s+)?(?:feelings|"
            r"feel\s+anything|feel\s+things|get\s+lonely|get\s+tired|sleep|dream)|"
            r"have\s+(?:you|u)\s+got\s+feelings|are\s+(?:you|u)\s+(?:ok|okay|happy|sad|alive|"
            r"conscious|sentient))[\s?!.]*$"
        ),
    ),
    (
        Topic.JOKES,
        re.compile(
            _OPENING + r"(?:(?:can|could)\s+(?:you|u)\s+)?(?:please\s+)?(?:tell|say|give)\s+"
            r"(?:me|us)\s+(?:a|an|another|some)\s+(?:good\s+|funny\s+|quick\s+)?(?:joke|jokes|funny)"
            r"(?:\s+please|\s+pls)?[\s?!.]*$|"
            r"^(?:do\s+(?:you|u)\s+)?(?:know|got|have)\s+(?:any\s+)?(?:good\s+|funny\s+)?"
            r"jokes[\s?!.]*$"
        ),
    ),
)

_REPLIES = {
    Topic.WHAT_I_AM: (
        "I'm allybot, a bot, not a person. I answer questions about staff networks, "
        "sessions and allyship from what the networks have written. When I can't answer, "
        "I can pass your question to a network's leads without your name."
    ),
    Topic.HOW_I_AM: (
        "I'm a bot, so I don't have feelings or days of my own, but thank you for asking. "
        "I can help you find your staff networks and their sessions, or answer a question."
    ),
    Topic.JOKES: (
        "I'm not much of a comedian, I'm afraid: I stick to staff networks, sessions and "
        "questions about allyship."
    ),
}


def topic_of(text: str) -> Topic | None:
    """What a message asks about the bot, if it is nothing but such a question."""
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    if len(lowered) > 80:
        return None
    return next((topic for topic, pattern in _PATTERNS if pattern.match(lowered)), None)


async def reply(context: HandlerContext) -> Reply:
    topic = topic_of(context.args)
    text = _REPLIES[topic] if topic is not None else _REPLIES[Topic.WHAT_I_AM]
    return Reply(
        text=f"{text} Pick something below, type `help`, or just ask.",
        buttons=help_buttons(context),
    )


def register(router: Router) -> None:
    router.add_recogniser(Recogniser(NAME, lambda text: topic_of(text) is not None, reply))
