"""Neutral forms as Slack modals, and submitted modal values back into a command.

The form travels inside the button value and the modal's private metadata, so any
replica can open or accept it without remembering anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.messages import Form, FormField, FormFieldKind
from bot.platforms.slack.codec import form_from_json, form_to_json
from bot.platforms.slack.render import Block, escape, shorten

FORM_CALLBACK_ID = "allybot_form"
VALUE_ACTION_ID = "value"
MAX_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_OPTIONS = 100


@dataclass(frozen=True, slots=True)
class FormOrigin:
    """Where the form was opened from, so the reply goes back to the same place."""

    channel_id: str
    response_url: str


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": shorten(escape(text), limit)}


def _element(item: FormField) -> Block:
    if item.kind is FormFieldKind.CHOICE:
        options = [
            {"text": _plain(label, 75), "value": value}
            for label, value in item.choices[:MAX_OPTIONS]
        ]
        element: Block = {"type": "static_select", "options": options}
        initial = next((o for o in options if o["value"] == item.initial), None)
        if initial is not None:
            element["initial_option"] = initial
    elif item.kind is FormFieldKind.DATE:
        element = {"type": "datepicker"}
        if item.initial:
            element["initial_date"] = item.initial
    elif item.kind is FormFieldKind.NUMBER:
        element = {"type": "number_input", "is_decimal_allowed": False}
        if item.initial:
            element["initial_value"] = item.initial
    else:
        element = {"type": "plain_text_input", "multiline": item.kind is FormFieldKind.MULTILINE}
        if item.initial:
            element["initial_value"] = item.initial
        if item.max_length:
            element["max_length"] = item.max_length
    element["action_id"] = VALUE_ACTION_ID
    if item.placeholder and item.kind is not FormFieldKind.DATE:
        element["placeholder"] = _plain(item.placeholder, 150)
    return element


def modal_view(form: Form, origin: FormOrigin) -> Block:
    metadata = json.dumps(
        {"form": form_to_json(form), "channel": origin.channel_id, "url": origin.response_url},
        separators=(",", ":"),
    )
    if len(metadata) > MAX_PRIVATE_METADATA:
        raise ValueError(f"form {form.id!r} is too large to carry in a Slack modal")
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK_ID,
        "title": _plain(form.title, MAX_TITLE),
        "submit": _plain(form.submit_label, MAX_TITLE),
        "close": _plain("Cancel", MAX_TITLE),
        "private_metadata": metadata,
        "blocks": [
            {
                "type": "input",
                "block_id": item.name,
                "label": _plain(item.label, 2000),
                "optional": not item.required,
                "element": _element(item),
            }
            for item in form.fields
        ],
    }


@dataclass(frozen=True, slots=True)
class Submission:
    form: Form
    origin: FormOrigin
    values: dict[str, str]


def read_submission(view: dict[str, Any]) -> Submission:
    metadata = json.loads(view["private_metadata"])
    form = form_from_json(metadata["form"])
    state = view.get("state", {}).get("values", {})
    values: dict[str, str] = {}
    for item in form.fields:
        answer = state.get(item.name, {}).get(VALUE_ACTION_ID, {})
        if item.kind is FormFieldKind.CHOICE:
            value = (answer.get("selected_option") or {}).get("value", "")
        elif item.kind is FormFieldKind.DATE:
            value = answer.get("selected_date") or ""
        else:
            value = answer.get("value") or ""
        values[item.name] = value.strip()
    origin = FormOrigin(
        channel_id=metadata.get("channel", ""), response_url=metadata.get("url", "")
    )
    return Submission(form=form, origin=origin, values=values)
