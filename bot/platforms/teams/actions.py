"""Buttons and forms in a card: actions, sets of at most five, and inputs with unique ids.

Teams shows at most six actions of a set, and what it hides cannot be pressed: every set
here holds at most five, and no more than fit one row with their titles whole; the rest
are laid out as further sets, so every button stays in sight and says what it acts on.
Input ids are unique within a card even when a card holds the same form for several
sessions: a form inside a card names its inputs with the form's own id as a prefix and
carries that prefix in its submit data (`ns`), so `form_values` reads each field back
whichever way it was named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.forms import as_entered, call_to_data, form_to_data, missing_value
from bot.messages import Button, ButtonStyle, Call, Form, FormField, FormFieldKind
from bot.platforms.teams.text_layout import Element, escape_card_text, label_text, speech

CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
COMMAND_VERB = "command"
FORM_VERB = "form"
MAX_ACTIONS = 5
# Teams lays a set's buttons out in one row and cuts every title in it short when they do
# not fit ("Cancel: …" five times over), so a set also holds only as many titles as fit a
# row of a full-width card in a chat: about this many characters, counting each button's
# padding as a few.
ROW_CHARACTERS = 72
BUTTON_PADDING = 4
# The submit data key naming the prefix of a form's input ids within its card.
PREFIX_KEY = "ns"


def card(body: list[Element], actions: list[Element] | None = None, speak: str = "") -> Element:
    element: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        element["actions"] = actions
    if speak:
        element["speak"] = speak
    return element


class InputIds:
    """The input id prefixes given out in one card, so no two forms share one."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def prefix_for(self, form: Form) -> str:
        prefix, n = f"{form.id}.", 1
        while prefix in self._used:
            n += 1
            prefix = f"{form.id}~{n}."
        self._used.add(prefix)
        return prefix


def command_data(command: str) -> dict[str, str]:
    return {"command": command}


def call_data(call: Call) -> dict[str, Any]:
    """A converted button's data: its call, phrase and values (never text)."""
    return {"call": call_to_data(call)}


def _style(style: ButtonStyle) -> dict[str, str]:
    if style is ButtonStyle.PRIMARY:
        return {"style": "positive"}
    if style is ButtonStyle.DANGER:
        return {"style": "destructive"}
    return {}


def button_action(button: Button, ids: InputIds | None = None) -> Element:
    """A button: Action.Execute (answered with a refreshed card), falling back to Action.Submit
    on clients without Universal Actions. Both do exactly what typing the command does.
    A button that opens a form shows it in place (Action.ShowCard)."""
    title = label_text(button.label)
    if button.form is not None:
        return {
            "type": "Action.ShowCard",
            "title": title,
            **_style(button.style),
            "card": form_card(button.form, ids=ids or InputIds()),
        }
    data = call_data(button.call) if button.call is not None else command_data(button.command)
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": COMMAND_VERB,
        "data": data,
        **_style(button.style),
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def _width(action: Element) -> int:
    return len(str(action.get("title", ""))) + BUTTON_PADDING


def fits_one_row(actions: Sequence[Element]) -> bool:
    """Whether Teams can show these actions side by side with their whole titles."""
    return len(actions) <= MAX_ACTIONS and sum(map(_width, actions)) <= ROW_CHARACTERS


def action_sets(actions: Sequence[Element]) -> list[Element]:
    """ActionSets in order, each of at most five actions whose titles fit one row (a title
    too long for any row has a set, and the row, to itself)."""
    rows: list[list[Element]] = []
    for action in actions:
        if rows and fits_one_row([*rows[-1], action]):
            rows[-1].append(action)
        else:
            rows.append([action])
    return [{"type": "ActionSet", "actions": row} for row in rows]


def _input(item: FormField, value: str, prefix: str) -> Element:
    element: Element = {
        "id": f"{prefix}{item.name}",
        "label": item.label,
        "isRequired": item.required,
        "errorMessage": missing_value(item),
    }
    if item.kind is FormFieldKind.CHOICE:
        element.update(
            type="Input.ChoiceSet",
            style="compact",
            choices=[{"title": label, "value": choice} for label, choice in item.choices],
        )
    elif item.kind is FormFieldKind.CHOICES:
        # Teams sends the ticked values joined by commas, the neutral form's own way.
        element.update(
            type="Input.ChoiceSet",
            style="expanded",
            isMultiSelect=True,
            choices=[{"title": label, "value": choice} for label, choice in item.choices],
        )
    elif item.kind is FormFieldKind.DATE:
        element["type"] = "Input.Date"
    elif item.kind is FormFieldKind.NUMBER:
        element.update(type="Input.Number", min=0)
    else:
        element.update(type="Input.Text", isMultiline=item.kind is FormFieldKind.MULTILINE)
        if item.max_length:
            element["maxLength"] = item.max_length
    if item.kind is FormFieldKind.CHOICE:
        # A compact choice with nothing picked is an empty box in Teams: say what it wants.
        element["placeholder"] = item.placeholder or "Choose one"
    elif item.placeholder:
        element["placeholder"] = item.placeholder
    if value:
        element["value"] = value
    return element


def form_card(
    form: Form,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    *,
    ids: InputIds | None = None,
) -> Element:
    """The form as a card: one input per field, with any problem shown under its field.

    On its own (a form sent back to be corrected) its inputs are named by the fields; inside
    a reply's card (`ids` given) they are prefixed, so they stay unique in that card.
    """
    errors = errors or {}
    values = values or {}
    prefix = ids.prefix_for(form) if ids is not None else ""
    body: list[Element] = [
        {
            "type": "TextBlock",
            "text": escape_card_text(form.title),
            "weight": "Bolder",
            "wrap": True,
        }
    ]
    for item in form.fields:
        body.append(_input(item, values.get(item.name, item.starting_value), prefix))
        if item.name in errors:
            body.append(
                {
                    "type": "TextBlock",
                    "text": escape_card_text(errors[item.name]),
                    "color": "Attention",
                    "wrap": True,
                }
            )
    data: dict[str, Any] = {"form": form_to_data(form)}
    if prefix:
        data[PREFIX_KEY] = prefix
    submit = {
        "type": "Action.Execute",
        "title": form.submit_label,
        "verb": FORM_VERB,
        "data": data,
        "style": "positive",
        "fallback": {"type": "Action.Submit", "title": form.submit_label, "data": data},
    }
    spoken = "\n".join([form.title, *(item.label for item in form.fields), *errors.values()])
    return card(body, [submit], speak=speech(spoken))


def form_values(form: Form, submitted: Mapping[str, Any]) -> dict[str, str]:
    """The submitted value of each field, as text (Teams sends numbers as text, or numbers):
    exactly as entered, whether its input was named with the card's prefix or without."""
    prefix = submitted.get(PREFIX_KEY)
    values: dict[str, str] = {}
    for item in form.fields:
        key = f"{prefix}{item.name}" if isinstance(prefix, str) else item.name
        raw = submitted.get(key, submitted.get(item.name, ""))
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        values[item.name] = str(raw if raw is not None else "")
    return as_entered(form, values)
