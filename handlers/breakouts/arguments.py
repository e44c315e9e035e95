"""The breakout commands' arguments, declared once: parsed from the words people type
(the grammar is what it always was) or filled from a button's or a form's values.

Typed titles are tidied the way they always were (spaces folded, quotes dropped); a title
from the form arrives exactly as entered. The leads' commands read a missing or mistyped
number as None, so a member who types one still hears first that it is for leads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.config import PLATFORMS
from bot.errors import UserError
from bot.parser import fold
from handlers.breakouts.common import split_topic_id, tidy_title
from handlers.pages import LAST_PAGE_NUMBER, split_page
from handlers.sessions.common import split_session_id

_ROUND = re.compile(r"^round\s+([0-9]{1,2})\s+(.*)$", re.IGNORECASE | re.DOTALL)
# A co-host is named the way leads name people; "Living with ADHD" stays a title.
_COHOST = re.compile(r"\s+with\s+(<@[A-Za-z0-9]+(?:\|[^>]*)?>|[a-z]+:[^\s:]+)\s*$", re.IGNORECASE)


def _names_a_person(typed: str) -> bool:
    """`slack:U0123` or a mention, not a title ending “with work:life balance”."""
    return typed.startswith("<@") or typed.partition(":")[0].lower() in PLATFORMS


def _round_and_title(rest: str) -> tuple[int | None, str]:
    """`round 2 My topic` -> (2, "My topic"); whether the session has that round is the
    handler's to say, after it has found the session."""
    found = _ROUND.match(rest.strip())
    if found is None:
        return None, tidy_title(rest)
    return int(found.group(1)), tidy_title(found.group(2))


def _check_page(page: int | None) -> None:
    # Typed pages are checked by `split_page`; this holds a page that came as a value to the
    # same bounds.
    if page is not None and not 1 <= page <= LAST_PAGE_NUMBER:
        raise UserError("Pages are numbered from 1, like `page 2`.", field="page")


def _page_words(page: int | None) -> str:
    return f" page {page}" if page is not None else ""


def _lenient_session(words: str, command: str) -> tuple[int | None, str]:
    try:
        return split_session_id(words, command)
    except UserError:
        return None, ""


def session_required(session: int | None, command: str) -> int:
    """The session a lead's command names, or the same question typing it without one gets."""
    if session is None:
        return split_session_id("", command)[0]
    return session


@dataclass(frozen=True, slots=True)
class TopicsList(Arguments):
    """`topics <session> [page <n>]`."""

    session: int
    page: int | None = None

    def __post_init__(self) -> None:
        _check_page(self.page)

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "topics")
        _, number = split_page(rest)
        return cls(session=session, page=number if number > 1 else None)

    def words(self) -> str:
        return f"{self.session}{_page_words(self.page)}"


@dataclass(frozen=True, slots=True)
class Proposal(Arguments):
    """`propose <session> [round <n>] <topic>`: a round of None is round 1."""

    command: ClassVar[str] = "propose"
    labels: ClassVar[dict[str, str]] = {"title": "your topic"}

    session: int
    title: str = ""
    round: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, cls.command)
        number, title = _round_and_title(rest)
        return cls(session=session, title=title, round=number)

    def words(self) -> str:
        rounded = f"round {self.round} " if self.round is not None else ""
        return f"{self.session} {rounded}{self.title}".rstrip()


@dataclass(frozen=True, slots=True)
class Hosting(Proposal):
    """`host <session> [round <n>] <topic> [with <person>]` (the form: title and co-host)."""

    command: ClassVar[str] = "host"
    labels: ClassVar[dict[str, str]] = {"title": "your topic", "cohost": "the co-host"}

    cohost: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, cls.command)
        cohost = ""
        found = _COHOST.search(rest)
        if found is not None and _names_a_person(found.group(1)):
            rest, cohost = rest[: found.start()], found.group(1)
        number, title = _round_and_title(rest)
        return cls(session=session, title=title, round=number, cohost=cohost)

    def words(self) -> str:
        cohost = f" with {self.cohost}" if self.cohost else ""
        return f"{Proposal.words(self)}{cohost}"


@dataclass(frozen=True, slots=True)
class PickRoom(Arguments):
    """`pick <session> <topic number or title>`."""

    session: int
    topic: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        session, typed = split_session_id(words, "pick")
        return cls(session=session, topic=typed)

    def words(self) -> str:
        return f"{self.session} {self.topic}".rstrip()


@dataclass(frozen=True, slots=True)
class TopicNumber(Arguments):
    """`<command> <topic number>`; each command names itself in its own question."""

    command: ClassVar[str] = ""

    topic: int

    @classmethod
    def parse(cls, words: str) -> Self:
        topic, _ = split_topic_id(words, cls.command)
        return cls(topic=topic)

    def words(self) -> str:
        return str(self.topic)


