"""Forms as compact JSON, so a button value or a modal can carry the whole form."""

from __future__ import annotations

import json

from bot.messages import Form, FormField, FormFieldKind


def form_to_json(form: Form) -> str:
    return json.dumps(
        {
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
        },
        separators=(",", ":"),
    )


def form_from_json(data: str) -> Form:
    raw = json.loads(data)
    return Form(
        id=raw["id"],
        title=raw["title"],
        command=raw["command"],
        submit_label=raw["submit"],
        fields=tuple(
            FormField(
                name=item["name"],
                label=item["label"],
                kind=FormFieldKind(item["kind"]),
                required=item["required"],
                placeholder=item["placeholder"],
                choices=tuple((label, value) for label, value in item["choices"]),
                initial=item["initial"],
                max_length=item["max_length"],
            )
            for item in raw["fields"]
        ),
    )
