"""Awareness-date rules give the right days across years, leap years and month ends."""

from __future__ import annotations

from datetime import date

from bot.content import load
from handlers.awareness.dates import (
    AwarenessDate,
    EndAfterDays,
    EndOnDay,
    FixedDay,
    NthWeekday,
    next_occurrence,
    parse_calendar,
    upcoming,
)

SHIPPED = {rule.id: rule for rule in parse_calendar(load("calendar.toml"))}


def _rule(start, end=None) -> AwarenessDate:  # type: ignore[no-untyped-def]
    return AwarenessDate("x", "X", "", (), start, end, "")


def test_trans_awareness_week_across_years() -> None:
    rule = SHIPPED["trans-awareness-week"]
    assert next_occurrence(rule, date(2026, 11, 21)).describe() == "13–19 November 2027"
    assert next_occurrence(rule, date(2026, 11, 19)).describe() == "13–19 November 2026"
    assert next_occurrence(rule, date(2028, 1, 5)).describe() == "13–19 November 2028"


def test_a_range_across_months_and_one_that_is_under_way() -> None:
    rule = _rule(FixedDay(month=11, day=16), EndOnDay(month=12, day=16))
    occurrence = next_occurrence(rule, date(2026, 12, 1))
    assert occurrence.describe() == "16 November – 16 December 2026"
    assert occurrence.sentence(date(2026, 12, 1)) == "X is on now: 16 November – 16 December 2026."


def test_calendar_sentences_read_naturally() -> None:
    week = SHIPPED["trans-awareness-week"]
    tdor = SHIPPED["transgender-day-of-remembrance"]
    today = date(2026, 11, 21)
    assert next_occurrence(week, today).sentence(today) == (
        "Trans Awareness Week is next on 13–19 November 2027."
    )
    assert next_occurrence(tdor, date(2026, 11, 20)).sentence(date(2026, 11, 20)) == (
        "Transgender Day of Remembrance is today, 20 November 2026."
    )


def test_dates_organisers_announce_are_rough_until_confirmed() -> None:
    rule = SHIPPED["uk-disability-history-month"]
    assert rule.announced
    guess = next_occurrence(rule, date(2026, 12, 1))
    assert not guess.confirmed
    assert guess.describe() == "mid-November to mid-December 2026"
    assert guess.sentence(date(2026, 12, 1)) == (
        "UK Disability History Month usually falls in mid-November to mid-December 2026. "
        "Its organisers announce the dates each year, and the 2026 dates are to be confirmed."
    )
    confirmed = {(rule.id, 2026): (date(2026, 11, 20), date(2026, 12, 20))}
    known = next_occurrence(rule, date(2026, 12, 1), confirmed)
    assert known.confirmed
    assert known.describe() == "20 November – 20 December 2026"
    # Another year is still only the estimate.
    assert not next_occurrence(rule, date(2027, 1, 1), confirmed).confirmed


def test_last_day_of_february_follows_leap_years() -> None:
    rule = SHIPPED["lgbt-history-month"]
    assert next_occurrence(rule, date(2027, 1, 1)).last == date(2027, 2, 28)
    assert next_occurrence(rule, date(2028, 1, 1)).last == date(2028, 2, 29)


def test_nth_weekday_rules() -> None:
    week = _rule(NthWeekday(month=3, weekday=0, nth=3), EndAfterDays(days=7))
    assert next_occurrence(week, date(2027, 1, 1)).describe() == "15–21 March 2027"
    assert next_occurrence(week, date(2028, 1, 1)).describe() == "20–26 March 2028"
    assert next_occurrence(week, date(2029, 1, 1)).describe() == "19–25 March 2029"
    last_friday = _rule(NthWeekday(month=5, weekday=4, nth=-1))
    assert next_occurrence(last_friday, date(2026, 1, 1)).first == date(2026, 5, 29)
    assert next_occurrence(last_friday, date(2027, 1, 1)).first == date(2027, 5, 28)


def test_a_range_that_crosses_new_year_is_found_while_under_way() -> None:
    rule = _rule(FixedDay(month=12, day=20), EndOnDay(month=1, day=5))
    occurrence = next_occurrence(rule, date(2027, 1, 3))
    assert (occurrence.first, occurrence.last) == (date(2026, 12, 20), date(2027, 1, 5))
    assert occurrence.describe() == "20 December 2026 – 5 January 2027"


def test_fixed_29_february_falls_back_in_ordinary_years() -> None:
    rule = _rule(FixedDay(month=2, day=29), EndAfterDays(days=1))
    assert next_occurrence(rule, date(2027, 1, 1)).first == date(2027, 2, 28)
    assert next_occurrence(rule, date(2028, 1, 1)).first == date(2028, 2, 29)


def test_upcoming_lists_the_next_sixty_days_or_at_least_five() -> None:
    coming = upcoming(SHIPPED.values(), date(2026, 9, 20), days=60, at_least=5)
    names = [item.rule.id for item in coming]
    assert names[:2] == ["bi-visibility-day", "international-day-of-sign-languages"]
    assert "trans-awareness-week" in names
    assert "transgender-day-of-remembrance" not in names  # 61 days away
    assert len(upcoming(SHIPPED.values(), date(2026, 12, 5), days=60, at_least=5)) == 5
