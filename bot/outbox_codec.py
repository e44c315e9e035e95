"""The message codec: a neutral Reply as JSON in an outbox row, and back."""

from __future__ import annotations

import json
from typing import Any

from bot.forms import call_from_data, call_to_data
from bot.messages import Button, ButtonStyle, Field, Reply, Section, Visibility

CODEC_VERSION = 1


def _button_json(button: Button) -> dict[str, Any]:
    # Forms open in a live conversation only; a scheduled post keeps the call (or the
    # command of a button that still types one).
    data: dict[str, Any] = {
        "label": button.label,
        "command": button.command,
        "style": button.style.value,
    }
    if button.call is not None:
        data["call"] = call_to_data(button.call)
    return data


def _button_from(data: dict[str, Any]) -> Button:
    # Rows written before buttons carried calls have no "call": they keep their command.
    return Button(
        label=data["label"],
        command=data["command"],
        style=ButtonStyle(data["style"]),
        call=call_from_data(data.get("call")),
    )


def encode_reply(reply: Reply, *, replaces: str = "") -> str:
    """The parts of a reply a scheduled post can carry, as JSON.

    `replaces` is the platform's id of a message this post edits in place (a signup list
    whose places changed) rather than posting anew.
    """
    document: dict[str, object] = {
        "v": CODEC_VERSION,
        "text": reply.text,
        "heading": reply.heading,
        "context": reply.context,
        "visibility": reply.visibility.value,
        "sections": [
            {
                "heading": section.heading,
                "text": section.text,
                "fields": [[item.label, item.value] for item in section.fields],
                "buttons": [_button_json(button) for button in section.buttons],
            }
            for section in reply.sections
        ],
        "buttons": [_button_json(button) for button in reply.buttons],
    }
    if replaces:
        document["replaces"] = replaces
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def replaced_message(encoded: str) -> str:
    """The id of the message an encoded post edits in place, or "" for a new post."""
    return str(json.loads(encoded).get("replaces", ""))


def decode_reply(encoded: str) -> Reply:
    document = json.loads(encoded)
    if document.get("v") != CODEC_VERSION:
        raise ValueError(f"outbox message version {document.get('v')!r} is not understood")
    return Reply(
        text=document["text"],
        heading=document["heading"],
        context=document["context"],
        visibility=Visibility(document["visibility"]),
        sections=tuple(
            Section(
                heading=section["heading"],
                text=section["text"],
                fields=tuple(Field(label, value) for label, value in section["fields"]),
                buttons=tuple(_button_from(button) for button in section["buttons"]),
            )
            for section in document["sections"]
        ),
        buttons=tuple(_button_from(button) for button in document["buttons"]),
    )
