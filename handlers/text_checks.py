"""Text a lead writes to be posted in a shared channel: where it starts, and what it may hold.

Announcements and the awareness-calendar posts both take their text after a colon and
post it where everyone can see it, so both check it the same way.
"""

from __future__ import annotations

import re

from bot.errors import UserError

MAX_TEXT = 2500
# `@channel`, `@here`, `@everyone` and Slack's `<!channel>`-style special mentions.
_MASS_MENTION = re.compile(r"(?i)(?:@(?:channel|here|everyone)\b|<!\w*)")
# The announce command's own examples: check_text's refusals show them, as the announcement
# commands do, so a lead sees one way to write it everywhere.
EXAMPLES = (
    "`announce pride on 1 Dec 2026 09:00: Our next social is on Thursday!`, "
    "`announce pride every monday 09:00: ...` or `announce pride every first tuesday 12:30: ...`"
)


def split_text(typed: str) -> tuple[str, str]:
    """`pride on 1 Dec 09:00: Hello` -> (`pride on 1 Dec 09:00`, `Hello`).

    The colon that starts the text is the first one not inside a time like 09:00.
    """
    for index, char in enumerate(typed):
        if char != ":":
            continue
        inside_time = (
            0 < index < len(typed) - 1 and typed[index - 1].isdigit() and typed[index + 1].isdigit()
        )
        if not inside_time:
            return typed[:index].strip(), typed[index + 1 :].strip()
    return typed.strip(), ""


def check_text(text: str) -> str:
    """Typed text: trimmed, then checked."""
    return check_entered(text.strip())


def check_entered(text: str, *, field: str | None = None) -> str:
    """Text as a lead entered it (in a form: its lines and leading spaces are theirs to
    keep), checked and returned unchanged; a refusal names `field` for the form."""
    if not text.strip():
        raise UserError(
            f"What should the announcement say? Put it after the colon: {EXAMPLES}.", field=field
        )
    if _MASS_MENTION.search(text):
        raise UserError(
            "I can't post `@channel`, `@here` or `@everyone`: a scheduled post that notifies "
            "everyone at once can land at a bad time for people (and can't be taken back). "
            "Please take it out; the announcement channel's own notification settings apply.",
            field=field,
        )
    if len(text) > MAX_TEXT:
        raise UserError(
            f"That's {len(text):,} characters; an announcement can be up to {MAX_TEXT:,}. "
            "Could you shorten it, or link to the details?",
            field=field,
        )
    return text
