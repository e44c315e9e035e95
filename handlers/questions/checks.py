"""What a typed question must be before anything searches for it or sends it on.

Control sequences (`<!channel>`, mentions) are dropped, and the replies to empty, long,
wordless or non-English questions are short and kind, and never echo what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.errors import UserError
from bot.numbers import is_number, parse_id
from handlers.knowledge.text import word_set

# Longer than a question typed to a bot; the router already refuses anything over 4,000.
MAX_QUESTION_CHARS = 500

_CONTROL = re.compile(r"<[!@#][^>]*>|@(?:channel|here|everyone)\b", re.IGNORECASE)
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]+:", re.IGNORECASE)
_FOREIGN_WORDS = word_set(
    """
    que qué como cómo donde dónde cuando cuándo es el la los las una por para pourquoi
    quest quoi comment est les des une pour avec dans wie was ist der die das und nicht
    wann warum kann ich sie che cosa come perché sono della quando
    """
)
_ENGLISH_HINTS = word_set("what how who when where why is are the a an do does i my can to of")


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    had_control: bool


def clean_question(raw: str) -> Cleaned:
    """The question with Slack/Teams control sequences (`<!channel>`, mentions) removed."""
    without = _CONTROL.sub(" ", raw)
    return Cleaned(text=" ".join(without.split()), had_control=without != raw)


def without_control(raw: str) -> str:
    """A question that arrives as a value (a button's), with control sequences removed and
    nothing else changed: its line breaks, `|` and colons stay as the person wrote them."""
    return _CONTROL.sub(" ", raw)


def _letters(text: str) -> list[str]:
    return [char for char in text if char.isalpha()]


def looks_foreign(text: str) -> bool:
    """Mostly non-Latin letters, or more common non-English words than English ones."""
    letters = _letters(text)
    if letters:
        latin = sum(1 for char in letters if unicodedata.name(char, "").startswith("LATIN"))
        if latin / len(letters) < 0.5:
            return True
    tokens = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(1 for token in tokens if token in _FOREIGN_WORDS)
    english = sum(1 for token in tokens if token in _ENGLISH_HINTS)
    return foreign >= 2 and foreign > english


def check_question(raw: str) -> str:
    """The question to search for, or a UserError with a short, kind reply. Never echoes it."""
    cleaned = clean_question(raw)
    if not cleaned.text:
        if cleaned.had_control:
            raise UserError(
                "I can't notify a channel or anyone in it, but I'm happy to answer a question. "
                "Try `ask what is allyship`."
            )
        raise UserError("What would you like to know? Try `ask what is allyship`.")
    if len(cleaned.text) > MAX_QUESTION_CHARS:
        raise UserError(
            "That's longer than I can search well. Could you ask it in a sentence or two? "
            "To put a longer question to a network's leads, use "
            "`ask leads <network> <question>`: they won't see your name."
        )
    if not _letters(_EMOJI_CODE.sub(" ", cleaned.text)) and not any(
        char.isdigit() for char in cleaned.text
    ):
        raise UserError(
            "Thank you! I can only read words, though. Ask me something like "
            "`what is intersectionality?`, or type `help`."
        )
    return cleaned.text


def question_number(text: str, example: str) -> int:
    pieces = text.split(None, 1)
    token = pieces[0].lstrip("#") if pieces else ""
    if not is_number(token):
        raise UserError(f"I need the question's number, for example `{example}`.")
    return parse_id(token, what="question")
