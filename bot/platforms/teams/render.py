"""Reply -> Adaptive Card 1.5 (or plain text), as pure functions.

User text can never become markup: card text has every Markdown character escaped
(Adaptive Card TextBlocks render a Markdown subset), and plain-text messages are sent
with `textFormat: plain` and any `<at>` broken, so nobody can be mentioned or linked by
what someone typed. Teams' limit is about 100 KB an activity; every message here stays
under 80 KB, splitting a long reply into several messages rather than dropping any of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.forms import as_entered, call_to_data, form_to_data
from bot.messages import (
    Button,
    ButtonStyle,
    Call,
    Form,
    FormField,
    FormFieldKind,
    Reply,
    Section,
    without_mentions,
)
from bot.text import split_lines

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Under Teams' ~100 KB per activity, with room for the activity envelope around it.
MAX_MESSAGE_BYTES = 80_000
_ENVELOPE_ALLOWANCE = 4_000
# Long text is cut into blocks of this size before cards are packed.
MAX_TEXT_BLOCK = 8_000
COMMAND_VERB = "command"
FORM_VERB = "form"

Element = dict[str, Any]

# Markdown an Adaptive Card TextBlock acts on anywhere in a line (emphasis, links, code),
# plus `<` and `&` so no tag or entity is ever read; and what starts a list or a heading.
_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]()~<>&|])")
_LINE_START = re.compile(r"^(\s*)([-+#>]|\d+(?=\.))", re.MULTILINE)
_AT_TAG = re.compile(r"<(/?)(at)\b", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def escape_card_text(text: str) -> str:
    """Text for a TextBlock that shows exactly what was typed: no bold, links, lists, mentions."""
    escaped = _MARKDOWN_CHARS.sub(r"\\\1", without_mentions(text))
    # `1. item` is a list, `1\. item` is text; `- item` likewise with the dash escaped.
    return _LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(found: re.Match[str]) -> str:
    marker = found.group(2)
    if marker[0].isdigit():
        return f"{found.group(1)}{marker}\\"
    return f"{found.group(1)}\\{marker}"


def escape_plain_text(text: str) -> str:
    """Plain-text messages show text as it is; only a mention tag is broken, in case a client
    ever reads one without its entity."""
    return _AT_TAG.sub(
        lambda m: f"<{_ZERO_WIDTH_SPACE}{m.group(1)}{m.group(2)}", without_mentions(text)
    )


def encoded_size(payload: Any) -> int:
    """Bytes on the wire as the connector client sends it (JSON, ASCII-escaped)."""
    return len(json.dumps(payload, ensure_ascii=True, separators=(",", ":")))


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    return split_lines(text, limit) or [""]


def _text_blocks(text: str, **style: Any) -> list[Element]:
    return [
        {"type": "TextBlock", "text": escape_card_text(piece), "wrap": True, **style}
        for piece in split_text(text, MAX_TEXT_BLOCK)
        if piece
    ]


# -- buttons and forms ------------------------------------------------------------------


def command_data(command: str) -> dict[str, str]:
    return {"command": command}


def call_data(call: Call) -> dict[str, Any]:
    """A converted button's data: its call, phrase and values (never text)."""
    return {"call": call_to_data(call)}


def _style(button: Button) -> dict[str, str]:
    if button.style is ButtonStyle.PRIMARY:
        return {"style": "positive"}
    if button.style is ButtonStyle.DANGER:
        return {"style": "destructive"}
    return {}


def button_action(button: Button) -> Element:
    """A button: Action.Execute (answered with a refreshed card), falling back to Action.Submit
    on clients without Universal Actions. Both do exactly what typing the command does."""
    if button.form is not None:
        return {
            "type": "Action.ShowCard",
            "title": button.label,
            "card": form_card(button.form),
        }
    data = call_data(button.call) if button.call is not None else command_data(button.command)
    return {
        "type": "Action.Execute",
        "title": button.label,
        "verb": COMMAND_VERB,
        "data": data,
        **_style(button),
        "fallback": {"type": "Action.Submit", "title": button.label, "data": data},
    }


