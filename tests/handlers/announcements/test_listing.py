"""`announcements <network>` lists what is waiting apart from what has gone out."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Application
from bot.clock import FixedClock
from tests.conftest import say, say_one
from tests.handlers.announcements.support import typed, with_channels


async def test_a_one_off_that_has_gone_out_is_listed_apart_with_nothing_to_cancel(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    await say(app, "announce pride on 22 Nov 2026 09:00: Sunday brunch", user="alex")
    await say(app, "announce pride every monday 09:00: Weekly notes", user="alex")
    before = await say_one(app, "announcements pride", user="alex")
    assert "Already due" not in before.text
    assert {typed(app, button) for section in before.sections for button in section.buttons} >= {
        "cancel announcement 1",
        "cancel announcement 2",
    }
    clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    after = await say_one(app, "announcements pride", user="alex")
    ahead, past = after.text.split("Already due:")
    assert "Weekly notes" in ahead and "Sunday brunch" not in ahead
    assert "1. was due on 22 November 2026 at 09:00: Sunday brunch" in past
    assert "`outbox pride`" in past
    commands = {typed(app, button) for section in after.sections for button in section.buttons}
    assert "cancel announcement 1" not in commands and "cancel announcement 2" in commands
