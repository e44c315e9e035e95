"""Calendars poll a feed again and again: a poll that finds nothing changed writes nothing
(so it never waits behind SQLite's write lock), and a client that sends back the ETag gets
304 Not Modified. Fetched from the real `allybot serve` web app, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from storage.models import CalendarFeedEvent, NetworkSession
from tests.handlers.calendar_feed.test_feed import events, link_path, served, settings
from tests.support.sessions import add_session

__all__ = ["served", "settings"]  # fixtures, used by name


async def _get(base: str, path: str, etag: str = "") -> tuple[int, str, str]:
    headers = {"If-None-Match": etag} if etag else {}
    async with (
        aiohttp.ClientSession() as client,
        client.get(base + path, headers=headers) as response,
    ):
        return response.status, response.headers.get("ETag", ""), await response.text()


async def test_a_poll_with_nothing_changed_waits_for_no_writer(
    app: Application, served: str
) -> None:
    item = await add_session(app, title="Allyship at work")
    path = await link_path(app)
    assert (await _get(served, path))[0] == 200
    async with app.database.transaction() as session:
        before = (await session.scalars(select(CalendarFeedEvent))).all()
        shown = [(row.session_id, row.sequence, row.changed_at) for row in before]
    # Someone's long write is under way (a lead editing a session, the outbox): the
    # calendar's poll still answers at once, as it has nothing to write.
    async with app.database.transaction() as session:
        row = await session.get(NetworkSession, item)
        assert row is not None
        row.location = "Room 4"
        status, _, body = await asyncio.wait_for(_get(served, path), timeout=10)
        assert status == 200 and "Allyship at work" in events(body)
    async with app.database.transaction() as session:
        after = (await session.scalars(select(CalendarFeedEvent))).all()
        assert [(r.session_id, r.sequence, r.changed_at) for r in after] == shown


async def test_the_etag_gives_304_until_a_session_changes(
    app: Application, served: str, clock: FixedClock
) -> None:
    item = await add_session(app, title="Allyship at work")
    path = await link_path(app)
    status, etag, body = await _get(served, path)
    assert status == 200 and etag.startswith('"')
    assert events(body)["Allyship at work"]["sequence"] == "0"

    clock.set(clock.now() + timedelta(minutes=30))
    status, again, body = await _get(served, path, etag)
    # Only DTSTAMP would differ: the calendar is told nothing changed, with no body.
    assert (status, again, body) == (304, etag, "")
    assert (await _get(served, path, f'W/{etag}, "other"'))[0] == 304

    async with app.database.transaction() as session:
        row = await session.get(NetworkSession, item)
        assert row is not None
        row.starts_at += timedelta(hours=2)
    status, moved, body = await _get(served, path, etag)
    assert status == 200 and moved != etag
    assert events(body)["Allyship at work"]["sequence"] == "1"
