"""Sessions for everyone to look through: the list and one session's details."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Application
from bot.messages import Call, Visibility
from tests.conftest import say_one
from tests.support.sessions import (
    add_session,
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
    assert any(button.call == Call.of("register", session=later) for button in pride.all_buttons)


async def test_session_details_show_places_left_but_never_who_registered(
    app: Application,
) -> None:
    session_id = await add_session(app, capacity=10, title="Trans awareness webinar")
    await say_one(app, f"register {session_id}", user="robin")
    reply = await say_one(app, f"session {session_id}", user="kim")
    assert "Places: available" in reply.text
    assert "Robin" not in reply.text and "robin" not in reply.text
    labels = [button.label for button in reply.all_buttons]
    assert "Register: Trans awareness webinar" in labels
    assert "Register with access needs: Trans awareness webinar" in labels
    form = next(b.form for b in reply.all_buttons if b.label.startswith("Register with access"))
    assert form is not None
    assert form.call_for({"needs": "captions"}) == Call.of(
        "register", session=session_id, needs="captions"
    )
