"""What handlers may ask a platform to do beyond replying: message someone privately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message to someone other than (or as well as) the person who asked."""

    recipient_key: str
    reply: Reply


class Messenger(Protocol):
    async def send_private(self, notice: Notice) -> None:
        """Deliver privately (a direct message); raise if it cannot be delivered."""
        ...


class RecordingMessenger:
    """Keeps what it was asked to send. For the console's demo and for tests."""

    def __init__(self) -> None:
        self.sent: list[Notice] = []

    async def send_private(self, notice: Notice) -> None:
        self.sent.append(notice)
