"""Outbox keys: which planned post a row is, as one typed value with one format and one parser.

A key is a kind (the feature's name for its kind of post: `announcement`, `session`, ...)
and its parts, stored as `kind:part:part`. The stored form is the one rows have always
had, so rows written before this type existed still parse. What the parts mean is each
feature's business; the core only formats, parses and matches them by prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = ":"
# A kind is a word, so a stored key can never be mistaken for another kind's.
_KIND = re.compile(r"[a-z][a-z0-9_-]*")


class MalformedOutboxKey(ValueError):
    """A stored key that is not `kind:part:...` (an empty or odd kind, or no text)."""


@dataclass(frozen=True, slots=True)
class OutboxKey:
    kind: str
    parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _KIND.fullmatch(self.kind):
            raise MalformedOutboxKey(f"an outbox key's kind must be a word, not {self.kind!r}")
        # A part holding the separator would parse back as two parts: a person's key
        # (`teams:29:abc`) is passed as its own parts instead.
        for part in self.parts:
            if SEPARATOR in part:
                raise MalformedOutboxKey(
                    f"an outbox key's part cannot contain {SEPARATOR!r}: {part!r}"
                )

    @classmethod
    def of(cls, kind: str, *parts: str | int) -> OutboxKey:
        """`OutboxKey.of("announcement", 4, "slack")`: numbers become their digits."""
        return cls(kind, tuple(str(part) for part in parts))

    @classmethod
    def parse(cls, text: str) -> OutboxKey:
        """The key a stored `schedule_key` is; raises `MalformedOutboxKey` if it is none."""
        kind, *parts = text.split(SEPARATOR)
        if not _KIND.fullmatch(kind):
            raise MalformedOutboxKey(f"not an outbox key (no kind before {SEPARATOR!r}): {text!r}")
        return cls(kind, tuple(parts))

    def format(self) -> str:
        """The stored form: what `schedule_key` holds and `parse` reads back."""
        return SEPARATOR.join((self.kind, *self.parts))


def prefix(kind: str, *parts: str | int) -> str:
    """The stored prefix of every key of `kind` beginning with `parts`, for unplan and replan.

    It ends with the separator, so `session:1:` never matches `session:12:...`.
    """
    return OutboxKey.of(kind, *parts).format() + SEPARATOR
