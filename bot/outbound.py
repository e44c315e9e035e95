"""What handlers may ask a platform to do beyond replying: message someone privately,
add someone to a channel, and say whether a channel is private."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message to someone other than (or as well as) the person who asked."""

    recipient_key: str
    reply: Reply


@dataclass(frozen=True, slots=True)
class ChannelInvite:
    """Please add `person_key` to the channel `channel_ref` (a platform channel id)."""

    person_key: str
    channel_ref: str


class InviteOutcome(StrEnum):
    INVITED = "invited"
    ALREADY_IN = "already_in"
    NOT_POSSIBLE = "not_possible"


@dataclass(frozen=True, slots=True)
class InviteResult:
    outcome: InviteOutcome
    # Where the person can go themselves when they could not be added (a channel link).
    link: str = ""
    # What a lead needs to fix, in plain words (for example "invite the bot to the channel").
    fix: str = ""


class Messenger(Protocol):
    async def send_private(self, notice: Notice) -> None:
        """Deliver privately (a direct message); raise if it cannot be delivered."""
        ...

    async def invite(self, invite: ChannelInvite) -> InviteResult:
        """Add someone to a channel, or say why not (never raise for a refusal by the platform)."""
        ...

    async def channel_is_private(self, platform: str, channel_ref: str) -> bool | None:
        """Whether only invited people can see the channel and who is in it.

        None when the platform cannot tell (or the bot cannot see the channel); never raises
        for a refusal by the platform.
        """
        ...
