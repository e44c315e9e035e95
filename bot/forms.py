"""Forms and calls, platform-neutrally: how they travel inside a button, a card or a modal,
the checks every platform makes on a submission before the command runs, and the request
a submission makes (always a `Call`, never text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.messages import (
    Call,
    Conversation,
    Form,
    FormField,
    FormFieldKind,
    FormReference,
    Person,
    Request,
    chosen,
)
from bot.numbers import is_number


def form_to_data(form: Form) -> dict[str, Any]:
    """The whole form as JSON-ready data, so any replica can accept its submission."""
    return {
        "id": form.id,
        "title": form.title,
        "submit": form.submit_label,
        "call": call_to_data(form.call),
        "kind": form.kind,
        "params": [list(param) for param in form.params],
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
        submit_label=str(raw.get("submit", "Send")),
        call=_form_call(raw["call"]),
        kind=str(raw.get("kind", "")),
        params=_pairs(raw.get("params", ())),
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


def missing_value(item: FormField) -> str:
    """What a person reads when they left `item` empty: its label quoted as the form shows it
    (a label may be a question, so it is never folded into the sentence)."""
    label = item.label.strip()
    ending = "" if label.endswith(("?", "!", ".")) else "."
    return f"Please fill in “{label}”{ending}"


def field_errors(form: Form, values: Mapping[str, str]) -> dict[str, str]:
    """What is wrong before the command even runs: missing, too long or not a number."""
    errors: dict[str, str] = {}
    for item in form.fields:
        value = values.get(item.name, "")
        if item.required and not value.strip():
            errors[item.name] = missing_value(item)
        elif item.max_length and len(value) > item.max_length:
            errors[item.name] = f"Please keep this under {item.max_length} characters."
        elif value and item.kind is FormFieldKind.NUMBER and not is_number(value):
            errors[item.name] = "Please enter a whole number, like 3."
        elif value and item.kind is FormFieldKind.CHOICES:
            if not set(chosen(value)) <= {v for _, v in item.choices}:
                errors[item.name] = "Please pick from the options."
        elif value and item.choices and value not in {v for _, v in item.choices}:
            errors[item.name] = "Please pick one of the options."
    return errors


def _pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in raw)


def call_to_data(call: Call) -> dict[str, Any]:
    """A call as JSON-ready data: `{"c": phrase, "v": [[name, value], ...]}` (kept short
    because a Slack button value holds 2,000 characters)."""
    return {"c": call.phrase, "v": [list(pair) for pair in call.values]}


def call_from_data(raw: Any) -> Call | None:
    """The call in `raw`, or None when it is not one of ours."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("c"), str):
        return None
    values = raw.get("v", [])
    if not isinstance(values, list) or not all(
        isinstance(pair, list) and len(pair) == 2 for pair in values
    ):
        return None
    return Call(raw["c"], _pairs(values))


def reference_to_data(reference: FormReference) -> dict[str, Any]:
    """A form reference as JSON-ready data: `{"f": kind, "p": [[name, value], ...]}`."""
    return {"f": reference.kind, "p": [list(pair) for pair in reference.params]}


def reference_from_data(raw: Any) -> FormReference | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("f"), str):
        return None
    params = raw.get("p", [])
    if not isinstance(params, list) or not all(
        isinstance(pair, list) and len(pair) == 2 for pair in params
    ):
        return None
    return FormReference(raw["f"], _pairs(params))


def as_entered(form: Form, raw: Mapping[str, str]) -> dict[str, str]:
    """Each field's submitted value, exactly as entered (a value is never folded into words)."""
    return {item.name: raw.get(item.name, "") for item in form.fields}


def submission(
    form: Form, values: Mapping[str, str], person: Person, conversation: Conversation
) -> Request:
    """What submitting `form` with `values` asks: its call with the values, never text."""
    return Request(person, "", conversation, call=form.call_for(values))


def _form_call(raw: Any) -> Call:
    call = call_from_data(raw)
    if call is None:
        raise ValueError("a form's data carries no call")
    return call
