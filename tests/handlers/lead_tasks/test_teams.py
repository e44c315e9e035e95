"""Lead tasks on Teams, through the real CloudAdapter and the fake connector: the lead card
(`lead`) and each lead form submitted from it as a card, doing its task end to end."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from storage.models import NetworkSession
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.teams_connector import FakeConnector, personal_message, submit
from tests.handlers.lead_tasks.test_slack import (
    TASKS,
    ask_pride,
    attendance_of,
    lead_two,
    past_session_with,
)
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import teams_actions
from tests.support.sessions import add_session

ROBIN = "teams:29:robin"


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    await lead_two(app, ROBIN)
    async with running_teams(app, connector) as teams:
        yield teams


async def _lead_card(teams: Teams) -> dict[str, Any]:
    await teams.post(personal_message(teams.connector.url, "lead pride"))
    card = teams.sent(PERSONAL_ROBIN)[-1].card
    assert card is not None
    return card


def _form(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The submit data of the form a ShowCard titled `title` opens."""
    [show] = [
        a for a in teams_actions(card) if a.get("title") == title and a["type"] == "Action.ShowCard"
    ]
    data: dict[str, Any] = show["card"]["actions"][0]["data"]
    return data


def _inputs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in data["form"]["fields"]}


async def _send(teams: Teams, data: dict[str, Any], entered: dict[str, str]) -> str:
    status, _ = await teams.post(submit(teams.connector.url, {**data, **entered}))
    assert status == 201
    return teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_the_lead_card_has_a_button_per_task_in_small_sets(
    app: Application, teams: Teams
) -> None:
    await past_session_with(app, "Past basics", "U201")
    await ask_pride(app, "is there a trans support group?")
    card = await _lead_card(teams)
    titles = [action.get("title") for action in teams_actions(card)]
    for task in TASKS:
        assert task in titles, (task, titles)
    assert "Answer questions (1 waiting)" in titles
    assert "Pride Network" in json.dumps(card)
    # Every action set holds at most 5 actions, so Teams shows them all.
    sets = [node for node in card["body"] if node.get("type") == "ActionSet"]
    assert sets and all(len(node["actions"]) <= 5 for node in sets)


async def test_teams_mark_attendance_then_tick_people(app: Application, teams: Teams) -> None:
    past = await past_session_with(app, "Past basics", "U201", "U202")
    data = _form(await _lead_card(teams), "Mark attendance")
    shown = await _send(teams, data, {"session": str(past)})
    assert "Who attended Past basics?" in shown
    answer_card = teams.sent(PERSONAL_ROBIN)[-1].card or {}
    [shown_form] = [
        a["card"] for a in teams_actions(answer_card) if a.get("title") == "Tick who attended"
    ]
    [choice_set] = [e for e in shown_form["body"] if str(e.get("id", "")).endswith("people")]
    assert choice_set["type"] == "Input.ChoiceSet" and choice_set["isMultiSelect"] is True
    tick = _form(answer_card, "Tick who attended")
    [people] = tick["form"]["fields"]
    assert people["kind"] == "choices"
    assert [value for _, value in people["choices"]] == ["all", "slack:U201", "slack:U202"]
    # Teams sends a multi-select's ticked values joined by commas.
    assert "Marked 1 person" in await _send(teams, tick, {"people": "slack:U202"})
    assert await attendance_of(app, past) == [("U201", False), ("U202", True)]
    # The form saves what is ticked: someone unticked is no longer marked.
    shown = await _send(teams, tick, {"people": "slack:U201"})
    assert "No longer marked as attending: 1 person." in shown
    assert await attendance_of(app, past) == [("U201", True), ("U202", False)]
    assert "Marked 2 people" in await _send(teams, tick, {"people": "all"})
    assert await attendance_of(app, past) == [("U201", True), ("U202", True)]
    # Nobody ticked is an answer too: the people the form showed are no longer marked.
    nobody = await _send(teams, tick, {"people": ""})
    assert "Marked nobody as attending Past basics." in nobody
    assert await attendance_of(app, past) == [("U201", False), ("U202", False)]


