"""A scheduled announcement is planned into the outbox, posted once, and not brought back."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import TargetKind
from bot.messages import Visibility
from handlers.announcements.planner import AnnouncementPlanner
from tests.conftest import say_one
from tests.fakes.rate_limited_platform import RecordingPublisher
from tests.handlers.announcements.support import LONDON, dispatcher, outbox, with_channels


async def test_a_lead_schedules_a_post_that_goes_out_once_at_nine_local_time(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    reply = await say_one(
        app, "announce pride on 1 Dec 2026 09:00: Our winter social is on Thursday!", user="alex"
    )
    assert "Scheduled announcement 1 for Pride Network" in reply.text
    assert "on 1 December 2026 at 09:00" in reply.text
    assert reply.visibility is Visibility.PRIVATE

    [row] = await outbox(app)
    assert row.target_ref == "C-PRIDE"
    assert row.due_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    publisher = RecordingPublisher()
    clock.set(datetime(2026, 12, 1, 8, 59, tzinfo=UTC))
    assert (await dispatcher(app, clock, publisher).run_once()).sent == 0
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert (await dispatcher(app, clock, publisher).run_once()).sent == 1
    [post] = publisher.published
    assert post.target.ref == "C-PRIDE" and post.target.kind is TargetKind.CHANNEL
    assert post.reply.text == "Our winter social is on Thursday!"
    assert post.reply.visibility is Visibility.CONVERSATION

    # The planner running again later does not bring it back.
    await AnnouncementPlanner(app.database, LONDON).plan(clock.now())
    assert (await dispatcher(app, clock, publisher).run_once()).sent == 0
