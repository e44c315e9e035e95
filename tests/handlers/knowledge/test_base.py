"""`kb <id>`: one knowledge-base entry, shown the way an answer shows it."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one


async def test_kb_shows_one_entry_and_says_when_there_is_none(app: Application) -> None:
    shown = await say_one(app, "kb privilege")
    assert shown.heading == "Privilege"

    missing = await say_one(app, "kb no-such-entry-xyz")
    assert "couldn't find that entry" in missing.text
