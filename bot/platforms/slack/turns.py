"""One person's commands run one after another, in the order Slack delivered them.

Acknowledging at once means "join pride" and "agree", sent a moment apart, would otherwise
run side by side, and the second could read the database before the first has committed.
Different people still run in parallel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class PersonTurns:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    @asynccontextmanager
    async def of(self, person: str) -> AsyncIterator[None]:
        """Wait for `person`'s earlier commands (asyncio locks wake waiters in order)."""
        lock = self._locks.setdefault(person, asyncio.Lock())
        self._waiting[person] = self._waiting.get(person, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[person] -= 1
            if not self._waiting[person]:
                # Nobody else is queued for them: keep no state about people between turns.
                del self._waiting[person], self._locks[person]
