"""Invitations and attendance, the trained count and the report that adds it up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.config import Settings
from bot.messages import Visibility
from bot.small_numbers import SmallNumbers
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import (
    add_session,
)


async def test_invitations_let_invitees_register_and_show_in_my(
    app: Application, messenger: RecordingMessenger, clock: FixedClock
) -> None:
    training = await add_session(app, title="Allyship training", starts_in=timedelta(days=1))
    ttt = await add_session(
        app, title="Train the trainer", invite_only=True, starts_in=timedelta(days=30)
    )
    refused = await say_one(app, f"register {ttt}", user="kim")
    assert "by invitation only" in refused.text
    reply = await say_one(app, f"invite {ttt} console:kim", user="alex")
    assert "Invited 1 person" in reply.text
    [notice] = messenger.sent
    assert notice.recipient_key == "console:kim"
    assert "You're invited to Train the trainer" in notice.reply.text
    mine = await say_one(app, "my", user="kim")
    assert "Invitation: Train the trainer" in mine.text
    assert "You're registered" in (await say_one(app, f"register {ttt}", user="kim")).text
    assert "Invitation" not in (await say_one(app, "my", user="kim")).text
    # Inviting everyone who attended the earlier training: the trained allies.
    for person in ("ana", "ben"):
        await say_one(app, f"register {training}", user=person)
    clock.set(NOW + timedelta(days=1, hours=2))
    await say_one(app, f"attended {training} console:ana", user="alex")
    again = await say_one(app, f"invite {ttt} attendees of {training}", user="alex")
    assert "Invited 1 person" in again.text
    assert messenger.sent[-1].recipient_key == "console:ana"
    assert "for network leads" in (await say_one(app, f"invite {ttt} console:x", user="kim")).text


@pytest.mark.parametrize("settings", [Settings(small_numbers=SmallNumbers(2))])
async def test_attendance_counts_people_trained_and_the_report_adds_it_up(
    app: Application, clock: FixedClock
) -> None:
    first = await add_session(app, kind="training", capacity=2, starts_in=timedelta(days=1))
    second = await add_session(app, kind="training", starts_in=timedelta(days=2))
    webinar = await add_session(app, kind="webinar", starts_in=timedelta(days=2))
    for person in ("ana", "ben", "cat"):
        await say_one(app, f"register {first}", user=person)
    for person in ("ana", "dev"):
        await say_one(app, f"register {second}", user=person)
        await say_one(app, f"register {webinar}", user=person)
    early = await say_one(app, f"attended {first} all", user="alex")
    assert "hasn't started yet" in early.text
    clock.set(NOW + timedelta(days=3))
    reply = await say_one(app, f"attended {first} console:ana console:ben", user="alex")
    assert "People trained so far in this network: 2" in reply.text
    missing = await say_one(app, f"attended {first} console:cat", user="alex")
    assert "didn't have a place" in missing.text
    # Attending a second training does not count ana twice; a webinar counts nobody.
    await say_one(app, f"attended {second} all", user="alex")
    await say_one(app, f"attended {webinar} all", user="alex")
    await say_one(app, f"feedback {first} 5", user="ana")
    await say_one(app, f"feedback {first} 4", user="ben")
    report = await say_one(app, "report pride", user="alex")
    assert report.visibility is Visibility.PRIVATE
    assert "People trained so far: 3" in report.text
    line = next(line for line in report.text.splitlines() if line.startswith(f"• {first} "))
    assert "2 registered, 2 attended, fewer than 2 waiting; feedback: 4.5/5 from 2 ratings" in line
    assert "Only Pride Network's leads" in (await say_one(app, "report pride", user="priya")).text
