"""The calendar files people get with a registration, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from handlers.sessions.calendar_files import (
    NEUTRAL_TITLE,
    CalendarEvent,
    cancellation_file,
    event_uid,
    invite_file,
)

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
EVENT = CalendarEvent(
    uid=event_uid(12, 40),
    sequence=0,
    title="Creating LGBT+ inclusive spaces",
    starts_at=datetime(2026, 12, 13, 15, 45, tzinfo=UTC),
    duration_minutes=75,
    location="https://teams.example/meet/123",
    description="How to make workplaces LGBT+ inclusive.",
)


def read(content: str) -> Calendar:
    return Calendar.from_ical(content)


def test_invite_has_the_time_in_london_with_its_timezone_link_and_reminder() -> None:
    attachment = invite_file(EVENT, LONDON, STAMP)
    assert attachment.content_type.startswith("text/calendar")
    assert attachment.filename == "session-12.ics"
    calendar = read(attachment.content)
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 13, 15, 45, tzinfo=LONDON)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("dtend") - start == timedelta(minutes=75)
    assert str(event["summary"]) == "Creating LGBT+ inclusive spaces"
    assert str(event["location"]) == "https://teams.example/meet/123"
    assert str(event["url"]) == "https://teams.example/meet/123"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(minutes=30)


def test_invite_lists_nobody_else() -> None:
    content = invite_file(EVENT, LONDON, STAMP).content
    for property_name in ("ATTENDEE", "ORGANIZER"):
        assert property_name not in content


def test_neutral_title_hides_what_the_session_is_about() -> None:
    content = invite_file(EVENT, LONDON, STAMP, neutral=True).content
    [event] = read(content).walk("VEVENT")
    assert str(event["summary"]) == NEUTRAL_TITLE
    assert "LGBT" not in content
    assert str(event["location"]) == "https://teams.example/meet/123"


def test_a_summer_session_carries_british_summer_time() -> None:
    summer = CalendarEvent(
        uid="x@allybot",
        sequence=0,
        title="Pride picnic",
        starts_at=datetime(2027, 6, 26, 11, 0, tzinfo=UTC),
        duration_minutes=60,
    )
    [event] = read(invite_file(summer, LONDON, STAMP).content).walk("VEVENT")
    assert event.decoded("dtstart").hour == 12


def test_cancellation_replaces_the_same_event_with_a_higher_sequence() -> None:
    first = read(invite_file(EVENT, LONDON, STAMP).content)
    cancelled_event = CalendarEvent(
        uid=EVENT.uid,
        sequence=1,
        title=EVENT.title,
        starts_at=EVENT.starts_at,
        duration_minutes=EVENT.duration_minutes,
        location=EVENT.location,
    )
    cancel = read(cancellation_file(cancelled_event, LONDON, STAMP).content)
    assert str(cancel["method"]) == "CANCEL"
    [original] = first.walk("VEVENT")
    [event] = cancel.walk("VEVENT")
    assert event["uid"] == original["uid"]
    assert event.decoded("sequence") > original.decoded("sequence")
    assert str(event["status"]) == "CANCELLED"
    assert event.walk("VALARM") == []
