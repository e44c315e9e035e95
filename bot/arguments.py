"""Typed arguments: each command declares its arguments once, as a frozen dataclass.

The same spec is parsed from typed words (`parse`, the command's own grammar) or filled
from the structured values of a button or a form (`fill`, generic, by field name), so a
handler reads typed values whichever way the person asked, and nothing submitted is
ever turned back into text and parsed again::

    @dataclass(frozen=True, slots=True)
    class Feedback(Arguments):
        free_text: ClassVar[frozenset[str]] = frozenset({"comment"})
        session: int
        rating: int
        comment: str = ""

        @classmethod
        def parse(cls, words: str) -> Feedback:
            # `words` come as typed: split on any white space, keep the comment's lines.
            session, rating, comment = (words.split(None, 2) + ["", "", ""])[:3]
            return cls.fill({"session": session, "rating": rating, "comment": comment})

        def words(self) -> str:
            return f"{self.session} {self.rating} {self.comment}".rstrip()

`Words` is the default spec: the typed words after the phrase, white space folded, as
`context.args` always was.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self

from bot.errors import UserError
from bot.messages import Call
from bot.numbers import is_number
from bot.parser import MAX_MESSAGE_CHARS, fold, storable, without_controls

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0", ""})


class Arguments:
    """The base of every argument spec; subclasses are frozen dataclasses.

    `fill` is generic. `parse` and `words` are the command's typed grammar and must be
    given by each spec (only `Words` has them for free).
    """

    # What a field is called in messages when its name is not what people see.
    labels: ClassVar[Mapping[str, str]] = {}
    # Fields holding free text (a description, an announcement): `parse` gives them exactly
    # as typed, lines, tabs and double spaces kept. Every other field reads the same however
    # the words around it are spaced.
    free_text: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def parse(cls, words: str) -> Self:
        """The arguments from the words typed after the command phrase, exactly as typed
        (line breaks, tabs and double spaces included; the ends trimmed)."""
        raise NotImplementedError(f"{cls.__name__} does not say how to read typed words")

    @classmethod
    def fill(cls, values: Mapping[str, str]) -> Self:
        """The arguments from structured values, by field name, each converted to its
        field's type (str, int, bool, a StrEnum, or `X | None`).

        A missing required value or one that does not convert raises a UserError naming
        the field, with `field` set so a form shows it next to that field. Values for
        names the spec does not have are ignored.
        """
        hints = typing.get_type_hints(cls)
        given: dict[str, Any] = {}
        for item in dataclasses.fields(cls):  # type: ignore[arg-type]
            if not item.init:
                continue
            if item.name not in values:
                if _has_default(item):
                    continue
                raise UserError(f"Please fill in {cls._label(item.name)}.", field=item.name)
            given[item.name] = cls._convert(item.name, hints[item.name], values[item.name])
        return cls(**given)

    def words(self) -> str:
        """What a person would type after the phrase to get these same arguments."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to write itself")

    @classmethod
    def _label(cls, name: str) -> str:
        return cls.labels.get(name, name.replace("_", " "))

    @classmethod
    def _convert(cls, name: str, kind: Any, value: str) -> Any:
        optional = _optional_of(kind)
        if optional is not None:
            if value == "":
                return None
            kind = optional
        if kind is str:
            return value
        if kind is int:
            if not is_number(value.strip()):
                raise UserError(
                    f"Please enter a whole number for {cls._label(name)}, like 3.", field=name
                )
            return int(value.strip())
        if kind is bool:
            lowered = value.strip().lower()
            if lowered in _TRUE or lowered in _FALSE:
                return lowered in _TRUE
            raise UserError(f"Please answer yes or no for {cls._label(name)}.", field=name)
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            try:
                return kind(value.strip().lower())
            except ValueError:
                raise UserError(
                    f"Please pick one of the options for {cls._label(name)}.", field=name
                ) from None
        raise TypeError(f"{cls.__name__}.{name}: arguments cannot be of type {kind!r}")


def _has_default(item: dataclasses.Field[Any]) -> bool:
    return (
        item.default is not dataclasses.MISSING or item.default_factory is not dataclasses.MISSING
    )


def _optional_of(kind: Any) -> Any:
    """`X` for `X | None` (or `Optional[X]`), else None."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        members = [member for member in typing.get_args(kind) if member is not type(None)]
        if len(members) == 1 and len(typing.get_args(kind)) == 2:
            return members[0]
    return None


@dataclass(frozen=True, slots=True)
class Words(Arguments):
    """The default spec: the words after the phrase, white space folded (what
    `context.args` holds). Only a command with its own spec sees the layout typed.

    A call to a command still on `Words` carries them as its `text` value, so a button
    converted before its command keeps working: `Call.of("join", text="pride as ally")`.
    """

    text: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(text=fold(words))

    def words(self) -> str:
        return self.text


def checked_values(call: Call) -> Call:
    """The call's values as they can be stored: characters no database holds and control
    characters dropped, each value at most `MAX_MESSAGE_CHARS` long. Never folded, trimmed
    or split: what the person entered is what the handler gets."""
    cleaned: list[tuple[str, str]] = []
    for name, value in call.values:
        value = without_controls(value)
        if len(value) > MAX_MESSAGE_CHARS:
            raise UserError(
                f"That is {len(value):,} characters long, more than I can take "
                f"(up to {MAX_MESSAGE_CHARS:,}). Could you shorten it?",
                field=name,
            )
        cleaned.append((storable(name), value))
    return Call(" ".join(storable(call.phrase).lower().split()), tuple(cleaned))


def words_for(spec: type[Arguments], call: Call) -> str:
    """The typed equivalent of a call (for the console and "or type …" hints)."""
    arguments = spec.fill(call.mapping)
    rest = arguments.words()
    return f"{call.phrase} {rest}" if rest else call.phrase
