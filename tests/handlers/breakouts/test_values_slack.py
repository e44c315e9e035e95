"""Breakouts carry values through the real Bolt AsyncApp and the fake Slack Web API: the topic
form opens from a small reference and what is entered is stored as entered; each kind of
button presses as a call (block_actions) and does what it says."""

from __future__ import annotations

import json
from typing import Any

from bot.app import Application
from bot.platforms.slack.render import CALL_ACTION_PREFIX, FORM_ACTION_PREFIX
from storage.models import BreakoutTopic
from storage.repositories import BreakoutRepository, UserRepository
from storage.statuses import TopicStatus
from tests.conftest import say_one
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.support.breakouts import breakout_session, topic_number
from tests.support.platform_buttons import slack_click, slack_submission

# Bars, colons, a line break, leading spaces and what Slack would read as markup.
TITLE = "  Q&A: <b>allies</b> | speaking up\nat work "
# Picked in Slack's people picker: Slack sends the user's id.
COHOST = "U200"


def _click(button: dict[str, Any], name: str, slack: SlackHarness) -> dict[str, Any]:
    return slack_click(button["action_id"], button["value"], slack.api.response_url(name))


def _submitted(view: dict[str, Any], **typed: str) -> dict[str, Any]:
    return slack_submission(view, typed, people=frozenset({"cohost"}))


def _buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def _button(body: dict[str, Any], label: str) -> dict[str, Any]:
    return next(b for b in _buttons(body) if b["text"]["text"] == label)


async def _answer(slack: SlackHarness, text: str) -> dict[str, Any]:
    """What `/ally <text>` in the direct message answers."""
    before = len(slack.api.of("response_url"))
    await slack.command(text, channel="D100")
    answers = await slack.api.wait_for_calls("response_url", before + 1)
    body: dict[str, Any] = answers[-1].body
    return body


async def _press(slack: SlackHarness, button: dict[str, Any]) -> str:
    """Press a call button; what the answer says, as JSON text."""
    assert button["action_id"].startswith(CALL_ACTION_PREFIX)
    before = len(slack.api.of("response_url"))
    status, _, _ = await slack.interaction(_click(button, f"press{before}", slack))
    assert status == 200
    answers = await slack.api.wait_for_calls("response_url", before + 1)
    return json.dumps(answers[-1].body, ensure_ascii=False)


async def _topics(app: Application, session_id: int) -> list[BreakoutTopic]:
    async with app.database.transaction() as session:
        return list(await BreakoutRepository(session).topics(session_id, tuple(TopicStatus)))


async def _open_topic_form(slack: SlackHarness, session_id: int) -> dict[str, Any]:
    listed = await _answer(slack, f"topics {session_id}")
    button = _button(listed, "Propose a topic")
    assert button["action_id"].startswith(FORM_ACTION_PREFIX)
    assert json.loads(button["value"]) == {
        "f": "breakout-topic",
        "p": [["session", str(session_id)]],
    }
    await slack.interaction(_click(button, "open", slack))
    [opened] = await slack.api.wait_for_calls("views.open")
    view: dict[str, Any] = opened.body["view"]
    return view


async def test_the_topic_form_stores_the_title_and_cohost_as_entered(app: Application) -> None:
    session_id = await breakout_session(app)
    async with slack_harness(app) as slack:
        view = await _open_topic_form(slack, session_id)
        # The co-host is picked from Slack's people, never typed as an "@name" nobody reads.
        [cohost_field] = [block for block in view["blocks"] if block["block_id"] == "cohost"]
        assert cohost_field["element"]["type"] == "multi_users_select"
        assert "@name" not in json.dumps(view)
        status, text, _ = await slack.interaction(_submitted(view, title=TITLE, cohost=COHOST))
        assert status == 200 and text == ""
        answers = await slack.api.wait_for_calls("response_url", 2)
    # Mentioned, as Slack shows people in a private answer.
    assert "you host it with <@U200>" in json.dumps(answers[-1].body, ensure_ascii=False)
    [topic] = await _topics(app, session_id)
    assert topic.title == TITLE
    async with app.database.transaction() as session:
        robin = await UserRepository(session).get_by_key("slack", "U100")
        lee = await UserRepository(session).get_by_key("slack", "U200")
    assert robin is not None and lee is not None
    assert (topic.host_user_id, topic.cohost_user_id) == (robin.id, lee.id)


