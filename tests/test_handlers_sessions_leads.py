"""Sessions for leads: creating (checked first), editing, postponing, cancelling, invitations,
attendance, the trained count, reports and the access-needs visibility rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from bot.config import Settings
from bot.messages import Visibility
from bot.small_numbers import SmallNumbers
from storage.models import SessionRegistration
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import (
    add_session,
    calendar_of,
    event_start,
    registrations_of,
)

CREATE = (
    "create session pride | title: Inclusive language at work | when: 13 Dec 2026 15:45 "
    "| duration: 75m | where: https://teams.example/m/1 | capacity: 20 | kind: webinar"
)


async def test_create_echoes_the_session_back_and_saves_only_when_confirmed(
    app: Application,
) -> None:
    preview = await say_one(app, CREATE, user="alex")
    assert "Please check this before I save it" in preview.text
    assert "When: Sun 13 Dec 2026, 15:45 GMT, 75 minutes" in preview.text
    assert "Ends: Sun 13 Dec 2026, 17:00 GMT" in preview.text
    assert "Places: 20" in preview.text
    before = await say_one(app, "sessions pride")
    assert "Inclusive language at work" not in before.text
    [create] = preview.buttons
    created = await say_one(app, create.command, user="alex")
    assert "Created session" in created.text
    listed = await say_one(app, "sessions pride")
    assert "Inclusive language at work" in listed.text
    assert "places: available" in listed.text


async def test_create_understands_relative_dates_and_end_times(app: Application) -> None:
    reply = await say_one(
        app,
        "create session pride title: Coffee morning | when: next Tuesday 10am | ends: 11:30 "
        "| kind: social | confirm: yes",
        user="alex",
    )
    assert "Tue 24 Nov 2026, 10:00 GMT" in reply.text
    session_id = int(reply.text.split("Created session ")[1].split(":")[0])
    details = await say_one(app, f"session {session_id}")
    assert "90 minutes" in details.text
    assert "no limit" in details.text


async def test_create_refuses_bad_dates_and_impossible_capacities(app: Application) -> None:
    cases = {
        "| title: T | when: 1 Nov 2026 10:00": "already passed",
        "| title: T | when: 13 Dec 2026 15:45 | ends: 15:00": "end is before the start",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: 0": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: 1000000": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | capacity: lots": "from 1 to 5,000",
        "| title: T | when: 13 Dec 2026 15:45 | duration: 3 days": "couldn't read that length",
        "| title: T | when: someday": "couldn't read that date",
        "| title: T | when: 13 Dec 2026 15:45 | colour: red": "couldn't tell which part",
        "| title: T | when: 13 Dec 2026 15:45 | kind: party": "webinar, training",
        "| title: T": "at least a title and when",
    }
    for parts, says in cases.items():
        reply = await say_one(app, f"create session pride {parts}", user="alex")
        assert says in reply.text, (parts, reply.text)
    assert (
        "couldn't find that network"
        in (
            await say_one(app, "create session prid | title: T | when: tomorrow 10am", user="alex")
        ).text
    )


async def test_only_the_networks_leads_create_its_sessions(app: Application) -> None:
    assert "for network leads" in (await say_one(app, CREATE, user="kim")).text
    assert "Only Pride Network's leads" in (await say_one(app, CREATE, user="priya")).text


async def test_create_offers_a_form_that_produces_the_same_command(app: Application) -> None:
    reply = await say_one(app, "create session", user="alex")
    [button] = reply.buttons
    assert button.form is not None
    networks = dict((value, label) for label, value in button.form.fields[0].choices)
    assert set(networks) == {"pride", "neurodiversity"}
    command = button.form.command_for(
        {
            "network": "pride",
            "title": "Pronouns 101",
            "when": "tomorrow 13:00",
            "duration": "45m",
            "kind": "webinar",
            "invite_only": "no",
            "where": "",
            "capacity": "",
            "description": "",
        }
    )
    preview = await say_one(app, command, user="alex")
    assert "Sun 22 Nov 2026, 13:00 GMT, 45 minutes" in preview.text


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
    unchanged = await say_one(app, form.command_for(initial), user="alex")
    assert unchanged.text == f"Nothing changed: session {session_id} already looks like that."
    assert messenger.sent == []
    # A new time in the form moves it, and the person registered is told privately.
    moved = await say_one(
        app,
        form.command_for({**initial, "when": "10 Jan 2027 14:00", "capacity": "none"}),
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
    await say_one(app, form.command_for({**initial, "title": "Allyship basics II"}), user="alex")
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


# Counts from 2 are shown here, so that the sums themselves can be checked.
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


async def test_access_needs_are_seen_only_by_organisers(app: Application) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id} needs: BSL interpreter", user="ana")
    await say_one(app, f"register {session_id}", user="kim")
    lead_view = await say_one(app, f"needs {session_id}", user="alex")
    assert lead_view.visibility is Visibility.PRIVATE
    assert "Ana: BSL interpreter" in lead_view.text
    for outsider in ("kim", "priya"):
        refused = await say_one(app, f"needs {session_id}", user=outsider)
        assert "Only the organisers" in refused.text
        assert "BSL" not in refused.text
    # A facilitator who is not a lead sees them too.
    await say_one(app, f"edit session {session_id} facilitators: console:kim", user="alex")
    assert "BSL interpreter" in (await say_one(app, f"needs {session_id}", user="kim")).text
    roster = await say_one(app, f"registrations {session_id}", user="alex")
    assert "Ana (console:ana) — registered" in roster.text
    assert "BSL" not in roster.text


async def test_recording_link_goes_to_people_who_had_a_place(
    app: Application, messenger: RecordingMessenger, clock: FixedClock
) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}", user="ana")
    before = await say_one(app, f"recording {session_id} https://video.example/1", user="alex")
    assert "After the session" in before.text
    assert messenger.sent == []
    clock.set(NOW + timedelta(days=4))
    reply = await say_one(app, f"recording {session_id} https://video.example/2", user="alex")
    assert "sent privately to the 1 person" in reply.text
    [notice] = messenger.sent
    assert notice.recipient_key == "console:ana"
    assert "https://video.example/2" in notice.reply.text
    assert "https://video.example/2" in (await say_one(app, f"session {session_id}")).text


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


async def test_registration_closes_at_the_deadline(app: Application, clock: FixedClock) -> None:
    reply = await say_one(
        app,
        "create session pride | title: Pride social | when: 5 Dec 2026 18:00 "
        "| deadline: 1 Dec 2026 17:00 | confirm: yes",
        user="alex",
    )
    session_id = int(reply.text.split("Created session ")[1].split(":")[0])
    assert (
        "Register by: Tue 1 Dec 2026, 17:00 GMT"
        in (await say_one(app, f"session {session_id}")).text
    )
    clock.set(datetime(2026, 12, 1, 17, 1, tzinfo=UTC))
    late = await say_one(app, f"register {session_id}", user="ana")
    assert "Registration for Pride social closed on Tue 1 Dec 2026, 17:00 GMT" in late.text
    after_start = await say_one(
        app, f"edit session {session_id} deadline: 6 Dec 2026 10:00", user="alex"
    )
    assert "no later than the start" in after_start.text
