"""Work still running in the background, kept in one place so shutdown can wait for it.

Acknowledged Slack requests, Teams turns finishing after their HTTP answer and scheduler
runs all outlive the call that started them; stopping without waiting would cut a reply
or a post off half-sent. Tests wait here too, instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from bot.funnel import ErrorFunnel

T = TypeVar("T")


class InFlight:
    def __init__(self, funnel: ErrorFunnel) -> None:
        self.funnel = funnel
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def track(self, task: asyncio.Task[T]) -> asyncio.Task[T]:
        """Count `task` until it is done."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def spawn(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        return self.track(asyncio.ensure_future(coroutine))

    def spawn_job(self, name: str, work: Callable[[], Awaitable[None]]) -> asyncio.Task[bool]:
        """Run `work` in the background; a failure is reported by the error funnel as `name`."""
        return self.spawn(self.funnel.run_job(name, work))

    @contextmanager
    def current(self) -> Iterator[None]:
        """Count the running task while the block runs (for tasks started by a framework)."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def drain(self) -> None:
        """Wait until nothing is running, including work started while waiting."""
        # Let tasks scheduled but not yet started begin, so they are counted.
        for _ in range(3):
            await asyncio.sleep(0)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def wait_at_most(self, seconds: float) -> None:
        """Wait for what is running now, but no longer than `seconds`."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=seconds)
