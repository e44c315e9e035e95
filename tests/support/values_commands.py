"""A small command with a typed spec, a form built from a reference and a call button,
registered by the tests of values (no real feature is touched)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.app import Application
from bot.arguments import Arguments
from bot.messages import Button, Call, Form, FormField, FormFieldKind, Reply
from bot.router import Command, HandlerContext

# Everything the old text path broke: bars, line breaks, colons, leading spaces and what
# Slack and Teams would read as markup.
TRICKY = "  Intro | Q&A | close\n1. Welcome: <b>hi</b> & more\n\n   indented"
TRICKY_TITLE = " Q&A: <one> | two "
NETWORKS = 20
NOTE_FORM = "note-form"


class Mood(StrEnum):
    CALM = "calm"
    BUSY = "busy"


@dataclass(frozen=True, slots=True)
class Note(Arguments):
    """`note <session> <title> | <description>` typed, or the same values from a form."""

    session: int
    title: str
    description: str = ""
    network: str = ""
    count: int | None = None
    mood: Mood = Mood.CALM
    urgent: bool = False

    @classmethod
    def parse(cls, words: str) -> Note:
        session, _, rest = words.partition(" ")
        title, _, description = rest.partition(" | ")
        return cls.fill({"session": session, "title": title, "description": description})

    def words(self) -> str:
        described = f" | {self.description}" if self.description else ""
        return f"{self.session} {self.title}{described}"


def network_choices() -> tuple[tuple[str, str], ...]:
    """As many networks as an admin of a large organisation leads, with realistic names."""
    return tuple(
        (f"Staff network number {n} for colleagues and their allies", f"network-{n:02d}")
        for n in range(1, NETWORKS + 1)
    )


async def note_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    return Form(
        id="note",
        title="Write a note",
        fields=(
            FormField("title", "Title", max_length=200),
            FormField("description", "Description", FormFieldKind.MULTILINE, required=False),
            FormField("network", "Network", FormFieldKind.CHOICE, choices=network_choices()),
            FormField("count", "How many", required=False),
        ),
        call=Call.of("note", session=params["session"]),
        kind=NOTE_FORM,
        params=tuple(params.items()),
    )


@dataclass
class Received:
    notes: list[Note] = field(default_factory=list)
    args: list[str] = field(default_factory=list)


def register_notes(app: Application) -> Received:
    """`note` (spec `Note`), `offer note` (a form button and a call button) and the form."""
    received = Received()

    async def note(context: HandlerContext) -> Reply:
        given = context.given(Note)
        received.notes.append(given)
        received.args.append(context.args)
        return Reply(text=f"Saved note {given.session}.")

    async def offer(context: HandlerContext) -> Reply:
        form = await note_form(context, {"session": "7"})
        return Reply(
            text="Write a note?",
            buttons=(
                Button("Write a note", form=form),
                Button("Quick note", call=Call.of("note", session=7, title=TRICKY_TITLE)),
            ),
        )

    app.router.add(Command(phrase="note", handler=note, summary="test", arguments=Note))
    app.router.add(Command(phrase="offer note", handler=offer, summary="test"))
    app.router.add_form(NOTE_FORM, note_form)
    return received
