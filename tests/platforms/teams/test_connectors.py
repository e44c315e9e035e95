"""Connector clients are made once per service URL, not once per turn: the cost botbuilder
pays on every turn (a new client, new credentials, a new HTTP session and connection)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import ClassVar

import pytest
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import _connector_factory_impl

from bot.app import Application
from tests.fakes.teams_connector import FakeConnector, personal_message
from tests.platforms.teams.test_adapter import running_teams


class CountedClient(ConnectorClient):
    made: ClassVar[list[str]] = []

    def __init__(self, credentials: object, base_url: str | None = None, **kwargs: object) -> None:
        super().__init__(credentials, base_url=base_url, **kwargs)
        CountedClient.made.append(str(base_url))


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    CountedClient.made = []
    monkeypatch.setattr(_connector_factory_impl, "ConnectorClient", CountedClient)
    return CountedClient.made


@pytest.fixture
async def other_connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


async def test_turns_to_one_service_url_share_one_connector_client(
    app: Application,
    connector: FakeConnector,
    other_connector: FakeConnector,
    made: list[str],
) -> None:
    async with running_teams(app, connector) as teams:
        people = [f"29:person-{n}" for n in range(6)]
        # Many turns in flight at once, each answered proactively after its HTTP answer.
        statuses = await asyncio.gather(
            *(teams.post(personal_message(connector.url, "help", user=person)) for person in people)
        )
        assert [status for status, _ in statuses] == [201] * len(people)
        for person in people:
            assert len(connector.sent(f"a:personal-{person}")) == 1
        assert made == [connector.url]

        # Another region's service URL gets a client of its own, and the reply goes there.
        status, _ = await teams.post(personal_message(other_connector.url, "help", user="29:kai"))
        assert status == 201
        assert len(other_connector.sent("a:personal-29:kai")) == 1
        assert made == [connector.url, other_connector.url]

        # And the first one is still reused afterwards.
        await teams.post(personal_message(connector.url, "help", user="29:robin"))
        assert len(connector.sent("a:personal-29:robin")) == 1
        assert made == [connector.url, other_connector.url]
