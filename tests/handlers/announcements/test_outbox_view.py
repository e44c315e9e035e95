"""The outbox shows leads what was sent, late or failed and why, never who got private posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import DeliveryFailed
from bot.messages import Reply, Visibility
from bot.outbox_codec import encode_reply
from storage.repositories import OutboxRepository, PlannedPost
from tests.conftest import NOW, say, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher
from tests.handlers.announcements.support import dispatcher, outbox, with_channels


async def test_the_outbox_shows_leads_what_was_sent_late_failed_and_why(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    pride_id = await with_channels(app)
    await say(app, "announce pride on 22 Nov 2026 09:00: Sunday brunch", user="alex")
    await say(app, "announce pride on 23 Nov 2026 09:00: Monday notes", user="alex")
    async with app.database.transaction() as session:
        await OutboxRepository(session).plan(
            [
                PlannedPost(
                    schedule_key=f"session:5:reminder-24h:console:kim{n}",
                    occurrence_at=NOW + timedelta(days=2),
                    due_at=NOW + timedelta(days=1),
                    network_id=pride_id,
                    platform="console",
                    target_kind="person",
                    target_ref=f"console:kim{n}",
                    message=encode_reply(Reply(text="Reminder: your session is tomorrow.")),
                )
                for n in range(3)
            ],
            NOW,
        )
    [_first, second] = await outbox(app)
    publisher = RecordingPublisher(
        failures={second.id: [DeliveryFailed("channel_not_found", permanent=True)]}
    )
    clock.set(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    await dispatcher(app, clock, publisher).run_once()
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await dispatcher(app, clock, publisher).run_once()

    shown = await say_one(app, "outbox pride", user="alex")
    assert "announcement 1 · slack · sent late" in shown.text
    assert "announcement 2 · slack · failed (channel_not_found)" in shown.text
    assert "session 5 reminder 24h · 3 private messages · sent" in shown.text
    # Who the reminders went to is never listed.
    assert "kim" not in shown.text
    assert shown.visibility is Visibility.PRIVATE
    refused = await say_one(app, "outbox pride", user="priya")
    assert "Only the Pride Network leads" in refused.text
    # The lead was told, privately, what to fix.
    assert any("`channel`" in notice.reply.text for notice in messenger.sent)
