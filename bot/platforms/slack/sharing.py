"""The "Share in channel" button under an answer that reveals nothing about anyone.

A slash command answered `in_channel` shows everyone the person's own command with the
answer. So such answers go to the person alone, with this button; pressing it asks the same
thing again (the call, or the words they typed) and the bot posts the answer in the
channel through the press's response_url, as itself.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.messages import Reply, Request
from bot.platforms.slack.codec import call_from_json, call_to_json
from bot.platforms.slack.render import MAX_BUTTON_VALUE, Block
from bot.platforms.slack.requests import delivery_key, from_action

if TYPE_CHECKING:
    from bot.platforms.slack.app import SlackAdapter

SHARE_ACTION_ID = "allybot_share"
SHARE_LABEL = "Share in channel"


def share_value(request: Request) -> str:
    """What the button carries: the request's call, else the words typed."""
    if request.call is not None:
        value = json.dumps({"call": call_to_json(request.call)}, separators=(",", ":"))
    else:
        value = json.dumps({"text": request.text}, separators=(",", ":"), ensure_ascii=False)
    # JSON escapes for Slack's control characters: a typed `<!channel>` is never sent raw,
    # even where Slack does not read it.
    return value.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def share_block(request: Request) -> Block | None:
    """The actions block with the button; None when the request is too long to carry."""
    value = share_value(request)
    if len(value) > MAX_BUTTON_VALUE:
        return None
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": SHARE_LABEL, "emoji": True},
                "action_id": SHARE_ACTION_ID,
                "value": value,
            }
        ],
    }


def shared_request(click_request: Request, value: str) -> Request:
    """The request the button asks again, from the person pressing it, where they press it."""
    data: dict[str, Any] = json.loads(value)
    if "call" in data:
        call = call_from_json(str(data["call"]))
        if call is None:
            raise ValueError("a share button's value holds no call")
        return replace(click_request, text="", call=call)
    return replace(click_request, text=str(data.get("text", "")))


async def share_pressed(
    adapter: SlackAdapter,
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    request: AsyncBoltRequest,
) -> None:
    """The button was pressed: the same question asked again, its answer posted by the bot
    (a PRIVATE answer, should it have become one, still goes to the person alone)."""
    await ack()
    click = from_action(body, action)
    request_in = shared_request(click.request(""), click.value)

    async def answer(reply: Reply) -> None:
        await adapter.answer(request_in, click.response_url, reply, sharing=True)

    key = delivery_key(request.raw_body, body)
    adapter.run_command("share", request_in, key, answer)
