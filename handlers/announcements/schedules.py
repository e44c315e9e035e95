"""When an announcement goes out: the schedule a lead types, and the days it falls on.

`on 1 Dec 2026 09:00` is once; `every monday 09:00` and `every first tuesday 09:00` repeat.
Times are the configured zone's wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.errors import UserError
from bot.wall_clock import parse_clock_time
from handlers.awareness.dates import WEEKDAYS
from handlers.sessions.dates import parse_day
from handlers.text_checks import EXAMPLES
from storage.models import Announcement

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When an announcement goes out, in the configured zone's wall-clock time."""

    repeat: str  # once | weekly | monthly
    at: time
    on: date | None = None
    weekday: int | None = None
    nth: int | None = None

    def describe(self) -> str:
        clock = f"{self.at:%H:%M}"
        if self.repeat == "once" and self.on is not None:
            return f"on {self.on.day} {self.on:%B %Y} at {clock}"
        day = WEEKDAYS[self.weekday or 0].title()
        if self.repeat == "weekly":
            return f"every {day} at {clock}"
        ordinal = next(word for word, n in ORDINALS.items() if n == self.nth)
        return f"on the {ordinal} {day} of each month at {clock}"

    def days_between(self, first: date, last: date) -> list[date]:
        if self.repeat == "once":
            return [self.on] if self.on is not None and first <= self.on <= last else []
        days = []
        day = first
        while day <= last:
            if day.weekday() == self.weekday and (
                self.repeat == "weekly" or _nth_weekday_of_month(day) in (self.nth,)
            ):
                days.append(day)
            day += timedelta(days=1)
        return days


def _nth_weekday_of_month(day: date) -> int:
    """1 for the first such weekday of its month ... and -1 too when it is the last."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def schedule_of(announcement: Announcement) -> Schedule:
    at = parse_clock_time(announcement.at_time) or time(9)
    on = date.fromisoformat(announcement.on_date) if announcement.on_date else None
    return Schedule(
        announcement.repeat, at, on=on, weekday=announcement.weekday, nth=announcement.nth
    )


def parse_schedule(typed: str, today: date) -> Schedule:
    words = typed.lower().replace(",", " ").split()
    if len(words) < 2 or words[0] not in ("on", "every"):
        raise UserError(f"When should it go out? For example {EXAMPLES}.")
    at = parse_clock_time(words[-1])
    if at is None:
        raise UserError(
            "What time should it go out? Put a time like `09:00` just before the colon, "
            f"for example {EXAMPLES}."
        )
    middle = words[1:-1]
    if words[0] == "every":
        if len(middle) == 1 and middle[0].rstrip("s") in WEEKDAYS:
            return Schedule("weekly", at, weekday=WEEKDAYS.index(middle[0].rstrip("s")))
        if len(middle) == 2 and middle[0] in ORDINALS and middle[1] in WEEKDAYS:
            return Schedule(
                "monthly", at, weekday=WEEKDAYS.index(middle[1]), nth=ORDINALS[middle[0]]
            )
        raise UserError(
            "I can repeat an announcement every week on a day (`every monday 09:00`) or "
            "monthly on a weekday (`every first tuesday 09:00`, `every last friday 16:00`)."
        )
    return Schedule("once", at, on=parse_day(" ".join(middle), today))
