"""Dates, times and durations as people type them, in the bot's timezone.

Understands "13 Dec 2026 15:45", "2026-12-13 15:45", "13/12/2026 3pm", "next Tuesday 3pm",
"tomorrow 10:00" and "Friday at noon". Numeric dates are read the UK way (day first).
Anything it cannot read gets a reply that shows a form it can; it never guesses silently,
and callers echo the result back with `formatting.when` so the person can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.errors import UserError

SHORTEST_MINUTES = 5
LONGEST_MINUTES = 12 * 60
# How far from today a typed date may be. Nothing the bot schedules is planned further ahead,
# and a date in the year 9998 would be stored and then break every calendar file built for it.
HORIZON_YEARS = 3
EARLIEST_YEAR = 2000
EXAMPLES = "“13 Dec 2026 15:45”, “2026-12-13 15:45”, “next Tuesday 3pm” or “tomorrow 10:00”"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_FILLER = {"at", "on", "the", "of", "from", "this", "coming"}
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_NUMERIC_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{2}|[0-9]{4}))?$")
_DAY = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^[0-9]{4}$")
_CLOCK = re.compile(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm)?$")
# "1:30" and "1h30" / "1h 30m".
_HOURS_AND_MINUTES = re.compile(r"([0-9]{1,2})(?::|\s*h\s*)([0-9]{2})\s*m?")
_DURATION_PART = re.compile(
    r"([0-9]{1,6}(?:\.[0-9]{1,6})?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes)\b"
)


@dataclass(frozen=True, slots=True)
class _Parts:
    day: date | None
    clock: time | None


def parse_when(text: str, now: datetime, zone: tzinfo, *, field: str = "when") -> datetime:
    """The moment `text` names, timezone-aware in `zone`. Raises UserError if unreadable.

    Does not refuse the past: `parse_future` does, so that edits of past sessions stay possible.
    """
    parts = _read(text, now.astimezone(zone).date(), field)
    if parts.day is None:
        raise UserError(
            f"Which day? Please give a date as well as the time, like {EXAMPLES}.", field=field
        )
    if parts.clock is None:
        raise UserError(
            f"What time on that day? Add it like “15:45” or “3pm”, for example {EXAMPLES}.",
            field=field,
        )
    return _localise(datetime.combine(parts.day, parts.clock), zone, field)


def parse_future(text: str, now: datetime, zone: tzinfo, *, field: str = "when") -> datetime:
    """Like `parse_when`, but a moment that has already passed is refused."""
    moment = parse_when(text, now, zone, field=field)
    if moment <= now:
        local = moment.astimezone(zone)
        raise UserError(
            f"{local:%a} {local.day} {local:%b %Y, %H:%M} has already passed. "
            "Please give a date and time in the future.",
            field=field,
        )
    return moment


def parse_day(text: str, today: date, *, field: str = "when") -> date:
    """A day on its own ("1 Dec 2026", "2026-12-01", "next Tuesday"), for schedules."""
    tokens = _tokens(text)
    if not tokens:
        raise UserError(f"Which day? For example {EXAMPLES}.", field=field)
    return _day(tokens, today, field)


def parse_end(text: str, start: datetime, zone: tzinfo, *, field: str = "ends") -> datetime:
    """An end time: a time on the start's day ("17:00") or a full date and time."""
    parts = _read(text, start.astimezone(zone).date(), field)
    if parts.clock is None:
        raise UserError("What time does it end? For example “ends: 17:00”.", field=field)
    day = parts.day or start.astimezone(zone).date()
    end = _localise(datetime.combine(day, parts.clock), zone, field)
    if end <= start:
        raise UserError(
            "The end is before the start. Please check the times, or give a length instead, "
            "like “duration: 90m”.",
            field=field,
        )
    return end


