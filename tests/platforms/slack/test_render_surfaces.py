"""The main surfaces as Slack shows them, through the real Bolt app and the fake Web API:
each message keeps to Block Kit's limits, names people rather than showing their ids,
shows typed text once escaped, says when a list is cut and offers the rest, names the item
each button acts on (destructive ones styled danger), and reads as buttons, not syntax;
the App Home likewise for a colleague and for a lead. The Slack twin of
`tests/platforms/teams/test_render_surfaces.py`."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from bot.app import Application
from bot.platforms.slack.render import (
    MAX_ACTIONS,
    MAX_BLOCKS_PER_MESSAGE,
    MAX_BLOCKS_PER_VIEW,
    MAX_BUTTON_LABEL,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER,
    MAX_TEXT,
)
from storage.repositories import NetworkRepository
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.support.platform_buttons import (
    slack_button,
    slack_buttons,
    slack_click,
    slack_press,
    slack_say,
)
from tests.support.sessions import add_session

LEAD = "ULEADPRIDE"
# A Slack user id outside a mention: what a person should never have to read.
_BARE_ID = re.compile(r"(?<![@\w])U[0-9A-Z]{6,}\b")
_CODE = re.compile(r"`[^`\n]+`")
# Commands shown as shortcuts beside the buttons; the consent text names the five ways to
# see and undo what joining keeps, and that is the most any surface needs.
MOST_COMMANDS = 5


def texts(blocks: list[dict[str, Any]], *, footnotes: bool = True) -> list[str]:
    """Every piece of text a person reads in these blocks, button labels included (and the
    small print of context blocks, unless `footnotes` is false)."""
    found: list[str] = []
    for block in blocks:
        if block["type"] in ("section", "header") and "text" in block:
            found.append(block["text"]["text"])
        found.extend(field["text"] for field in block.get("fields", []))
        if block["type"] == "context" and footnotes:
            found.extend(part["text"] for part in block["elements"])
        if block["type"] == "actions":
            found.extend(element["text"]["text"] for element in block["elements"])
        if block["type"] == "input":
            found.append(block["label"]["text"])
    return found


def assert_within_block_kit(blocks: list[dict[str, Any]], most_blocks: int) -> None:
    """Slack refuses a message or view past these limits, or cuts what it shows."""
    assert 0 < len(blocks) <= most_blocks, len(blocks)
    action_ids: list[str] = []
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= MAX_TEXT
            assert len(block.get("fields", [])) <= MAX_FIELDS
            assert all(len(f["text"]) <= MAX_FIELD_TEXT for f in block.get("fields", []))
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= MAX_ACTIONS
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= MAX_BUTTON_LABEL, element["text"]
                action_ids.append(element["action_id"])
    assert len(action_ids) == len(set(action_ids)), action_ids


def assert_reads_well(blocks: list[dict[str, Any]]) -> None:
    """Names, not ids; text escaped once; no wall of commands to type, and the one-line
    `|` grammar only ever as a footnote beside the button that does the same."""
    shown = texts(blocks)
    for text in shown:
        assert not _BARE_ID.search(text), text
        assert "&amp;amp;" not in text and "&amp;lt;" not in text, text
    for text in texts(blocks, footnotes=False):
        assert " | " not in text, text
    commands = sum(len(_CODE.findall(text)) for text in shown)
    assert commands <= MOST_COMMANDS, [t for t in shown if _CODE.search(t)]


def labels(body: dict[str, Any]) -> list[str]:
    return [element["text"]["text"] for element in slack_buttons(body)]


async def _lead_pride(app: Application, key: str) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.add_lead(pride.id, key, app.services.clock.now())


async def _home(slack: SlackHarness, user: str, event: str) -> dict[str, Any]:
    before = len(slack.api.of("views.publish"))
    opened = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    await slack.event(opened, event)
    published = await slack.api.wait_for_calls("views.publish", before + 1)
    view: dict[str, Any] = published[-1].body["view"]
    return view


# What a colleague and a lead ask for, and words each answer must show.
SURFACES = {
    "help": ["Networks", "Sessions", "Ask a question", "Your data"],
    "networks": ["Pride Network", "Details: Pride Network"],
    "network pride": ["Leads", "Pat Lead", "Join: Pride Network"],
    "join pride": ["Before you join", "I agree"],
    "sessions": ["Register: Q&amp;A: allyship at work", "Details: Q&amp;A: allyship at work"],
    "calendar": ["Awareness calendar", "Subscribe: Pride Network"],
    "topics 1": ["Breakout topics", "Hosted by Pat Lead", "Propose a topic"],
    "hi": ["Hello"],
    "thanks": ["welcome"],
}


async def test_every_main_surface_keeps_to_block_kit_and_reads_well(app: Application) -> None:
    await _lead_pride(app, f"slack:{LEAD}")
    await add_session(app, title="Q&A: allyship at work", starts_in=timedelta(days=1))
    async with slack_harness(app) as slack:
        slack.api.user(LEAD, display_name="Pat Lead")
        slack.api.user("U100", display_name="Robin")
        await slack_say(slack, "breakouts 1 rounds: 1", user=LEAD)
        await slack_say(slack, "host 1 Speaking up in meetings", user=LEAD)
        for text, wanted in SURFACES.items():
            body = await slack_say(slack, text)
            assert_within_block_kit(body["blocks"], MAX_BLOCKS_PER_MESSAGE)
            assert_reads_well(body["blocks"])
            shown = json.dumps(body["blocks"], ensure_ascii=False)
            for words in wanted:
                assert words in shown, (text, words)
        # The lead's own surfaces.
        for text in ("lead", "help", "create session", "announce pride"):
            body = await slack_say(slack, text, user=LEAD)
            assert_within_block_kit(body["blocks"], MAX_BLOCKS_PER_MESSAGE)
            assert_reads_well(body["blocks"])


async def test_a_registration_is_confirmed_with_named_buttons_and_its_calendar_file(
    app: Application,
) -> None:
    number = await add_session(app, title="Q&A: allyship at work", starts_in=timedelta(days=2))
    async with slack_harness(app) as slack:
        body = await slack_say(slack, f"session {number}")
        assert_within_block_kit(body["blocks"], MAX_BLOCKS_PER_MESSAGE)
        register = slack_button(body, "Register: Q&amp;A: allyship at work")
        confirmed = await slack_press(slack, register)
        await slack.adapter.drain()
        uploaded = slack.api.uploaded
    assert_within_block_kit(confirmed["blocks"], MAX_BLOCKS_PER_MESSAGE)
    assert_reads_well(confirmed["blocks"])
    shown = " ".join(texts(confirmed["blocks"]))
    assert "You're registered for Q&amp;A: allyship at work" in shown
    [cancel] = [e for e in slack_buttons(confirmed) if e["text"]["text"].startswith("Cancel")]
    assert cancel["text"]["text"] == "Cancel: Q&amp;A: allyship at work"
    assert cancel["style"] == "danger"
    # The calendar file the reply speaks of arrives, as a file, in the person's DM.
    assert [(f.name, f.channel) for f in uploaded] == [(f"session-{number}.ics", "DU100")]
    assert b"Q&A: allyship at work" in uploaded[0].data


async def test_a_dozen_bookings_are_cut_with_a_word_and_more_and_every_cancel_is_named(
    app: Application,
) -> None:
    titles = [f"Allyship circle {n}" for n in range(1, 13)]
    numbers = [
        await add_session(app, title=title, starts_in=timedelta(days=n))
        for n, title in enumerate(titles, start=1)
    ]
    async with slack_harness(app) as slack:
        for number in numbers:
            await slack_say(slack, f"register {number}")
        # `sessions` used to stop at ten without a word: it says so and offers the rest.
        sessions = await slack_say(slack, "sessions")
        assert "Showing 1-10 of 15" in " ".join(texts(sessions["blocks"]))
        rest = await slack_press(slack, slack_button(sessions, "More"))
        seen = labels(sessions) + labels(rest)
        for title in titles:
            assert f"Cancel: {title}" in seen, title
        mine = await slack_say(slack, "my")
    assert_within_block_kit(mine["blocks"], MAX_BLOCKS_PER_MESSAGE)
    assert_reads_well(mine["blocks"])
    # Its heading says what it holds (it was a bare "Yours").
    assert mine["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Your networks and sessions", "emoji": True},
    }
    cancels = [e for e in slack_buttons(mine) if e["text"]["text"].startswith("Cancel")]
    assert [e["text"]["text"] for e in cancels] == [f"Cancel: {t}" for t in titles[:10]]
    assert {e.get("style") for e in cancels} == {"danger"}
    assert "Showing 1-10 of 12" in " ".join(texts(mine["blocks"]))
    more = slack_button(mine, "More")
    async with slack_harness(app) as slack:
        last = await slack_press(slack, more)
    assert [e["text"]["text"] for e in slack_buttons(last) if "Cancel" in e["text"]["text"]] == [
        f"Cancel: {t}" for t in titles[10:]
    ]


async def test_the_app_home_of_a_colleague_and_of_a_lead(app: Application) -> None:
    await _lead_pride(app, f"slack:{LEAD}")
    await add_session(app, title="Q&A: allyship at work", starts_in=timedelta(days=1))
    async with slack_harness(app) as slack:
        slack.api.user(LEAD, display_name="Pat Lead")
        await slack.command("register 1", channel="D100", user="U100")
        await slack.adapter.drain()
        colleague = await _home(slack, "U100", "Ev-home-colleague")
        lead = await _home(slack, LEAD, "Ev-home-lead")
    for view in (colleague, lead):
        assert view["type"] == "home"
        assert_within_block_kit(view["blocks"], MAX_BLOCKS_PER_VIEW)
        assert_reads_well(view["blocks"])
    colleague_text = " ".join(texts(colleague["blocks"]))
    assert "Your lead tasks" not in colleague_text
    assert "Coming up" in colleague_text and "Awareness calendar" in colleague_text
    assert "Cancel: Creating LGBT+ inclusive spaces" in labels(colleague)
    # A lead's tasks are buttons, and "Your networks" says what they lead.
    lead_text = " ".join(texts(lead["blocks"]))
    assert "Your lead tasks" in lead_text and "Lead of Pride Network" in lead_text
    assert "You haven't joined any networks yet" not in lead_text
    for task in ("Create session", "Schedule an announcement", "Report", "Outbox"):
        assert task in labels(lead), task
    # The whole lead home is no wall: a short text at most per block.
    assert max(len(text) for text in texts(lead["blocks"])) < 1000


async def test_create_session_from_a_network_opens_with_that_network_chosen(
    app: Application,
) -> None:
    await _lead_pride(app, f"slack:{LEAD}")
    async with slack_harness(app) as slack:
        tasks = await slack_say(slack, "lead", user=LEAD)
        create = next(e for e in slack_buttons(tasks) if e["text"]["text"] == "Create session")
        await slack.interaction(
            {
                **slack_click(create["action_id"], create["value"], slack.api.response_url("c")),
                "user": {"id": LEAD, "username": "pat"},
            }
        )
        [opened] = await slack.api.wait_for_calls("views.open")
    view = opened.body["view"]
    assert_within_block_kit(view["blocks"], MAX_BLOCKS_PER_VIEW)
    [network] = [block for block in view["blocks"] if block["block_id"] == "network"]
    assert network["element"]["initial_option"]["value"] == "pride"
    [places] = [block for block in view["blocks"] if block["block_id"] == "capacity"]
    assert places["element"]["placeholder"]["text"] == "Leave empty for no limit"
