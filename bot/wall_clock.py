"""Wall-clock time: when clocks in a zone show a time, and clock times people type.

Post times are wall-clock times in the configured zone, worked out here rather than by a
cron trigger: APScheduler 3's CronTrigger fires twice at 01:30 on the night the clocks go
back, and at 02:30 rather than 02:00 on the night they go forward.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.numbers import is_number


def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (in UTC) when clocks in `zone` show `at` on `day`, exactly once.

    A time that does not exist that day (in the hour the clocks go forward) becomes the
    first time after it that does; a time that happens twice (the hour they go back)
    is the first of the two.
    """
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two
    if _exists(local):
        return local.astimezone(UTC)
    start = datetime.combine(day, at.replace(second=0, microsecond=0))
    for minutes in range(1, 24 * 60):
        candidate = (start + timedelta(minutes=minutes)).replace(tzinfo=zone)
        if _exists(candidate):
            return candidate.astimezone(UTC)
    raise ValueError(f"no valid local time on {day} at or after {at}")


def _exists(local: datetime) -> bool:
    # A local time in a gap does not survive a round trip through UTC.
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None, fold=0) == local.replace(tzinfo=None, fold=0)


def parse_clock_time(text: str) -> time | None:
    """`09:00`, `9:30`, `9am`, `5.30pm` -> a time; None when it is not one."""
    cleaned = text.strip().lower().replace(".", ":")
    suffix = ""
    for ending in ("am", "pm"):
        if cleaned.endswith(ending):
            suffix, cleaned = ending, cleaned[: -len(ending)].strip()
    hours_text, _, minutes_text = cleaned.partition(":")
    if not is_number(hours_text) or (minutes_text and not is_number(minutes_text)):
        return None
    if len(hours_text) > 2 or len(minutes_text) > 2:
        return None
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if suffix:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59 and len(minutes_text) in (0, 2)):
        return None
    return time(hours, minutes)


def when(moment: datetime, zone: tzinfo) -> str:
    """`Sun 13 Dec 2026, 15:45 GMT`: unambiguous, with the zone's abbreviation."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M %Z}"
