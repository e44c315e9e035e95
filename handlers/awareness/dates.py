"""Awareness dates as rules, and their next occurrences. Pure: no I/O beyond parsing.

The calendar ships rules (`bot/content/calendar.toml`), never single dates, so the
bot can say when Trans Awareness Week is next without anyone typing the year in.
The scheduler reuses `next_occurrence` to plan awareness posts.

Some dates are set each year by their organisers (`dates = "announced"`): their rule is only
an estimate. Until a lead or an admin confirms a year's dates (`Confirmed`), that year's
occurrence is unconfirmed and is described roughly ("mid-November to mid-December 2026"),
never as exact days that may be wrong.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class FixedDay:
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class NthWeekday:
    """The `nth` `weekday` of `month`; nth = -1 is the last one."""

    month: int
    weekday: int
    nth: int


@dataclass(frozen=True, slots=True)
class EndOnDay:
    """Ends on a fixed day; when that is before the start's month, it is in the next year."""

    month: int
    day: int | None  # None: the last day of the month


@dataclass(frozen=True, slots=True)
class EndAfterDays:
    """Lasts this many days, counting the start day."""

    days: int


Start = FixedDay | NthWeekday
End = EndOnDay | EndAfterDays | None


class DateSource(StrEnum):
    """Where a date's days come from: its rule alone, or its organisers each year."""

    RULE = "rule"
    ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class AwarenessDate:
    id: str
    name: str
    short: str
    networks: tuple[str, ...]
    start: Start
    end: End
    description: str
    dates: DateSource = DateSource.RULE

    @property
    def announced(self) -> bool:
        return self.dates is DateSource.ANNOUNCED


# Dates confirmed for a year: (date id, year it starts in) -> (first day, last day).
Confirmed = Mapping[tuple[str, int], tuple[date, date]]
NONE_CONFIRMED: Confirmed = {}


@dataclass(frozen=True, slots=True)
class Occurrence:
    rule: AwarenessDate
    first: date
    last: date
    # False for an announced date whose organisers' dates nobody has confirmed yet: then
    # `first` and `last` are only the rule's estimate.
    confirmed: bool = True

    @property
    def single_day(self) -> bool:
        return self.first == self.last

    def describe(self) -> str:
        """`13–19 November 2027`, `20 November 2026`, `16 November – 16 December 2026`; an
        unconfirmed one roughly: `mid-November to mid-December 2026`."""
        if not self.confirmed:
            return rough_range(self.first, self.last)
        return date_range(self.first, self.last)

    def sentence(self, today: date) -> str:
        """When it is, as a sentence: `Trans Awareness Week is next on 13–19 November 2027.`"""
        name = self.rule.name
        when = self.describe()
        if not self.confirmed:
            return (
                f"{name} usually falls in {when}. Its organisers announce the dates each "
                f"year, and the {self.first.year} dates are to be confirmed."
            )
        if self.first <= today <= self.last:
            if self.single_day:
                return f"{name} is today, {when}."
            return f"{name} is on now: {when}."
        return f"{name} is next on {when}."


def _rough(day: date) -> str:
    if day.day <= 10:
        return f"early {day:%B}"
    if day.day <= 20:
        return f"mid-{day:%B}"
    return f"late {day:%B}"


def rough_range(first: date, last: date) -> str:
    """`mid-March 2027`, `mid-November to mid-December 2026`: where the days are not known."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{_rough(first)} {first.year}"
    if first.year == last.year:
        return f"{_rough(first)} to {_rough(last)} {last.year}"
    return f"{_rough(first)} {first.year} to {_rough(last)} {last.year}"


def date_range(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


def start_in(rule: Start, year: int) -> date:
    if isinstance(rule, FixedDay):
        # 29 February in a year without one: the nearest real day before it.
        last_day = _calendar.monthrange(year, rule.month)[1]
        return date(year, rule.month, min(rule.day, last_day))
    if rule.nth > 0:
        first = date(year, rule.month, 1)
        offset = (rule.weekday - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (rule.nth - 1))
    last = date(year, rule.month, _calendar.monthrange(year, rule.month)[1])
    offset = (last.weekday() - rule.weekday) % 7
    return last - timedelta(days=offset + 7 * (-rule.nth - 1))


def occurrence_in(
    rule: AwarenessDate, year: int, confirmed: Confirmed = NONE_CONFIRMED
) -> Occurrence:
    """The occurrence that starts in `year`: for an announced date, its confirmed days when
    there are some, else the rule's estimate, marked unconfirmed."""
    if rule.announced:
        days = confirmed.get((rule.id, year))
        if days is not None:
            return Occurrence(rule=rule, first=days[0], last=days[1])
    first = start_in(rule.start, year)
    end = rule.end
    if end is None:
        last = first
    elif isinstance(end, EndAfterDays):
        last = first + timedelta(days=end.days - 1)
    else:
        end_year = year + 1 if end.month < first.month else year
        last_day = _calendar.monthrange(end_year, end.month)[1]
        last = date(end_year, end.month, last_day if end.day is None else min(end.day, last_day))
    return Occurrence(rule=rule, first=first, last=last, confirmed=not rule.announced)


