"""Forms as compact JSON, so a button value or a modal can carry the whole form."""

from __future__ import annotations

import json

from bot.forms import form_from_data, form_to_data
from bot.messages import Form


def form_to_json(form: Form) -> str:
    return json.dumps(form_to_data(form), separators=(",", ":"))


def form_from_json(data: str) -> Form:
    return form_from_data(json.loads(data))
