"""A message in a conversation whose reference is already stored, unchanged, costs no
look-up of it: every message brings the reference, and it almost never changes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, select

from bot.app import Application
from bot.clock import FixedClock
from bot.platforms.teams.references import RECHECK_AFTER
from storage.models import TeamsConversationReference
from storage.repositories import TeamsReferenceRepository
from tests.fakes.teams_connector import FakeConnector, personal_message
from tests.platforms.teams.test_adapter import running_teams


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = TeamsReferenceRepository.get

    async def get(self: TeamsReferenceRepository, ref_key: str) -> object:
        seen.append(ref_key)
        return await original(self, ref_key)

    monkeypatch.setattr(TeamsReferenceRepository, "get", get)
    return seen


async def _stored(app: Application) -> dict[str, str]:
    async with app.database.transaction() as session:
        rows = await session.scalars(select(TeamsConversationReference))
        return {row.ref_key: row.service_url for row in rows}


async def test_unchanged_reference_is_not_looked_up_on_every_message(
    app: Application, connector: FakeConnector, lookups: list[str]
) -> None:
    async with running_teams(app, connector) as teams:
        await teams.post(personal_message(connector.url, "help"))
        assert lookups == ["teams:29:robin"]
        await asyncio.gather(
            *(teams.post(personal_message(connector.url, "help")) for _ in range(5))
        )
        assert lookups == ["teams:29:robin"]
        assert len(connector.sent("a:personal-29:robin")) == 6


async def test_changed_reference_is_stored_at_once(
    app: Application, connector: FakeConnector
) -> None:
    async with running_teams(app, connector) as teams:
        await teams.post(personal_message(connector.url, "help"))
        other = FakeConnector()
        await other.start()
        try:
            await teams.post(personal_message(other.url, "help"))
        finally:
            await other.stop()
        assert (await _stored(app))["teams:29:robin"] == other.url
        assert len(other.sent("a:personal-29:robin")) == 1


async def test_reference_removed_elsewhere_is_stored_again_after_a_while(
    app: Application, connector: FakeConnector, clock: FixedClock
) -> None:
    async with running_teams(app, connector) as teams:
        await teams.post(personal_message(connector.url, "help"))
        # Another replica (or `forget me` there) removed it behind this process's back.
        async with app.database.transaction() as session:
            await session.execute(delete(TeamsConversationReference))
        clock.set(clock.now() + RECHECK_AFTER)
        await teams.post(personal_message(connector.url, "help"))
        assert (await _stored(app)) == {"teams:29:robin": connector.url}
