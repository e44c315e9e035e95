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


async def test_announcements_without_a_network_offers_the_networks_the_lead_leads(
    app: Application,
) -> None:
    asked = await say_one(app, "announcements", user="alex")
    assert asked.text == "Which network's announcements?"
    labels = [button.label for button in asked.all_buttons]
    assert labels == ["Announcements: Neurodiversity Network", "Announcements: Pride Network"]
    assert [b.call.mapping for b in asked.all_buttons if b.call] == [
        {"network": "neurodiversity"},
        {"network": "pride"},
    ]
    # A network with nothing scheduled offers the form first, the typed grammar as small print.
    empty = await say_one(app, "announcements pride", user="alex")
    assert empty.text.startswith("Pride Network has no announcements scheduled.")
    assert [b.label for b in empty.all_buttons] == ["Schedule an announcement"]
    assert empty.context is not None and "`announce pride" in empty.context
    refused = await say_one(app, "announcements", user="robin")
    assert "is for network leads" in refused.text
