"""Values, not text, through the real CloudAdapter over HTTP and a fake connector: a card
form submits its call with the values as entered (Action.Submit and Action.Execute), a
call button carries phrase and values, and a malformed value comes back on the form."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import teams_actions
from tests.support.values_commands import TRICKY, TRICKY_TITLE, Note, Received, register_notes


@pytest.fixture
async def notes(app: Application) -> Received:
    return register_notes(app)


@pytest.fixture
async def teams(
    app: Application, connector: FakeConnector, notes: Received
) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def _offer(teams: Teams) -> list[dict[str, Any]]:
    await teams.post(personal_message(teams.connector.url, "offer note"))
    [offer] = teams.sent(PERSONAL_ROBIN)
    return teams_actions(offer.card)


async def _form_data(teams: Teams) -> dict[str, Any]:
    actions = await _offer(teams)
    [show] = [action for action in actions if action["type"] == "Action.ShowCard"]
    submit_action = show["card"]["actions"][0]
    data: dict[str, Any] = submit_action["data"]
    assert submit_action["fallback"]["data"] == data
    return data


ENTERED = {"title": TRICKY_TITLE, "description": TRICKY, "network": "network-03"}
EXPECTED = Note(session=7, title=TRICKY_TITLE, description=TRICKY, network="network-03")


async def test_a_card_form_submitted_arrives_unchanged(teams: Teams, notes: Received) -> None:
    data = await _form_data(teams)
    status, _ = await teams.post(submit(teams.connector.url, {**data, **ENTERED}))
    assert status == 201
    assert notes.notes == [EXPECTED]
    assert "Saved note 7." in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_a_card_form_executed_arrives_unchanged(teams: Teams, notes: Received) -> None:
    data = await _form_data(teams)
    status, body = await teams.post(execute(teams.connector.url, {**data, **ENTERED}, verb="form"))
    assert status == 200
    assert "Saved note 7." in json.dumps(body["value"])
    assert notes.notes == [EXPECTED]


async def test_a_malformed_value_comes_back_on_the_form(teams: Teams, notes: Received) -> None:
    data = await _form_data(teams)
    bad = {**data, **ENTERED, "count": "abc"}
    status, body = await teams.post(execute(teams.connector.url, bad, verb="form"))
    assert status == 200
    shown = json.dumps(body["value"])
    assert "Please enter a whole number for count, like 3." in shown
    assert '"id": "count"' in shown  # the form again, to correct

    await teams.post(submit(teams.connector.url, {**bad, "n": 1}))
    assert "whole number for count" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert notes.notes == []


async def test_a_call_button_carries_phrase_and_values(teams: Teams, notes: Received) -> None:
    actions = await _offer(teams)
    [quick] = [
        action
        for action in actions
        if action.get("title") == "Quick note" and action["type"] == "Action.Execute"
    ]
    assert quick["data"] == {
        "call": {"c": "note", "v": [["session", "7"], ["title", TRICKY_TITLE]]}
    }
    status, body = await teams.post(execute(teams.connector.url, quick["data"]))
    assert status == 200 and "Saved note 7." in json.dumps(body["value"])
    await teams.post(submit(teams.connector.url, quick["fallback"]["data"]))
    assert notes.notes == [Note(session=7, title=TRICKY_TITLE)] * 2


async def test_typed_words_are_parsed_by_the_same_spec(teams: Teams, notes: Received) -> None:
    typed = "NOTE&nbsp; 7 Intro | Q&amp;A:\n close"
    await teams.post(personal_message(teams.connector.url, typed))
    assert notes.notes == [Note(session=7, title="Intro", description="Q&A:\n close")]
