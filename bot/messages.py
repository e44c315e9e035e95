"""The platform-neutral language between adapters and handlers.

An adapter turns a platform payload into a `Request` and renders each `Reply` natively
(Block Kit, an Adaptive Card, plain text). Handlers only ever see these types.

All text in a reply is plain text written by the bot or typed by a person. Renderers
escape it for their platform, so text a person typed (say `<!channel>`) can never
become markup. The only convention is `backticks` around commands, which every
platform shows as code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Visibility(StrEnum):
    """Who may see a reply.

    PRIVATE is the default: only the person who asked sees it (an ephemeral message
    or a direct message). CONVERSATION is for replies that reveal nothing about
    anyone, and only then may a shared channel show them.
    """

    PRIVATE = "private"
    CONVERSATION = "conversation"


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone talking to the bot, identified the way their platform identifies them."""

    platform: str
    id: str
    display_name: str = ""

    @property
    def key(self) -> str:
        """The stable identity used for leads, admins and storage: `platform:id`."""
        return f"{self.platform}:{self.id}"

    @property
    def name(self) -> str:
        return self.display_name or self.id


@dataclass(frozen=True, slots=True)
class Conversation:
    """Where a request came from. `shared` is true for channels and group chats."""

    id: str
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    person: Person
    text: str
    conversation: Conversation


@dataclass(frozen=True, slots=True)
class Button:
    """A shortcut to a command: pressing it does exactly what typing `command` does."""

    label: str
    command: str
    style: ButtonStyle = ButtonStyle.DEFAULT
    # A button that opens a form: the submitted values become `form.command`.
    form: Form | None = None


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    """One block of a reply: an optional heading, text, label/value fields and buttons."""

    text: str = ""
    heading: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class Attachment:
    """A small file sent with a reply (a CSV export, a JSON copy of someone's data)."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says back.

    `text` is always a complete plain-text version (notifications, screen readers and
    the console use it); `heading`, `sections`, `buttons` and `context` let richer
    platforms lay the same content out.
    """

    text: str
    heading: str | None = None
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    # Set when this reply refuses a form value: the name of the field to show it next to.
    error_field: str | None = None
    # Files where the platform allows them; `text` still says what they hold.
    attachments: tuple[Attachment, ...] = ()

    @property
    def all_buttons(self) -> tuple[Button, ...]:
        """Every button in reading order: those in sections first, then the reply's own."""
        collected: list[Button] = []
        for section in self.sections:
            collected.extend(section.buttons)
        collected.extend(self.buttons)
        return tuple(collected)


def sections_text(sections: Sequence[Section]) -> str:
    """The plain-text version of sections: headed paragraphs; sections of buttons add nothing."""
    return "\n\n".join(
        f"{section.heading}:\n{section.text}" if section.heading else section.text
        for section in sections
        if section.heading or section.text
    )


class FormFieldKind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    NUMBER = "number"
    CHOICE = "choice"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class FormField:
    """One input in a form. `choices` are (label, value) pairs for CHOICE fields."""

    name: str
    label: str
    kind: FormFieldKind = FormFieldKind.TEXT
    required: bool = True
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    initial: str = ""
    max_length: int | None = None


_OPTIONAL_PART = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Form:
    """Something tedious to type, asked for field by field.

    Submitting it does exactly what typing `command` would, with each `{name}` replaced
    by that field's value. A part in square brackets is left out when any field in it
    is empty: `register {session}[ needs: {needs}]`.
    """

    id: str
    title: str
    fields: tuple[FormField, ...]
    command: str
    submit_label: str = "Send"

    def command_for(self, values: dict[str, str]) -> str:
        def filled(part: str) -> str:
            return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), "").strip(), part)

        def optional(found: re.Match[str]) -> str:
            part = found.group(1)
            names = _PLACEHOLDER.findall(part)
            if any(not values.get(name, "").strip() for name in names):
                return ""
            return filled(part)

        return " ".join(filled(_OPTIONAL_PART.sub(optional, self.command)).split())
