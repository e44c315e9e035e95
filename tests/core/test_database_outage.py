"""PostgreSQL goes away and comes back: people are told kindly, /healthz says 503, and
requests work again after recovery without a restart.

The bot reaches PostgreSQL through a loopback proxy the test cuts (every connection
dropped, new ones refused) and restores.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.funnel import UNREACHABLE
from bot.messages import Conversation, Person, Request
from bot.web import WebServer, build_web_app
from storage.database import Database
from tests.conftest import DatabaseTarget, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.tcp_proxy import TcpProxy

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)

PEOPLE = [f"person{number}" for number in range(8)]


@pytest.fixture
async def proxy(database_url: DatabaseTarget) -> AsyncIterator[TcpProxy]:
    real = make_url(database_url.url)
    fake = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def outage_app(
    database_url: DatabaseTarget,
    proxy: TcpProxy,
    settings: Settings,
    clock: FixedClock,
    messenger: RecordingMessenger,
) -> AsyncIterator[Application]:
    direct = database_url.open()
    try:
        await direct.upgrade()
    finally:
        await direct.dispose()
    url = make_url(database_url.url).set(host="127.0.0.1", port=proxy.port)
    through_proxy = Database(
        url.render_as_string(hide_password=False), schema=database_url.schema
    )
    application = await build_application(
        settings, messenger=messenger, demo=True, clock=clock, database=through_proxy
    )
    yield application
    await application.close()


def _request(user: str, text: str) -> Request:
    return Request(
        person=Person(platform="slack", id=user, display_name=user.title()),
        text=text,
        conversation=Conversation(id=f"D-{user}", shared=False),
    )


async def _everyone_asks(app: Application, text: str) -> list[str]:
    """Every person sends `text` at the same moment, half of them as platform deliveries
    (which also record the delivery), half as plain dispatches."""

    async def one(number: int, user: str) -> str:
        request = _request(user, text)
        if number % 2:
            replies = await app.router.dispatch_once(request, f"delivery-{user}-{text}")
            assert replies is not None
        else:
            replies = await app.router.dispatch(request)
        assert len(replies) == 1, replies
        return replies[0].text

    tasks = [asyncio.create_task(one(number, user)) for number, user in enumerate(PEOPLE)]
    return await asyncio.gather(*tasks)


async def _healthz(database: Database) -> int:
    server = WebServer(build_web_app(database, []))
    port = await server.start("127.0.0.1", 0)
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            return response.status
    finally:
        await server.stop()


async def test_while_the_database_is_away_everyone_is_told_kindly_and_it_recovers(
    outage_app: Application, proxy: TcpProxy, caplog: pytest.LogCaptureFixture
) -> None:
    before = await _everyone_asks(outage_app, "networks")
    assert all("Pride" in text for text in before)
    assert await _healthz(outage_app.database) == 200
    assert proxy.connections > 0  # the pool holds live connections that the cut will kill

    await proxy.cut()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        during = await _everyone_asks(outage_app, "sessions")
        assert await _healthz(outage_app.database) == 503
        # Someone new, whose user row cannot be made either.
        newcomer = await say_one(outage_app, "join pride", user="newcomer")

    assert during == [UNREACHABLE] * len(PEOPLE)
    assert newcomer.text == UNREACHABLE
    problems = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert problems, "an outage must be logged"
    assert all(record.levelno == logging.WARNING for record in problems)
    assert not any(record.exc_info for record in problems)
    assert all(record.getMessage() == "database_unreachable" for record in problems)

    await proxy.restore()
    # The same deliveries again, as Slack and Teams retry them: nothing was recorded while
    # the database was away, so each is now handled.
    after = await _everyone_asks(outage_app, "sessions")
    assert all("Coming up" in text for text in after), after
    assert await _healthz(outage_app.database) == 200
    joined = await say_one(outage_app, "join pride", user="newcomer")
    assert joined.text != UNREACHABLE
