"""A network's leads turn breakouts on for a session and set them up."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one
from tests.support.breakouts import LEAD, breakout_session


async def test_only_the_networks_leads_can_turn_breakouts_on(app: Application) -> None:
    session_id = await breakout_session(app)
    refused = await say_one(app, f"breakouts {session_id} rounds: 2", user="robin")
    assert "for network leads" in refused.text
    updated = await say_one(
        app, f"breakouts {session_id} rounds: 2 | size: 8 | closes: now", user=LEAD
    )
    assert "would close (Sat 21 Nov 2026, 10:00 GMT) before it opens" in updated.text
    updated = await say_one(app, f"breakouts {session_id} rounds: 2 | size: none", user=LEAD)
    assert "Updated. Breakouts for Online social" in updated.text
    assert "2 rounds, no limit, topics appear at once" in updated.text
    assert "Pride Network has no announcements channel yet, so nothing will be posted" in (
        updated.text
    )


async def test_signup_opens_seven_days_before_by_default(app: Application) -> None:
    session_id = await breakout_session(app, settings="")
    shown = await say_one(app, f"topics {session_id}")
    # The session starts on 1 Dec 2026 at 10:00; the signup opens a week earlier.
    assert "Picking opens Tue 24 Nov 2026, 10:00 GMT" in shown.text
