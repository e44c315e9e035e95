"""Finding and pressing buttons the way people do: in a Slack message (block_actions) and in
a Teams card (Action.Execute, or Action.Submit for clients without it)."""

from __future__ import annotations

import json
from typing import Any

from bot.platforms.slack.render import CALL_ACTION_PREFIX
from tests.fakes.slack_api import SlackHarness
from tests.fakes.teams_connector import Recorded


def slack_buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button in a Slack message body, in reading order."""
    return [
        element
        for block in body.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def slack_button(body: dict[str, Any], label: str) -> dict[str, Any]:
    """The call button labelled `label` (the first one, if several)."""
    for element in slack_buttons(body):
        if element["text"]["text"] == label:
            assert element["action_id"].startswith(CALL_ACTION_PREFIX), element
            return element
    raise AssertionError(
        f"no button {label!r} in {[b['text']['text'] for b in slack_buttons(body)]}"
    )


def slack_call(element: dict[str, Any]) -> dict[str, Any]:
    """The call a Slack button carries: `{"c": phrase, "v": [[name, value], ...]}`."""
    value: dict[str, Any] = json.loads(element["value"])
    return value


async def slack_press(
    slack: SlackHarness, element: dict[str, Any], *, user: str = "U100", channel: str = "D100"
) -> dict[str, Any]:
    """Press a Slack button and return the body of the answer sent to its response_url."""
    before = len(slack.api.of("response_url"))
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "robin"},
        "api_app_id": "A0001",
        "team": {"id": "T0001"},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel},
        "trigger_id": "trigger.click",
        "response_url": slack.api.response_url(f"press{before}"),
        "actions": [
            {"type": "button", "action_id": element["action_id"], "value": element["value"]}
        ],
    }
    status, _, _ = await slack.interaction(payload)
    assert status == 200
    answers = await slack.api.wait_for_calls("response_url", before + 1)
    body: dict[str, Any] = answers[before].body
    return body


async def slack_say(slack: SlackHarness, text: str, *, user: str = "U100") -> dict[str, Any]:
    """`/ally <text>` in a direct message; the body of the answer."""
    before = len(slack.api.of("response_url"))
    await slack.command(text, channel="D100", user=user)
    answers = await slack.api.wait_for_calls("response_url", before + 1)
    body: dict[str, Any] = answers[before].body
    return body


def teams_actions(node: Any) -> list[dict[str, Any]]:
    """Every action in a card, nested ones included."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            found.append(node)
        for value in node.values():
            found.extend(teams_actions(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(teams_actions(value))
    return found


def teams_button(sent: Recorded, title: str) -> dict[str, Any]:
    """The Action.Execute titled `title` in a sent card (its fallback is an Action.Submit)."""
    for action in teams_actions(sent.card):
        if action.get("title") == title and action["type"] == "Action.Execute":
            assert "call" in action["data"], action
            return action
    raise AssertionError(f"no button {title!r} in the card")


def slack_click(
    action_id: str, value: str, response_url: str, *, channel: str = "D100"
) -> dict[str, Any]:
    """The block_actions payload Slack sends when robin presses a button."""
    return {
        "type": "block_actions",
        "user": {"id": "U100", "username": "robin"},
        "api_app_id": "A0001",
        "team": {"id": "T0001"},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel},
        "trigger_id": "trigger.click",
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "value": value}],
    }


def slack_submission(
    view: dict[str, Any],
    entered: dict[str, str],
    *,
    choices: frozenset[str] = frozenset(),
    people: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The view_submission payload of a modal robin filled in: each value as entered, the
    fields named in `choices` as picked options, those in `people` as the Slack user ids
    picked (given joined by commas)."""
    state: dict[str, Any] = {}
    for name, value in entered.items():
        if name in people:
            picked = [user for user in value.split(",") if user]
            answer = {"type": "multi_users_select", "selected_users": picked}
        elif name in choices:
            answer = {"type": "static_select", "selected_option": {"value": value}}
        else:
            answer = {"type": "plain_text_input", "value": value}
        state[name] = {"value": answer}
    return {
        "type": "view_submission",
        "user": {"id": "U100", "username": "robin"},
        "api_app_id": "A0001",
        "team": {"id": "T0001"},
        "trigger_id": "trigger.submit",
        "view": {**view, "id": "V1", "state": {"values": state}},
    }
