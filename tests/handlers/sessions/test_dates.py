"""Reading the dates, times and lengths leads type when they create a session."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from handlers.sessions.dates import parse_duration, parse_end, parse_future, parse_when

LONDON = ZoneInfo("Europe/London")
# Saturday 21 November 2026, 10:00 GMT.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13 Dec 2026 15:45", local(2026, 12, 13, 15, 45)),
        ("13 December 2026 at 3:45pm", local(2026, 12, 13, 15, 45)),
        ("2026-12-13 15:45", local(2026, 12, 13, 15, 45)),
        ("2026-12-13T15:45", local(2026, 12, 13, 15, 45)),
        ("13/12/2026 15.45", local(2026, 12, 13, 15, 45)),
        ("Sun 13 Dec 2026, 15:45", local(2026, 12, 13, 15, 45)),
        ("Dec 13th 2026 3 pm", local(2026, 12, 13, 15, 0)),
        ("next Tuesday 3pm", local(2026, 11, 24, 15, 0)),
        ("tuesday at 3pm", local(2026, 11, 24, 15, 0)),
        ("next Saturday 10:00", local(2026, 11, 28, 10, 0)),
        ("tomorrow 10:00", local(2026, 11, 22, 10, 0)),
        ("today 18:30", local(2026, 11, 21, 18, 30)),
        ("Friday at noon", local(2026, 11, 27, 12, 0)),
        ("13 Dec 15:45", local(2026, 12, 13, 15, 45)),
        # A day and month already gone this year means next year.
        ("5 Jan 9am", local(2027, 1, 5, 9, 0)),
        ("12am 1 Jan 2027", local(2027, 1, 1, 0, 0)),
    ],
)
def test_understands_dates_as_people_write_them(typed: str, expected: datetime) -> None:
    assert parse_when(typed, NOW, LONDON) == expected


def test_summer_dates_are_in_british_summer_time() -> None:
    moment = parse_when("1 Jul 2027 09:00", NOW, LONDON)
    assert moment.astimezone(UTC) == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("13 Dec 2026", "What time"),
        ("3pm", "Which day"),
        ("", "When is it"),
        ("the day after the party", "couldn't read that date"),
        ("31 Nov 2026 10:00", "couldn't read that date"),
        ("13 Dec 2026 25:00", "couldn't read that date"),
        ("Monday 13 Dec 2026 15:45", "is a Sunday"),
        ("28 Mar 2027 01:30", "clocks go forward"),
    ],
)
def test_unreadable_or_impossible_dates_get_a_clear_reply(typed: str, says: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_when(typed, NOW, LONDON)
    assert says in refused.value.message
    assert refused.value.field == "when"


def test_a_date_in_the_past_is_refused() -> None:
    with pytest.raises(UserError) as refused:
        parse_future("1 Nov 2026 10:00", NOW, LONDON)
    assert "already passed" in refused.value.message
    with pytest.raises(UserError):
        parse_future("today 09:00", NOW, LONDON)
    assert parse_future("today 11:00", NOW, LONDON) == local(2026, 11, 21, 11, 0)


def test_end_times_on_the_same_day_or_with_a_date() -> None:
    start = local(2026, 12, 13, 15, 45)
    assert parse_end("17:00", start, LONDON) == local(2026, 12, 13, 17, 0)
    assert parse_end("14 Dec 2026 01:00", start, LONDON) == local(2026, 12, 14, 1, 0)
    with pytest.raises(UserError) as refused:
        parse_end("15:00", start, LONDON)
    assert "end is before the start" in refused.value.message


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("75m", 75),
        ("90 minutes", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1.5 hours", 90),
        ("3 hours", 180),
        ("2h", 120),
        ("1 hour and 15 minutes", 75),
        ("1:15", 75),
        ("45", 45),
    ],
)
def test_understands_lengths(typed: str, minutes: int) -> None:
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize("typed", ["forever", "0m", "2 days", "13 hours", "1.51h", "-5"])
def test_absurd_lengths_are_refused(typed: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_duration(typed)
    assert refused.value.field == "duration"
