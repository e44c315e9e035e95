"""Calendar files (.ics) for a person's own place at a session.

Each file holds one event for one person: the session's time in the bot's zone (with
its VTIMEZONE), where it happens, and a reminder. It never lists other attendees or an
organiser, because a shared invitation could reveal who else goes to, say, a Pride
network event. With `neutral` the title and description say only "Staff network
session", for people who share their calendar with colleagues.

The same UID is used for everything sent about one registration, with a SEQUENCE that
goes up each time, so a calendar replaces the event on a change and removes it on a
cancellation (METHOD:CANCEL).

`calendar_invite` and `calendar_cancellation` build the file for one registration; each one
sent replaces the one before. A network's subscribable feed (`handlers.calendar_feed`) builds
its events with the same `event_component` and `feed_calendar`, so both say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vDuration

from bot.messages import Attachment
from bot.router import HandlerContext
from storage.models import NetworkSession, SessionRegistration

NEUTRAL_TITLE = "Staff network session"
PRODUCT_ID = "-//allybot//sessions//EN"
REMINDER_BEFORE = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    sequence: int
    title: str
    starts_at: datetime
    duration_minutes: int
    location: str = ""
    description: str = ""
    # When the event last changed (LAST-MODIFIED), for feeds that calendars poll.
    modified: datetime | None = None


def event_uid(session_id: int, registration_id: int) -> str:
    """Stable for one person's place at one session, and says nothing about them."""
    return f"allybot-session-{session_id}-{registration_id}@allybot"


def invite_file(
    event: CalendarEvent, zone: tzinfo, stamp: datetime, *, neutral: bool = False
) -> Attachment:
    return _file("PUBLISH", event, zone, stamp, neutral=neutral)


def cancellation_file(
    event: CalendarEvent, zone: tzinfo, stamp: datetime, *, neutral: bool = False
) -> Attachment:
    return _file("CANCEL", event, zone, stamp, neutral=neutral)


def _file(
    method: str, event: CalendarEvent, zone: tzinfo, stamp: datetime, *, neutral: bool
) -> Attachment:
    calendar = _calendar(method)
    calendar.add_component(
        event_component(event, zone, stamp, neutral=neutral, cancelled=method == "CANCEL")
    )
    _add_timezone(calendar, zone, event.starts_at)
    return Attachment(
        filename=_filename(event),
        content_type=f"text/calendar; charset=utf-8; method={method}",
        content=calendar.to_ical().decode("utf-8"),
    )


def _filename(event: CalendarEvent) -> str:
    # The UID's first part is "allybot-session-<id>-<registration>": keep only the session.
    session_part = event.uid.split("@", 1)[0].rsplit("-", 1)[0]
    return f"{session_part.removeprefix('allybot-')}.ics"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    return calendar


def feed_calendar(
    name: str,
    events: Sequence[CalendarEvent],
    zone: tzinfo,
    stamp: datetime,
    *,
    neutral: bool,
    refresh: timedelta,
) -> str:
    """A whole calendar to subscribe to: these events, no reminders (a subscriber has not
    said they are going), and how often to fetch it again."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    # Outlook and Apple read REFRESH-INTERVAL, older Outlook X-PUBLISHED-TTL; Google
    # keeps its own pace whatever is asked.
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    years = sorted({event.starts_at.year for event in events})
    for event in events:
        calendar.add_component(event_component(event, zone, stamp, neutral=neutral, alarm=False))
    if years and isinstance(zone, ZoneInfo) and zone.key != "UTC":
        calendar.add_component(_timezone_span(zone.key, years[0], years[-1]))
    return calendar.to_ical().decode("utf-8")


def event_component(
    event: CalendarEvent,
    zone: tzinfo,
    stamp: datetime,
    *,
    neutral: bool,
    cancelled: bool = False,
    alarm: bool = True,
) -> Event:
    """One VEVENT: never attendees or an organiser; with `neutral`, no title or description
    that says what the session is about."""
    start = event.starts_at.astimezone(zone)
    item = Event()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", stamp)
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=event.duration_minutes))
    item.add("summary", NEUTRAL_TITLE if neutral else event.title)
    if event.location:
        item.add("location", event.location)
        if event.location.startswith(("https://", "http://")):
            item.add("url", event.location)
    if event.description and not neutral:
        item.add("description", event.description)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if event.modified is not None:
        item.add("last-modified", event.modified)
    if alarm and not cancelled:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", NEUTRAL_TITLE if neutral else event.title)
        reminder.add("trigger", -REMINDER_BEFORE)
        item.add_component(reminder)
    return item


def _add_timezone(calendar: Calendar, zone: tzinfo, starts_at: datetime) -> None:
    if isinstance(zone, ZoneInfo) and zone.key != "UTC":
        calendar.add_component(_timezone(zone.key, starts_at.year))


def _timezone(key: str, year: int) -> Timezone:
    return _timezone_span(key, year, year)


@lru_cache(maxsize=32)
def _timezone_span(key: str, first_year: int, last_year: int) -> Timezone:
    # Building a VTIMEZONE walks the zone's transitions, so it is made once per zone and years
    # and only covers the years around the events. It is only ever read after this.
    return Timezone.from_tzinfo(
        ZoneInfo(key),
        tzid=key,
        first_date=date(first_year - 1, 1, 1),
        last_date=date(last_year + 1, 12, 31),
    )


def calendar_event(item: NetworkSession, registration: SessionRegistration) -> CalendarEvent:
    return CalendarEvent(
        uid=event_uid(item.id, registration.id),
        sequence=registration.calendar_sequence,
        title=item.title,
        starts_at=item.starts_at,
        duration_minutes=item.duration_minutes,
        location=item.location,
        description=item.description,
    )


def calendar_invite(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> Attachment:
    """A calendar file for this registration; each one sent replaces the one before."""
    return _calendar_file(context, item, registration, cancelled=False)


def calendar_cancellation(
    context: HandlerContext, item: NetworkSession, registration: SessionRegistration
) -> Attachment:
    return _calendar_file(context, item, registration, cancelled=True)


def _calendar_file(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    *,
    cancelled: bool,
) -> Attachment:
    registration.calendar_sequence += 1
    build = cancellation_file if cancelled else invite_file
    return build(
        calendar_event(item, registration),
        context.services.settings.timezone,
        context.now,
        neutral=registration.neutral_title,
    )
