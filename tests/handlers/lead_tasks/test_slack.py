"""Lead tasks on Slack, through the real Bolt app and the fake Slack Web API: the App Home a
colleague and a lead (alex, leading two networks) see, and each lead form opened as a modal
and submitted, doing its task end to end."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import Application
from bot.platforms.slack.render import FORM_ACTION_PREFIX
from storage.models import NetworkSession, SessionRegistration, User
from storage.repositories import NetworkRepository
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.handlers.questions.helpers import stored_questions
from tests.support.platform_buttons import slack_buttons, slack_click, slack_submission
from tests.support.sessions import add_session

ALEX = "UALEX"
TASKS = (
    "Create session",
    "Invite",
    "Mark attendance",
    "Add a recording",
    "Schedule an announcement",
    "Awareness calendar",
    "Outbox",
    "Report",
)


async def lead_two(app: Application, key: str) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        for slug in ("pride", "neurodiversity"):
            found = await networks.by_slug(slug)
            assert found is not None
            await networks.add_lead(found.id, key, app.services.clock.now())


async def ask_pride(app: Application, question: str, user: str = "robin") -> None:
    """`user` asks the Pride leads `question`, anonymously, and sends it."""
    await say_one(app, f"ask leads pride {question}", user=user)
    [stored] = [item for item in await stored_questions(app) if item.text == question]
    await say_one(app, f"send question {stored.id}", user=user)


async def past_session_with(app: Application, title: str, *people: str) -> int:
    """A session `people` (Slack ids) registered for, which started yesterday."""
    session_id = await add_session(app, title=title)
    for user in people:
        await say_one(app, f"register {session_id}", user=user, platform="slack")
    async with app.database.transaction() as session:
        item = await session.get(NetworkSession, session_id)
        assert item is not None
        item.starts_at = app.services.clock.now() - timedelta(days=1)
    return session_id


async def attendance_of(app: Application, session_id: int) -> list[tuple[str, bool]]:
    async with app.database.transaction() as session:
        rows = await session.execute(
            select(User.external_id, SessionRegistration.attended)
            .join(User, User.id == SessionRegistration.user_id)
            .where(SessionRegistration.session_id == session_id)
            .order_by(User.external_id)
        )
        return [(name, bool(attended)) for name, attended in rows.all()]


def _labels(view: dict[str, Any]) -> list[str]:
    return [element["text"]["text"] for element in slack_buttons(view)]


def _texts(view: dict[str, Any]) -> str:
    return json.dumps(
        [block.get("text", {}).get("text", "") for block in view["blocks"] if "text" in block]
    )


async def _home(slack: SlackHarness, user: str, event: str) -> dict[str, Any]:
    before = len(slack.api.of("views.publish"))
    opened = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    await slack.event(opened, event)
    published = await slack.api.wait_for_calls("views.publish", before + 1)
    view: dict[str, Any] = published[-1].body["view"]
    return view


async def test_the_app_home_of_a_lead_of_two_networks_is_buttons(app: Application) -> None:
    await lead_two(app, f"slack:{ALEX}")
    await add_session(app, network="pride", title="Past basics", starts_in=timedelta(days=-2))
    await add_session(app, network="pride", title="Coming basics")
    await ask_pride(app, "is there a trans support group?")
    async with slack_harness(app) as slack:
        view = await _home(slack, ALEX, "Ev-home-lead")
    texts = _texts(view)
    labels = _labels(view)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "Pride Network" in texts and "Neurodiversity Network" in texts
    # Pride has sessions to choose from and a question waiting; both networks get the rest.
    for task in TASKS:
        assert task in labels, (task, labels)
    assert labels.count("Create session") == 2 and labels.count("Report") == 2
    assert "Answer questions (1 waiting)" in labels
    assert "1 question waiting" in texts
    # Your networks names what alex leads instead of saying they have joined none.
    assert "Lead of Pride Network" in texts and "Lead of Neurodiversity Network" in texts
    assert "haven't joined any networks" not in texts
    # No wall of command syntax: no usage lines, no `|` grammar, every block short.
    assert "<number>" not in texts and "key: value" not in texts and " | " not in texts
    assert all(len(block.get("text", {}).get("text", "")) < 600 for block in view["blocks"])
    # Forms open from the tab by reference: each task that asks something is a form button.
    forms = {
        element["text"]["text"]
        for element in slack_buttons(view)
        if element["action_id"].startswith(FORM_ACTION_PREFIX)
    }
    assert {"Invite", "Mark attendance", "Add a recording", "Create session"} <= forms


async def test_the_app_home_of_a_colleague_shows_their_networks_and_places(
    app: Application,
) -> None:
    session_id = await add_session(app, network="pride", title="Allyship basics")
    async with slack_harness(app) as slack:
        await slack.command("join pride as ally", channel="DU100", user="U100")
        await slack.command("agree", channel="DU100", user="U100")
        await slack.command(f"register {session_id}", channel="DU100", user="U100")
        await slack.adapter.drain()
        view = await _home(slack, "U100", "Ev-home-colleague")
    texts, labels = _texts(view), _labels(view)
    assert "Pride Network: ally" in texts
    assert "Allyship basics" in texts
    assert {"Help", "Sessions", "Networks"} <= set(labels)
    assert "Your lead tasks" not in texts and "Create session" not in labels
    # Sessions coming up are named, with a button for the list, not given as commands.
    blocks = view["blocks"]
    [heading] = [n for n, b in enumerate(blocks) if b.get("text", {}).get("text") == "Coming up"]
    assert "Allyship basics" in blocks[heading + 1]["text"]["text"]
    assert "`" not in blocks[heading + 1]["text"]["text"] and "All sessions" in labels


# -- each lead form, as a modal ------------------------------------------------------------


async def _lead_buttons(slack: SlackHarness, count: int) -> dict[str, dict[str, Any]]:
    await slack.command("lead pride", channel="D100", user="U100")
    answers = await slack.api.wait_for_calls("response_url", count)
    return {element["text"]["text"]: element for element in slack_buttons(answers[-1].body)}


async def _open(slack: SlackHarness, element: dict[str, Any], name: str) -> dict[str, Any]:
    before = len(slack.api.of("views.open"))
    await slack.interaction(
        slack_click(element["action_id"], element["value"], slack.api.response_url(name))
    )
    opened = await slack.api.wait_for_calls("views.open", before + 1)
    view: dict[str, Any] = opened[-1].body["view"]
    return view


def _options(view: dict[str, Any], field: str) -> list[tuple[str, str]]:
    [block] = [block for block in view["blocks"] if block["block_id"] == field]
    return [(o["text"]["text"], o["value"]) for o in block["element"]["options"]]


async def _submit(
    slack: SlackHarness,
    view: dict[str, Any],
    entered: dict[str, str],
    choices: frozenset[str],
    answers: int,
) -> dict[str, Any]:
    status, text, _ = await slack.interaction(slack_submission(view, entered, choices=choices))
    assert status == 200 and text == "", text
    calls = await slack.api.wait_for_calls("response_url", answers)
    body: dict[str, Any] = calls[answers - 1].body
    return body


async def test_slack_mark_attendance_choose_a_session_then_tick_people(app: Application) -> None:
    await lead_two(app, "slack:U100")
    past = await past_session_with(app, "Past basics", "U201", "U202", "U203")
    async with slack_harness(app) as slack:
        view = await _open(slack, (await _lead_buttons(slack, 1))["Mark attendance"], "att")
        assert [value for _, value in _options(view, "session")] == [str(past)]
        assert "Past basics" in _options(view, "session")[0][0]
        answer = await _submit(slack, view, {"session": str(past)}, frozenset({"session"}), 2)
        [tick] = [e for e in slack_buttons(answer) if e["text"]["text"] == "Tick who attended"]
        people = await _open(slack, tick, "tick")
        [block] = people["blocks"]
        assert block["element"]["type"] == "multi_static_select"
        values = [option["value"] for option in block["element"]["options"]]
        assert values == ["all", "slack:U201", "slack:U202", "slack:U203"]
        ticked = {
            "type": "multi_static_select",
            "selected_options": [{"value": "slack:U201"}, {"value": "slack:U203"}],
        }
        submitted = slack_submission(people, {})
        submitted["view"]["state"]["values"] = {"people": {"value": ticked}}
        status, _, _ = await slack.interaction(submitted)
        assert status == 200
        done = await slack.api.wait_for_calls("response_url", 3)
    assert "Marked 2 people as attending Past basics" in json.dumps(done[-1].body)
    assert await attendance_of(app, past) == [("U201", True), ("U202", False), ("U203", True)]


async def test_slack_add_a_recording_through_the_form(
    app: Application, messenger: RecordingMessenger
) -> None:
    await lead_two(app, "slack:U100")
    past = await past_session_with(app, "Past basics", "U201")
    async with slack_harness(app) as slack:
        view = await _open(slack, (await _lead_buttons(slack, 1))["Add a recording"], "rec")
        # A link that is not one comes back on its field, and nothing is stored.
        bad = slack_submission(
            view, {"session": str(past), "url": "video dot example"}, choices=frozenset({"session"})
        )
        status, text, _ = await slack.interaction(bad)
        assert status == 200 and "url" in json.loads(text)["errors"]
        url = "https://video.example/rec?id=1&t=2"
        done = await _submit(
            slack, view, {"session": str(past), "url": url}, frozenset({"session"}), 2
        )
    assert "sent privately to the 1 person who had a place" in json.dumps(done)
    async with app.database.transaction() as session:
        item = await session.get(NetworkSession, past)
        assert item is not None and item.recording_url == url
    assert any(
        url in notice.reply.text
        for notice in messenger.sent
        if notice.recipient_key == "slack:U201"
    )


async def test_slack_answer_a_waiting_question_through_the_form(
    app: Application, messenger: RecordingMessenger
) -> None:
    await lead_two(app, "slack:U100")
    await ask_pride(app, "is there a trans support group?")
    answer = "Yes: every other Thursday.\n\nAsk | join at the front desk."
    async with slack_harness(app) as slack:
        buttons = await _lead_buttons(slack, 1)
        view = await _open(slack, buttons["Answer questions (1 waiting)"], "ans")
        [(label, question)] = _options(view, "question")
        assert label == "is there a trans support group?"
        done = await _submit(
            slack, view, {"question": question, "answer": answer}, frozenset({"question"}), 2
        )
    assert "on its way to the asker" in json.dumps(done)
    [notice] = [n for n in messenger.sent if n.recipient_key == "console:robin"]
    assert answer in notice.reply.text  # its lines and `|` exactly as written


async def test_slack_invite_people_through_the_form(
    app: Application, messenger: RecordingMessenger
) -> None:
    await lead_two(app, "slack:U100")
    coming = await add_session(app, title="Coming basics", invite_only=True)
    async with slack_harness(app) as slack:
        view = await _open(slack, (await _lead_buttons(slack, 1))["Invite"], "inv")
        # The lead's sessions coming up, soonest first, by title and date.
        assert ("Coming basics" in _options(view, "session")[0][0]) and str(coming) in {
            value for _, value in _options(view, "session")
        }
        [people] = [block for block in view["blocks"] if block["block_id"] == "people"]
        assert people["element"]["type"] == "multi_users_select"  # Slack's people picker
        submitted = slack_submission(view, {"session": str(coming)}, choices=frozenset({"session"}))
        picked = {"type": "multi_users_select", "selected_users": ["U301", "U302"]}
        submitted["view"]["state"]["values"]["people"] = {"value": picked}
        status, text, _ = await slack.interaction(submitted)
        assert status == 200 and text == ""
        done = (await slack.api.wait_for_calls("response_url", 2))[-1].body
    assert "Invited 2 people to Coming basics" in json.dumps(done)
    invited = {n.recipient_key for n in messenger.sent if "You're invited" in n.reply.text}
    assert invited == {"slack:U301", "slack:U302"}


async def test_a_form_opened_from_the_app_home_answers_in_the_direct_message(
    app: Application,
) -> None:
    await lead_two(app, f"slack:{ALEX}")
    past = await past_session_with(app, "Past basics", "U201")
    async with slack_harness(app) as slack:
        home = await _home(slack, ALEX, "Ev-home-form")
        [button] = [e for e in slack_buttons(home) if e["text"]["text"] == "Add a recording"]
        # A press on the Home tab: no channel and no response_url.
        click = slack_click(button["action_id"], button["value"], "")
        click.update(user={"id": ALEX, "username": "alex"}, container={"type": "view"})
        del click["channel"], click["response_url"]
        await slack.interaction(click)
        [opened] = await slack.api.wait_for_calls("views.open")
        view = opened.body["view"]
        url = "https://video.example/past"
        submitted = slack_submission(
            view, {"session": str(past), "url": url}, choices=frozenset({"session"})
        )
        submitted["user"] = {"id": ALEX, "username": "alex"}
        status, _, _ = await slack.interaction(submitted)
        assert status == 200
        posted = await slack.api.wait_for_calls("chat.postMessage")
    assert any("sent privately" in json.dumps(call.body) for call in posted)
    async with app.database.transaction() as session:
        item = await session.get(NetworkSession, past)
        assert item is not None and item.recording_url == url


async def test_a_networks_create_session_button_on_the_app_home_offers_only_that_network(
    app: Application,
) -> None:
    await lead_two(app, f"slack:{ALEX}")
    async with slack_harness(app) as slack:
        home = await _home(slack, ALEX, "Ev-home-create")
        # Each network's section has its own Create session button.
        first, second = [e for e in slack_buttons(home) if e["text"]["text"] == "Create session"]
        opened = []
        for number, button in enumerate((first, second)):
            click = slack_click(button["action_id"], button["value"], "")
            click.update(user={"id": ALEX, "username": "alex"}, container={"type": "view"})
            del click["channel"], click["response_url"]
            await slack.interaction(click)
            calls = await slack.api.wait_for_calls("views.open", number + 1)
            opened.append(calls[number].body["view"])
    # Each opens the form for its own network only, not for every network alex leads.
    offered = [_options(view, "network") for view in opened]
    assert sorted(offered) == [
        [("Neurodiversity Network", "neurodiversity")],
        [("Pride Network", "pride")],
    ]
