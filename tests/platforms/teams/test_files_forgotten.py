"""`forget me` takes the files a person was offered with it: a consent card accepted after
the erasure uploads nothing, whichever replica handled the erasure. Real CloudAdapter, fake
connector, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application, build_application
from bot.clock import FixedClock
from bot.config import Settings
from bot.messages import Conversation, Person, Request
from storage.database import Database
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.teams_connector import FakeConnector, file_consent, personal_message
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.sessions import add_session

EXPIRED = "isn't waiting any more"


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def _offered(teams: Teams, app: Application) -> dict[str, Any]:
    session_id = await add_session(app, title="Allyship basics")
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))
    [card] = teams.connector.consent_cards(PERSONAL_ROBIN)
    return card


async def _accept(teams: Teams, card: dict[str, Any]) -> None:
    url = teams.connector.upload_url("late")
    status, _ = await teams.post(file_consent(teams.connector.url, card, upload_url=url))
    assert status == 200


async def test_a_file_offered_before_forget_me_is_gone_after_it(
    teams: Teams, app: Application
) -> None:
    card = await _offered(teams, app)
    assert len(teams.adapter.sender.files) == 1

    await teams.post(personal_message(teams.connector.url, "forget me confirm"))
    assert "Done." in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    # Not kept for the hour: gone from memory as soon as the erasure committed.
    assert len(teams.adapter.sender.files) == 0

    await _accept(teams, card)
    assert teams.connector.uploads == []
    assert teams.connector.file_info_cards() == []
    assert EXPIRED in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_a_file_offered_before_an_erasure_on_another_replica_is_not_uploaded(
    teams: Teams,
    app: Application,
    database: Database,
    settings: Settings,
    clock: FixedClock,
) -> None:
    card = await _offered(teams, app)
    other = await build_application(
        settings,
        messenger=RecordingMessenger(),
        demo=True,
        clock=clock,
        database=database,
        upgrade=False,
    )
    robin = Request(Person("teams", "29:robin"), "forget me confirm", Conversation("robin-dm"))
    [done] = await other.router.dispatch(robin)
    assert done.text.startswith("Done.")
    # This replica never heard of it: the file still waits in its memory ...
    assert len(teams.adapter.sender.files) == 1

    await _accept(teams, card)
    # ... but is not delivered to someone the bot no longer holds.
    assert teams.connector.uploads == []
    assert EXPIRED in teams.sent(PERSONAL_ROBIN)[-1].shown_text
