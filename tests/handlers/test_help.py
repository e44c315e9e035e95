"""`help` as a newcomer meets it: a short first screen of groups, each a button that opens
its commands, on the console, on Slack (real Bolt app, fake Web API) and on Teams (real
CloudAdapter, fake connector)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from bot.messages import Call, Person, Reply
from bot.platforms.console import ConsoleChat
from bot.router import Command, HandlerContext
from tests.conftest import say_one
from tests.fakes.slack_api import slack_harness
from tests.fakes.teams_connector import FakeConnector, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import (
    slack_button,
    slack_buttons,
    slack_press,
    slack_say,
    teams_actions,
    teams_button,
)
from tests.support.pressing import press_one

EVERYONE_GROUPS = ["Networks", "Sessions", "Ask a question", "Your data"]


def _group_headings(reply: Reply) -> list[str]:
    return [section.heading for section in reply.sections if section.heading]


async def test_a_colleague_s_first_screen_is_four_groups_each_a_button(app: Application) -> None:
    reply = await say_one(app, "help", user="robin")
    assert reply.heading == "allybot help"
    assert _group_headings(reply) == EVERYONE_GROUPS
    # One line each, not 29 commands.
    assert len(reply.text.splitlines()) == 1 + len(EVERYONE_GROUPS)
    for section in reply.sections[1:]:
        [button] = section.buttons
        assert button.label == section.heading
    assert [button.call for button in reply.all_buttons] == [
        Call.of("help", topic=topic) for topic in ("networks", "sessions", "questions", "data")
    ]
    assert "create session" not in reply.text and "Leading" not in reply.text


async def test_leads_and_admins_also_get_their_own_group(app: Application) -> None:
    lead = await say_one(app, "help", user="alex")
    assert _group_headings(lead) == [*EVERYONE_GROUPS, "Leading a network"]
    admin = await say_one(app, "help", user="sam")
    assert _group_headings(admin) == [*EVERYONE_GROUPS, "Leading a network", "Admin"]


async def test_each_group_button_opens_that_group_and_typing_it_does_the_same(
    app: Application,
) -> None:
    first = await say_one(app, "help", user="robin")
    sessions = next(b for b in first.all_buttons if b.label == "Sessions")
    pressed = await press_one(app, sessions, user="robin")
    typed = await say_one(app, "help sessions", user="robin")
    assert pressed.text == typed.text
    assert pressed.heading == "Help: Sessions"
    assert _group_headings(pressed) == [
        "Sessions",
        "Breakout rooms at socials",
        "Awareness days, weeks and months",
        "A network's sessions in your own calendar",
    ]
    assert "`register <number> [private] [needs: <what you need>]`" in pressed.text
    assert "`pick <session> <topic number or title>`" in pressed.text
    assert "`join" not in pressed.text
    # Buttons for what needs nothing typed, and the way back.
    assert [(b.label, b.call) for b in pressed.buttons] == [
        ("Upcoming sessions", Call("sessions")),
        ("My sessions", Call("my sessions")),
        ("Awareness calendar", Call("calendar")),
        ("All help", Call("help")),
    ]
    upcoming = await press_one(app, pressed.buttons[0], user="robin")
    assert upcoming.heading == "Sessions"


async def test_every_command_is_in_exactly_one_group(app: Application) -> None:
    """Nothing lands in "Everything else": every command sam (an admin) may use is grouped."""
    first = await say_one(app, "help", user="sam")
    pages = [await press_one(app, button, user="sam") for button in first.all_buttons]
    shown = "\n".join(page.text for page in pages)
    assert "Everything else" not in first.text
    for command in app.router.commands:
        if command.listed and command.phrase != "help":
            assert shown.count(f"`{command.shown_usage}` — ") == 1, command.phrase


async def test_a_command_no_group_names_still_shows_under_everything_else(
    app: Application,
) -> None:
    async def tidy(context: HandlerContext) -> Reply:
        return Reply(text="Tidied.")

    app.router.add(Command("tidy up", tidy, "put your things away"))
    first = await say_one(app, "help", user="robin")
    assert _group_headings(first) == [*EVERYONE_GROUPS, "Everything else"]
    other = await say_one(app, "help everything else", user="robin")
    assert "`tidy up` — put your things away" in other.text


async def test_the_leads_group_offers_the_lead_tasks(app: Application) -> None:
    # `lead` (handlers/lead_tasks) has landed: the leads' group starts with it.
    leading = await say_one(app, "help leading", user="alex")
    assert "`create session" in leading.text and "`announce" in leading.text
    assert "Your network" in _group_headings(leading)
    assert any(
        section.text.startswith("`lead [<network>]` — ") or section.text.startswith("`lead` — ")
        for section in leading.sections
    ), [section.text[:40] for section in leading.sections]
    tasks = next(button for button in leading.buttons if button.label == "Lead tasks")
    assert (await press_one(app, tasks, user="alex")).heading == "Your lead tasks"


async def test_help_for_one_command_and_for_what_it_does_not_know(app: Application) -> None:
    one = await say_one(app, "help register", user="robin")
    assert one.heading == "Help: register"
    assert one.text.startswith("`register <number> [private] [needs: <what you need>]` — ")
    assert [b.call for b in one.buttons] == [Call.of("help", topic="sessions"), Call("help")]
    unknown = await say_one(app, "help unicorns", user="robin")
    assert unknown.text.startswith("I have no help on “unicorns”.")
    assert _group_headings(unknown) == EVERYONE_GROUPS


async def test_the_leads_help_is_refused_politely_to_colleagues(app: Application) -> None:
    refused = await say_one(app, "help leading", user="robin")
    assert refused.text == "That part of help is for network leads. Type `help` to see yours."
    command = await say_one(app, "help create session", user="robin")
    assert command.text.startswith("`create session` is for network leads.")


# -- console ----------------------------------------------------------------------------


async def test_console_numbers_each_group_under_it_and_typing_one_opens_it(
    app: Application,
) -> None:
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch, Person("console", "robin"), io.StringIO("help\n2\n1\n"), out, False
    )
    await chat.run()
    shown = out.getvalue()
    assert "-- Sessions --\nFind webinars, trainings and socials; " in shown
    assert "pick a room.\n  [2] Sessions\n-- Ask a question --" in shown
    assert "== Help: Sessions ==" in shown
    assert "  [1] Upcoming sessions\n  [2] My sessions\n  [3] Awareness calendar\n" in shown
    # [1] on the Sessions page is the list of sessions itself.
    assert "== Sessions ==" in shown


# -- Slack ------------------------------------------------------------------------------


def _slack_text(body: dict[str, Any]) -> str:
    texts = []
    for block in body.get("blocks", []):
        if "text" in block:
            texts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if element.get("type") == "mrkdwn":
                texts.append(element["text"])
    return "\n".join(texts)


async def test_slack_help_is_grouped_and_its_buttons_open_each_group(app: Application) -> None:
    async with slack_harness(app) as slack:
        first = await slack_say(slack, "help")
        assert [b["text"]["text"] for b in slack_buttons(first)] == EVERYONE_GROUPS
        assert first["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "allybot help", "emoji": True},
        }
        assert "*Your data*\nSee everything I hold about you" in _slack_text(first)
        data = await slack_press(slack, slack_button(first, "Your data"))
        assert "`my data` — everything I hold about you, privately" in _slack_text(data)
        forget = next(b for b in slack_buttons(data) if b["text"]["text"] == "Forget me")
        assert forget["style"] == "danger"
        typed = await slack_say(slack, "help your data")
    assert _slack_text(typed) == _slack_text(data)


# -- Teams ------------------------------------------------------------------------------


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def test_teams_help_card_has_a_button_per_group_that_opens_it(
    app: Application, teams: Teams
) -> None:
    await teams.post(personal_message(teams.connector.url, "help"))
    card = teams.sent(PERSONAL_ROBIN)[-1]
    titles = [a["title"] for a in teams_actions(card.card) if a["type"] == "Action.Execute"]
    assert titles == EVERYONE_GROUPS
    assert "See the staff networks and how they meet" in card.shown_text
    sessions = teams_button(card, "Sessions")
    await teams.post(submit(teams.connector.url, sessions["fallback"]["data"]))
    opened = teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert "Help: Sessions" in opened and "Breakout rooms at socials" in opened
