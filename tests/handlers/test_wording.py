"""Replies read naturally to a newcomer: no "Hosted by no host yet", and no lead syntax for
people who cannot use it."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one
from tests.support.breakouts import breakout_session
from tests.support.sessions import add_session


async def test_a_topic_nobody_hosts_says_it_needs_a_host(app: Application) -> None:
    session_id = await breakout_session(app)
    await say_one(app, f"propose {session_id} Self-care", user="robin")
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert "• Self-care (topic 1): Needs a host · places available" in listed.text
    assert "no host yet" not in listed.text and "Hosted by" not in listed.text


async def test_no_breakout_rooms_gives_the_command_only_to_leads(app: Application) -> None:
    session_id = await add_session(app, kind="social", title="Online social")
    colleague = await say_one(app, f"topics {session_id}", user="kim")
    assert colleague.text == f"Session {session_id} (Online social) has no breakout rooms."
    lead = await say_one(app, f"topics {session_id}", user="alex")
    assert f"Turn them on with `breakouts {session_id} rounds: 1`." in lead.text
