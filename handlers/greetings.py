"""Greetings and thanks: "hi", "hello!", "thanks", "cheers", "good morning", typos and all.

Without this, "hi" is taken as a question the knowledge base cannot answer ("I'd rather
not guess", with buttons to ask the leads). Only a message that is nothing but a greeting
is one: "hi, how do I join a network?" is a question, and still goes to the knowledge base.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.messages import Reply
from bot.registry import Recogniser
from bot.router import HandlerContext, Router
from handlers.help.screens import help_buttons

NAME = "(greeting)"


class Greeting(StrEnum):
    HELLO = "hello"
    THANKS = "thanks"


# Words that make a message a greeting, and words that may come with them ("hi there",
# "thank you so much", "morning all"). Written with doubled letters squeezed out, as
# typed words are before they are compared ("heyyy" is "hey", "cheers" is "chers").
_HELLO = frozenset(
    {"hi", "helo", "hey", "hiya", "heya", "howdy", "hola", "morning", "afternoon", "evening"}
)
_THANKS = frozenset({"thanks", "thank", "thx", "ty", "chers", "ta", "thankyou", "tysm"})
_WITH = frozenset(
    {
        "there",
        "all",
        "everyone",
        "folks",
        "team",
        "allybot",
        "bot",
        "you",
        "so",
        "very",
        "much",
        "a",
        "lot",
        "many",
        "again",
        "good",
        "oh",
        "ok",
        "okay",
        "great",
        "that's",
        "thats",
        "yes",
        "and",
    }
)
# A greeting is short: more words than this and it is saying something else as well.
_MOST_WORDS = 6
# Words this long may carry one slip ("hallo", "thnaks", "mornign"); shorter ones are exact,
# or "hey" would be "key" and "ta" would be "to".
_TYPO_FROM = 4
_WORD = re.compile(r"[a-z']+")
_REPEATS = re.compile(r"(.)\1+")


def _squeezed(word: str) -> str:
    return _REPEATS.sub(r"\1", word.strip("'"))


def _one_slip(word: str, known: str) -> bool:
    """At most one letter added, dropped, changed or two swapped (`thnaks`)."""
    if abs(len(word) - len(known)) > 1:
        return False
    if len(word) == len(known):
        differ = [i for i, (a, b) in enumerate(zip(word, known, strict=True)) if a != b]
        if len(differ) <= 1:
            return True
        first, second = differ[0], differ[-1]
        return (
            len(differ) == 2
            and second == first + 1
            and word[first] == known[second]
            and word[second] == known[first]
        )
    shorter, longer = sorted((word, known), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# Real words one slip from a greeting, which are not one.
_NOT_SLIPS = frozenset({"help", "hell", "held", "helm", "thinks", "thank's"})


def _kind_of(word: str) -> Greeting | None:
    if word in _NOT_SLIPS:
        return None
    for kind, known in ((Greeting.HELLO, _HELLO), (Greeting.THANKS, _THANKS)):
        if word in known:
            return kind
        if len(word) >= _TYPO_FROM and any(
            len(item) >= _TYPO_FROM and _one_slip(word, item) for item in known
        ):
            return kind
    return None


def greeting_in(text: str) -> Greeting | None:
    """What the message is, if it is nothing but a greeting or thanks (any case, any
    punctuation or emoji around it)."""
    lowered = text.lower()
    words = [word.strip("'") for word in _WORD.findall(lowered.replace("’", "'"))]
    words = [word for word in words if word]
    if not words or len(words) > _MOST_WORDS:
        return None
    kinds = set()
    for word in words:
        # Compared as typed and with doubled letters squeezed out ("good", "heyyy").
        squeezed = _squeezed(word)
        kind = _kind_of(squeezed)
        if kind is not None:
            kinds.add(kind)
        elif word not in _WITH and squeezed not in _WITH:
            return None
    if not kinds:
        return None
    return Greeting.THANKS if Greeting.THANKS in kinds else Greeting.HELLO


async def greet(context: HandlerContext) -> Reply:
    if greeting_in(context.args) is Greeting.THANKS:
        return Reply(text="You're welcome! Ask me any time.")
    return Reply(
        text=(
            "Hello! I'm allybot: I help you find your staff networks and their sessions, and "
            "answer questions about allyship. Pick something below, type `help`, or just ask."
        ),
        buttons=help_buttons(context),
    )


def register(router: Router) -> None:
    router.add_recogniser(Recogniser(NAME, lambda text: greeting_in(text) is not None, greet))
