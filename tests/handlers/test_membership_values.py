"""Networks, joining, leaving, `my`, the leads' member list, `help`, `forget me` and the App
Home through the real Slack and Teams adapters: every button carries a call (a phrase and
values, never command text) and does, pressed, what typing its words does."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import Application
from bot.messages import Call, Conversation, Person, Request
from bot.platforms.console import ConsoleChat
from storage.repositories import NetworkRepository
from tests.conftest import say_one
from tests.fakes.slack_api import slack_harness
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.handlers.test_membership import memberships_of
from tests.handlers.test_pages import add_members
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import (
    slack_button,
    slack_buttons,
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


def _shown(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)


async def _make_lead(app: Application, key: str) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, key, app.services.clock.now())


async def test_slack_details_join_agree_my_and_leave_buttons_act(app: Application) -> None:
    async with slack_harness(app) as slack:
        listed = await slack_say(slack, "networks")
        [details] = [
            button
            for button in slack_buttons(listed)
            if slack_call(button) == {"c": "network", "v": [["network", "pride"]]}
        ]
        network = await slack_press(slack, details)
        assert "Pride Network" in _shown(network)
        join = slack_button(network, "Join as an ally: Pride Network")
        assert slack_call(join) == {"c": "join", "v": [["network", "pride"], ["role", "ally"]]}
        consent = await slack_press(slack, join)
        assert "Before you join" in _shown(consent)
        agree = slack_button(consent, "I agree")
        assert slack_call(agree) == {"c": "agree", "v": []}
        welcome = await slack_press(slack, agree)
        assert "joined Pride Network as an ally" in _shown(welcome)
        assert await memberships_of(app, "U100") == [("pride", "ally")]
        mine = await slack_press(slack, slack_button(welcome, "My networks"))
        leave = slack_button(mine, "Leave: Pride Network")
        assert slack_call(leave) == {"c": "leave", "v": [["network", "pride"]]}
        left = await slack_press(slack, leave)
    assert "You've left Pride Network" in _shown(left)
    assert await memberships_of(app, "U100") == []


async def test_slack_help_networks_and_forget_me_buttons_act(app: Application) -> None:
    async with slack_harness(app) as slack:
        helped = await slack_say(slack, "help")
        about = await slack_press(slack, slack_button(helped, "Networks"))
        assert "the staff networks, how they meet" in _shown(about)
        networks = await slack_press(slack, slack_button(about, "See the networks"))
        assert "Staff networks" in _shown(networks)
        await slack_say(slack, "join pride")
        asking = await slack_say(slack, "forget me")
        confirm = slack_button(asking, "Yes, forget me")
        assert slack_call(confirm) == {"c": "forget me", "v": [["confirm", "yes"]]}
        done = await slack_press(slack, confirm)
    assert "I've removed everything I held about you" in _shown(done)


async def test_slack_the_members_more_button_carries_network_and_page(app: Application) -> None:
    await add_members(app, 45)
    await _make_lead(app, "slack:U100")
    async with slack_harness(app) as slack:
        first = await slack_say(slack, "members pride")
        more = slack_button(first, "More")
        assert slack_call(more) == {"c": "members", "v": [["network", "pride"], ["page", "2"]]}
        second = await slack_press(slack, more)
        assert "Showing 21-40 of 45." in _shown(second)
        third = await slack_press(slack, slack_button(second, "More"))
    assert "Showing 41-45 of 45. That's the end of the list." in _shown(third)


async def test_slack_app_home_buttons_carry_calls(app: Application) -> None:
    await _make_lead(app, "slack:ULEAD")
    opened = {"type": "app_home_opened", "user": "ULEAD", "channel": "DULEAD", "tab": "home"}
    async with slack_harness(app) as slack:
        await slack.event(opened, "Ev-home-values")
        [published] = await slack.api.wait_for_calls("views.publish")
        home = published.body["view"]
        networks = slack_button(home, "Networks")
        assert slack_call(networks) == {"c": "networks", "v": []}
        # A lead task that asks nothing is a call button on the home tab.
        questions = slack_button(home, "Questions (none waiting)")
        assert slack_call(questions) == {"c": "questions", "v": []}
        answer = await slack_press(slack, questions, user="ULEAD", channel="DULEAD")
        listed = await slack_press(slack, networks, user="ULEAD", channel="DULEAD")
    assert "no unanswered questions" in _shown(answer)
    assert "Staff networks" in _shown(listed)


async def test_teams_join_agree_and_leave_buttons_act(app: Application, teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "network pride"))
    join = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Join: Pride Network")
    assert join["data"] == {"call": {"c": "join", "v": [["network", "pride"]]}}
    status, body = await teams.post(execute(teams.connector.url, join["data"]))
    assert status == 200 and "Before you join" in _shown(body["value"])
    # The card is answered in place; the fallback (Action.Submit) presses the same call.
    await teams.post(submit(teams.connector.url, {"call": {"c": "agree", "v": []}}))
    assert "joined Pride Network as a member" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert await memberships_of(app, "29:robin") == [("pride", "member")]
    mine = teams.sent(PERSONAL_ROBIN)[-1]
    await teams.post(submit(teams.connector.url, teams_button(mine, "My networks")["data"]))
    leave = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Leave: Pride Network")
    await teams.post(submit(teams.connector.url, leave["fallback"]["data"]))
    assert "You've left Pride Network" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert await memberships_of(app, "29:robin") == []


async def test_teams_details_help_and_forget_me_buttons_act(app: Application, teams: Teams) -> None:
    await teams.post(personal_message(teams.connector.url, "networks"))
    listed = teams.sent(PERSONAL_ROBIN)[-1]
    details = teams_button(listed, "Details: Pride Network")
    status, body = await teams.post(execute(teams.connector.url, details["data"]))
    assert status == 200 and "Join as an ally: Pride Network" in _shown(body["value"])
    await teams.post(personal_message(teams.connector.url, "help"))
    about = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Networks")
    await teams.post(submit(teams.connector.url, about["fallback"]["data"]))
    networks = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "See the networks")
    await teams.post(submit(teams.connector.url, networks["fallback"]["data"]))
    assert "Staff networks" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    await teams.post(personal_message(teams.connector.url, "forget me"))
    confirm = teams_button(teams.sent(PERSONAL_ROBIN)[-1], "Yes, forget me")
    await teams.post(submit(teams.connector.url, confirm["fallback"]["data"]))
    assert "removed everything I held about you" in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_teams_the_members_more_button_acts(app: Application, teams: Teams) -> None:
    await add_members(app, 25)
    await _make_lead(app, "teams:29:robin")
    await teams.post(personal_message(teams.connector.url, "members pride"))
    # The list comes as a card, then its CSV through the file consent flow.
    [listed] = [sent for sent in teams.sent(PERSONAL_ROBIN) if "Showing 1-20" in sent.shown_text]
    more = teams_button(listed, "More")
    await teams.post(submit(teams.connector.url, more["fallback"]["data"]))
    assert "Showing 21-25 of 25." in teams.sent(PERSONAL_ROBIN)[-1].shown_text


async def test_each_button_shows_its_typed_words_and_the_console_presses_it(
    app: Application,
) -> None:
    network = await say_one(app, "network pride")
    assert [typed_for(app, button) for button in network.all_buttons] == [
        "join pride",
        "join pride as ally",
        "calendar link pride",
    ]
    consent = await press_one(app, network.all_buttons[1], user="robin")
    [agree] = consent.all_buttons
    assert agree.call == Call("agree") and typed_for(app, agree) == "agree"
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "robin"),
        io.StringIO("agree\n1\n1\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    assert "joined Pride Network as an ally" in shown
    assert "[1] Leave: Pride Network" in shown
    assert "You've left Pride Network" in shown


async def test_a_malformed_join_role_is_refused_by_name(app: Application) -> None:
    call = Call.of("join", network="pride", role="admin")
    [reply] = await app.router.dispatch(
        Request(Person("console", "you"), "", Conversation("D-private"), call=call)
    )
    assert reply.error_field == "role"
    assert await memberships_of(app, "you") == []
