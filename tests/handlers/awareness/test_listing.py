"""`calendar`: the awareness dates coming up, worked out from today."""

from __future__ import annotations

from bot.app import Application
from tests.conftest import say_one


async def test_calendar_lists_the_coming_dates(app: Application) -> None:
    reply = await say_one(app, "calendar")

    assert (
        "UK Disability History Month: mid-November to mid-December 2026 "
        "(dates announced each year, not yet confirmed)"
    ) in reply.text
    assert "International Day of Persons with Disabilities: 3 December 2026" in reply.text
    assert "Trans Awareness Week" not in reply.text  # just ended
