"""Teams over HTTP: activities posted to /api/messages of a running server, replies
recorded by a fake Bot Framework connector on a free local port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import pytest

from bot.app import Application
from bot.config import Settings, TeamsSettings
from bot.platforms.teams.adapter import TeamsAdapter
from bot.platforms.teams.sender import Pacer, RetryPolicy
from bot.web import WebServer, build_web_app
from tests.fakes.teams_connector import (
    FakeConnector,
    Recorded,
    personal_message,
)


@dataclass
class Sleeps:
    """Stands in for asyncio.sleep: records each wait instead of waiting."""

    waits: list[float]

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class Teams:
    adapter: TeamsAdapter
    connector: FakeConnector
    url: str
    session: aiohttp.ClientSession
    sleeps: Sleeps

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        async with self.session.post(self.url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else None
            status = response.status
        await self.adapter.drain()
        return status, body

    def sent(self, conversation_id: str | None = None) -> list[Recorded]:
        return self.connector.sent(conversation_id)


def teams_settings(**teams: Any) -> Settings:
    return replace(
        Settings(), teams=TeamsSettings(enabled=True, allow_unauthenticated=True, **teams)
    )


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    sleeps = Sleeps([])
    adapter = TeamsAdapter(
        teams_settings(),
        app,
        pacer=Pacer(sleep=sleeps),
        retry=RetryPolicy(sleep=sleeps, random=lambda: 0.5),
    )
    server = WebServer(build_web_app(app.database, adapter.routes()))
    port = await server.start("127.0.0.1", 0)
    await adapter.start()
    async with aiohttp.ClientSession() as session:
        yield Teams(adapter, connector, f"http://127.0.0.1:{port}/api/messages", session, sleeps)
    await adapter.stop()
    await server.stop()


async def test_personal_help_is_answered_with_a_card(teams: Teams) -> None:
    status, _ = await teams.post(personal_message(teams.connector.url, "help"))
    assert status == 201
    [reply] = teams.sent("a:personal-29:robin")
    assert reply.card is not None
    assert "What you can ask me" in reply.shown_text
