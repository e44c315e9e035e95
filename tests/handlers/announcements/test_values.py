"""Announcements carry values, not text: through a Slack modal (the real Bolt AsyncApp and the
fake Web API) and a Teams card (the real CloudAdapter and the fake connector), an announcement
written on several lines with `|`, `:` and leading spaces is stored, planned into the outbox
and posted exactly as written; the Preview, Cancel and More buttons carry calls and act; the
console presses them too. On both databases."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import Publishers
from bot.messages import Call, Person
from bot.outbox_codec import decode_reply
from bot.platforms.console import ConsoleChat
from bot.platforms.slack.render import CALL_ACTION_PREFIX, FORM_ACTION_PREFIX, escape
from storage.models import Announcement
from storage.repositories import NetworkRepository
from storage.statuses import AnnouncementStatus
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import instant_dispatcher
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.fakes.teams_connector import (
    BOT_ID,
    CHANNEL,
    FakeConnector,
    conversation_update,
    execute,
    personal_message,
    submit,
)
from tests.handlers.announcements.support import outbox, press, typed
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import slack_click, slack_submission, teams_actions

# Several lines, bars, colons, leading spaces and what Slack or Teams would read as markup.
WRITTEN = (
    "  Winter social | all welcome\n"
    "When: Thursday 18:00, Room 4: upstairs\n"
    "\n"
    "   1. Drinks & snacks <b>free</b>\n"
    "   2. Quiz | prizes: yes"
)
WHEN = "on 1 Dec 2026 09:00"
DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def lead_with_channel(app: Application, person_key: str, platform: str, channel: str) -> int:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.add_lead(pride.id, person_key, NOW)
        await networks.set_channel(pride.id, platform, "announcements", channel)
        return pride.id


async def stored(app: Application) -> list[Announcement]:
    async with app.database.transaction() as session:
        return list(await session.scalars(select(Announcement).order_by(Announcement.id)))


async def assert_planned_as_written(app: Application) -> None:
    [row] = await outbox(app)
    assert row.due_at == DUE
    assert decode_reply(row.message).text == WRITTEN


# -- Slack ---------------------------------------------------------------------------------


def _click(element: dict[str, Any], response_url: str) -> dict[str, Any]:
    return slack_click(element["action_id"], element["value"], response_url)


def _submitted(view: dict[str, Any], **entered: str) -> dict[str, Any]:
    return slack_submission(view, entered)


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["text"]["text"]: element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def _answer(slack: SlackHarness, text: str) -> dict[str, Any]:
    """Send `/ally <text>` in a direct message; the answer's body."""
    before = len(slack.api.of("response_url"))
    await slack.command(text, channel="D100")
    answers = await slack.api.wait_for_calls("response_url", before + 1)
    return answers[-1].body


async def _press(slack: SlackHarness, element: dict[str, Any], replies: int = 1) -> str:
    """Press a button; what its `replies` answers say, as JSON."""
    before = len(slack.api.of("response_url"))
    await slack.interaction(_click(element, slack.api.response_url(f"p{before}")))
    answers = await slack.api.wait_for_calls("response_url", before + replies)
    return json.dumps([answer.body for answer in answers[before:]])


async def _open_modal(slack: SlackHarness) -> dict[str, Any]:
    schedule = _buttons(await _answer(slack, "announce pride"))["Schedule an announcement"]
    assert schedule["action_id"].startswith(FORM_ACTION_PREFIX)
    # A small reference, not the form: the modal is built again when it opens.
    assert json.loads(schedule["value"])["f"] == "announcement"
    await slack.interaction(_click(schedule, slack.api.response_url("form")))
    [opened] = await slack.api.wait_for_calls("views.open")
    view: dict[str, Any] = opened.body["view"]
    return view


