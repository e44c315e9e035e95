"""Knowledge-base buttons through the real Slack and Teams adapters: related entries, the
runner-up and "See it" carry the entry as a value, and pressing one shows that entry."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.app import Application
from bot.messages import Call
from tests.conftest import say_one
from tests.fakes.slack_api import slack_harness
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import (
    slack_button,
    slack_call,
    slack_press,
    slack_say,
    teams_button,
)
from tests.support.pressing import press_one, typed_for


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def test_slack_a_related_entry_button_shows_that_entry(app: Application) -> None:
    async with slack_harness(app) as slack:
        answer = await slack_say(slack, "what is TDoR")
        related = slack_button(answer, "Trans Awareness Week (TAW)")
        assert slack_call(related) == {"c": "kb", "v": [["entry", "trans-awareness-week"]]}
        shown = await slack_press(slack, related)
    assert shown["blocks"][0]["text"]["text"] == "Trans Awareness Week (TAW)"


async def test_teams_a_related_entry_button_shows_that_entry(teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "what is TDoR"))
    related = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Trans Awareness Week (TAW)")
    status, body = await teams.post(execute(teams.connector.url, related["data"]))
    assert status == 200 and "Trans Awareness Week is" in json.dumps(body["value"])
    await teams.post(submit(teams.connector.url, related["fallback"]["data"]))
    assert "Trans Awareness Week is" in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_see_it_after_kb_add_and_the_declined_guess_offer_an_entry(
    app: Application,
) -> None:
    added = await say_one(
        app, "kb add Quiet rooms: where | when | Level 2: booked at reception.", user="alex"
    )
    [see] = added.all_buttons
    assert see.call is not None and see.call.phrase == "kb"
    entry = await press_one(app, see, user="alex")
    assert "Level 2: booked at reception." in entry.text
    declined = await say_one(app, "is my manager gay")
    [why] = declined.all_buttons
    assert why.call == Call.of("kb", entry="being-outed")
    assert typed_for(app, why) == "kb being-outed"
    assert (await press_one(app, why)).heading
