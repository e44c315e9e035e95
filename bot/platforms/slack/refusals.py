"""What Slack refusing a call becomes: one exception carrying Slack's error code."""

from __future__ import annotations


class SlackRefusal(Exception):
    """Slack answered a call with ok=false; `code` is its error code (`not_in_channel`, ...)."""

    def __init__(self, method: str, code: str, retry_after: float | None = None) -> None:
        super().__init__(f"{method}: {code}")
        self.method = method
        self.code = code
        # Seconds Slack asked us to wait (a 429 the retry handler gave up on).
        self.retry_after = retry_after
