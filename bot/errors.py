"""The two kinds of error a person or an operator is meant to read."""

from __future__ import annotations


class UserError(Exception):
    """Something the person can fix: the message is shown to them as it is.

    Raise it from a handler with a short, kind, specific sentence (and a suggestion
    where one helps). The router's error funnel turns it into a private reply and
    rolls back the handler's transaction, so nothing half-done is kept.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field this refers to, so a form can show the message next to it.
        self.field = field


class ConfigError(Exception):
    """The configuration cannot be used: one line naming the key, the file and what is expected."""

    def __init__(self, key: str, source: str, expected: str) -> None:
        self.key = key
        self.source = source
        self.expected = expected
        super().__init__(f"{source}: `{key}` {expected}")
