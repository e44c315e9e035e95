"""Forms, platform-neutrally: how a form travels inside a button or card, and the checks
every platform makes on a submission before the command runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.messages import Form, FormField, FormFieldKind
from bot.numbers import is_number


def form_to_data(form: Form) -> dict[str, Any]:
    """The whole form as JSON-ready data, so any replica can accept its submission."""
    return {
        "id": form.id,
        "title": form.title,
        "command": form.command,
        "submit": form.submit_label,
        "fields": [
            {
                "name": item.name,
                "label": item.label,
                "kind": item.kind.value,
                "required": item.required,
                "placeholder": item.placeholder,
                "choices": [list(choice) for choice in item.choices],
                "initial": item.initial,
                "max_length": item.max_length,
            }
            for item in form.fields
        ],
    }


def form_from_data(raw: Mapping[str, Any]) -> Form:
    return Form(
        id=str(raw["id"]),
        title=str(raw["title"]),
        command=str(raw["command"]),
        submit_label=str(raw.get("submit", "Send")),
        fields=tuple(
            FormField(
                name=str(item["name"]),
                label=str(item["label"]),
                kind=FormFieldKind(item["kind"]),
                required=bool(item["required"]),
                placeholder=str(item.get("placeholder", "")),
                choices=tuple((str(label), str(value)) for label, value in item["choices"]),
                initial=str(item.get("initial", "")),
                max_length=item.get("max_length"),
            )
            for item in raw["fields"]
        ),
    )


def field_errors(form: Form, values: Mapping[str, str]) -> dict[str, str]:
    """What is wrong before the command even runs: missing, too long or not a number."""
    errors: dict[str, str] = {}
    for item in form.fields:
        value = values.get(item.name, "")
        if item.required and not value:
            errors[item.name] = f"Please fill in {item.label.lower()}."
        elif item.max_length and len(value) > item.max_length:
            errors[item.name] = f"Please keep this under {item.max_length} characters."
        elif value and item.kind is FormFieldKind.NUMBER and not is_number(value):
            errors[item.name] = "Please enter a whole number, like 3."
        elif value and item.choices and value not in {v for _, v in item.choices}:
            errors[item.name] = "Please pick one of the options."
    return errors
