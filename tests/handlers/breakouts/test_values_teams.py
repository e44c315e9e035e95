"""Breakouts carry values through the real CloudAdapter over HTTP and a fake connector: the
topic card form stores what is entered, and call buttons press as Action.Submit (and
Action.Execute) with their values."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from storage.models import BreakoutTopic
from storage.repositories import BreakoutRepository, UserRepository
from storage.statuses import TopicStatus
from tests.conftest import say_one
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.breakouts import breakout_session, topic_number
from tests.support.platform_buttons import teams_actions

TITLE = "  Q&A: <b>allies</b> | speaking up\nat work "
COHOST = "teams:29:lee"


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def _card_actions(teams: Teams, text: str) -> list[dict[str, Any]]:
    before = len(teams.sent(PERSONAL_ROBIN))
    await teams.post(personal_message(teams.connector.url, text))
    [answer] = teams.sent(PERSONAL_ROBIN)[before:]
    return teams_actions(answer.card)


async def _submitted(teams: Teams, value: dict[str, Any]) -> str:
    before = len(teams.sent(PERSONAL_ROBIN))
    status, _ = await teams.post(submit(teams.connector.url, value))
    assert status == 201
    return "\n".join(answer.shown_text for answer in teams.sent(PERSONAL_ROBIN)[before:])


def _pressed(actions: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The Action.Submit data of the button titled `title` (the Execute's fallback)."""
    action = next(a for a in actions if a.get("title") == title and "fallback" in a)
    data: dict[str, Any] = action["fallback"]["data"]
    return data


async def _topics(app: Application, session_id: int) -> list[BreakoutTopic]:
    async with app.database.transaction() as session:
        return list(await BreakoutRepository(session).topics(session_id, tuple(TopicStatus)))


async def _form_data(teams: Teams, session_id: int) -> dict[str, Any]:
    actions = await _card_actions(teams, f"topics {session_id}")
    [show] = [a for a in actions if a["type"] == "Action.ShowCard"]
    data: dict[str, Any] = show["card"]["actions"][0]["data"]
    return data


async def test_the_topic_card_form_stores_what_is_entered(app: Application, teams: Teams) -> None:
    session_id = await breakout_session(app)
    data = await _form_data(teams, session_id)
    shown = await _submitted(teams, {**data, "title": TITLE, "cohost": COHOST})
    assert "you host it with 29:lee" in shown
    [topic] = await _topics(app, session_id)
    assert topic.title == TITLE
    async with app.database.transaction() as session:
        lee = await UserRepository(session).get_by_key("teams", "29:lee")
    assert lee is not None and topic.cohost_user_id == lee.id


async def test_the_topic_card_form_executed_keeps_a_title_that_reads_like_a_cohost(
    app: Application, teams: Teams
) -> None:
    session_id = await breakout_session(app)
    data = await _form_data(teams, session_id)
    # Typed, " with teams:x" would name a co-host; entered as a title it is the title.
    title = "round 2 Living with teams:x"
    status, _ = await teams.post(
        execute(teams.connector.url, {**data, "title": title, "cohost": ""}, verb="form")
    )
    assert status == 200
    [topic] = await _topics(app, session_id)
    assert (topic.title, topic.round, topic.cohost_user_id) == (title, 1, None)


async def test_a_refused_cohost_comes_back_on_the_form(app: Application, teams: Teams) -> None:
    session_id = await breakout_session(app)
    data = await _form_data(teams, session_id)
    status, body = await teams.post(
        execute(
            teams.connector.url,
            {**data, "title": "Finding the words", "cohost": "  lee | x"},
            verb="form",
        )
    )
    assert status == 200
    assert "isn't a person I can find" in str(body["value"])
    assert await _topics(app, session_id) == []


async def test_decline_and_see_the_topics_buttons_submit_their_calls(
    app: Application, teams: Teams
) -> None:
    session_id = await breakout_session(app, settings="opens: now | approval: yes")
    topic_id = topic_number((await say_one(app, f"host {session_id} Off-topic", user="li")).text)
    app.services.admins = frozenset({"teams:29:robin"})
    actions = await _card_actions(teams, f"topics {session_id}")
    decline = _pressed(actions, "Decline: Off-topic")
    assert decline == {"call": {"c": "decline topic", "v": [["topic", str(topic_id)]]}}
    assert "Declined topic" in await _submitted(teams, decline)
    [topic] = await _topics(app, session_id)
    assert topic.status == TopicStatus.DECLINED

    settings = await _card_actions(teams, f"breakouts {session_id} size: 4")
    see = _pressed(settings, "See the topics")
    assert see == {"call": {"c": "topics", "v": [["session", str(session_id)]]}}
    assert "Breakout topics: Online social" in await _submitted(teams, see)


async def test_pick_and_offer_to_host_execute_their_calls(app: Application, teams: Teams) -> None:
    session_id = await breakout_session(app)
    picked = topic_number((await say_one(app, f"host {session_id} Finding", user="jo")).text)
    offered = topic_number((await say_one(app, f"propose {session_id} Self-care")).text)
    await teams.post(personal_message(teams.connector.url, f"register {session_id}"))
    actions = await _card_actions(teams, f"topics {session_id}")
    [pick, _] = [
        a
        for a in actions
        if a.get("title", "").startswith("Pick: ") and a["type"] == "Action.Execute"
    ]
    assert pick["data"]["call"]["v"] == [["session", str(session_id)], ["topic", str(picked)]]
    status, body = await teams.post(execute(teams.connector.url, pick["data"]))
    assert status == 200 and "You're in" in str(body["value"])
    offer = _pressed(actions, "Offer to host: Self-care")
    assert "the host of “Self-care”" in await _submitted(teams, offer)
    hosts = {topic.id: topic.host_user_id for topic in await _topics(app, session_id)}
    assert hosts[offered] is not None
