"""Helpers for the breakout tests: a session with breakouts on and registered people."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.app import Application
from bot.messages import Call, Conversation, Person, Reply, Request
from tests.conftest import say_one
from tests.support.sessions import add_session

LEAD = "alex"


async def breakout_session(
    app: Application,
    *,
    settings: str = "rounds: 1 | size: 3 | opens: now | approval: no",
    people: tuple[str, ...] = (),
    capacity: int | None = None,
    starts_in: timedelta = timedelta(days=10),
) -> int:
    """A pride social with breakouts set by the lead, and `people` registered for it."""
    session_id = await add_session(
        app, kind="social", title="Online social", capacity=capacity, starts_in=starts_in
    )
    reply = await say_one(app, f"breakouts {session_id} {settings}", user=LEAD)
    assert "Breakouts are on" in reply.text, reply.text
    for person in people:
        registered = await say_one(app, f"register {session_id}", user=person)
        assert "registered" in registered.text, registered.text
    return session_id


async def press(app: Application, call: Call | None, *, user: str = "you") -> Reply:
    """Press a button (or send a form) carrying `call`, as `user` in a private chat."""
    assert call is not None
    request = Request(
        person=Person(platform="console", id=user, display_name=user.title()),
        text="",
        conversation=Conversation(id="D-private"),
        call=call,
    )
    [reply] = await app.router.dispatch(request)
    return reply


def topic_number(text: str) -> int:
    """The topic number a reply mentions: “… (topic 4) …” or “(topic 4, you host it)”."""
    found = re.search(r"\(topic (\d+)", text)
    assert found is not None, text
    return int(found.group(1))
