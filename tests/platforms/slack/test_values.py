"""Values, not text, through the real Bolt AsyncApp and a fake Slack Web API: a form
button carries only a reference, the modal is built by the router's form registry, and
every submitted value reaches the handler's typed arguments exactly as entered."""

from __future__ import annotations

import json
from typing import Any

from bot.app import Application
from bot.platforms.slack.codec import form_to_json
from bot.platforms.slack.render import CALL_ACTION_PREFIX, FORM_ACTION_PREFIX, MAX_BUTTON_VALUE
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.support.platform_buttons import slack_click, slack_submission
from tests.support.values_commands import NETWORKS, TRICKY, TRICKY_TITLE, Note, register_notes


def _click(value: str, action_id: str, response_url: str) -> dict[str, Any]:
    return slack_click(action_id, value, response_url, channel="C200")


def _submitted(view: dict[str, Any], **typed: str) -> dict[str, Any]:
    return slack_submission(view, typed, choices=frozenset({"network"}))


async def _offered(slack: SlackHarness) -> list[dict[str, Any]]:
    await slack.command("offer note", channel="C200")
    # The newest answer: a test may have asked before, on the same fake Slack.
    offer = (await slack.api.wait_for_calls("response_url"))[-1]
    return [
        element
        for block in offer.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def _open_modal(slack: SlackHarness) -> dict[str, Any]:
    form_button = next(
        b for b in await _offered(slack) if b["action_id"].startswith(FORM_ACTION_PREFIX)
    )
    await slack.interaction(
        _click(form_button["value"], form_button["action_id"], slack.api.response_url("o"))
    )
    [opened] = await slack.api.wait_for_calls("views.open")
    assert opened.body["trigger_id"] == "trigger.click"
    view: dict[str, Any] = opened.body["view"]
    return view


async def test_a_form_button_carries_a_small_reference_and_opens_the_built_modal(
    app: Application,
) -> None:
    register_notes(app)
    async with slack_harness(app) as slack:
        buttons = await _offered(slack)
        form_button = next(b for b in buttons if b["action_id"].startswith(FORM_ACTION_PREFIX))
        # However many networks the form offers, the button holds only the reference.
        assert len(form_button["value"]) < 100
        assert json.loads(form_button["value"]) == {"f": "note-form", "p": [["session", "7"]]}
        view = await _open_modal(slack)
    [network_block] = [block for block in view["blocks"] if block["block_id"] == "network"]
    assert len(network_block["element"]["options"]) == NETWORKS
    # The whole form would not have fitted in a button value at all.
    from tests.support.values_commands import note_form

    whole = await note_form(None, {"session": "7"})  # type: ignore[arg-type]
    assert len(form_to_json(whole)) > MAX_BUTTON_VALUE
    assert len(view["private_metadata"]) < 300


async def test_modal_values_arrive_unchanged_in_the_handlers_arguments(app: Application) -> None:
    received = register_notes(app)
    async with slack_harness(app) as slack:
        view = await _open_modal(slack)
        status, text, _ = await slack.interaction(
            _submitted(view, title=TRICKY_TITLE, description=TRICKY, network="network-20")
        )
        assert status == 200 and text == ""
        answers = await slack.api.wait_for_calls("response_url", 2)
    assert "Saved note 7." in json.dumps(answers[-1].body)
    assert received.notes == [
        Note(session=7, title=TRICKY_TITLE, description=TRICKY, network="network-20")
    ]


async def test_a_malformed_value_comes_back_next_to_its_field(app: Application) -> None:
    received = register_notes(app)
    async with slack_harness(app) as slack:
        view = await _open_modal(slack)
        status, text, _ = await slack.interaction(
            _submitted(view, title="t", network="network-01", count="abc")
        )
        assert status == 200
        assert json.loads(text) == {
            "response_action": "errors",
            "errors": {"count": "Please enter a whole number for count, like 3."},
        }
        # Checked before anything runs: a required field left as spaces.
        status, text, _ = await slack.interaction(_submitted(view, title="   ", network="x"))
        assert json.loads(text)["errors"] == {
            "title": "Please fill in “Title”.",
            "network": "Please pick one of the options.",
        }
    assert received.notes == []


async def test_a_call_button_carries_its_values_not_text(app: Application) -> None:
    received = register_notes(app)
    async with slack_harness(app) as slack:
        call_button = next(
            b for b in await _offered(slack) if b["action_id"].startswith(CALL_ACTION_PREFIX)
        )
        assert json.loads(call_button["value"]) == {
            "c": "note",
            "v": [["session", "7"], ["title", TRICKY_TITLE]],
        }
        await slack.interaction(
            _click(call_button["value"], call_button["action_id"], slack.api.response_url("c"))
        )
        await slack.api.wait_for_calls("response_url", 2)
    assert received.notes == [Note(session=7, title=TRICKY_TITLE)]


async def test_typed_words_are_parsed_by_the_same_spec(app: Application) -> None:
    received = register_notes(app)
    async with slack_harness(app) as slack:
        # Only the command phrase is folded: the spec reads the rest as typed, lines and all.
        await slack.command("NOTE \t 7 Intro | Q&A:\n  close", channel="D100")
        await slack.api.wait_for_calls("response_url")
    assert received.notes == [Note(session=7, title="Intro", description="Q&A:\n  close")]


async def test_a_form_that_can_no_longer_be_built_is_answered_kindly(app: Application) -> None:
    register_notes(app)
    async with slack_harness(app) as slack:
        value = json.dumps({"f": "gone", "p": []})
        await slack.interaction(
            _click(value, f"{FORM_ACTION_PREFIX}1", slack.api.response_url("g"))
        )
        [answer] = await slack.api.wait_for_calls("response_url")
        assert slack.api.of("views.open") == []
    assert "out of date" in json.dumps(answer.body)