def next_occurrence(
    rule: AwarenessDate, today: date, confirmed: Confirmed = NONE_CONFIRMED
) -> Occurrence:
    """The occurrence under way today, or else the next one to start."""
    for year in (today.year - 1, today.year, today.year + 1):
        occurrence = occurrence_in(rule, year, confirmed)
        if occurrence.last >= today:
            return occurrence
    return occurrence_in(rule, today.year + 2, confirmed)


def upcoming(
    rules: Iterable[AwarenessDate],
    today: date,
    *,
    days: int = 60,
    at_least: int = 5,
    confirmed: Confirmed = NONE_CONFIRMED,
) -> list[Occurrence]:
    """Occurrences under way or starting within `days`; at least `at_least` when there are fewer."""
    ordered = sorted(
        (next_occurrence(rule, today, confirmed) for rule in rules),
        key=lambda item: (item.first, item.rule.id),
    )
    horizon = today + timedelta(days=days)
    within = [item for item in ordered if item.first <= horizon]
    return within if len(within) >= at_least else ordered[:at_least]


# ---------------------------------------------------------------------------
# Parsing the shipped TOML
# ---------------------------------------------------------------------------


class CalendarFormatError(ValueError):
    pass


def _int(table: Mapping[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CalendarFormatError(f"{where}: `{key}` must be a whole number")
    return value


def _start(table: Mapping[str, Any], where: str) -> Start:
    month = _int(table, "month", where)
    if "weekday" in table:
        weekday = str(table["weekday"]).lower()
        if weekday not in WEEKDAYS:
            raise CalendarFormatError(f"{where}: `weekday` must be a day name such as monday")
        nth = _int(table, "nth", where)
        if nth == 0 or not -5 <= nth <= 5:
            raise CalendarFormatError(f"{where}: `nth` must be 1 to 5, or -1 for the last")
        return NthWeekday(month=month, weekday=WEEKDAYS.index(weekday), nth=nth)
    return FixedDay(month=month, day=_int(table, "day", where))


def _end(table: Mapping[str, Any] | None, where: str) -> End:
    if table is None:
        return None
    if "days" in table:
        days = _int(table, "days", where)
        if days < 1:
            raise CalendarFormatError(f"{where}: `days` must be at least 1")
        return EndAfterDays(days=days)
    month = _int(table, "month", where)
    day = table.get("day")
    if day == "last":
        return EndOnDay(month=month, day=None)
    return EndOnDay(month=month, day=_int(table, "day", where))


def parse_calendar(document: Mapping[str, Any]) -> tuple[AwarenessDate, ...]:
    """Typed rules from a parsed `calendar.toml` (the `[[date]]` tables)."""
    rules: list[AwarenessDate] = []
    raw: Sequence[Mapping[str, Any]] = document.get("date", [])
    for index, item in enumerate(raw):
        where = f"calendar date {item.get('id', index)!s}"
        rules.append(
            AwarenessDate(
                id=str(item["id"]),
                name=str(item["name"]),
                short=str(item.get("short", "")),
                networks=tuple(str(slug) for slug in item.get("networks", ())),
                start=_start(item["start"], where),
                end=_end(item.get("end"), where),
                description=" ".join(str(item.get("description", "")).split()),
                dates=_source(item, where),
            )
        )
    return tuple(rules)


def _source(item: Mapping[str, Any], where: str) -> DateSource:
    value = str(item.get("dates", DateSource.RULE))
    try:
        return DateSource(value)
    except ValueError:
        raise CalendarFormatError(
            f'{where}: `dates` must be "rule" or "announced", got {value!r}'
        ) from None
