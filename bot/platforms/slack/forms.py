"""Neutral forms as Slack modals, and what a submitted modal holds.

A form with a registered builder travels as its reference (kind and small params) in the
button value and the modal's private metadata, and is built again by the router when it
is opened and when it is submitted; a form without one still travels whole. Either way
any replica can open or accept it without remembering anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.forms import reference_from_data, reference_to_data
from bot.messages import CHOSEN_SEPARATOR, Form, FormField, FormFieldKind, FormReference, chosen
from bot.platforms.slack.codec import form_from_json, form_to_json
from bot.platforms.slack.render import Block, escape, shorten
from bot.platforms.slack.requests import PLATFORM

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
        initial = next((o for o in options if o["value"] == item.starting_value), None)
        if initial is not None:
            element["initial_option"] = initial
    elif item.kind is FormFieldKind.CHOICES:
        options = [
            {"text": _plain(label, 75), "value": value}
            for label, value in item.choices[:MAX_OPTIONS]
        ]
        element = {"type": "multi_static_select", "options": options}
        ticked = set(chosen(item.initial))
        initial_options = [option for option in options if option["value"] in ticked]
        if initial_options:
            element["initial_options"] = initial_options
    elif item.kind is FormFieldKind.PEOPLE:
        # Slack's own people picker; typed ids (the placeholder's advice) don't apply here.
        element = {"type": "multi_users_select", "placeholder": _plain("Choose people", 150)}
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
    if item.placeholder and item.kind not in (FormFieldKind.DATE, FormFieldKind.PEOPLE):
        element["placeholder"] = _plain(item.placeholder, 150)
    return element


def modal_view(form: Form, origin: FormOrigin) -> Block:
    reference = form.reference
    carried: dict[str, Any] = (
        {"form": form_to_json(form)} if reference is None else {"ref": reference_to_data(reference)}
    )
    metadata = json.dumps(
        {**carried, "channel": origin.channel_id, "url": origin.response_url},
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
class Opened:
    """What a submitted modal says about itself: where it came from, and its form whole
    (`form`) or by reference (`reference`, to build again)."""

    origin: FormOrigin
    form: Form | None
    reference: FormReference | None


def read_opened(view: dict[str, Any]) -> Opened:
    metadata = json.loads(view["private_metadata"])
    origin = FormOrigin(
        channel_id=metadata.get("channel", ""), response_url=metadata.get("url", "")
    )
    form = form_from_json(metadata["form"]) if "form" in metadata else None
    return Opened(origin=origin, form=form, reference=reference_from_data(metadata.get("ref")))


def read_values(form: Form, view: dict[str, Any]) -> dict[str, str]:
    """Each field's value as Slack sent it (not trimmed: `bot.forms.as_entered` decides)."""
    state = view.get("state", {}).get("values", {})
    values: dict[str, str] = {}
    for item in form.fields:
        answer = state.get(item.name, {}).get(VALUE_ACTION_ID, {})
        if item.kind is FormFieldKind.CHOICE:
            value = (answer.get("selected_option") or {}).get("value", "")
        elif item.kind is FormFieldKind.CHOICES:
            picked = answer.get("selected_options") or []
            value = CHOSEN_SEPARATOR.join(option.get("value", "") for option in picked)
        elif item.kind is FormFieldKind.PEOPLE:
            picked = answer.get("selected_users") or []
            value = CHOSEN_SEPARATOR.join(f"{PLATFORM}:{user}" for user in picked)
        elif item.kind is FormFieldKind.DATE:
            value = answer.get("selected_date") or ""
        else:
            value = answer.get("value") or ""
        values[item.name] = value
    return values