def how_long(minutes: int) -> str:
    """A duration as people say it: "45 minutes", "1 hour", "3 hours", "1 hour 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour" + ("s" if hours != 1 else "")] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def parse_duration(text: str, *, field: str = "duration") -> int:
    """Minutes in "75m", "90 minutes", "1h30", "1.5 hours", "2h" or a bare "90"."""
    cleaned = text.strip().lower()
    minutes: float | None = None
    if re.fullmatch(r"[0-9]{1,9}", cleaned):
        minutes = int(cleaned)
    elif found := _HOURS_AND_MINUTES.fullmatch(cleaned):
        minutes = int(found.group(1)) * 60 + int(found.group(2))
    else:
        total = 0.0
        rest = _DURATION_PART.sub(" ", cleaned).replace("and", " ").strip()
        matches = _DURATION_PART.findall(cleaned)
        if matches and not rest:
            for amount, unit in matches:
                total += float(amount) * (60 if unit.startswith("h") else 1)
            minutes = total
    if minutes is None:
        raise UserError(
            "I couldn't read that length. Try “75m”, “90 minutes”, “1h30” or “3 hours”.",
            field=field,
        )
    if minutes != int(minutes):
        raise UserError("Please give the length in whole minutes, like “1h30”.", field=field)
    if not SHORTEST_MINUTES <= minutes <= LONGEST_MINUTES:
        raise UserError(
            f"A session can last from {SHORTEST_MINUTES} minutes to {LONGEST_MINUTES // 60} "
            "hours. Please check the length.",
            field=field,
        )
    return int(minutes)


def _localise(naive: datetime, zone: tzinfo, field: str) -> datetime:
    local = naive.replace(tzinfo=zone)
    # A wall-clock time skipped when the clocks go forward does not survive a round trip.
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise UserError(
            f"{naive:%H:%M} doesn't exist on {naive:%a} {naive.day} {naive:%b %Y} because the "
            "clocks go forward then. Please choose another time.",
            field=field,
        )
    return local


def _tokens(text: str) -> list[str]:
    cleaned = text.lower().replace(",", " ")
    # "2026-12-13T15:45" and "3 pm" become separate, comparable tokens.
    cleaned = re.sub(r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t([0-9])", r"\1 \2", cleaned)
    cleaned = re.sub(r"([0-9])\s+(am|pm)\b", r"\1\2", cleaned)
    return [token for token in cleaned.split() if token not in _FILLER]


def _read(text: str, today: date, field: str) -> _Parts:
    tokens = _tokens(text)
    if not tokens:
        raise UserError(f"When is it? For example {EXAMPLES}.", field=field)
    clock: time | None = None
    rest: list[str] = []
    for token in tokens:
        found = _clock(token)
        if found is not None and clock is None and not _DAY.match(token):
            clock = found
        else:
            rest.append(token)
    # A bare number such as "15" is a day, unless no clock was found and it looks like an hour.
    day = _day(rest, today, field) if rest else None
    return _Parts(day, clock)


def _clock(token: str) -> time | None:
    if token in ("noon", "midday"):
        return time(12, 0)
    if token == "midnight":
        return time(0, 0)
    found = _CLOCK.match(token)
    if found is None:
        return None
    hour, minute, meridiem = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if found.group(2) is None and meridiem is None:
        return None
    if minute > 59:
        return None
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23:
        return None
    return time(hour, minute)


def _day(tokens: list[str], today: date, field: str) -> date:
    unreadable = UserError(
        f"I couldn't read that date. Try {EXAMPLES}.",
        field=field,
    )
    if tokens == ["today"]:
        return today
    if tokens == ["tomorrow"]:
        return today + timedelta(days=1)
    words = [token for token in tokens if token != "next"]
    if len(words) == 1 and words[0] in _WEEKDAYS:
        ahead = (_WEEKDAYS[words[0]] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    # A weekday beside a full date ("Sun 13 Dec 2026") is a check, not a second date.
    weekday = next((_WEEKDAYS[word] for word in words if word in _WEEKDAYS), None)
    words = [word for word in words if word not in _WEEKDAYS]
    found = _calendar_date(words, today)
    if found is None:
        raise unreadable
    _check_horizon(found, today, field)
    if weekday is not None and found.weekday() != weekday:
        raise UserError(
            f"{found.day} {found:%b %Y} is a {found:%A}, not the day of the week you gave. "
            "Please check the date.",
            field=field,
        )
    return found


def _check_horizon(day: date, today: date, field: str) -> None:
    if (day - today).days > HORIZON_YEARS * 366:
        raise UserError(
            f"{day.day} {day:%b} {day.year} is more than {HORIZON_YEARS} years ahead. "
            "Please check the year: I plan up to three years ahead.",
            field=field,
        )
    # Recent past dates are for the callers to judge (edits of past sessions stay possible);
    # ancient ones are typos, and near year 1 a time zone east of UTC cannot even be converted.
    if day.year < EARLIEST_YEAR:
        raise UserError(
            f"{day.day} {day:%b} {day.year} has already passed. Please check the year.",
            field=field,
        )


def _calendar_date(words: list[str], today: date) -> date | None:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    if len(words) == 1 and (iso := _ISO_DATE.match(words[0])):
        year, month, day = (int(group) for group in iso.groups())
    elif len(words) == 1 and (numeric := _NUMERIC_DATE.match(words[0])):
        day, month = int(numeric.group(1)), int(numeric.group(2))
        if numeric.group(3):
            year = int(numeric.group(3))
            year += 2000 if year < 100 else 0
    else:
        for word in words:
            if word in _MONTHS and month is None:
                month = _MONTHS[word]
            elif _YEAR.match(word) and year is None:
                year = int(word)
            elif (found := _DAY.match(word)) and day is None:
                day = int(found.group(1))
            else:
                return None
    if month is None or day is None:
        return None
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate < today:
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None