async def test_a_slack_modal_schedules_it_exactly_as_written_and_posts_it_so(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await lead_with_channel(app, "slack:U100", "slack", "C-PRIDE")
    async with slack_harness(app) as slack:
        view = await _open_modal(slack)
        status, text, _ = await slack.interaction(_submitted(view, when=WHEN, text=WRITTEN))
        assert (status, text) == (200, "")
        done = (await slack.api.wait_for_calls("response_url", 2))[-1].body
        assert "Scheduled announcement 1 for Pride Network" in json.dumps(done)
        [announcement] = await stored(app)
        assert announcement.text == WRITTEN
        await assert_planned_as_written(app)

        publishers = Publishers()
        publishers.register("slack", slack.adapter.publisher())
        clock.set(DUE)
        assert (await instant_dispatcher(app, publishers, messenger).run_once()).sent == 1
        [posted] = await slack.api.wait_for_calls("chat.postMessage")
    assert posted.body["channel"] == "C-PRIDE"
    assert posted.body["blocks"][0]["text"]["text"] == escape(WRITTEN)


async def test_a_slack_modal_shows_a_when_it_cannot_read_next_to_the_field(
    app: Application,
) -> None:
    await lead_with_channel(app, "slack:U100", "slack", "C-PRIDE")
    async with slack_harness(app) as slack:
        view = await _open_modal(slack)
        for when, expected in (
            ("next thursday-ish", "When should it go out?"),
            ("on 1 Nov 2026 09:00", "has already passed"),
        ):
            status, text, _ = await slack.interaction(_submitted(view, when=when, text=WRITTEN))
            assert status == 200
            answer = json.loads(text)
            assert answer["response_action"] == "errors"
            assert expected in answer["errors"]["when"]
        status, text, _ = await slack.interaction(
            _submitted(view, when=WHEN, text="Hello @channel:\n  all")
        )
        assert "can't post `@channel`" in json.loads(text)["errors"]["text"]
    assert await stored(app) == []


async def test_slack_preview_cancel_and_more_buttons_carry_calls_and_act(
    app: Application,
) -> None:
    network_id = await lead_with_channel(app, "slack:U100", "slack", "C-PRIDE")
    async with app.database.transaction() as session:
        session.add_all(
            Announcement(
                network_id=network_id,
                text=f"Weekly notes {number:02d}",
                repeat="weekly",
                weekday=number % 7,
                at_time="09:00",
                created_by="slack:U100",
                created_at=NOW,
                updated_at=NOW,
            )
            for number in range(12)
        )
    async with slack_harness(app) as slack:
        listed = _buttons(await _answer(slack, "announcements pride"))
        more = listed["More"]
        assert more["action_id"].startswith(CALL_ACTION_PREFIX)
        assert json.loads(more["value"]) == {
            "c": "announcements",
            "v": [["network", "pride"], ["page", "2"]],
        }
        second = await _press(slack, more)
        assert "Weekly notes 11" in second and "Weekly notes 00" not in second

        scheduled = _buttons(await _answer(slack, f"announce pride {WHEN}: Brunch | 11:00"))
        preview = scheduled["Preview announcement 13"]
        cancel = scheduled["Cancel announcement 13"]
        assert json.loads(preview["value"]) == {
            "c": "preview announcement",
            "v": [["announcement", "13"]],
        }
        # The preview is two answers: when and where it goes, then the post itself.
        assert "Brunch | 11:00" in await _press(slack, preview, replies=2)
        assert "Cancelled announcement 13" in await _press(slack, cancel)
    statuses = {item.id: item.status for item in await stored(app)}
    assert statuses[13] == AnnouncementStatus.CANCELLED
    assert statuses[12] == AnnouncementStatus.ACTIVE


# Typed on several lines, with double spaces and a tab between the words: the command phrase
# and the schedule still read, and the text keeps its lines and spaces.
TYPED_LINES = "1. Welcome  (5 min)\n2. Talk | Q&A: 30 min\n\n    Questions at the end"
TYPED = f"ANNOUNCE  pride\t{WHEN}:\n{TYPED_LINES}\n"


async def test_an_announcement_typed_in_slack_on_several_lines_keeps_them(
    app: Application,
) -> None:
    await lead_with_channel(app, "slack:U100", "slack", "C-PRIDE")
    async with slack_harness(app) as slack:
        done = await _answer(slack, TYPED)
    assert "Scheduled announcement 1 for Pride Network" in json.dumps(done)
    [announcement] = await stored(app)
    assert announcement.text == TYPED_LINES


# -- Teams ---------------------------------------------------------------------------------


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        # allybot was added to the team, so it knows how to post in its channel.
        await teams.post(conversation_update(connector.url, added=[BOT_ID]))
        yield teams


async def _teams_actions(teams: Teams, text: str) -> list[dict[str, Any]]:
    before = len(teams.sent(PERSONAL_ROBIN))
    await teams.post(personal_message(teams.connector.url, text))
    [answer] = teams.sent(PERSONAL_ROBIN)[before:]
    return teams_actions(answer.card)


async def _form_data(teams: Teams) -> dict[str, Any]:
    [show] = [
        action
        for action in await _teams_actions(teams, "announce pride")
        if action["type"] == "Action.ShowCard"
    ]
    data: dict[str, Any] = show["card"]["actions"][0]["data"]
    return data


async def test_a_teams_card_schedules_it_exactly_as_written_and_posts_it_so(
    app: Application, teams: Teams, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await lead_with_channel(app, "teams:29:robin", "teams", CHANNEL)
    data = await _form_data(teams)
    status, _ = await teams.post(
        submit(teams.connector.url, {**data, "when": WHEN, "text": WRITTEN})
    )
    assert status == 201
    assert "Scheduled announcement 1 for Pride Network" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    [announcement] = await stored(app)
    assert announcement.text == WRITTEN
    await assert_planned_as_written(app)

    publishers = Publishers()
    publishers.register("teams", teams.adapter.publisher())
    clock.set(DUE)
    before = len(teams.sent(CHANNEL))
    assert (await instant_dispatcher(app, publishers, messenger).run_once()).sent == 1
    [posted] = teams.sent(CHANNEL)[before:]
    # The card shows the text as written (escaped only against markdown), a block for each
    # line so Teams keeps the line breaks; the notification summary is its first line.
    assert posted.body["summary"] == "Winter social | all welcome"
    written = [line for line in WRITTEN.splitlines() if line.strip()]
    assert posted.shown_text.splitlines() == [
        *written,
        "Announcement from the Pride Network leads",
    ]


async def test_a_teams_card_shows_a_when_it_cannot_read_on_the_form(
    app: Application, teams: Teams
) -> None:
    await lead_with_channel(app, "teams:29:robin", "teams", CHANNEL)
    data = await _form_data(teams)
    entered = {**data, "when": "on 1 Nov 2026 09:00", "text": WRITTEN}
    status, body = await teams.post(execute(teams.connector.url, entered, verb="form"))
    assert status == 200
    shown = json.dumps(body["value"])
    assert "has already passed" in shown and '"id": "when"' in shown
    assert await stored(app) == []


async def test_teams_preview_and_cancel_buttons_carry_calls_and_act(
    app: Application, teams: Teams
) -> None:
    await lead_with_channel(app, "teams:29:robin", "teams", CHANNEL)
    actions = await _teams_actions(teams, f"announce pride {WHEN}: Brunch | 11:00")
    executes = {a["title"]: a for a in actions if a["type"] == "Action.Execute"}
    preview = executes["Preview announcement 1"]
    cancel = executes["Cancel announcement 1"]
    assert preview["data"] == {"call": {"c": "preview announcement", "v": [["announcement", "1"]]}}
    status, body = await teams.post(execute(teams.connector.url, preview["data"]))
    assert status == 200 and "exactly what will be posted" in json.dumps(body["value"])
    # The post itself follows as a message of its own.
    assert teams.sent(PERSONAL_ROBIN)[-1].shown_text.startswith("Brunch | 11:00\n")
    # Clients without Universal Actions press the fallback, an Action.Submit of the same call.
    await teams.post(submit(teams.connector.url, cancel["fallback"]["data"]))
    assert "Cancelled announcement 1" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    [announcement] = await stored(app)
    assert announcement.status == AnnouncementStatus.CANCELLED


# -- the console and the neutral API --------------------------------------------------------


async def test_console_buttons_say_what_typing_does_and_pressing_them_works(
    app: Application,
) -> None:
    await lead_with_channel(app, "console:alex", "console", "console-pride")
    scheduled = await say_one(app, f"announce pride {WHEN}: Brunch", user="alex")
    assert [typed(app, button) for button in scheduled.all_buttons] == [
        "preview announcement 1",
        "cancel announcement 1",
    ]
    offer = await say_one(app, "announce pride", user="alex")
    assert [typed(app, button) for button in offer.all_buttons] == ["announce pride"]

    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "alex"),
        io.StringIO("announcements pride\n1\nannouncements pride\n2\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    # Each announcement's buttons are numbered right under it.
    assert (
        "-- 1. on 1 December 2026 at 09:00 --\nBrunch\n"
        "  [1] Preview announcement 1   [2] Cancel announcement 1\n"
    ) in shown
    assert "This is exactly what will be posted:\n\nBrunch" in shown
    assert "Cancelled announcement 1 for Pride Network" in shown


async def test_a_form_call_keeps_every_character_and_typed_words_keep_their_grammar(
    app: Application,
) -> None:
    await lead_with_channel(app, "console:alex", "console", "console-pride")
    [button] = (await say_one(app, "announce pride", user="alex")).all_buttons
    assert button.form is not None
    call = button.form.call_for({"when": "every monday 09:30", "text": WRITTEN})
    assert call == Call.of("announce", network="pride", when="every monday 09:30", text=WRITTEN)
    assert "every Monday at 09:30" in (await press(app, call, user="alex")).text
    # Typed, the text is what follows the first colon outside a time, exactly as typed.
    await say_one(
        app, "announce  pride\tevery friday 16:00:   Drinks |  at 5:\n all welcome", user="alex"
    )
    assert [item.text for item in await stored(app)] == [WRITTEN, "Drinks |  at 5:\n all welcome"]
    # A More button's page is checked like a typed one.
    refused = await press(app, Call.of("announcements", network="pride", page=0), user="alex")
    assert "Pages are numbered from 1" in refused.text


async def test_an_announcement_typed_in_teams_on_several_lines_keeps_them(
    app: Application, teams: Teams
) -> None:
    await lead_with_channel(app, "teams:29:robin", "teams", CHANNEL)
    status, _ = await teams.post(personal_message(teams.connector.url, TYPED.replace("&", "&amp;")))
    assert status == 201
    assert "Scheduled announcement 1 for Pride Network" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    [announcement] = await stored(app)
    assert announcement.text == TYPED_LINES
