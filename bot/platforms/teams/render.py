"""Reply -> Adaptive Card 1.5 (or plain text), as pure functions.

Text is laid out line by line, commands in monospace, label-value pairs as FactSets
(`text_layout`); buttons come in sets of at most five that fit one row, and forms keep
their input ids unique in a card (`actions`). Every card carries `speak` text and a
one-line summary, without backticks. User text can never become markup: card text has
every Markdown character escaped (Adaptive Card TextBlocks render a Markdown subset), and
plain-text messages are sent with `textFormat: plain` and any `<at>` broken, so nobody can
be mentioned or linked by what someone typed. Teams' limit is about 100 KB an activity;
every message here stays under 80 KB, splitting a long reply into several messages rather
than dropping any of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Button, Reply, Section
from bot.platforms.teams.actions import (
    CARD_VERSION,
    COMMAND_VERB,
    FORM_VERB,
    MAX_ACTIONS,
    SCHEMA,
    InputIds,
    action_sets,
    button_action,
    call_data,
    card,
    command_data,
    fits_one_row,
    form_card,
    form_values,
)
from bot.platforms.teams.text_layout import (
    MAX_TEXT_BLOCK,
    Element,
    escape_card_text,
    escape_plain_text,
    label_text,
    one_line,
    plain_text,
    speech,
    split_text,
    text_elements,
)

__all__ = [
    "CARD_CONTENT_TYPE",
    "CARD_VERSION",
    "COMMAND_VERB",
    "FORM_VERB",
    "MAX_ACTIONS",
    "MAX_MESSAGE_BYTES",
    "MAX_TEXT_BLOCK",
    "SCHEMA",
    "Element",
    "TeamsMessage",
    "button_action",
    "call_data",
    "command_data",
    "encoded_size",
    "escape_card_text",
    "escape_plain_text",
    "form_card",
    "form_values",
    "needs_card",
    "render",
    "reply_card",
    "reply_elements",
    "split_text",
]

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Under Teams' ~100 KB per activity, with room for the activity envelope around it.
MAX_MESSAGE_BYTES = 80_000
_ENVELOPE_ALLOWANCE = 4_000


def encoded_size(payload: Any) -> int:
    """Bytes on the wire as the connector client sends it: msrest's plain `json.dumps`
    (ASCII-escaped, with a space after each separator, which a card of many small blocks
    feels)."""
    return len(json.dumps(payload))


# -- replies -----------------------------------------------------------------------------


def _heading(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": escape_card_text(label_text(text)), "wrap": True, **style}


def _buttons(buttons: tuple[Button, ...], ids: InputIds) -> list[Element]:
    return action_sets([button_action(b, ids) for b in buttons])


def _section_elements(section: Section, ids: InputIds) -> list[Element]:
    elements: list[Element] = []
    if section.heading:
        elements.append(_heading(section.heading, weight="Bolder", spacing="Medium"))
    if section.text:
        elements.extend(text_elements(section.text))
    if section.fields:
        elements.append(
            {
                "type": "FactSet",
                "facts": [
                    {
                        "title": escape_card_text(label_text(f.label)),
                        "value": escape_card_text(label_text(f.value)),
                    }
                    for f in section.fields
                ],
            }
        )
    elements.extend(_buttons(section.buttons, ids))
    return elements


def _layout(reply: Reply) -> tuple[list[Element], list[Element]]:
    """A reply's body elements in reading order, and the card's own actions: the reply's
    buttons, unless they do not fit one set, when they end the body as sets."""
    ids = InputIds()
    elements: list[Element] = []
    if reply.heading:
        elements.append(_heading(reply.heading, size="Large", weight="Bolder"))
    if reply.sections:
        for section in reply.sections:
            elements.extend(_section_elements(section, ids))
    else:
        elements.extend(text_elements(reply.text))
    if reply.context:
        elements.extend(text_elements(reply.context, isSubtle=True, size="Small"))
    actions = [button_action(b, ids) for b in reply.buttons]
    if not fits_one_row(actions):
        return elements + action_sets(actions), []
    return elements, actions


def reply_elements(reply: Reply) -> list[Element]:
    """Every body element of a reply's card, in reading order."""
    return _layout(reply)[0]


def _speech(reply: Reply) -> str:
    """A screen reader's text for the card: the reply's plain text (its heading and buttons
    when it has none)."""
    spoken = reply.text or "\n".join(
        [reply.heading or "", *(button.label for button in reply.all_buttons)]
    )
    return speech(spoken)


def needs_card(reply: Reply) -> bool:
    """A card adds something only with structure: a heading, sections, buttons or context."""
    return bool(reply.heading or reply.sections or reply.buttons or reply.context)


def reply_card(reply: Reply) -> Element:
    """One card for the whole reply (for an invoke response, which can carry only one)."""
    elements, actions = _layout(reply)
    return card(elements, actions, speak=_speech(reply))


@dataclass(frozen=True, slots=True)
class TeamsMessage:
    """One activity's worth: plain text, or an Adaptive Card with its plain-text summary."""

    text: str
    card: Element | None = None
    summary: str = field(default="")


def _pack_cards(
    elements: list[Element], actions: list[Element], speak: str
) -> Iterator[Element]:
    """Fill cards element by element, starting a new one before one would pass the limit."""
    budget = MAX_MESSAGE_BYTES - _ENVELOPE_ALLOWANCE
    current: list[Element] = []
    for element in elements:
        if current and encoded_size(card([*current, element], speak=speak)) > budget:
            yield card(current, speak=speak)
            current = []
        current.append(element)
    if current and actions and encoded_size(card(current, actions, speak)) > budget:
        yield card(current, speak=speak)
        current = []
    if current or actions:
        yield card(current or text_elements("…"), actions, speak)


def _plain_messages(
    text: str, shown: Callable[[str], str] = escape_plain_text
) -> list[TeamsMessage]:
    limit = MAX_TEXT_BLOCK
    while True:
        pieces = [shown(piece) for piece in split_text(text, limit)]
        if all(encoded_size(p) <= MAX_MESSAGE_BYTES - _ENVELOPE_ALLOWANCE for p in pieces):
            return [TeamsMessage(text=piece) for piece in pieces]
        limit //= 2


def render(reply: Reply) -> list[TeamsMessage]:
    """The messages for a reply, each under 80 KB. Its files are not here: they are offered
    by FileConsentCard (`bot.platforms.teams.files`), never pasted into the chat."""
    messages: list[TeamsMessage]
    if needs_card(reply):
        elements, actions = _layout(reply)
        cards = list(_pack_cards(elements, actions, _speech(reply)))
        summary = one_line(reply.text)
        messages = [TeamsMessage(text="", card=each, summary=summary) for each in cards]
    else:
        messages = _plain_messages(reply.text, plain_text)
    return messages

