"""The platform-neutral language between adapters and handlers.

An adapter turns a platform payload into a `Request` and renders each `Reply` natively
(Block Kit, an Adaptive Card, plain text). Handlers only ever see these types.

All text in a reply is plain text written by the bot or typed by a person. Renderers
escape it for their platform, so text a person typed (say `<!channel>`) can never
become markup. The only conventions are `backticks` around commands, which every
platform shows as code, and a `Mention` placed in text by the bot, which a platform
may show as its own mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# A mention is marked with control characters that no typed text or submitted value ever
# carries (the parser folds them into spaces, call values drop them), so only the bot can
# write one.
_MENTION_OPEN = "\x1e"
_MENTION_SPLIT = "\x1f"
_MENTION = re.compile("\x1e([^\x1e\x1f]*)\x1f([^\x1e\x1f]*)\x1e")


@dataclass(frozen=True, slots=True)
class Mention:
    """A person named in a private reply: `f"Done: {Mention(key, name)} is a lead"`.

    Slack shows it as `<@U…>`; every other platform (and every plain-text version) shows
    `name`. In lists and shared posts use the display name alone, not a mention.
    """

    person_key: str
    name: str

    def __str__(self) -> str:
        name = self.name.replace(_MENTION_OPEN, " ").replace(_MENTION_SPLIT, " ")
        return f"{_MENTION_OPEN}{self.person_key}{_MENTION_SPLIT}{name}{_MENTION_OPEN}"


def render_mentions(text: str, show: Callable[[Mention], str]) -> str:
    """`text` with each mention in it replaced by `show(mention)`."""
    return _MENTION.sub(lambda found: show(Mention(found.group(1), found.group(2))), text)


def without_mentions(text: str) -> str:
    """`text` with each mention shown as the person's name."""
    return render_mentions(text, lambda mention: mention.name)


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
class Call:
    """A command chosen by a button or a form, with its structured values.

    The values reach the command's argument spec (`bot.arguments`) exactly as given:
    never joined into text, split on `|` or folded, so newlines, colons and leading
    spaces survive. Build one with `Call.of("register", session="12", needs="…")`.
    """

    phrase: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, phrase: str, **values: str | int) -> Call:
        return cls(phrase, tuple((name, str(value)) for name, value in values.items()))

    @property
    def mapping(self) -> dict[str, str]:
        """The values by name (a later value for the same name wins)."""
        return dict(self.values)

    def with_values(self, values: Mapping[str, str]) -> Call:
        """This call with more values after its own (a form's fixed values, then what was
        submitted)."""
        return Call(self.phrase, (*self.values, *((k, str(v)) for k, v in values.items())))


@dataclass(frozen=True, slots=True)
class Request:
    """What a person asked: either the words they typed (`text`) or a `call` they chose
    by pressing a button or submitting a form (then `text` is empty)."""

    person: Person
    text: str
    conversation: Conversation
    call: Call | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A shortcut to a command.

    It carries a `call` (`Button("Register", call=Call.of("register", session="12"))`)
    or opens a `form`. `command`, the text typing would send, is only for buttons decoded
    from outbox rows written before buttons carried calls: pressing one types it.
    """

    label: str
    command: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT
    # A button that opens a form; its submission is the form's call with the values.
    form: Form | None = None
    call: Call | None = None


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
    """A small file sent with a reply (a CSV export, a JSON copy of someone's data, a
    calendar file, a chart). `content` is text (sent as UTF-8) or bytes (a PNG)."""

    filename: str
    content_type: str
    content: str | bytes
    # The words in the reply that say this file comes with it ("Here's a calendar file."),
    # taken out when a platform could not deliver the file, so the reply stays true.
    mention: str = ""

    @property
    def data(self) -> bytes:
        """The file's bytes, as they are uploaded or saved."""
        if isinstance(self.content, bytes):
            return self.content
        return self.content.encode("utf-8")

    @property
    def is_text(self) -> bool:
        return isinstance(self.content, str)


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
    # Several of the choices at once; submitted as their values joined by `CHOSEN_SEPARATOR`
    # (how Teams sends a multi-select ChoiceSet), so choice values never contain one.
    CHOICES = "choices"
    # People, picked from the platform's directory where it has a picker (Slack), else typed
    # as ids or mentions; submitted as person keys or typed refs joined by `CHOSEN_SEPARATOR`.
    PEOPLE = "people"
    DATE = "date"


CHOSEN_SEPARATOR = ","


def chosen(value: str) -> tuple[str, ...]:
    """The values picked in a CHOICES field, in the order submitted."""
    return tuple(part for part in (item.strip() for item in value.split(CHOSEN_SEPARATOR)) if part)


@dataclass(frozen=True, slots=True)
class FormField:
    """One input in a form. `choices` are (label, value) pairs for CHOICE and CHOICES fields;
    a CHOICES field's `initial` is its initially ticked values joined by `CHOSEN_SEPARATOR`."""

    name: str
    label: str
    kind: FormFieldKind = FormFieldKind.TEXT
    required: bool = True
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    initial: str = ""
    max_length: int | None = None

    @property
    def starting_value(self) -> str:
        """What the field holds when the form opens: its `initial`, or the only choice of a
        required choice (nothing else could be picked, so "Choose one" would only ask for a
        click)."""
        only_one = self.kind is FormFieldKind.CHOICE and len(self.choices) == 1
        if only_one and self.required and not self.initial:
            return self.choices[0][1]
        return self.initial


@dataclass(frozen=True, slots=True)
class FormReference:
    """A form by its builder: the `kind` given to `Router.add_form` and the builder's small
    `params` (ids, not content), so it fits in a Slack button value whatever the form holds."""

    kind: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: str, **params: str | int) -> FormReference:
        return cls(kind, tuple((name, str(value)) for name, value in params.items()))

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class Form:
    """Something tedious to type, asked for field by field.

    Its `call` is the command phrase and its fixed values (a session id, say). Submitting
    it yields that call with the submitted values added (`call_for`), never text. It also
    names the builder that makes it (`kind`, registered with `Router.add_form`) and that
    builder's small `params`, so a platform can carry the reference instead of the whole
    form and build it again when the person opens it.
    """

    id: str
    title: str
    fields: tuple[FormField, ...]
    call: Call
    submit_label: str = "Send"
    kind: str = ""
    params: tuple[tuple[str, str], ...] = field(default=())

    @property
    def reference(self) -> FormReference | None:
        """How to build this form again, when it has a registered builder."""
        return FormReference(self.kind, self.params) if self.kind else None

    def call_for(self, values: Mapping[str, str]) -> Call:
        """The call a submission makes: the fixed values, then each field's value as given."""
        names = {item.name for item in self.fields}
        return self.call.with_values({k: v for k, v in values.items() if k in names})
