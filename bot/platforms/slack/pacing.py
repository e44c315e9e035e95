"""Pacing posts to Slack channels: about one a second each, and none while Slack says wait."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class Pacer:
    """At most one post per `interval` seconds in each channel, and none while Slack has
    asked that channel to wait.

    A channel's turn lasts until its call is answered: a 429 that the client's retry
    handler waits out (Retry-After) is waited out inside the turn, so the posts queued
    behind it wait too; a 429 it gave up on pauses the channel (`pause`). Other channels
    are never held up.
    """

    interval: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _next_allowed: dict[str, float] = field(default_factory=dict)

    async def wait_turn(self, channel: str) -> None:
        async with self.turn(channel):
            pass

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Wait for the channel's turn and hold it while the post is made."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._next_allowed.get(channel, 0.0) - self.monotonic()
            if wait > 0:
                await self.sleep(wait)
            try:
                yield
            finally:
                self._next_allowed[channel] = max(
                    self._next_allowed.get(channel, 0.0), self.monotonic() + self.interval
                )

    def pause(self, channel: str, seconds: float) -> None:
        """Slack asked for `seconds` of quiet in this channel (a 429's Retry-After)."""
        until = self.monotonic() + seconds
        self._next_allowed[channel] = max(self._next_allowed.get(channel, 0.0), until)
