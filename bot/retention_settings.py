"""How long the bot keeps what it holds about people: the `[retention]` settings.

Kept apart from `bot.config` so that the periods, their bounds and their checks read in
one place; `bot.config` only calls `read_retention`. Every period is in days.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol

from bot.errors import ConfigError


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    # Records of platform deliveries already acted on: longer than any platform redelivers
    # (Slack retries within minutes; Teams and Socket Mode within hours).
    deliveries_days: int = 7
    # A join waiting for the person to agree: after this they have to `join` again.
    pending_joins_days: int = 7
    # Scheduled posts already sent (or given up on) lose their content: reminders naming
    # a session, breakout room lists.
    outbox_content_days: int = 30
    # ...and are deleted altogether, which also drops whom a private post was for.
    outbox_rows_days: int = 90
    # Anonymous questions that were answered or expired: their text and answer.
    questions_days: int = 180
    # Feedback keeps its 1-5 rating; its comment (and a signature, if given) goes.
    feedback_comments_days: int = 180
    # Sessions, with their registrations, attendance, invitations, feedback and rooms,
    # counted from when they started. Reports and trained counts cover this period.
    sessions_days: int = 730
    # The audit log (ids and action names) and records of withdrawn consent.
    audit_days: int = 365
    # People about whom nothing else is kept (no membership, booking, question, ...) and
    # who have not used the bot for this long: their name and first/last-seen times.
    idle_people_days: int = 365


# (lowest, highest) for each key; the lowest keeps each job's promises to other parts.
BOUNDS: dict[str, tuple[int, int]] = {
    "deliveries_days": (1, 365),
    "pending_joins_days": (1, 365),
    "outbox_content_days": (1, 3650),
    "outbox_rows_days": (2, 3650),
    "questions_days": (1, 3650),
    "feedback_comments_days": (1, 3650),
    "sessions_days": (30, 3650),
    "audit_days": (1, 3650),
    "idle_people_days": (30, 3650),
}


class IntegerTable(Protocol):
    """The part of the config reader's table this module needs."""

    def integer(self, name: str, default: int, low: int, high: int) -> int: ...

    def fail(self, name: str, expected: str) -> ConfigError: ...


def read_retention(table: IntegerTable, grace_hours: float) -> RetentionSettings:
    """Read `[retention]`; `grace_hours` is how far back the scheduler still plans posts."""
    defaults = RetentionSettings()
    values = {
        item.name: table.integer(item.name, getattr(defaults, item.name), *BOUNDS[item.name])
        for item in fields(RetentionSettings)
    }
    settings = RetentionSettings(**values)
    if settings.outbox_rows_days < settings.outbox_content_days:
        raise table.fail(
            "outbox_rows_days",
            f"must be at least outbox_content_days ({settings.outbox_content_days}): "
            "a post is blanked first and deleted later",
        )
    # A planner writes posts due from now less the grace period: a finished post deleted
    # inside that window would be planned again, as unsent, and go out twice.
    if settings.outbox_rows_days * 24 <= grace_hours + 24:
        raise table.fail(
            "outbox_rows_days",
            f"must be more than a day longer than scheduler.grace_hours ({grace_hours:g} h), "
            "or a deleted post could be planned and sent again",
        )
    return settings
