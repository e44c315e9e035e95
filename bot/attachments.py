"""What a reply says when its files could not be delivered.

A platform that fails to upload a file must not leave the reply claiming it is attached:
the words that announce it (`Attachment.mention`) come out, and one sentence says which
files did not arrive and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.messages import Attachment, Reply


def _without(text: str, mentions: Sequence[str]) -> str:
    for mention in mentions:
        if mention:
            text = text.replace(mention, "")
    return " ".join(part for part in text.split(" ") if part) if mentions else text


def _strip(text: str, mentions: Sequence[str]) -> str:
    # Only the announcing words go; line breaks and the rest of the text stay as written.
    return "\n".join(_without(line, mentions) for line in text.split("\n"))


def names(files: Sequence[Attachment]) -> str:
    listed = [item.filename for item in files]
    if len(listed) == 1:
        return listed[0]
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def undelivered(reply: Reply, missing: Sequence[Attachment], why: str) -> Reply:
    """`reply` without `missing` and without the words announcing them, saying they did not
    arrive. `why` is a short reason a person can act on ("Slack refused the upload")."""
    if not missing:
        return reply
    mentions = [item.mention for item in missing if item.mention]
    left = tuple(item for item in reply.attachments if item not in missing)
    arrived = "they haven't" if len(missing) > 1 else "it hasn't"
    note = (
        f"I couldn't send you {names(missing)}: {why}, so {arrived} arrived. "
        "Please ask again in a few minutes."
    )
    sections = tuple(
        replace(section, text=_strip(section.text, mentions)) for section in reply.sections
    )
    text = _strip(reply.text, mentions).rstrip() + "\n" + note
    context = _strip(reply.context, mentions) if reply.context else None
    if sections:
        # A reply laid out in sections shows them, not `text`: the note goes where it is read.
        context = f"{context} {note}" if context else note
    return replace(reply, text=text, sections=sections, context=context, attachments=left)