@dataclass(frozen=True, slots=True)
class OfferToHost(TopicNumber):
    command: ClassVar[str] = "host topic"


@dataclass(frozen=True, slots=True)
class TakeNotes(TopicNumber):
    command: ClassVar[str] = "notes"


@dataclass(frozen=True, slots=True)
class WithdrawTopic(TopicNumber):
    command: ClassVar[str] = "withdraw topic"


@dataclass(frozen=True, slots=True)
class RenameTopic(Arguments):
    """`rename topic <number> <new title>`."""

    topic: int
    title: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        topic, rest = split_topic_id(words, "rename topic")
        return cls(topic=topic, title=tidy_title(rest))

    def words(self) -> str:
        return f"{self.topic} {self.title}".rstrip()


@dataclass(frozen=True, slots=True)
class LedTopic(Arguments):
    """A lead's `<command> <topic number>`; None when no number was typed."""

    command: ClassVar[str] = ""

    topic: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        try:
            topic, _ = split_topic_id(words, cls.command)
        except UserError:
            return cls(topic=None)
        return cls(topic=topic)

    def words(self) -> str:
        return "" if self.topic is None else str(self.topic)

    def topic_id(self) -> int:
        """The topic named, or the same question typing the command without one gets."""
        if self.topic is None:
            return split_topic_id("", self.command)[0]
        return self.topic


@dataclass(frozen=True, slots=True)
class ApproveTopic(LedTopic):
    command: ClassVar[str] = "approve topic"


@dataclass(frozen=True, slots=True)
class DeclineTopic(LedTopic):
    """`decline topic <number> [reason]`."""

    command: ClassVar[str] = "decline topic"

    reason: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        try:
            topic, reason = split_topic_id(words, cls.command)
        except UserError:
            return cls(topic=None)
        return cls(topic=topic, reason=reason)

    def words(self) -> str:
        return f"{LedTopic.words(self)} {self.reason}".rstrip()


@dataclass(frozen=True, slots=True)
class Rooms(Arguments):
    """`rooms <session> [csv] [page <n>]`."""

    session: int | None = None
    csv: bool = False
    page: int | None = None

    def __post_init__(self) -> None:
        _check_page(self.page)

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = _lenient_session(words, "rooms")
        if session is None:
            return cls()
        rest, number = split_page(rest)
        return cls(
            session=session,
            csv=rest.strip().lower() == "csv",
            page=number if number > 1 else None,
        )

    def words(self) -> str:
        if self.session is None:
            return ""
        return f"{self.session}{' csv' if self.csv else ''}{_page_words(self.page)}"


@dataclass(frozen=True, slots=True)
class Place(Arguments):
    """`place <session>`."""

    session: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(session=_lenient_session(words, "place")[0])

    def words(self) -> str:
        return "" if self.session is None else str(self.session)


USAGE = "breakouts <session> rounds: 2 | size: 8 | opens: … | closes: … | approval: yes"
# What leads may call each setting, mapped to the setting.
_SETTINGS = {
    "rounds": "rounds",
    "round": "rounds",
    "size": "size",
    "room size": "size",
    "limit": "size",
    "opens": "opens",
    "open": "opens",
    "closes": "closes",
    "close": "closes",
    "approval": "approval",
}
_SETTING = re.compile(
    r"^("
    + "|".join(name.replace(" ", r"\s+") for name in sorted(_SETTINGS, key=len, reverse=True))
    + r")\s*:\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class BreakoutSetup(Arguments):
    """`breakouts <session> rounds: 2 | size: 8 | opens: … | closes: … | approval: yes`;
    None is a setting not given (left as it is)."""

    session: int
    rounds: str | None = None
    size: str | None = None
    opens: str | None = None
    closes: str | None = None
    approval: str | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        session, rest = split_session_id(words, "breakouts")
        given: dict[str, str] = {}
        for chunk in filter(None, (piece.strip() for piece in rest.split("|"))):
            found = _SETTING.match(chunk)
            if found is None:
                raise UserError(
                    f"I couldn't tell which part “{chunk[:40]}” is. Use `rounds:`, `size:`, "
                    f"`opens:`, `closes:` and `approval:`, separated by `|`, like `{USAGE}`."
                )
            given[_SETTINGS[fold(found.group(1)).lower()]] = fold(found.group(2))
        return cls(session=session, **given)

    def words(self) -> str:
        settings = ("rounds", "size", "opens", "closes", "approval")
        given = [f"{name}: {getattr(self, name)}" for name in settings if getattr(self, name)]
        return " ".join(filter(None, (str(self.session), " | ".join(given))))
