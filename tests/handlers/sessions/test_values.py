"""The sessions forms and buttons carry values, through the real Slack and Teams adapters:
what is entered in the create, edit and access needs forms is stored exactly as entered
(`|`, newlines, colons, leading spaces), the create button fits however many networks a
person leads, and each kind of button acts when pressed."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from bot.config import Settings
from bot.messages import Person
from bot.platforms.console import ConsoleChat
from bot.platforms.slack.render import CALL_ACTION_PREFIX, FORM_ACTION_PREFIX, MAX_BUTTON_VALUE
from handlers.sessions.creating import purge_old_drafts
from storage.models import Network, NetworkLead, NetworkSession, SessionDraft, SessionRegistration
from storage.statuses import RegistrationStatus
from tests.conftest import NOW, say_one
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.fakes.teams_connector import FakeConnector, execute, personal_message, submit
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.platform_buttons import slack_click, slack_submission, teams_actions
from tests.support.pressing import press_one
from tests.support.sessions import add_session
from tests.support.values_commands import TRICKY, TRICKY_TITLE

NETWORKS = 20
CHOICES = ("network", "kind", "invite_only")
WHERE = "  Room 4 | floor: 2\nback door"
NEEDS = "  captions | a quiet room\nslides: in advance"
ENTERED = {
    "network": "net-20",
    "title": TRICKY_TITLE,
    "when": "13 Dec 2026 15:45",
    "duration": "75m",
    "kind": "training",
    "invite_only": "no",
    "where": WHERE,
    "capacity": "12",
    "description": TRICKY,
}


@pytest.fixture
def settings() -> Settings:
    return Settings(admins=("slack:U100",))


async def add_networks(app: Application, lead: str = "", led: int = 0) -> None:
    """Networks with long names up to `NETWORKS` in all; `lead` leads the first `led` added."""
    async with app.database.transaction() as session:
        have = len((await session.scalars(select(Network))).all())
        for number in range(have + 1, NETWORKS + 1):
            network = Network(
                slug=f"net-{number:02d}",
                name=f"Staff network number {number} for colleagues and their allies",
                created_at=NOW,
            )
            session.add(network)
            await session.flush()
            if lead and number - have <= led:
                session.add(NetworkLead(network_id=network.id, person_key=lead, added_at=NOW))


async def stored_session(app: Application, title: str) -> NetworkSession:
    async with app.database.transaction() as session:
        found = await session.scalar(select(NetworkSession).where(NetworkSession.title == title))
        assert found is not None
        return found


async def registration(app: Application, session_id: int) -> SessionRegistration:
    async with app.database.transaction() as session:
        found = await session.scalar(
            select(SessionRegistration).where(SessionRegistration.session_id == session_id)
        )
        assert found is not None
        return found


def assert_stored_as_entered(item: NetworkSession) -> None:
    assert item.title == TRICKY_TITLE
    assert item.description == TRICKY
    assert item.location == WHERE
    assert item.capacity == 12 and item.kind == "training" and item.duration_minutes == 75


# -- Slack -------------------------------------------------------------------------------


def _click(element: dict[str, Any], slack: SlackHarness, name: str) -> dict[str, Any]:
    return slack_click(element["action_id"], element["value"], slack.api.response_url(name))


def _submitted(view: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    return slack_submission(view, typed, choices=frozenset(CHOICES))


def _buttons(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["text"]["text"]: element
        for block in body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def _answer(slack: SlackHarness, count: int) -> dict[str, Any]:
    calls = await slack.api.wait_for_calls("response_url", count)
    body: dict[str, Any] = calls[count - 1].body
    return body


async def _open(slack: SlackHarness, button: dict[str, Any], opened: int) -> dict[str, Any]:
    assert button["action_id"].startswith(FORM_ACTION_PREFIX)
    await slack.interaction(_click(button, slack, f"open{opened}"))
    calls = await slack.api.wait_for_calls("views.open", opened)
    view: dict[str, Any] = calls[opened - 1].body["view"]
    return view


async def test_slack_an_admin_of_20_networks_creates_a_session_through_the_form(
    app: Application,
) -> None:
    await add_networks(app)
    async with slack_harness(app) as slack:
        await slack.command("create session", channel="D100")
        offer = await _answer(slack, 1)
        button = _buttons(offer)["Create session"]
        # A reference, not the form: small whatever the person leads.
        assert len(button["value"]) < 100 < MAX_BUTTON_VALUE
        view = await _open(slack, button, 1)
        [network] = [block for block in view["blocks"] if block["block_id"] == "network"]
        assert len(network["element"]["options"]) == NETWORKS
        status, text, _ = await slack.interaction(_submitted(view, ENTERED))
        assert status == 200 and text == ""
        preview = await _answer(slack, 2)
        assert "Please check this before I save it" in json.dumps(preview)
        create = _buttons(preview)["Create"]
        assert create["action_id"].startswith(CALL_ACTION_PREFIX)
        await slack.interaction(_click(create, slack, "create"))
        created = await _answer(slack, 3)
    assert "Created session" in json.dumps(created)
    assert_stored_as_entered(await stored_session(app, TRICKY_TITLE))


# An agenda of 2,500 characters, on many lines: too long for a button to carry.
LONG_AGENDA = "\n".join(f"{n:02d}. Talk | Q&A: part {n}  " + "x" * 80 for n in range(1, 27))[:2500]


async def test_slack_a_long_draft_keeps_its_create_button_and_creates_it_once(
    app: Application,
) -> None:
    await add_networks(app)
    assert len(LONG_AGENDA) == 2500
    async with slack_harness(app) as slack:
        await slack.command("create session", channel="D100")
        view = await _open(slack, _buttons(await _answer(slack, 1))["Create session"], 1)
        status, _, _ = await slack.interaction(
            _submitted(view, {**ENTERED, "description": LONG_AGENDA})
        )
        assert status == 200
        preview = await _answer(slack, 2)
        assert "Press Create to save it" in json.dumps(preview)
        # The button carries a reference to the saved draft, not the draft itself.
        create = _buttons(preview)["Create"]
        assert len(create["value"]) < 100
        await slack.interaction(_click(create, slack, "create"))
        assert "Created session" in json.dumps(await _answer(slack, 3))
        # Pressed again, it creates nothing more.
        await slack.interaction(_click(create, slack, "again"))
        assert "That draft is no longer here" in json.dumps(await _answer(slack, 4))
    item = await stored_session(app, TRICKY_TITLE)
    assert item.description == LONG_AGENDA and item.location == WHERE
    async with app.database.transaction() as session:
        created = select(NetworkSession).where(NetworkSession.title == TRICKY_TITLE)
        assert len((await session.scalars(created)).all()) == 1
        assert (await session.scalars(select(SessionDraft))).all() == []


async def test_a_draft_is_only_its_authors_and_only_for_a_day(
    app: Application, clock: FixedClock
) -> None:
    typed = (
        "create session pride | title: Long one | when: 13 Dec 2026 15:45"
        " | description: " + LONG_AGENDA.replace("|", "and")
    )
    # alex leads the Pride Network.
    [button] = (await say_one(app, typed, user="alex")).all_buttons
    assert button.call is not None and button.call.mapping.keys() == {"draft", "confirm"}
    # Someone else pressing it (an admin, even) hears it is not there.
    other = await press_one(app, button, user="U100", platform="slack")
    assert "That draft is no longer here" in other.text
    clock.set(clock.now() + timedelta(days=1, minutes=1))
    late = await press_one(app, button, user="alex")
    assert "That draft is no longer here" in late.text
    assert await purge_old_drafts(app.database, clock.now()) == 1


async def test_slack_the_edit_form_stores_what_is_entered(app: Application) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        await slack.command(f"session {session_id}", channel="D100")
        view = await _open(slack, _buttons(await _answer(slack, 1))["Edit session"], 1)
        edited = {"title": TRICKY_TITLE, "when": "13 Dec 2026 15:45", "duration": "75m"}
        edited |= {"where": WHERE, "capacity": "12", "description": TRICKY}
        status, text, _ = await slack.interaction(_submitted(view, edited))
        assert status == 200 and text == ""
        assert f"Session {session_id} updated" in json.dumps(await _answer(slack, 2))
    item = await stored_session(app, TRICKY_TITLE)
    assert item.description == TRICKY and item.location == WHERE and item.capacity == 12


async def test_slack_register_needs_and_cancel_buttons_act(app: Application) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        await slack.command(f"session {session_id}", channel="D100")
        register = _buttons(await _answer(slack, 1))["Register: Allyship basics"]
        assert json.loads(register["value"]) == {
            "c": "register",
            "v": [["session", str(session_id)]],
        }
        await slack.interaction(_click(register, slack, "register"))
        registered = await _answer(slack, 2)
        assert "You're registered" in json.dumps(registered)
        view = await _open(slack, _buttons(registered)["Add access needs: Allyship basics"], 1)
        status, text, _ = await slack.interaction(_submitted(view, {"needs": NEEDS}))
        assert status == 200 and text == ""
        thanked = await _answer(slack, 3)
        assert (await registration(app, session_id)).access_needs == NEEDS
        cancel = _buttons(thanked)["Cancel: Allyship basics"]
        await slack.interaction(_click(cancel, slack, "cancel"))
        assert "cancelled your place" in json.dumps(await _answer(slack, 4))
    assert (await registration(app, session_id)).status == RegistrationStatus.CANCELLED


# -- Teams -------------------------------------------------------------------------------


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


def _titled(teams: Teams, title: str, kind: str) -> dict[str, Any]:
    card = teams.sent(PERSONAL_ROBIN)[-1].card
    return next(a for a in teams_actions(card) if a.get("title") == title and a["type"] == kind)


def _form_data(teams: Teams, title: str) -> dict[str, Any]:
    data: dict[str, Any] = _titled(teams, title, "Action.ShowCard")["card"]["actions"][0]["data"]
    return data


async def test_teams_a_lead_of_6_creates_a_session_through_the_card_form(
    app: Application, teams: Teams
) -> None:
    await add_networks(app, lead="teams:29:robin", led=6)
    await teams.post(personal_message(teams.connector.url, "create session"))
    data = _form_data(teams, "Create session")
    [network] = [item for item in data["form"]["fields"] if item["name"] == "network"]
    assert len(network["choices"]) == 6
    entered = {**ENTERED, "network": network["choices"][5][1]}
    status, _ = await teams.post(submit(teams.connector.url, {**data, **entered}))
    assert status == 201
    assert f"New session: {TRICKY_TITLE}" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    create = _titled(teams, "Create", "Action.Execute")
    status, body = await teams.post(execute(teams.connector.url, create["data"]))
    assert status == 200 and "Created session" in json.dumps(body["value"])
    assert_stored_as_entered(await stored_session(app, TRICKY_TITLE))


async def test_teams_register_and_the_needs_form(app: Application, teams: Teams) -> None:
    session_id = await add_session(app)
    await teams.post(personal_message(teams.connector.url, f"session {session_id}"))
    register = _titled(teams, "Register: Allyship basics", "Action.Execute")
    status, body = await teams.post(execute(teams.connector.url, register["data"]))
    assert status == 200 and "You're registered" in json.dumps(body["value"])
    await teams.post(personal_message(teams.connector.url, f"session {session_id}"))
    data = _form_data(teams, "Add access needs: Allyship basics")
    await teams.post(submit(teams.connector.url, {**data, "needs": NEEDS}))
    assert "passed your access needs" in teams.sent(PERSONAL_ROBIN)[-1].shown_text
    assert (await registration(app, session_id)).access_needs == NEEDS


# -- Console -----------------------------------------------------------------------------


async def test_console_buttons_show_what_to_type_and_act(app: Application) -> None:
    session_id = await add_session(app)
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "kim"),
        io.StringIO(f"session {session_id}\n2\nsession {session_id}\n1\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    assert f"type `register {session_id} …`" in shown
    assert "You're registered" in shown
    assert (await registration(app, session_id)).status == RegistrationStatus.REGISTERED
