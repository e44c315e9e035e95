"""A network's calendar feed, fetched from the real `allybot serve` web app the way Outlook
and Google fetch it: only the sessions anyone may join, nobody's name, stable UIDs whose
SEQUENCE goes up on a change, and a secret address leads can replace."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.app import Application
from bot.config import ServerSettings, Settings
from bot.messages import Visibility
from bot.serve import BotServer
from handlers.sessions.calendar_files import event_uid
from storage.log_fields import FIELDS
from storage.models import NetworkSession, SessionRegistration, User
from tests.conftest import say, say_one
from tests.support.pressing import press_one
from tests.support.sessions import add_session

PUBLIC_URL = "https://allybot.example.org/"
FEED = re.compile(r"https://allybot\.example\.org/(calendar/pride/[A-Za-z0-9_-]+\.ics)")
CONFIG_PATH = "/srv/allybot/private/config.toml"
NEEDS = "step-free access please, Robin Quill"


@pytest.fixture
def settings() -> Settings:
    return Settings(server=ServerSettings(public_url=PUBLIC_URL))


@pytest.fixture
async def served(app: Application) -> AsyncIterator[str]:
    """The address of the real `allybot serve` web app, on a free loopback port."""
    server = BotServer(app, adapters=[])
    port = await server.start("127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await server.web.stop()


async def fetch(base: str, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as client, client.get(base + path) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def events(body: str) -> dict[str, dict[str, str]]:
    """Each VEVENT by its summary: uid, sequence, description."""
    found = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        found[str(event["SUMMARY"])] = {
            "uid": str(event["UID"]),
            "sequence": str(event.get("SEQUENCE")),
            "description": str(event.get("DESCRIPTION", "")),
        }
    return found


async def link_path(app: Application, user: str = "robin", words: str = "pride") -> str:
    reply = await say_one(app, f"calendar link {words}", user=user, shared=True)
    # Asked in a shared channel, the address still goes only to the person who asked.
    assert reply.visibility is Visibility.PRIVATE
    found = FEED.search(reply.text)
    assert found is not None, reply.text
    return found.group(1)


async def sessions_of_every_kind(app: Application) -> dict[str, int]:
    ids = {
        "public": await add_session(app, title="Trans allyship 101"),
        "later": await add_session(app, title="Pride social", starts_in=timedelta(days=40)),
        "recent": await add_session(app, title="Last week's talk", starts_in=timedelta(days=-7)),
        "long ago": await add_session(app, title="Old talk", starts_in=timedelta(days=-60)),
        "invited": await add_session(app, title="Leads' planning", invite_only=True),
        "cancelled": await add_session(app, title="Cancelled quiz"),
        "elsewhere": await add_session(app, network="disability", title="BSL taster"),
    }
    reply = await say_one(app, f"cancel session {ids['cancelled']}", user="alex")
    assert "cancel" in reply.text.lower()
    await say(app, f"register {ids['public']} needs: {NEEDS}", user="robin")
    return ids


async def test_the_feed_holds_exactly_the_public_sessions_and_names_nobody(
    app: Application, served: str
) -> None:
    ids = await sessions_of_every_kind(app)
    async with app.database.transaction() as session:
        registration = await session.scalar(
            select(SessionRegistration).where(SessionRegistration.session_id == ids["public"])
        )
        robin = await session.scalar(select(User).where(User.external_id == "robin"))
    assert registration is not None and robin is not None
    path = await link_path(app)

    status, content_type, body = await fetch(served, path)

    assert status == 200
    assert content_type.startswith("text/calendar")
    shown = events(body)
    # The demo content's two Pride sessions, and ours that anyone may join within the window.
    assert sorted(shown) == [
        "Actionable allyship: 3-hour facilitated training",
        "Creating LGBT+ inclusive spaces",
        "Last week's talk",
        "Pride social",
        "Trans allyship 101",
    ]
    assert f"register {ids['public']}" in shown["Trans allyship 101"]["description"]
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Pride Network sessions"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body
    for forbidden in ("ATTENDEE", "ORGANIZER", "VALARM", "robin", "Robin", NEEDS, robin.key):
        assert forbidden not in body
    # Not even the UID of Robin's own calendar file, which would tie the event to a place.
    assert event_uid(ids["public"], registration.id) not in body


async def test_the_neutral_feed_says_only_staff_network_session(
    app: Application, served: str
) -> None:
    await sessions_of_every_kind(app)
    path = await link_path(app)

    status, _, body = await fetch(served, path.replace(".ics", "/neutral.ics"))

    assert status == 200
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == ["Staff network session"] * 5
    for telling in ("Trans allyship", "Pride social", "Pride Network", "DESCRIPTION"):
        assert telling not in body


async def test_a_change_keeps_the_uid_and_raises_the_sequence_and_a_cancellation_removes_it(
    app: Application, served: str
) -> None:
    item = await add_session(app, title="Allyship at work")
    path = await link_path(app)
    first = events((await fetch(served, path))[2])["Allyship at work"]
    assert len(first["uid"]) > 0
    again = events((await fetch(served, path))[2])["Allyship at work"]
    assert first == again and first["sequence"] == "0"

    async with app.database.transaction() as session:
        row = await session.get(NetworkSession, item)
        assert row is not None
        row.starts_at += timedelta(hours=2)
    moved = events((await fetch(served, path))[2])["Allyship at work"]
    assert moved["uid"] == first["uid"]
    assert moved["sequence"] == "1"

    await say_one(app, f"cancel session {item}", user="alex")
    assert "Allyship at work" not in events((await fetch(served, path))[2])


async def test_a_wrong_token_and_an_unknown_network_get_the_same_404(
    app: Application, served: str
) -> None:
    path = await link_path(app)
    token = path.removeprefix("calendar/pride/").removesuffix(".ics")

    wrong = await fetch(served, "calendar/pride/" + "x" * len(token) + ".ics")
    unknown = await fetch(served, f"calendar/no-such-network/{token}.ics")
    other = await fetch(served, f"calendar/disability/{token}.ics")

    assert wrong == unknown == other
    assert wrong[0] == 404


async def test_a_lead_rotates_the_link_and_the_old_address_stops_working(
    app: Application, served: str
) -> None:
    await add_session(app, title="Allyship at work")
    old = await link_path(app)
    assert await link_path(app) == old  # asking again gives the same address

    refused = await say_one(app, "calendar link pride rotate", user="robin")
    assert "Only the Pride Network leads" in refused.text
    assert (await fetch(served, old))[0] == 200

    new = await link_path(app, user="alex", words="pride rotate")

    assert new != old
    assert (await fetch(served, old))[0] == 404
    status, _, body = await fetch(served, new)
    assert status == 200 and "Allyship at work" in events(body)


async def test_without_a_public_address_a_colleague_is_sent_to_an_admin_and_the_admin_told_what(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    server = ServerSettings()
    app.services.settings = replace(app.services.settings, server=server, source=CONFIG_PATH)
    with caplog.at_level(logging.WARNING, logger="allybot.calendar"):
        colleague = await say_one(app, "calendar link pride")
    assert "ask an admin to set the bot's public address" in colleague.text
    for detail in ("server.public_url", CONFIG_PATH, "calendar/"):
        assert detail not in colleague.text
    admin = await say_one(app, "calendar link pride", user="sam")
    assert "server.public_url" in admin.text and CONFIG_PATH not in admin.text
    # Where the setting is missing from stays where operators look.
    fields = [getattr(record, FIELDS, {}) for record in caplog.records]
    assert {"source": CONFIG_PATH} in fields


async def test_the_calendar_reply_offers_a_subscribe_button_per_network(
    app: Application, served: str
) -> None:
    listing = await say_one(app, "calendar", shared=True)
    subscribe = {b.label: b for b in listing.all_buttons if b.label.startswith("Subscribe: ")}
    assert set(subscribe) == {
        "Subscribe: Disability Network",
        "Subscribe: Neurodiversity Network",
        "Subscribe: Pride Network",
        "Subscribe: Race Equality Network",
    }
    # The shared listing carries no token: only pressing the button asks for one.
    assert "/calendar/" not in listing.text

    reply = await press_one(app, subscribe["Subscribe: Pride Network"], user="robin")

    assert reply.visibility is Visibility.PRIVATE
    found = FEED.search(reply.text)
    assert found is not None
    assert (await fetch(served, found.group(1)))[0] == 200
