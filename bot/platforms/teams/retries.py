"""How sends to Teams are paced and retried, and what a refusal says to a lead.

The SDK neither paces nor retries: sends are paced per conversation (at most 7 a second
and 60 in 30 seconds) and retried on 429, 412, 502 and 504 with jittered exponential
back-off that honours Retry-After. Anything the connector still refuses becomes a
`TeamsRefusal` with words for a lead.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ErrorResponseException

RETRY_STATUSES = frozenset({412, 429, 502, 504})
ROSTER_ERROR = "BotNotInConversationRoster"

Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class Pacer:
    """Per conversation: at most `per_second` sends a second, `per_window` in `window` seconds."""

    per_second: int = 7
    per_window: int = 60
    window: float = 30.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def _wait_needed(self, sent: deque[float], now: float) -> float:
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        waits = [0.0]
        if len(sent) >= self.per_window:
            waits.append(sent[-self.per_window] + self.window - now)
        if len(sent) >= self.per_second:
            waits.append(sent[-self.per_second] + 1.0 - now)
        return max(waits)

    async def wait_turn(self, conversation_id: str) -> None:
        key = conversation_id.split(";", 1)[0]
        lock = self._locks.setdefault(key, asyncio.Lock())
        sent = self._sent.setdefault(key, deque())
        async with lock:
            wait = self._wait_needed(sent, self.monotonic())
            while wait > 0:
                await self.sleep(wait)
                wait = self._wait_needed(sent, self.monotonic())
            sent.append(self.monotonic())


@dataclass(slots=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    sleep: Sleep = asyncio.sleep
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential back-off with jitter (so replicas do not retry in step), never sooner
        than the connector's Retry-After."""
        backoff = min(self.cap, self.base * (2**attempt))
        jittered = backoff * (0.5 + self.random() / 2)
        return max(jittered, retry_after or 0.0)


class TeamsRefusal(Exception):
    """The connector refused; `fix` says, in plain words, what a lead can do about it."""

    def __init__(
        self, operation: str, status: int, code: str, fix: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{operation}: HTTP {status} {code}")
        self.operation = operation
        self.status = status
        self.code = code
        self.fix = fix
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Whether trying again later could help (the retries here ran out)."""
        return self.status in RETRY_STATUSES

    @property
    def not_in_roster(self) -> bool:
        return self.status == 403 and self.code == ROSTER_ERROR


FIXES: dict[int, str] = {
    403: (
        "The bot is not a member of that team or chat any more, so Teams refused the post: "
        "add allybot to the team again (the team's ⋯ menu → Manage team → Apps), then retry."
    ),
    404: (
        "Teams does not know that conversation: check the channel configured for the "
        "network, and that allybot is installed in its team."
    ),
    401: "Teams refused the bot's credentials: check MicrosoftAppId and MicrosoftAppPassword.",
}
GENERIC_FIX = "Teams refused the message (HTTP {status}); try again later."
NO_REFERENCE_FIX = (
    "allybot has not been added to the team that holds this channel, so it cannot post "
    "there: add the app to the team (the team's ⋯ menu → Manage team → Apps)."
)
# A refused edit means something other than a refused post: a 404 is the post gone, not
# a wrong channel. Only list posts are edited in place (the breakout signup), so the
# words point at the command that always shows the current list.
EDIT_FIXES: dict[int, str] = {
    **FIXES,
    403: (
        "allybot is no longer a member of that team, so Teams refused to update its post: "
        "add allybot to the team again (the team's ⋯ menu → Manage team → Apps); the next "
        "change to the list updates the post again."
    ),
    404: (
        "the post was deleted in Teams, so it can no longer be kept current; "
        "`topics <session>` still shows the current list."
    ),
}


def error_details(error: ErrorResponseException) -> tuple[int, float | None, str]:
    response = error.response
    status = int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)
    headers = getattr(response, "headers", None) or {}
    retry_after: float | None = None
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    if raw:
        try:
            retry_after = max(0.0, float(raw))
        except ValueError:
            retry_after = None
    body = getattr(error, "error", None)
    inner = getattr(body, "error", None)
    code = str(getattr(inner, "code", "") or "")
    return status, retry_after, code


def leave_retries_to_us(turn_context: TurnContext) -> None:
    """Turn off the retries msrest asks of urllib3 on HTTP statuses, for this turn's calls.

    They apply to idempotent methods only, so to an edit (PUT) and not to a send (POST):
    urllib3 then waits out a 429's Retry-After or retries a 5xx itself, in a worker thread,
    outside the pacer and with no cap, and when it gives up raises a ClientRequestError
    that hides the status, so the outbox could no longer tell a lead why. With them off,
    every refusal reaches `with_retry`, as a send's does; retries of a failed connection
    stay as they are.
    """
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    if client is None:
        # Adapters that make no HTTP calls (botbuilder's TestAdapter) keep no client.
        return
    policy = client.config.retry_policy.policy
    policy.status_forcelist = frozenset()
    policy.respect_retry_after_header = False
    policy.raise_on_status = False
