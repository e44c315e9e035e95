"""What `join` and `leave` read: a network and the role someone joins it in, typed
(`join pride as ally`) or carried by a button."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.arguments import Arguments


class Role(StrEnum):
    """How someone is in a network: with lived experience (a member), or as an ally."""

    MEMBER = "member"
    ALLY = "ally"


MEMBER = Role.MEMBER
ALLY = Role.ALLY
# The channel purpose (see NetworkChannel) each role is invited into.
CHANNEL_FOR_ROLE: dict[str, str] = {MEMBER: "members", ALLY: "allies"}
_ROLE_SUFFIX = re.compile(r"\s+as\s+(?:an?\s+)?(ally|allies|member)\s*$", re.IGNORECASE)


def as_role(role: str) -> str:
    return "an ally" if role == ALLY else "a member"


def parse_role(args: str) -> tuple[str, str]:
    """`pride as ally` -> ("pride", "ally"); without `as ...` the role is member."""
    found = _ROLE_SUFFIX.search(args)
    if found is None:
        return args.strip(), MEMBER
    role = ALLY if found.group(1).lower().startswith("all") else MEMBER
    return args[: found.start()].strip(), role


@dataclass(frozen=True, slots=True)
class JoinNetwork(Arguments):
    """`join <network> [as ally]`, or a Join button's network and role."""

    network: str = ""
    role: Role = Role.MEMBER

    @classmethod
    def parse(cls, words: str) -> JoinNetwork:
        typed, role = parse_role(words)
        return cls(network=typed, role=Role(role))

    def words(self) -> str:
        return f"{self.network} as ally" if self.role is Role.ALLY else self.network


@dataclass(frozen=True, slots=True)
class LeaveNetwork(Arguments):
    """`leave <network>` (an `as ally` typed after it is ignored), or a Leave button's network."""

    network: str = ""

    @classmethod
    def parse(cls, words: str) -> LeaveNetwork:
        return cls(network=parse_role(words)[0])

    def words(self) -> str:
        return self.network