def _input(item: FormField, value: str) -> Element:
    element: Element = {
        "id": item.name,
        "label": item.label,
        "isRequired": item.required,
        "errorMessage": f"Please fill in {item.label.lower()}.",
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
    if item.placeholder and item.kind not in (FormFieldKind.CHOICE, FormFieldKind.CHOICES):
        element["placeholder"] = item.placeholder
    if value:
        element["value"] = value
    return element


def form_card(
    form: Form,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Element:
    """The form as a card: one input per field, with any problem shown under its field."""
    errors = errors or {}
    values = values or {}
    body: list[Element] = [
        {
            "type": "TextBlock",
            "text": escape_card_text(form.title),
            "weight": "Bolder",
            "wrap": True,
        }
    ]
    for item in form.fields:
        body.append(_input(item, values.get(item.name, item.initial)))
        if item.name in errors:
            body.append(
                {
                    "type": "TextBlock",
                    "text": escape_card_text(errors[item.name]),
                    "color": "Attention",
                    "wrap": True,
                }
            )
    data = {"form": form_to_data(form)}
    return _card(
        body,
        [
            {
                "type": "Action.Execute",
                "title": form.submit_label,
                "verb": FORM_VERB,
                "data": data,
                "fallback": {"type": "Action.Submit", "title": form.submit_label, "data": data},
            }
        ],
    )


def form_values(form: Form, submitted: Mapping[str, Any]) -> dict[str, str]:
    """The submitted value of each field, as text (Teams sends numbers as text, or numbers):
    exactly as entered."""
    values: dict[str, str] = {}
    for item in form.fields:
        raw = submitted.get(item.name, "")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        values[item.name] = str(raw if raw is not None else "")
    return as_entered(form, values)


# -- replies -----------------------------------------------------------------------------


def _card(body: list[Element], actions: list[Element] | None = None) -> Element:
    card: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def _section_elements(section: Section) -> list[Element]:
    elements: list[Element] = []
    if section.heading:
        elements.append(
            {
                "type": "TextBlock",
                "text": escape_card_text(section.heading),
                "weight": "Bolder",
                "wrap": True,
                "spacing": "Medium",
            }
        )
    if section.text:
        elements.extend(_text_blocks(section.text))
    if section.fields:
        elements.append(
            {
                "type": "FactSet",
                "facts": [
                    {"title": escape_card_text(f.label), "value": escape_card_text(f.value)}
                    for f in section.fields
                ],
            }
        )
    if section.buttons:
        elements.append(
            {"type": "ActionSet", "actions": [button_action(b) for b in section.buttons]}
        )
    return elements


def reply_elements(reply: Reply) -> list[Element]:
    """Every body element of a reply's card, in reading order."""
    elements: list[Element] = []
    if reply.heading:
        elements.append(
            {
                "type": "TextBlock",
                "text": escape_card_text(reply.heading),
                "size": "Large",
                "weight": "Bolder",
                "wrap": True,
            }
        )
    if reply.sections:
        for section in reply.sections:
            elements.extend(_section_elements(section))
    else:
        elements.extend(_text_blocks(reply.text))
    if reply.context:
        elements.extend(_text_blocks(reply.context, isSubtle=True, size="Small"))
    return elements


def needs_card(reply: Reply) -> bool:
    """A card adds something only with structure: a heading, sections, buttons or context."""
    return bool(reply.heading or reply.sections or reply.buttons or reply.context)


def reply_card(reply: Reply) -> Element:
    """One card for the whole reply (for an invoke response, which can carry only one)."""
    return _card(reply_elements(reply), [button_action(b) for b in reply.buttons])


@dataclass(frozen=True, slots=True)
class TeamsMessage:
    """One activity's worth: plain text, or an Adaptive Card with its plain-text summary."""

    text: str
    card: Element | None = None
    summary: str = field(default="")


def _pack_cards(elements: list[Element], actions: list[Element]) -> Iterator[Element]:
    """Fill cards element by element, starting a new one before one would pass the limit."""
    budget = MAX_MESSAGE_BYTES - _ENVELOPE_ALLOWANCE
    current: list[Element] = []
    for element in elements:
        if current and encoded_size(_card([*current, element])) > budget:
            yield _card(current)
            current = []
        current.append(element)
    if current and actions and encoded_size(_card(current, actions)) > budget:
        yield _card(current)
        current = []
    if current or actions:
        yield _card(current or [_text_blocks("…")[0]], actions)


def _plain_messages(text: str) -> list[TeamsMessage]:
    limit = MAX_TEXT_BLOCK
    while True:
        pieces = [escape_plain_text(piece) for piece in split_text(text, limit)]
        if all(encoded_size(p) <= MAX_MESSAGE_BYTES - _ENVELOPE_ALLOWANCE for p in pieces):
            return [TeamsMessage(text=piece) for piece in pieces]
        limit //= 2


def render(reply: Reply) -> list[TeamsMessage]:
    """The messages for a reply, each under 80 KB. Its files are not here: they are offered
    by FileConsentCard (`bot.platforms.teams.files`), never pasted into the chat."""
    messages: list[TeamsMessage]
    if needs_card(reply):
        actions = [button_action(b) for b in reply.buttons]
        cards = list(_pack_cards(reply_elements(reply), actions))
        summary = escape_plain_text(split_text(reply.text, 200)[0])
        messages = [TeamsMessage(text="", card=card, summary=summary) for card in cards]
    else:
        messages = _plain_messages(reply.text)
    return messages
