"""Editing, postponing and cancelling a session; everyone with a place is told privately."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from storage.models import SessionRegistration
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import (
    add_session,
    calendar_of,
    event_start,
    press,
    registrations_of,
)


async def test_a_lead_edits_a_session_in_a_form_filled_with_what_it_says_now(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, title="Allyship basics", capacity=10)
    await say_one(app, f"register {session_id}", user="ana")
    details = await say_one(app, f"session {session_id}", user="alex")
    [form] = [
        button.form
        for button in details.buttons
        if button.form is not None and button.label == "Edit session"
    ]
    initial = {field.name: field.initial for field in form.fields}
    assert initial["title"] == "Allyship basics" and initial["capacity"] == "10"
    assert initial["where"] == "https://meet.example/abc"
    # Saved as it is: nothing moved, so nobody is told anything.
    unchanged = await press(app, form.call_for(initial), user="alex")
    assert unchanged.text == f"Nothing changed: session {session_id} already looks like that."
    assert messenger.sent == []
    # A new time in the form moves it, and the person registered is told privately.
    moved = await press(
        app,
        form.call_for({**initial, "when": "10 Jan 2027 14:00", "capacity": "none"}),
        user="alex",
    )
    assert "when: Sun 10 Jan 2027, 14:00 GMT" in moved.text
    assert "places: no limit" in moved.text
    assert [notice.recipient_key for notice in messenger.sent] == ["console:ana"]
    # Only the session's leads are offered the form.
    member_view = await say_one(app, f"session {session_id}", user="ana")
    assert all(button.label != "Edit session" for button in member_view.buttons)
    bare = await say_one(app, f"edit session {session_id}", user="alex")
    assert [button.label for button in bare.buttons] == ["Edit session"]
    # A long description is not copied into the form; left empty, it is kept.
    long_text = "An agenda. " * 60
    await say_one(app, f"edit session {session_id} description: {long_text}", user="alex")
    details = await say_one(app, f"session {session_id}", user="alex")
    [form] = [button.form for button in details.buttons if button.label == "Edit session"]
    assert form is not None
    initial = {field.name: field.initial for field in form.fields}
    assert initial["description"] == ""
    await press(app, form.call_for({**initial, "title": "Allyship basics II"}), user="alex")
    again = await say_one(app, f"session {session_id}", user="alex")
    assert "Allyship basics II" in again.text and long_text.strip() in again.text


async def test_raising_capacity_promotes_the_waitlist_and_lowering_below_taken_is_refused(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, capacity=1)
    for person in ("ana", "ben", "cat"):
        await say_one(app, f"register {session_id}", user=person)
    refused = await say_one(app, f"edit session {session_id} capacity: 0", user="alex")
    assert "from 1 to 5,000" in refused.text
    reply = await say_one(app, f"edit session {session_id} capacity: 2", user="alex")
    assert "1 person moved from the waitlist" in reply.text
    assert [notice.recipient_key for notice in messenger.sent] == ["console:ben"]
    await say_one(app, f"edit session {session_id} capacity: none", user="alex")
    assert [status for _, status, _ in await registrations_of(app, session_id)] == [
        "registered"
    ] * 3


async def test_postponing_sends_registrants_a_calendar_update(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, capacity=1)
    first = await say_one(app, f"register {session_id}", user="ana")
    await say_one(app, f"register {session_id}", user="ben")
    reply = await say_one(app, f"postpone session {session_id} to 10 Jan 2027 14:00", user="alex")
    assert "when: Sun 10 Jan 2027, 14:00 GMT" in reply.text
    by_person = {notice.recipient_key: notice.reply for notice in messenger.sent}
    update = by_person["console:ana"]
    assert event_start(update).hour == 14
    [old] = calendar_of(first).walk("VEVENT")
    [new] = calendar_of(update).walk("VEVENT")
    assert new["uid"] == old["uid"]
    assert new.decoded("sequence") > old.decoded("sequence")
    assert "You keep your place in the queue" in by_person["console:ben"].text
    refused = await say_one(app, f"postpone session {session_id} to 1 Jan 2020 10:00", user="alex")
    assert "already passed" in refused.text


async def test_cancelling_a_session_tells_everyone_privately_with_a_calendar_cancellation(
    app: Application, messenger: RecordingMessenger, clock: FixedClock
) -> None:
    session_id = await add_session(app, capacity=1, title="Solidarity social")
    await say_one(app, f"register {session_id}", user="ana")
    await say_one(app, f"register {session_id}", user="ben")
    reply = await say_one(app, f"cancel session {session_id} the facilitator is ill", user="alex")
    assert "told the 2 people" in reply.text
    by_person = {notice.recipient_key: notice.reply for notice in messenger.sent}
    assert set(by_person) == {"console:ana", "console:ben"}
    assert "the facilitator is ill" in by_person["console:ana"].text
    assert str(calendar_of(by_person["console:ana"])["method"]) == "CANCEL"
    assert by_person["console:ben"].attachments == ()
    assert "Solidarity social" not in (await say_one(app, "sessions")).text
    assert "was cancelled" in (await say_one(app, f"register {session_id}", user="cat")).text
    # Someone who had a place gets no fresh calendar file for it, and can't rate it.
    again = await say_one(app, f"register {session_id}", user="ana")
    assert "was cancelled" in again.text
    assert again.attachments == ()
    clock.set(NOW + timedelta(days=4))
    assert "was cancelled" in (await say_one(app, f"feedback {session_id} 3", user="ana")).text


async def test_postponing_keeps_access_needs_until_a_week_after_the_new_date(
    app: Application,
) -> None:
    session_id = await add_session(app, duration_minutes=60)
    await say_one(app, f"register {session_id} needs: a quiet room", user="ana")
    await say_one(app, f"postpone session {session_id} to 10 Jan 2027 14:00", user="alex")
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.needs_delete_after == datetime(2027, 1, 17, 15, 0, tzinfo=UTC)
