"""The main surfaces as Teams shows them, through the real CloudAdapter and the fake
connector: each card is valid for Microsoft's own adaptivecards renderer, keeps its line
breaks, shows commands without backticks, holds at most five actions in a set, has unique
input ids and speak text; and every Cancel button of a person with twelve bookings shows."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.app import Application
from bot.forms import field_errors, form_from_data
from bot.messages import Conversation, Person, Request
from bot.platforms.teams.render import form_card, form_values
from storage.repositories import NetworkRepository
from tests.conftest import NOW
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.adaptive_cards import (
    assert_reads_well,
    assert_valid_cards,
    card_problems,
    text_blocks,
    walk,
)
from tests.support.platform_buttons import teams_actions
from tests.support.sessions import add_session, registrations_of

ROBIN = Person("teams", "29:robin", "Robin")


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def robin_leads_pride(app: Application) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.add_lead(pride.id, ROBIN.key, NOW)


async def cards_for(teams: Teams, text: str) -> list[dict[str, Any]]:
    before = len(teams.sent(PERSONAL_ROBIN))
    await teams.post(personal_message(teams.connector.url, text))
    answers = teams.sent(PERSONAL_ROBIN)[before:]
    for answer in answers:
        # The notification summary and a plain message are one line without backticks.
        assert "`" not in str(answer.body.get("summary") or "")
        assert "\n" not in str(answer.body.get("summary") or "")
        if answer.card is None:
            assert "`" not in str(answer.body.get("text") or ""), (text, answer.body)
    return [answer.card for answer in answers if answer.card is not None]


# Each surface, and how many blocks of text it has at least: one per line or list item.
SURFACES = {
    "help": 10,  # the grouped first screen: a line, then each group and what it holds
    "networks": 8,
    "network pride": 3,
    "sessions": 6,
    "session 1": 2,
    "register 1": 1,
    "my": 3,
    "calendar": 5,
    "join pride": 8,
    "breakouts 2 rounds: 1": 1,
    "host 2 Allyship at work": 1,
    "topics 2": 3,
    "create session": 2,
    "edit session 1": 1,
    "announce pride": 1,
}


async def test_every_main_surface_reads_well_and_is_a_valid_card(
    app: Application, teams: Teams
) -> None:
    await robin_leads_pride(app)
    every_card: list[dict[str, Any]] = []
    for text, least_blocks in SURFACES.items():
        cards = await cards_for(teams, text)
        assert cards, f"{text!r} was answered without a card"
        for card in cards:
            assert_reads_well(card)
        blocks = sum(len(text_blocks(card)) for card in cards)
        assert blocks >= least_blocks, (text, blocks)
        every_card.extend(cards)
    # Every form the surfaces offer is among them (ShowCards), and each on its own too.
    forms = [
        form_from_data(node["data"]["form"])
        for card in every_card
        for node in walk(card)
        if node.get("type") == "Action.Execute" and "form" in node.get("data", {})
    ]
    kinds = {form.kind for form in forms}
    assert kinds >= {"session-needs", "session-create", "session-edit", "announcement"}
    assert "breakout-topic" in kinds
    for form in forms:
        alone = form_card(form, field_errors(form, {}), {})
        assert_reads_well(alone)
        every_card.append(alone)
    assert_valid_cards(every_card)


async def test_a_command_is_a_monospace_run_and_lines_stay_apart(teams: Teams) -> None:
    [card] = await cards_for(teams, "network pride")
    runs = [node for node in walk(card) if node.get("type") == "TextRun"]
    assert {"text": "session 1", "type": "TextRun", "fontType": "Monospace"} in runs
    facts = [node for node in walk(card) if node.get("type") == "FactSet"]
    assert [fact["title"] for fact in facts[0]["facts"]][:2] == ["Meets", "Contact"]
    # The two sessions coming up are two blocks, close together.
    [first, second] = [b for b in text_blocks(card) if b["type"] == "RichTextBlock"]
    assert second["spacing"] == "Small"
    assert "Creating LGBT+ inclusive spaces" in first["inlines"][0]["text"]


async def test_the_sessions_card_names_each_forms_inputs_apart_and_submits_the_right_one(
    app: Application, teams: Teams
) -> None:
    [card] = await cards_for(teams, "sessions")
    ids = [node["id"] for node in walk(card) if str(node.get("type")).startswith("Input.")]
    assert len(ids) == 3 and len(set(ids)) == 3
    needs_forms = [
        node
        for node in walk(card)
        if node.get("type") == "Action.Execute" and "form" in node.get("data", {})
    ]
    # Submit the second session's form, as Teams sends it: every input of the card.
    second = needs_forms[1]["data"]
    session = form_from_data(second["form"]).call.mapping["session"]
    entered = {input_id: f"typed into {input_id}" for input_id in ids}
    wanted = next(i for i in ids if i.startswith(second["ns"]))
    assert form_values(form_from_data(second["form"]), {**second, **entered}) == {
        "needs": f"typed into {wanted}"
    }
    await teams.post(submit(teams.connector.url, {**second, **entered}))
    assert [status for _, status, _ in await registrations_of(app, int(session))] == [
        "registered"
    ]


async def test_twelve_registrations_give_every_shown_cancel_button_in_sets_of_five(
    app: Application, teams: Teams
) -> None:
    sessions = [
        await add_session(app, title=f"Allyship circle {n}", starts_in=timedelta(days=n + 1))
        for n in range(12)
    ]
    for number in sessions:
        await app.router.dispatch(Request(ROBIN, f"register {number}", Conversation("D-robin")))
    [card] = await cards_for(teams, "my")
    assert_reads_well(card)
    assert_valid_cards([card])
    cancels = [a for a in teams_actions(card) if a["type"] == "Action.Execute"]
    cancels = [a for a in cancels if a["data"]["call"]["c"] == "cancel"]
    # `my` shows a page of ten bookings, each with its button (more than one set holds).
    shown = sorted(int(a["data"]["call"]["v"][0][1]) for a in cancels)
    assert shown == sessions[:10]
    # The last of them, which Teams would have hidden in one set of ten, still works.
    last = next(a for a in cancels if a["data"]["call"]["v"][0][1] == str(sessions[9]))
    status, body = await teams.post(execute(teams.connector.url, last["data"]))
    assert status == 200
    assert "cancel" in json.dumps(body["value"]).lower()
    assert [s for _, s, _ in await registrations_of(app, sessions[9])] != ["registered"]


async def test_a_form_error_quotes_the_question_it_asks(teams: Teams) -> None:
    [card] = await cards_for(teams, "session 1")
    [needs] = [
        node["data"]
        for node in walk(card)
        if node.get("type") == "Action.Execute" and "form" in node.get("data", {})
    ]
    status, body = await teams.post(execute(teams.connector.url, needs, verb="form"))
    assert status == 200
    shown = [node["text"] for node in walk(body["value"]) if node.get("type") == "TextBlock"]
    assert "Please fill in “Is there anything you need to take part?”" in shown
    assert_reads_well(body["value"])
    assert_valid_cards([body["value"]])


def test_the_card_check_finds_what_teams_would_get_wrong() -> None:
    bad = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "Input.Text", "id": "needs"},
            {"type": "Input.Text", "id": "needs"},
            {"type": "TextBlock", "text": "x", "spacing": "Roomy"},
        ],
        "actions": [{"type": "Action.Submit", "title": str(n)} for n in range(6)],
    }
    [found] = card_problems([bad])
    assert any("DuplicateId" in problem for problem in found)
    assert any("TooManyActions" in problem for problem in found)
    assert any("InvalidPropertyValue" in problem for problem in found)
