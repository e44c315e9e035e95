"""`GET /calendar/<network>/<token>.ics`: a network's public sessions, for calendars to poll.

Public means anyone may join: not cancelled, not invitation-only. The window is the 30 days
behind and the 365 ahead, so a subscribed calendar keeps recent sessions and sees the
year's plans. A cancelled session is left out, and Outlook and Google then drop it on their
next fetch: both handle a vanished event more reliably in a subscription than a
STATUS:CANCELLED one, which Google keeps showing.

The feed names nobody: no attendees, no organiser, no facilitators, no counts. Its
`/neutral.ics` twin calls every session "Staff network session", for people who share
their calendar with colleagues. A wrong token and an unknown network get the same 404.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.registry import WebRequest, WebResponse, WebRoute
from handlers.sessions.calendar_files import NEUTRAL_TITLE, CalendarEvent, feed_calendar
from storage.database import Database
from storage.models import Network, NetworkSession
from storage.repositories import CalendarFeedRepository, NetworkRepository

FEED_PATH = "/calendar/{network}/{token}.ics"
NEUTRAL_FEED_PATH = "/calendar/{network}/{token}/neutral.ics"
SHOWN_BEHIND = timedelta(days=30)
SHOWN_AHEAD = timedelta(days=365)
# How often subscribed calendars are asked to fetch the feed again.
REFRESH = timedelta(hours=1)
NOT_FOUND = WebResponse(status=404, body=b"Not found\n")


def feed_path(network_slug: str, token: str, *, neutral: bool) -> str:
    template = NEUTRAL_FEED_PATH if neutral else FEED_PATH
    return template.format(network=network_slug, token=token)


def feed_uid(session_id: int) -> str:
    """Stable for one session in every network feed; unlike a person's own file, it names
    no registration."""
    return f"allybot-feed-session-{session_id}@allybot"


def fingerprint(item: NetworkSession) -> str:
    """A digest of what the feed shows of a session: when it differs, SEQUENCE goes up."""
    shown = "\x1f".join(
        (
            item.title,
            item.starts_at.isoformat(),
            str(item.duration_minutes),
            item.location,
            item.description,
        )
    )
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()


def feed_event(item: NetworkSession, sequence: int, modified: datetime) -> CalendarEvent:
    how = f"To take a place, send allybot: register {item.id}"
    return CalendarEvent(
        uid=feed_uid(item.id),
        sequence=sequence,
        title=item.title,
        starts_at=item.starts_at,
        duration_minutes=item.duration_minutes,
        location=item.location,
        description=f"{item.description}\n\n{how}" if item.description else how,
        modified=modified,
    )


@dataclass(frozen=True, slots=True)
class CalendarFeedRoutes:
    database: Database
    settings: Settings
    clock: Clock

    def routes(self) -> list[WebRoute]:
        return [
            WebRoute("GET", FEED_PATH, self.feed),
            WebRoute("GET", NEUTRAL_FEED_PATH, self.neutral_feed),
        ]

    async def feed(self, request: WebRequest) -> WebResponse:
        return await self._answer(request, neutral=False)

    async def neutral_feed(self, request: WebRequest) -> WebResponse:
        return await self._answer(request, neutral=True)

    async def _answer(self, request: WebRequest, *, neutral: bool) -> WebResponse:
        now = self.clock.now()
        # Calendars poll every feed again and again: read without SQLite's write lock, and
        # write only for sessions whose fingerprint changed since the feed last showed them.
        async with self.database.reading() as session:
            network = await NetworkRepository(session).by_slug(request.path.get("network", ""))
            if network is not None and network.archived_at is not None:
                network = None
            feeds = CalendarFeedRepository(session)
            given = request.path.get("token", "")
            if not await feeds.token_matches(network.id if network else None, given):
                return NOT_FOUND
            assert network is not None
            sessions = await feeds.public_sessions(
                network.id, now - SHOWN_BEHIND, now + SHOWN_AHEAD
            )
            fingerprints = {item.id: fingerprint(item) for item in sessions}
            shown = await feeds.last_shown(list(fingerprints))
        sequences = {item_id: (seq, changed) for item_id, (_, seq, changed) in shown.items()}
        changed = {
            item_id: digest
            for item_id, digest in fingerprints.items()
            if shown.get(item_id, ("",))[0] != digest
        }
        if changed:
            async with self.database.transaction() as session:
                sequences |= await CalendarFeedRepository(session).sequences(changed, now)
        events = [feed_event(item, *sequences[item.id]) for item in sessions]
        body = feed_calendar(
            _calendar_name(network, neutral=neutral),
            events,
            self.settings.timezone,
            now,
            neutral=neutral,
            refresh=REFRESH,
        ).encode("utf-8")
        tag = entity_tag(body)
        headers = {
            # The URL is the secret: keep it out of shared caches, referrers and indexes.
            "Cache-Control": "private, max-age=300",
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex",
            "ETag": tag,
        }
        if tag in _tags(request.headers.get("if-none-match", "")):
            return WebResponse(status=304, content_type="text/calendar", headers=headers)
        return WebResponse(body=body, content_type="text/calendar", headers=headers)


def entity_tag(body: bytes) -> str:
    """The feed's ETag: a digest of what it says, leaving out DTSTAMP, which is the time of
    each fetch and would make every fetch differ."""
    kept = b"\n".join(line for line in body.splitlines() if not line.startswith(b"DTSTAMP"))
    return '"' + hashlib.sha256(kept).hexdigest()[:32] + '"'


def _tags(if_none_match: str) -> set[str]:
    # A weak tag (W/"…") matches too: If-None-Match compares weakly.
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",") if tag.strip()}


def _calendar_name(network: Network, *, neutral: bool) -> str:
    return f"{NEUTRAL_TITLE}s" if neutral else f"{network.name} sessions"
