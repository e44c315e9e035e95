"""The console with calls: a call button is dispatched with its values as they are, and a
form's button says what to type instead."""

from __future__ import annotations

import io

from bot.app import Application
from bot.messages import Person
from bot.platforms.console import ConsoleChat
from tests.support.values_commands import TRICKY_TITLE, Note, register_notes


async def test_a_call_button_is_dispatched_with_its_values(app: Application) -> None:
    received = register_notes(app)
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "you"),
        io.StringIO("offer note\n2\noffer note\n1\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    assert "[1] Write a note   [2] Quick note" in shown
    assert received.notes == [Note(session=7, title=TRICKY_TITLE)]
    assert "Saved note 7." in shown
    assert "type `note …`" in shown
