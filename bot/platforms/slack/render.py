"""Reply -> Block Kit, as pure functions.

Every piece of text is escaped (`&`, `<`, `>`), so nothing a person typed can become
a mention or a link. Slack's limits are respected by splitting, never by dropping:
a long reply becomes several messages, each within the limits below.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.messages import (
    Button,
    ButtonStyle,
    Mention,
    Reply,
    Section,
    render_mentions,
    without_mentions,
)
from bot.platforms.slack.codec import call_to_json, form_to_json, reference_to_json
from bot.text import split_lines

MAX_BLOCKS_PER_MESSAGE = 50
MAX_BLOCKS_PER_VIEW = 100
MAX_TEXT = 3000
MAX_HEADER = 150
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_ACTIONS = 25
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
# The plain-text fallback shown in notifications; Slack truncates long ones anyway.
MAX_FALLBACK = 3000

COMMAND_ACTION_PREFIX = "allybot_cmd_"
# A button whose value is a call (JSON: the phrase and its values), not typed text.
CALL_ACTION_PREFIX = "allybot_call_"
FORM_ACTION_PREFIX = "allybot_form_"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, so `<!channel>` is shown, never sent."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_mention(mention: Mention) -> str:
    platform, _, user = mention.person_key.partition(":")
    # The name inside was escaped with the rest of the text.
    return f"<@{user}>" if platform == "slack" and user.isalnum() else mention.name


def mrkdwn_text(text: str) -> str:
    """Text for mrkdwn: escaped, then the bot's own mentions (only) made Slack mentions."""
    return render_mentions(escape(text), _slack_mention)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entity_safe_cut(line: str, limit: int) -> int:
    """Where to cut so an escape like `&amp;` is never split in two."""
    amp = line.rfind("&", max(0, limit - 5), limit)
    if amp != -1 and ";" not in line[amp:limit]:
        return amp
    return limit


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    return split_lines(text, limit, _entity_safe_cut)


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str, limit: int) -> dict[str, Any]:
    # Escaped here too: the brief from Slack is to escape all text, plain or not.
    return {
        "type": "plain_text",
        "text": shorten(escape(without_mentions(text)), limit),
        "emoji": True,
    }


def _text_sections(text: str) -> list[Block]:
    # Escaping can lengthen text (`<` becomes `&lt;`), so split after escaping.
    return [{"type": "section", "text": _mrkdwn(piece)} for piece in split_text(mrkdwn_text(text))]


@dataclass(slots=True)
class _ActionIds:
    """Action ids only need to be unique within one message; a counter keeps them stable."""

    next_number: int = 0

    def take(self, prefix: str) -> str:
        self.next_number += 1
        return f"{prefix}{self.next_number}"[:MAX_ACTION_ID]


def button_element(button: Button, ids: _ActionIds) -> Block | None:
    """One Block Kit button, or None when its command is too long to carry."""
    if button.form is not None:
        action_id = ids.take(FORM_ACTION_PREFIX)
        reference = button.form.reference
        value = form_to_json(button.form) if reference is None else reference_to_json(reference)
    elif button.call is not None:
        action_id = ids.take(CALL_ACTION_PREFIX)
        value = call_to_json(button.call)
    else:
        action_id = ids.take(COMMAND_ACTION_PREFIX)
        value = button.command
    if not value or len(value) > MAX_BUTTON_VALUE:
        return None
    element: Block = {
        "type": "button",
        "text": _plain(button.label, MAX_BUTTON_LABEL),
        "action_id": action_id,
        "value": value,
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def _actions(buttons: tuple[Button, ...], ids: _ActionIds) -> list[Block]:
    elements = [e for e in (button_element(b, ids) for b in buttons) if e is not None]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTIONS]}
        for start in range(0, len(elements), MAX_ACTIONS)
    ]


def _field_sections(section: Section) -> list[Block]:
    fields = [
        _mrkdwn(
            shorten(f"*{mrkdwn_text(item.label)}*\n{mrkdwn_text(item.value)}", MAX_FIELD_TEXT)
        )
        for item in section.fields
    ]
    return [
        {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def _section_blocks(section: Section, ids: _ActionIds) -> list[Block]:
    blocks: list[Block] = []
    if section.heading and section.text:
        blocks.extend(_text_sections(f"{section.heading}\n{section.text}"))
        # Make the heading bold without letting escaping or splitting break the markup.
        first = blocks[0]["text"]
        heading = mrkdwn_text(section.heading)
        if first["text"].startswith(heading + "\n") and len(first["text"]) + 2 <= MAX_TEXT:
            first["text"] = f"*{heading}*" + first["text"][len(heading) :]
    elif section.heading:
        blocks.append({"type": "section", "text": _mrkdwn(f"*{mrkdwn_text(section.heading)}*")})
    elif section.text:
        blocks.extend(_text_sections(section.text))
    blocks.extend(_field_sections(section))
    blocks.extend(_actions(section.buttons, ids))
    return blocks


def reply_blocks(reply: Reply, ids: _ActionIds | None = None) -> list[Block]:
    """Every block of a reply, in reading order, before splitting into messages."""
    ids = ids or _ActionIds()
    blocks: list[Block] = []
    if reply.heading:
        blocks.append({"type": "header", "text": _plain(reply.heading, MAX_HEADER)})
    if reply.sections:
        for section in reply.sections:
            blocks.extend(_section_blocks(section, ids))
    else:
        blocks.extend(_text_sections(reply.text))
    blocks.extend(_actions(reply.buttons, ids))
    if reply.context:
        for piece in split_text(mrkdwn_text(reply.context)):
            blocks.append({"type": "context", "elements": [_mrkdwn(piece)]})
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification text: the plain version, escaped and kept short."""
    return shorten(mrkdwn_text(reply.text), MAX_FALLBACK)


@dataclass(frozen=True, slots=True)
class SlackMessage:
    text: str
    blocks: list[Block]


def _chunks(blocks: list[Block], size: int) -> Iterator[list[Block]]:
    for start in range(0, len(blocks), size):
        yield blocks[start : start + size]


def render(reply: Reply) -> list[SlackMessage]:
    """One or more messages for a reply; each within Slack's per-message limits."""
    blocks = reply_blocks(reply)
    fallback = fallback_text(reply)
    pages = list(_chunks(blocks, MAX_BLOCKS_PER_MESSAGE)) or [[]]
    messages: list[SlackMessage] = []
    for number, page in enumerate(pages, start=1):
        text = fallback if number == 1 else f"(continued, part {number} of {len(pages)})"
        messages.append(SlackMessage(text=text, blocks=page))
    return messages


def view_blocks(replies: list[Reply], limit: int = MAX_BLOCKS_PER_VIEW) -> list[Block]:
    """Several replies stacked in one view (App Home), cut to the view limit with a note."""
    blocks: list[Block] = []
    ids = _ActionIds()
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(reply_blocks(reply, ids))
    if len(blocks) <= limit:
        return blocks
    note = {
        "type": "context",
        "elements": [_mrkdwn("There is more than fits here: send me `my` to see it all.")],
    }
    return [*blocks[: limit - 1], note]
