"""What the leads' `kb add`, `kb edit` and `kb retire` are given (see `bot.arguments`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.errors import UserError
from bot.parser import fold

KB_FIELDS = ("title", "answer", "questions", "keywords", "related")


@dataclass(frozen=True, slots=True)
class KbAdd(Arguments):
    """`kb add <title> | <answer>`: the answer as it was written, lines and all."""

    free_text: ClassVar[frozenset[str]] = frozenset({"answer"})
    title: str = ""
    answer: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        title, _, answer = words.partition("|")
        return cls(title=fold(title), answer=answer.strip())

    def words(self) -> str:
        return f"{self.title} | {self.answer}"


@dataclass(frozen=True, slots=True)
class KbEdit(Arguments):
    """`kb edit <id> <field> <text>`; `text` is kept as written (an answer's lines)."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    entry: str
    part: str
    text: str

    @classmethod
    def parse(cls, words: str) -> Self:
        pieces = words.split(None, 2)
        if len(pieces) < 3 or pieces[1].lower() not in KB_FIELDS:
            raise UserError(
                "Edit an entry as `kb edit <id> <field> <text>`, where the field is one of "
                f"{', '.join(KB_FIELDS)}. Separate several questions or keywords with `;`."
            )
        return cls(entry=pieces[0].lower(), part=pieces[1].lower(), text=pieces[2].strip())

    def words(self) -> str:
        return f"{self.entry} {self.part} {self.text}"


@dataclass(frozen=True, slots=True)
class KbRetire(Arguments):
    """`kb retire <id>`."""

    entry: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(entry=fold(words).lower())

    def words(self) -> str:
        return self.entry
