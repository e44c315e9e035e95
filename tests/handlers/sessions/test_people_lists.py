"""Who sees a session's access needs: its organisers only."""

from __future__ import annotations

from bot.app import Application
from bot.messages import Visibility
from tests.conftest import say_one
from tests.support.sessions import (
    add_session,
)


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
