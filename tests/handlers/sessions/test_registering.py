"""Registering with a waitlist, cancelling, and what registrations leave behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from handlers.sessions.dates import how_long
from storage.repositories import RegistrationRepository, SessionRepository
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.sessions import (
    add_session,
    calendar_of,
    event_start,
    registrations_of,
)


async def test_register_gives_a_calendar_file_and_shows_in_my(app: Application) -> None:
    session_id = await add_session(app, title="Inclusive spaces", starts_in=timedelta(days=22))
    reply = await say_one(app, f"register {session_id}")
    assert "You're registered for Inclusive spaces" in reply.text
    assert "Sun 13 Dec 2026, 10:00 GMT" in reply.text
    assert event_start(reply) == NOW + timedelta(days=22)
    [event] = calendar_of(reply).walk("VEVENT")
    assert str(event["summary"]) == "Inclusive spaces"
    mine = await say_one(app, "my")
    assert (
        f"Inclusive spaces — Sun 13 Dec 2026, 10:00 GMT: registered (session {session_id})"
        in (mine.text)
    )
    again = await say_one(app, f"register {session_id}")
    assert "already registered" in again.text


async def test_the_confirmation_reads_in_lines_and_offers_needs_by_its_button(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship training", duration_minutes=180)
    reply = await say_one(app, f"register {session_id}")
    first, file, needs = reply.text.splitlines()
    assert first.startswith("You're registered for Allyship training: ")
    assert first.endswith(", 3 hours, https://meet.example/abc.")
    assert file == "Here's a calendar file for it."
    # No grammar to learn: the button beside it takes the needs, privately.
    assert "`" not in reply.text and "only the organisers see them" in needs
    assert any(b.label == "Add access needs: Allyship training" for b in reply.all_buttons)
    details = await say_one(app, f"session {session_id}")
    assert "10:00 GMT, 3 hours" in details.text


def test_how_long_reads_as_people_say_it() -> None:
    assert [how_long(m) for m in (45, 60, 90, 180, 61)] == [
        "45 minutes",
        "1 hour",
        "1 hour 30 minutes",
        "3 hours",
        "1 hour 1 minute",
    ]


async def test_private_registration_has_a_neutral_calendar_title(app: Application) -> None:
    session_id = await add_session(app, title="LGBT+ history month talk")
    reply = await say_one(app, f"register {session_id} private")
    [event] = calendar_of(reply).walk("VEVENT")
    assert str(event["summary"]) == "Staff network session"
    assert "LGBT" not in reply.attachments[0].content
    # Someone already registered can switch to the neutral title; the new file replaces the old.
    other = await add_session(app, title="Pride social")
    first = await say_one(app, f"register {other}", user="kim")
    again = await say_one(app, f"register {other} private", user="kim")
    [old_event] = calendar_of(first).walk("VEVENT")
    [new_event] = calendar_of(again).walk("VEVENT")
    assert str(new_event["summary"]) == "Staff network session"
    assert new_event["uid"] == old_event["uid"]
    assert new_event.decoded("sequence") > old_event.decoded("sequence")


async def test_a_full_session_puts_people_on_a_first_come_waitlist(app: Application) -> None:
    session_id = await add_session(app, capacity=2)
    for person in ("ana", "ben"):
        assert (
            "You're registered" in (await say_one(app, f"register {session_id}", user=person)).text
        )
    third = await say_one(app, f"register {session_id}", user="cat")
    assert "is full, so you're number 1 on the waitlist" in third.text
    assert third.attachments == ()
    fourth = await say_one(app, f"register {session_id}", user="dev")
    assert "number 2 on the waitlist" in fourth.text
    assert "number 2 on the waitlist" in (await say_one(app, "my", user="dev")).text
    details = await say_one(app, f"session {session_id}", user="eve")
    assert "Places: full — you can join the waitlist" in details.text


async def test_cancelling_promotes_exactly_the_first_in_line_and_tells_them_privately(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await add_session(app, capacity=2)
    for person in ("ana", "ben", "cat", "dev", "eve"):
        await say_one(app, f"register {session_id}", user=person)
    reply = await say_one(app, f"cancel {session_id}", user="ben")
    assert "cancelled your place" in reply.text
    assert str(calendar_of(reply)["method"]) == "CANCEL"
    [notice] = messenger.sent
    assert notice.recipient_key == "console:cat"
    assert "a place came up" in notice.reply.text
    assert notice.reply.visibility is Visibility.PRIVATE
    assert event_start(notice.reply) == NOW + timedelta(days=3)
    # Someone on the waitlist leaving promotes nobody; the next registered leaving promotes dev.
    await say_one(app, f"cancel {session_id}", user="eve")
    await say_one(app, f"cancel {session_id}", user="ana")
    assert [notice.recipient_key for notice in messenger.sent] == ["console:cat", "console:dev"]
    assert [(name, status) for name, status, _ in await registrations_of(app, session_id)] == [
        ("ana", "cancelled"),
        ("ben", "cancelled"),
        ("cat", "registered"),
        ("dev", "registered"),
        ("eve", "cancelled"),
    ]
    # Coming back after cancelling means joining the back of the queue.
    back = await say_one(app, f"register {session_id}", user="ben")
    assert "number 1 on the waitlist" in back.text


async def test_cancelling_with_no_place_says_so(app: Application) -> None:
    session_id = await add_session(app)
    reply = await say_one(app, f"cancel {session_id}")
    assert "don't have a place" in reply.text
    assert "Which session?" in (await say_one(app, "cancel")).text


async def test_invitation_only_sessions_refuse_others_and_say_whom_to_ask(
    app: Application,
) -> None:
    session_id = await add_session(app, invite_only=True, title="Train the trainer")
    reply = await say_one(app, f"register {session_id}", user="kim")
    assert "by invitation only" in reply.text
    assert "ask" in reply.text
    assert await registrations_of(app, session_id) == []


async def test_register_refuses_past_cancelled_and_unknown_sessions(app: Application) -> None:
    past = await add_session(app, starts_in=-timedelta(hours=1))
    assert "already started" in (await say_one(app, f"register {past}")).text
    assert "can't find session 999" in (await say_one(app, "register 999")).text
    assert "Which session?" in (await say_one(app, "register soon")).text
    assert "didn't understand" in (await say_one(app, f"register {past} pls")).text


async def test_scheduler_queries_find_sessions_and_registrants(app: Application) -> None:
    soon = await add_session(app, starts_in=timedelta(hours=24), duration_minutes=90)
    await add_session(app, starts_in=timedelta(hours=48))
    await say_one(app, f"register {soon}", user="ana")
    async with app.database.transaction() as session:
        repository = RegistrationRepository(session)
        starting = await SessionRepository(session).sessions_starting_between(
            NOW + timedelta(hours=23), NOW + timedelta(hours=25)
        )
        assert [item.id for item in starting] == [soon]
        assert await repository.registrants(soon) == ["console:ana"]
        ended = await SessionRepository(session).sessions_ended_between(
            NOW + timedelta(hours=25), NOW + timedelta(hours=26)
        )
        assert [item.id for item in ended] == [soon]


async def test_forget_me_removes_registrations(app: Application) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id} needs: a quiet room", user="ana")
    await say_one(app, "forget me confirm", user="ana")
    assert await registrations_of(app, session_id) == []


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
