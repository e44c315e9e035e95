"""What the leads' `calendar …` commands are given: typed, every word before the time, the
days or the colon, since only the list of networks can tell where a network's name ends
and the awareness date begins (the handler takes the network from the front); from a
button, the network's slug and the date's id by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.parser import fold
from handlers.text_checks import split_text


@dataclass(frozen=True, slots=True)
class CalendarPosts(Arguments):
    """`calendar posts <network>`."""

    network: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(network=fold(words))

    def words(self) -> str:
        return self.network


@dataclass(frozen=True, slots=True)
class CalendarDate(Arguments):
    """`calendar off|on <network> <date>`."""

    network: str = ""
    date: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(network=fold(words))

    def named(self, rest: str) -> str:
        """What follows the network: the typed rest, then the values a button named."""
        return " ".join(filter(None, (rest, self.date, *self._after_date())))

    def _after_date(self) -> tuple[str, ...]:
        return ()

    def words(self) -> str:
        return " ".join(filter(None, (self.network, self.date, *self._after_date())))


@dataclass(frozen=True, slots=True)
class CalendarTime(CalendarDate):
    """`calendar time <network> <date> <HH:MM>`."""

    at: str = ""

    def _after_date(self) -> tuple[str, ...]:
        return (self.at,)


@dataclass(frozen=True, slots=True)
class CalendarDays(CalendarDate):
    """`calendar days <network> <date> <days,before>`."""

    days: str = ""

    def _after_date(self) -> tuple[str, ...]:
        return (self.days,)


@dataclass(frozen=True, slots=True)
class CalendarMessage(CalendarDate):
    """`calendar message <network> <date>: <text>`; the text as it was written."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    text: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        head, text = split_text(words)
        return cls(network=fold(head), text=text)

    def words(self) -> str:
        return f"{super().words()}: {self.text}"
