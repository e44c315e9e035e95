"""Forms, calls and form references as compact JSON for button values and modal metadata.

A converted button's value is its call (`{"c": phrase, "v": [[name, value], ...]}`); a
button that opens a form with a registered builder carries only the form's reference
(`{"f": kind, "p": [...]}`), so it stays far under Slack's 2,000 characters whatever the
form holds. Only forms without a builder still travel whole.
"""

from __future__ import annotations

import json
from typing import Any

from bot.forms import (
    call_from_data,
    call_to_data,
    form_from_data,
    form_to_data,
    reference_from_data,
    reference_to_data,
)
from bot.messages import Call, Form, FormReference


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def form_to_json(form: Form) -> str:
    return json.dumps(form_to_data(form), separators=(",", ":"))


def form_from_json(data: str) -> Form:
    return form_from_data(json.loads(data))


def call_to_json(call: Call) -> str:
    return _compact(call_to_data(call))


def call_from_json(data: str) -> Call | None:
    """The call a button value carries; None for a value that is not a call."""
    try:
        return call_from_data(json.loads(data))
    except ValueError:
        return None


def reference_to_json(reference: FormReference) -> str:
    return _compact(reference_to_data(reference))


def reference_from_json(data: str) -> FormReference | None:
    """The form reference a button value carries; None for a whole form (or anything else)."""
    try:
        return reference_from_data(json.loads(data))
    except ValueError:
        return None
