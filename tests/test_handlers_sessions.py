"""Sessions for everyone: listing, details, registering with a waitlist, cancelling, feedback."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from bot.outbound import RecordingMessenger
from storage.models import SessionFeedback, SessionRegistration
from storage.repositories import (
    RegistrationRepository,
    SessionRepository,
    purge_expired_access_needs,
)
from tests.conftest import NOW, say_one
from tests.test_handlers_sessions_support import (
    add_session,
    calendar_of,
    event_start,
    registrations_of,
)


async def test_sessions_lists_upcoming_soonest_first_and_filters_by_network(
    app: Application,
) -> None:
    later = await add_session(app, title="Later webinar", starts_in=timedelta(days=30))
    sooner = await add_session(
        app, network="disability", title="Sooner social", starts_in=timedelta(days=1)
    )
    await add_session(app, title="Already happened", starts_in=-timedelta(days=1))
    reply = await say_one(app, "sessions")
    assert reply.visibility is Visibility.PRIVATE
    headings = [section.heading for section in reply.sections]
    assert headings.index(f"Sooner social (session {sooner})") < headings.index(
        f"Later webinar (session {later})"
    )
    assert "Already happened" not in reply.text
    pride = await say_one(app, "sessions pride")
    assert "Later webinar" in pride.text
    assert "Sooner social" not in pride.text
    assert any(button.command == f"register {later}" for button in pride.all_buttons)


async def test_session_details_show_places_left_but_never_who_registered(
    app: Application,
) -> None:
    session_id = await add_session(app, capacity=10, title="Trans awareness webinar")
    await say_one(app, f"register {session_id}", user="robin")
    reply = await say_one(app, f"session {session_id}", user="kim")
    assert "Places: available" in reply.text
    assert "Robin" not in reply.text and "robin" not in reply.text
    labels = [button.label for button in reply.all_buttons]
    assert "Register" in labels
    assert "Register with access needs" in labels
    form = next(b.form for b in reply.all_buttons if b.label == "Register with access needs")
    assert form is not None
    assert form.command_for({"needs": "captions"}) == f"register {session_id} needs: captions"


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
        f"Inclusive spaces — Sun 13 Dec 2026, 10:00 GMT: registered (`session {session_id}`)"
        in (mine.text)
    )
    again = await say_one(app, f"register {session_id}")
    assert "already registered" in again.text


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


async def test_access_needs_are_kept_until_a_week_after_and_the_person_is_told(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app, duration_minutes=60)
    reply = await say_one(app, f"register {session_id} needs: live captions please")
    assert (
        "Only the session's organisers (its network's leads and facilitators) and the bot's "
        "admins will see your access needs"
    ) in reply.text
    assert "delete them 7 days after the session" in reply.text
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.access_needs == "live captions please"
        expected = NOW + timedelta(days=3, hours=1) + timedelta(days=7)
        assert registration.needs_delete_after == expected
    async with app.database.transaction() as session:
        assert await purge_expired_access_needs(session, expected - timedelta(minutes=1)) == 0
    async with app.database.transaction() as session:
        assert await purge_expired_access_needs(session, expected) == 1
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.access_needs is None
        assert registration.status == "registered"


async def test_needs_can_be_added_after_registering(app: Application) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}")
    reply = await say_one(app, f"register {session_id} needs: step-free access")
    assert "passed your access needs" in reply.text
    empty = await say_one(app, f"register {session_id} needs:")
    assert "What do you need" in empty.text


async def test_register_refuses_past_cancelled_and_unknown_sessions(app: Application) -> None:
    past = await add_session(app, starts_in=-timedelta(hours=1))
    assert "already started" in (await say_one(app, f"register {past}")).text
    assert "can't find session 999" in (await say_one(app, "register 999")).text
    assert "Which session?" in (await say_one(app, "register soon")).text
    assert "didn't understand" in (await say_one(app, f"register {past} pls")).text


async def test_feedback_after_the_session_anonymous_unless_named(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app)
    for person in ("ana", "ben"):
        await say_one(app, f"register {session_id}", user=person)
    early = await say_one(app, f"feedback {session_id} 5", user="ana")
    assert "hasn't happened yet" in early.text
    clock.set(NOW + timedelta(days=3, hours=2))
    reply = await say_one(app, f"feedback {session_id} 5 Loved the breakout rooms", user="ana")
    assert "anonymously" in reply.text
    named = await say_one(app, f"feedback {session_id} 4 Good pace named", user="ben")
    assert "with your name" in named.text
    twice = await say_one(app, f"feedback {session_id} 1", user="ana")
    assert "already given feedback" in twice.text
    stranger = await say_one(app, f"feedback {session_id} 3", user="kim")
    assert "don't have you down" in stranger.text
    bad = await say_one(app, f"feedback {session_id} 9", user="ben")
    assert "from 1 (poor) to 5" in bad.text
    async with app.database.transaction() as session:
        rows = (await session.scalars(select(SessionFeedback).order_by(SessionFeedback.id))).all()
    assert [(row.rating, row.comment, row.user_id is None) for row in rows] == [
        (5, "Loved the breakout rooms", True),
        (4, "Good pace", False),
    ]


async def test_anonymous_feedback_is_not_tied_to_its_author_by_time_or_log(
    app: Application, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    session_id = await add_session(app)
    await say_one(app, f"register {session_id}", user="ana")
    clock.set(NOW + timedelta(days=3, hours=2, minutes=17, seconds=5))
    with caplog.at_level(logging.INFO, logger="allybot"):
        await say_one(app, f"feedback {session_id} 2 MARKER-FB", user="ana")
    async with app.database.transaction() as session:
        row = (await session.scalars(select(SessionFeedback))).one()
    assert (row.created_at.minute, row.created_at.second, row.created_at.microsecond) == (0, 0, 0)
    handled = [r for r in caplog.records if r.getMessage() == "request_handled"]
    assert handled and not any("person" in getattr(r, "allybot_fields", {}) for r in handled)


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
