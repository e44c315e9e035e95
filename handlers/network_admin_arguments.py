"""What the network admin commands are given (see `bot.arguments`).

Typed, only the list of networks can tell where a network's name ends ("race equality"),
so `network` holds the words the handler takes the network from (`split_network`); a
button or a form names the network's slug and the rest by value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self

from bot.arguments import Arguments
from bot.parser import fold

EDITABLE = {
    "description": "description",
    "meets": "meets",
    "meeting": "meets",
    "contact": "contact",
}
# The detail word of `edit network`: the first one after the network's name.
_DETAIL = re.compile(r"\s(" + "|".join(EDITABLE) + r")(?:\s+|$)", re.IGNORECASE)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class LeadChange(Arguments):
    """`add lead <network> <id>` and `remove lead <network> <id>`."""

    network: str = ""
    person: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(network=fold(words))

    def words(self) -> str:
        return _joined(self.network, self.person)


@dataclass(frozen=True, slots=True)
class NetworkDetail(Arguments):
    """`edit network <network> description|meets|contact <text>`; the text as written."""

    free_text: ClassVar[frozenset[str]] = frozenset({"text"})
    network: str = ""
    detail: str = ""
    text: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        found = _DETAIL.search(words)
        if found is None:
            return cls(network=fold(words))
        return cls(
            network=fold(words[: found.start()]),
            detail=found.group(1).lower(),
            text=words[found.end() :].strip(),
        )

    def words(self) -> str:
        return _joined(self.network, self.detail, self.text)


@dataclass(frozen=True, slots=True)
class NewNetwork(Arguments):
    """`create network <short-id> <name>`."""

    slug: str = ""
    name: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        slug, _, name = fold(words).partition(" ")
        return cls(slug=slug.lower(), name=name)

    def words(self) -> str:
        return _joined(self.slug, self.name)


@dataclass(frozen=True, slots=True)
class RenameNetwork(Arguments):
    """`rename network <network> to <new name>`: the last ` to ` ends the network."""

    network: str = ""
    name: str = ""

    @classmethod
    def parse(cls, words: str) -> Self:
        before, separator, after = fold(words).rpartition(" to ")
        if not separator:
            return cls(network=fold(words))
        return cls(network=before, name=after)

    def words(self) -> str:
        return f"{self.network} to {self.name}"


@dataclass(frozen=True, slots=True)
class NetworkChannel(Arguments):
    """`channel <network> <platform> <members|allies|announcements> <channel id> [public]`."""

    network: str = ""
    platform: str = ""
    purpose: str = ""
    channel: str = ""
    public: bool = False

    @classmethod
    def parse(cls, words: str) -> Self:
        return cls(network=fold(words))

    def named(self, rest: str) -> list[str]:
        """The words after the network: the typed rest, then the values a button named."""
        public = "public" if self.public else ""
        return _joined(rest, self.platform, self.purpose, self.channel, public).split()

    def words(self) -> str:
        return _joined(self.network, *self.named(""))
