"""Files in Teams arrive by the file consent flow, end to end over HTTP: the real
CloudAdapter, a fake Bot Framework connector that also plays OneDrive's upload URL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from icalendar import Calendar

from bot.app import Application
from tests.fakes.teams_connector import (
    CHANNEL,
    FakeConnector,
    file_consent,
    mention_message,
    personal_message,
)
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.sessions import add_session


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


def _raw_everywhere(connector: FakeConnector) -> str:
    return "\n".join(json.dumps(call.body) for call in connector.calls)


async def _accept(teams: Teams, card: dict[str, Any], name: str = "f1") -> tuple[int, Any]:
    return await teams.post(
        file_consent(teams.connector.url, card, upload_url=teams.connector.upload_url(name))
    )


async def test_register_offers_the_calendar_file_and_uploads_it_on_accept(
    teams: Teams, app: Application
) -> None:
    session_id = await add_session(app, title="Allyship basics")
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))

    [card] = teams.connector.consent_cards(PERSONAL_ROBIN)
    assert card["name"].endswith(".ics")
    assert card["content"]["sizeInBytes"] > 100
    # The card carries a short id, never the file, and no iCalendar text reaches the chat.
    assert "BEGIN:VCALENDAR" not in _raw_everywhere(teams.connector)
    assert len(json.dumps(card["content"]["acceptContext"])) < 60

    accept = file_consent(teams.connector.url, card, upload_url=teams.connector.upload_url("f1"))
    status, _ = await teams.post(accept)
    assert status == 200
    # Teams may deliver the invoke again: the file is uploaded once, and nothing more is said.
    before = len(teams.sent())
    status, _ = await teams.post(accept)
    assert status == 200 and len(teams.sent()) == before
    [upload] = teams.connector.uploads
    assert upload.content_range == f"bytes 0-{len(upload.data) - 1}/{len(upload.data)}"
    assert len(upload.data) == card["content"]["sizeInBytes"]
    [event] = Calendar.from_ical(upload.data).walk("VEVENT")
    assert str(event["summary"]) == "Allyship basics"
    [info] = teams.connector.file_info_cards(PERSONAL_ROBIN)
    assert info["name"] == card["name"]
    assert info["contentUrl"].endswith(card["name"])
    assert info["content"]["fileType"] == "ics"


async def test_declining_a_file_is_answered_kindly_and_uploads_nothing(
    teams: Teams, app: Application
) -> None:
    session_id = await add_session(app)
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))
    [card] = teams.connector.consent_cards(PERSONAL_ROBIN)

    status, _ = await teams.post(file_consent(teams.connector.url, card, action="decline"))
    assert status == 200
    assert teams.connector.uploads == []
    assert teams.connector.file_info_cards() == []
    answer = teams.sent(PERSONAL_ROBIN)[-1]
    assert "No problem" in answer.shown_text and card["name"] in answer.shown_text
    # Once decided, the same card cannot fetch the file any more.
    await _accept(teams, card)
    assert teams.connector.uploads == []
    assert "isn't waiting any more" in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_my_data_from_a_channel_offers_the_json_in_the_personal_chat(
    teams: Teams, app: Application
) -> None:
    session_id = await add_session(app)
    await teams.post(
        personal_message(teams.connector.url, f"register {session_id} needs: a quiet room")
    )
    await teams.post(mention_message(teams.connector.url, "my data"))

    in_channel = teams.sent(CHANNEL)
    assert [call.shown_text for call in in_channel] == ["I've replied to you privately."]
    assert teams.connector.consent_cards(CHANNEL) == []
    [card] = [
        c for c in teams.connector.consent_cards(PERSONAL_ROBIN) if c["name"].endswith("json")
    ]
    assert "a quiet room" not in _raw_everywhere(teams.connector)

    await _accept(teams, card, "data")
    [upload] = [u for u in teams.connector.uploads if u.name == "data"]
    assert "a quiet room" in json.dumps(json.loads(upload.data))
    assert teams.connector.file_info_cards(PERSONAL_ROBIN)


async def test_only_the_person_offered_a_file_can_accept_it(teams: Teams, app: Application) -> None:
    session_id = await add_session(app)
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))
    [card] = teams.connector.consent_cards(PERSONAL_ROBIN)
    stranger = file_consent(
        teams.connector.url, card, upload_url=teams.connector.upload_url("x"), user="29:sam"
    )
    await teams.post(stranger)
    assert teams.connector.uploads == []
    # Robin can still have it.
    await _accept(teams, card)
    assert len(teams.connector.uploads) == 1


async def test_a_refused_upload_is_told_truthfully(teams: Teams, app: Application) -> None:
    session_id = await add_session(app)
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))
    [card] = teams.connector.consent_cards(PERSONAL_ROBIN)
    teams.connector.upload_statuses.append(503)
    status, _ = await _accept(teams, card)
    assert status == 200
    assert teams.connector.file_info_cards() == []
    assert "couldn't put" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