async def test_teams_add_a_recording(
    app: Application, teams: Teams, messenger: RecordingMessenger
) -> None:
    past = await past_session_with(app, "Past basics", "U201")
    data = _form(await _lead_card(teams), "Add a recording")
    assert "recording's link" in await _send(teams, data, {"session": str(past), "url": "soon"})
    url = "https://video.example/past-basics"
    shown = await _send(teams, data, {"session": str(past), "url": url})
    assert "sent privately" in shown
    async with app.database.transaction() as session:
        item = await session.get(NetworkSession, past)
        assert item is not None and item.recording_url == url
    assert [n.recipient_key for n in messenger.sent if url in n.reply.text] == ["slack:U201"]


async def test_teams_answer_a_question_keeps_its_lines(
    app: Application, teams: Teams, messenger: RecordingMessenger
) -> None:
    await ask_pride(app, "is there a trans support group?")
    # Each lead is told, with a button to answer that very question.
    [told] = [n.reply for n in messenger.sent if n.recipient_key == ROBIN]
    [button] = told.buttons
    assert button.label == "Answer" and button.form is not None
    assert button.form.fields[0].initial == button.form.fields[0].choices[0][1]
    data = _form(await _lead_card(teams), "Answer questions (1 waiting)")
    [(label, question)] = _inputs(data)["question"]["choices"]
    assert label == "is there a trans support group?"
    answer = "Yes.\n  Every other Thursday | room 4."
    assert "on its way to the asker" in await _send(
        teams, data, {"question": question, "answer": answer}
    )
    [notice] = [n for n in messenger.sent if n.recipient_key == "console:robin"]
    assert answer in notice.reply.text
    # Answered, it is no longer waiting.
    assert "Questions (none waiting)" in json.dumps(await _lead_card(teams))


async def test_teams_invite_everyone_who_attended_an_earlier_session(
    app: Application, teams: Teams, messenger: RecordingMessenger
) -> None:
    past = await past_session_with(app, "Past basics", "U201", "U202")
    await say_one(app, f"attended {past} slack:U201", user="alex")
    coming = await add_session(app, title="Coming basics", invite_only=True)
    data = _form(await _lead_card(teams), "Invite")
    fields = _inputs(data)
    assert str(coming) in {value for _, value in fields["session"]["choices"]}
    assert [value for _, value in fields["attendees_of"]["choices"]] == [str(past)]
    shown = await _send(teams, data, {"session": str(coming), "attendees_of": str(past)})
    assert "Invited 1 person to Coming basics" in shown
    invited = [n.recipient_key for n in messenger.sent if "You're invited" in n.reply.text]
    assert invited == ["slack:U201"]


async def test_a_network_with_nothing_coming_says_so_and_its_forms_open_with_it_chosen(
    app: Application, teams: Teams
) -> None:
    await ask_pride(app, "is there a trans support group?")
    await teams.post(personal_message(teams.connector.url, "lead"))
    card = teams.sent(PERSONAL_ROBIN)[-1].card
    assert card is not None
    shown = [node.get("text") for node in card["body"] if node.get("type") == "TextBlock"]
    # Neurodiversity has nothing scheduled in the demo: words, not "0 sessions".
    assert "No sessions coming up, no questions waiting." in shown
    assert not any("0 sessions" in str(text) for text in shown)
    # Create session under one network asks nothing about which network it is for; the
    # one waiting question is already chosen in the answer form.
    creates = [a["card"] for a in teams_actions(card) if a.get("title") == "Create session"]
    networks = [
        node for form in creates for node in form["body"] if str(node.get("id")).endswith("network")
    ]
    assert [node["value"] for node in networks] == ["neurodiversity", "pride"]
    [answer] = [a["card"] for a in teams_actions(card) if str(a.get("title")).startswith("Answer")]
    [question] = [n for n in answer["body"] if str(n.get("id")).endswith("question")]
    assert question["value"] == question["choices"][0]["value"]
    places = [n for form in creates for n in form["body"] if str(n.get("id")).endswith("capacity")]
    assert places[0]["placeholder"] == "Leave empty for no limit"
