"""Rebuilding App Homes in the background after other people's changes reach someone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.funnel import ErrorFunnel
from bot.platforms.slack.requests import PLATFORM
from bot.tasks import InFlight

# How many App Homes are rebuilt at once after notices: a session cancelled for 200
# people must not crowd out the commands coming in.
HOME_REFRESH_SLOTS = 2
# Notices often come in a run (a cancellation, then a seat elsewhere): wait this long so
# one rebuild covers the run.
HOME_REFRESH_DELAY_SECONDS = 1.0


class HomeRefresher:
    def __init__(
        self,
        in_flight: InFlight,
        funnel: ErrorFunnel,
        publish: Callable[[str], Awaitable[None]],
        *,
        delay: float = HOME_REFRESH_DELAY_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._in_flight = in_flight
        self._funnel = funnel
        self._publish = publish
        self._delay = delay
        # Replaceable so tests can hold a rebuild in its wait without sleeping.
        self._sleep = sleep
        self._slots = asyncio.Semaphore(HOME_REFRESH_SLOTS)
        self._due: set[str] = set()

    def changed_for(self, person_keys: frozenset[str]) -> None:
        """Someone's change reached these people (a seat, a moved session, a lead role)."""
        for key in person_keys:
            platform, _, user = key.partition(":")
            if platform == PLATFORM and user:
                self.soon(user)

    def soon(self, user: str) -> None:
        """Rebuild someone's App Home in the background; repeated calls before it starts
        coalesce into one rebuild."""
        if user in self._due:
            return
        self._due.add(user)
        self._in_flight.spawn(self._later(user))

    async def _later(self, user: str) -> None:
        await self._sleep(self._delay)
        async with self._slots:
            # From here on a new change needs a new rebuild: this one may have read too early.
            self._due.discard(user)
            await self._funnel.run_job("slack:home-refresh", lambda: self._publish(user))
