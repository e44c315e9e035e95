"""slack_sdk retry handlers that also count what they see, for `GET /metrics`."""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)

from bot.metrics import PlatformCalls, RetryReason


class CountedRetries(AsyncRetryHandler):
    """Decides and waits exactly as the handler it wraps; counts each retry and each 429.

    The client asks every handler in turn about a failed call, so only the rate-limit
    handler's wrapper counts 429s: each one is counted once, retried or not.
    """

    def __init__(self, inner: AsyncRetryHandler, calls: PlatformCalls) -> None:
        super().__init__(max_retry_count=inner.max_retry_count)
        self._inner = inner
        self._calls = calls
        if isinstance(inner, AsyncRateLimitErrorRetryHandler):
            self._reason = RetryReason.RATE_LIMITED
        elif isinstance(inner, AsyncConnectionErrorRetryHandler):
            self._reason = RetryReason.CONNECTION
        else:
            self._reason = RetryReason.SERVER_ERROR

    async def can_retry_async(self, **kwargs: Any) -> bool:
        response = kwargs.get("response")
        if self._reason is RetryReason.RATE_LIMITED and getattr(response, "status_code", 0) == 429:
            self._calls.rate_limited()
        return await self._inner.can_retry_async(**kwargs)

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        self._calls.retried(self._reason)
        await self._inner.prepare_for_next_attempt_async(**kwargs)


def counted(handlers: list[Any], calls: PlatformCalls | None) -> list[Any]:
    return handlers if calls is None else [CountedRetries(h, calls) for h in handlers]