async def test_a_topic_form_refusal_comes_back_next_to_its_field(app: Application) -> None:
    session_id = await breakout_session(app)
    async with slack_harness(app) as slack:
        view = await _open_topic_form(slack, session_id)
        # The picker lets someone pick two; a topic has one co-host: said next to the field.
        status, text, _ = await slack.interaction(
            _submitted(view, title="Finding the words", cohost="U200,U300")
        )
        assert status == 200
        errors = json.loads(text)["errors"]
        assert list(errors) == ["cohost"]
        assert "Choose one co-host" in errors["cohost"]
        status, text, _ = await slack.interaction(_submitted(view, title="  ab  ", cohost=""))
        assert list(json.loads(text)["errors"]) == ["title"]
    assert await _topics(app, session_id) == []


async def test_pick_offer_to_host_and_see_the_topics_buttons_act(app: Application) -> None:
    session_id = await breakout_session(app, people=("kim",))
    hosted = await say_one(app, f"host {session_id} Finding the words", user="jo")
    proposed = await say_one(app, f"propose {session_id} Self-care", user="kim")
    picked_id, open_id = topic_number(hosted.text), topic_number(proposed.text)
    async with slack_harness(app) as slack:
        await _answer(slack, f"register {session_id}")
        listed = await _answer(slack, f"topics {session_id}")
        pick = next(
            b
            for b in _buttons(listed)
            if json.loads(b["value"])["v"][-1] == ["topic", str(picked_id)]
        )
        assert json.loads(pick["value"]) == {
            "c": "pick",
            "v": [["session", str(session_id)], ["topic", str(picked_id)]],
        }
        answer = await _press(slack, pick)
        assert "You're in “Finding the words”" in answer
        offer = _button(listed, "Offer to host: Self-care")
        assert json.loads(offer["value"]) == {"c": "host topic", "v": [["topic", str(open_id)]]}
        assert "You're the host of “Self-care”" in await _press(slack, offer)
        see = _button(json.loads(answer), "See the topics")
        assert "Breakout topics: Online social" in await _press(slack, see)
    topics = {topic.id: topic for topic in await _topics(app, session_id)}
    assert topics[open_id].host_user_id is not None


async def test_the_more_button_shows_the_next_page(app: Application) -> None:
    session_id = await breakout_session(app)
    for n in range(11):
        await say_one(app, f"propose {session_id} Topic number {n:02d}", user=f"p{n}")
    async with slack_harness(app) as slack:
        listed = await _answer(slack, f"topics {session_id}")
        more = _button(listed, "More")
        assert json.loads(more["value"]) == {
            "c": "topics",
            "v": [["session", str(session_id)], ["page", "2"]],
        }
        shown = await _press(slack, more)
    assert "Topic number 10" in shown and "Topic number 00" not in shown


async def test_approve_and_decline_buttons_act_for_a_lead(app: Application) -> None:
    session_id = await breakout_session(app, settings="opens: now | approval: yes")
    first = topic_number((await say_one(app, f"host {session_id} What is privilege?")).text)
    second = topic_number((await say_one(app, f"host {session_id} Off-topic", user="li")).text)
    app.services.admins = frozenset({"slack:U100"})
    async with slack_harness(app) as slack:
        listed = await _answer(slack, f"topics {session_id}")
        approves = [b for b in _buttons(listed) if b["text"]["text"].startswith("Approve: ")]
        declines = [b for b in _buttons(listed) if b["text"]["text"].startswith("Decline: ")]
        assert json.loads(approves[0]["value"]) == {
            "c": "approve topic",
            "v": [["topic", str(first)]],
        }
        assert "Approved topic" in await _press(slack, approves[0])
        assert "Declined topic" in await _press(slack, declines[1])
    statuses = {topic.id: topic.status for topic in await _topics(app, session_id)}
    assert statuses == {first: TopicStatus.APPROVED, second: TopicStatus.DECLINED}


async def test_the_rooms_buttons_place_people_and_attach_the_csv(app: Application) -> None:
    session_id = await breakout_session(app, people=("kim", "ana"))
    await say_one(app, f"host {session_id} Finding the words", user="jo")
    app.services.admins = frozenset({"slack:U100"})
    async with slack_harness(app) as slack:
        rooms = await _answer(slack, f"rooms {session_id}")
        place = _button(rooms, "Place them")
        assert json.loads(place["value"]) == {"c": "place", "v": [["session", str(session_id)]]}
        assert "Placed 2 people" in await _press(slack, place)
        csv = _button(rooms, "CSV")
        assert "The CSV (room, topic, host, person, person id) is attached" in await _press(
            slack, csv
        )
