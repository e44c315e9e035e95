"""What the announcement commands that buttons and forms reach are given: one spec per
command, parsed from the words leads have always typed, or filled from the values a button
or the scheduling form carries (see `bot.arguments`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.errors import UserError
from bot.numbers import is_number, parse_id
from bot.parser import fold
from handlers.pages import LAST_PAGE_NUMBER, split_page
from handlers.text_checks import split_text


def split_number(typed: str) -> tuple[str, str, str]:
    """`3 every friday 16:00: new text` -> (`3`, `every friday 16:00`, `new text`): the
    announcement's number as typed (without `#`), when (white space folded) and the text
    after the colon as typed."""
    head, text = split_text(typed)
    pieces = head.split(None, 1)
    token = pieces[0].lstrip("#") if pieces else ""
    if not is_number(token):
        raise UserError(
            "Which announcement? Use its number, for example `preview announcement 3`; "
            "`announcements <network>` lists them."
        )
    return token, fold(pieces[1]) if len(pieces) > 1 else "", text


@dataclass(frozen=True, slots=True)
class Announce(Arguments):
    """`announce <network> <when>: <text>`, or the scheduling form's values.

    Typed, only the list of networks can tell where a network's name ends and the time
    begins, so `network` holds all the words before the colon and `when` stays empty; the
    handler takes the network from the front. From the form, `network` is the network's
    slug and `when` and `text` are exactly as entered (several lines, `|` and `:` kept).
    """

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    network: str = ""
    when: str = ""
    text: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        head, text = split_text(words)
        return cls(network=fold(head), text=text)

    def words(self) -> str:
        head = " ".join(part for part in (self.network, self.when) if part)
        return f"{head}: {self.text}" if self.text else head


@dataclass(frozen=True, slots=True)
class AnnouncementNumber(Arguments):
    """`preview announcement <number>` and `cancel announcement <number>`: anything typed
    after the number is ignored, as it always was."""

    announcement: int

    @classmethod
    def parse(cls, words: str) -> Self:
        token, _, _ = split_number(words)
        return cls(announcement=parse_id(token, what="announcement"))

    def words(self) -> str:
        return str(self.announcement)


@dataclass(frozen=True, slots=True)
class EditAnnouncement(Arguments):
    """`edit announcement <number> [on|every …]: <new text>`: a new time, a new text or both;
    the text exactly as typed or entered."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    announcement: int
    when: str = ""
    text: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        token, when, text = split_number(words)
        return cls(announcement=parse_id(token, what="announcement"), when=when, text=text)

    def words(self) -> str:
        head = " ".join(filter(None, (str(self.announcement), self.when)))
        return f"{head}: {self.text}" if self.text else head


@dataclass(frozen=True, slots=True)
class AnnouncementsList(Arguments):
    """`announcements <network> [page <n>]`, or the More button's network slug and page.

    Typed, `network` holds every word after the command, as `Announce` does: the handler
    takes the network from the front and reads `page <n>` from what is left, as it always
    has, so a typed mistake is answered as before."""

    network: str = ""
    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(network=fold(words))

    def words(self) -> str:
        return f"{self.network} page {self.page}" if self.page is not None else self.network

    def page_number(self, typed_rest: str) -> int:
        """The page asked for: the one a button carries (checked like one typed), else
        `page <n>` at the end of what was typed after the network, else 1."""
        if self.page is None:
            return split_page(typed_rest)[1]
        if not 1 <= self.page <= LAST_PAGE_NUMBER:
            raise UserError("Pages are numbered from 1, like `page 2`.", field="page")
        return self.page
