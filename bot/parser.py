"""Turning what people type into a command phrase and its arguments.

People type commands in any case, with extra spaces, with smart quotes from their
phone's keyboard, with a leading `/ally` copied from Slack, or with a typo. This module
tolerates all of that in the command phrase and, for an unknown word, finds the closest
known command. What follows the phrase is left as it was written (only what no database
can store and control characters go), so an announcement written on several lines keeps
its lines: each command's spec reads its own arguments (`bot.arguments`).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Longer than any command or question anyone types by hand; beyond it we refuse
# politely instead of spending time on it (and never echo it back).
MAX_MESSAGE_CHARS = 4000

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
# Zero-width characters pasted into commands. The joiners (ZWNJ, ZWJ) are dropped only
# beside ASCII: between other characters they hold emoji sequences (🏳️‍🌈) and Persian or
# Indic words together.
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff]|(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])"
)
# What no database we support can store: NUL (PostgreSQL text refuses it) and lone UTF-16
# surrogates (not encodable as UTF-8 at all). Everything else, emoji, accents and
# right-to-left text included, is kept.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\S+")
_SLASH_PREFIX = re.compile(r"^/ally\b\s*", re.IGNORECASE)
# C0 controls and DEL, except tab and the line ends people type in a multi-line message.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def storable(text: str) -> str:
    """`text` without the characters no database can store (NUL, lone surrogates)."""
    return _UNSTORABLE.sub("", text)


def without_controls(text: str) -> str:
    """`text` storable and without control characters; tabs and line ends are kept."""
    return _CONTROL.sub("", storable(text))


def straight_quotes(text: str) -> str:
    """Smart quotes from a phone's keyboard as the plain quotes people mean."""
    return text.translate(_QUOTES)


def fold(text: str) -> str:
    """White space of any kind folded to single spaces, and trimmed."""
    return _SPACES.sub(" ", text).strip()


def cleaned(text: str) -> str:
    """Typed text as the router reads it: storable, without control or invisible characters,
    trimmed and without a leading `/ally`. Its layout (line breaks, tabs, double spaces) and
    its quotes are kept, for the command's own grammar to read."""
    text = _INVISIBLE.sub("", without_controls(text)).strip()
    return _SLASH_PREFIX.sub("", text, count=1)


def normalise(text: str) -> str:
    """`cleaned` text with its white space folded and quotes straightened: for matching the
    command phrase and suggesting one, never for a command's arguments."""
    return fold(straight_quotes(cleaned(text)))


@dataclass(frozen=True, slots=True)
class Match:
    phrase: str
    args: str


class PhraseTable:
    """Command phrases of one or more words, matched longest first against the start of a text."""

    def __init__(self, phrases: Iterable[str] = ()) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            self.add(phrase)

    def add(self, phrase: str) -> None:
        words = tuple(phrase.lower().split())
        if not words:
            raise ValueError("a command phrase needs at least one word")
        self._phrases[words] = " ".join(words)

    def match(self, text: str) -> Match | None:
        """The longest known phrase at the start of `text`, matched in any case across any
        white space, and the rest exactly as written (only the space before it dropped)."""
        words = list(itertools.islice(_WORD.finditer(text), self._longest()))
        lowered = tuple(straight_quotes(word.group()).lower() for word in words)
        for length in range(min(len(words), self._longest()), 0, -1):
            phrase = self._phrases.get(lowered[:length])
            if phrase is not None:
                return Match(phrase=phrase, args=text[words[length - 1].end() :].strip())
        return None

    def suggest(self, text: str, limit: int = 1, cutoff: float = 0.6) -> list[str]:
        """The known phrases closest to what was typed, best first."""
        tokens = text.lower().split(" ") if text else []
        if not tokens:
            return []
        candidates: dict[str, float] = {}
        for words, phrase in self._phrases.items():
            typed = " ".join(tokens[: len(words)])
            score = difflib.SequenceMatcher(a=typed, b=phrase).ratio()
            if score >= cutoff:
                candidates[phrase] = max(score, candidates.get(phrase, 0.0))
        ranked = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))
        return [phrase for phrase, _ in ranked[:limit]]

    def _longest(self) -> int:
        return max((len(words) for words in self._phrases), default=0)


def closest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Choices that look like `word`, case-insensitively, best first (for names people mistype)."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=limit, cutoff=0.5)
    return [by_lower[item] for item in found]


def looks_mistyped(phrases: PhraseTable, text: str) -> bool:
    """A short line whose first words are nearly a command ("netwroks", "jion pride").

    Those get "did you mean" rather than going to the fallback (questions), which
    would otherwise answer a typo with unrelated articles.
    """
    words = text.split(" ")
    if "?" in text or len(words) > 3 or not words[0].isalpha():
        return False
    return phrases.suggest(text, limit=1, cutoff=0.75) != []


def unknown_command_message(phrases: PhraseTable, text: str) -> str:
    first_word = text.split(" ", 1)[0]
    # Only echo back what was typed when it is short and plain, so nothing odd is repeated.
    shown = f"`{first_word}`" if first_word.isalnum() and len(first_word) <= 30 else "that"
    suggestions = phrases.suggest(text, limit=1)
    if suggestions:
        return (
            f"I don't know {shown}. Did you mean `{suggestions[0]}`? "
            "Type `help` to see everything I can do."
        )
    return f"I don't know {shown}. Type `help` to see everything I can do."
