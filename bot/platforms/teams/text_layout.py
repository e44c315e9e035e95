"""Plain reply text -> Adaptive Card text elements, and the plain-text forms of the same text.

Teams joins the lines of one TextBlock into one paragraph, so every line becomes its own
block: lines of one paragraph sit close together (`spacing: Small`), paragraphs (split by a
blank line) keep the default gap. Handlers write commands in `backticks`; a line holding
one becomes a RichTextBlock whose commands are monospace TextRuns, so no card ever shows a
literal backtick. TextRuns render no Markdown at all, so what they hold is shown exactly as
written; TextBlocks have every Markdown character escaped instead.
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import without_mentions
from bot.text import split_lines

Element = dict[str, Any]

# Long text is cut into blocks of this size before cards are packed.
MAX_TEXT_BLOCK = 8_000
# A notification summary is one line; Teams shows about this much of it.
SUMMARY_LENGTH = 200
# Screen readers get the whole reply, up to this much of it.
SPEAK_LENGTH = 2_000

# Markdown an Adaptive Card TextBlock acts on anywhere in a line (emphasis, links, code),
# plus `<` and `&` so no tag or entity is ever read; and what starts a list or a heading.
_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]()~<>&|])")
_LINE_START = re.compile(r"^(\s*)([-+#>]|\d+(?=\.))", re.MULTILINE)
_AT_TAG = re.compile(r"<(/?)(at)\b", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"
# A command as handlers write it; a lone backtick is someone's text and stays as it is.
_COMMAND = re.compile(r"`([^`\n]+)`")


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


def without_backticks(text: str) -> str:
    """The text with each `command` shown as just the command."""
    return _COMMAND.sub(r"\1", text)


def plain_text(text: str) -> str:
    """Text for a plain-text message: commands without their backticks, mentions broken."""
    return escape_plain_text(without_backticks(text))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def one_line(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """A notification summary: the first line that says anything, no backticks, one line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return _shorten(" ".join(plain_text(first).split()), limit)


def speech(text: str, limit: int = SPEAK_LENGTH) -> str:
    """What a screen reader says for a card: the reply's plain text, without backticks."""
    lines = [" ".join(line.split()) for line in plain_text(text).splitlines()]
    return _shorten("\n".join(line for line in lines if line), limit)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    return split_lines(text, limit) or [""]


def _runs(line: str, style: dict[str, Any]) -> list[Element]:
    runs: list[Element] = []
    at = 0
    for found in _COMMAND.finditer(line):
        if found.start() > at:
            runs.append({"type": "TextRun", "text": escape_plain_text(line[at : found.start()])})
        runs.append(
            {"type": "TextRun", "text": escape_plain_text(found.group(1)), "fontType": "Monospace"}
        )
        at = found.end()
    if at < len(line):
        runs.append({"type": "TextRun", "text": escape_plain_text(line[at:])})
    run_style = {k: v for k, v in style.items() if k in ("isSubtle", "size", "weight", "color")}
    return [{**run, **run_style} for run in runs]


def line_element(line: str, **style: Any) -> Element:
    """One line as a TextBlock, or as a RichTextBlock when it names a command."""
    if _COMMAND.search(line):
        block_style = {k: v for k, v in style.items() if k in ("spacing", "separator")}
        return {"type": "RichTextBlock", "inlines": _runs(line, style), **block_style}
    return {"type": "TextBlock", "text": escape_card_text(line), "wrap": True, **style}


def text_elements(text: str, **style: Any) -> list[Element]:
    """Each line of `text` as its own block, close to the line before it in its paragraph;
    a blank line starts a new paragraph with the usual gap."""
    elements: list[Element] = []
    new_paragraph = True
    for line in text.split("\n"):
        if not line.strip():
            new_paragraph = True
            continue
        for n, piece in enumerate(split_text(line, MAX_TEXT_BLOCK)):
            spacing = {} if (new_paragraph and n == 0) or not elements else {"spacing": "Small"}
            elements.append(line_element(piece, **style, **spacing))
        new_paragraph = False
    return elements


def label_text(text: str) -> str:
    """A heading, a fact or a button title: one run of text, commands without backticks.

    A mention here would show its marker and the person's platform id; only the text of a
    message can carry a real mention, so a label shows the name alone."""
    return without_backticks(without_mentions(text))
