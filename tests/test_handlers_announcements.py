"""Leads schedule, preview, edit and cancel announcements; only they can; the outbox shows all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import DeliveryFailed, Pacer, Publishers, TargetKind
from bot.messages import Reply, Visibility
from bot.outbound import RecordingMessenger
from bot.outbox import Dispatcher
from bot.outbox_codec import decode_reply, encode_reply
from handlers.announcements import AnnouncementPlanner
from storage.models import OutboxPost
from storage.repositories import (
    AnnouncementRepository,
    NetworkRepository,
    OutboxRepository,
    PlannedPost,
)
from tests.conftest import NOW, say, say_one
from tests.fakes.rate_limited_platform import FakeTime, RecordingPublisher

LONDON = ZoneInfo("Europe/London")


async def with_channels(app: Application) -> int:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-PRIDE")
        return pride.id


async def outbox(app: Application, prefix: str = "announcement:") -> list[OutboxPost]:
    async with app.database.transaction() as session:
        return list(await OutboxRepository(session).with_prefix(prefix))


def dispatcher(app: Application, clock: FixedClock, publisher: RecordingPublisher) -> Dispatcher:
    publishers = Publishers()
    publishers.register("slack", publisher)
    publishers.register("console", publisher)
    fake = FakeTime()
    return Dispatcher(
        database=app.database,
        publishers=publishers,
        clock=clock,
        messenger=app.services.messenger,
        pacer=Pacer(monotonic=fake.monotonic, sleep=fake.sleep),
    )


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


async def test_preview_shows_exactly_what_will_be_posted_privately(app: Application) -> None:
    await with_channels(app)
    await say(app, "announce pride on 1 Dec 2026 09:00: Bring a friend & a snack", user="alex")
    note, post = await say(app, "preview announcement 1", user="alex")
    assert "on 1 December 2026 at 09:00" in note.text
    assert post.text == "Bring a friend & a snack"
    assert post.context == "Announcement from the Pride Network leads"
    assert post.visibility is Visibility.PRIVATE
    [row] = await outbox(app)
    stored = decode_reply(row.message)
    assert (stored.text, stored.context) == (post.text, post.context)


async def test_only_the_networks_own_leads_and_admins_may_announce(app: Application) -> None:
    await with_channels(app)
    member = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="kim")
    assert "is for network leads" in member.text
    other_lead = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="priya")
    assert "Only the Pride Network leads" in other_lead.text
    admin = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="sam")
    assert "Scheduled announcement" in admin.text
    # Another network's lead cannot see, preview or cancel it either, nor learn it exists.
    peek = await say_one(app, "preview announcement 1", user="priya")
    assert "can't find announcement 1" in peek.text
    assert len(await outbox(app)) == 1


async def test_mass_mentions_are_refused_with_a_reason(app: Application) -> None:
    await with_channels(app)
    for text in ("@channel social tonight", "hello @here", "<!everyone> hi"):
        reply = await say_one(app, f"announce pride on 1 Dec 2026 09:00: {text}", user="alex")
        assert "can't post `@channel`, `@here` or `@everyone`" in reply.text
    assert await outbox(app) == []


async def test_mistakes_get_a_specific_helpful_answer(app: Application) -> None:
    past = await say_one(app, "announce pride on 1 Nov 2026 09:00: hi", user="alex")
    assert "has already passed" in past.text
    no_time = await say_one(app, "announce pride on 1 Dec 2026: hi", user="alex")
    assert "What time" in no_time.text
    no_channel = await say_one(app, "announce pride on 1 Dec 2026 09:00: hi", user="alex")
    assert "no announcements channel yet" in no_channel.text
    assert "`channel pride <platform> announcements <channel id>`" in no_channel.text


async def test_every_monday_at_nine_stays_at_nine_across_the_clock_change(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    clock.set(datetime(2027, 3, 10, 12, 0, tzinfo=UTC))
    reply = await say_one(app, "announce pride every monday 09:00: Weekly hello", user="alex")
    assert "every Monday at 09:00" in reply.text
    local_times = {row.due_at.astimezone(LONDON).strftime("%H:%M") for row in await outbox(app)}
    utc_hours = sorted({row.due_at.hour for row in await outbox(app)})
    assert local_times == {"09:00"}
    # GMT before 28 March 2027, BST after: the same wall-clock time is two different hours UTC.
    assert utc_hours == [8, 9]
    assert all(row.due_at.astimezone(LONDON).weekday() == 0 for row in await outbox(app))


async def test_the_first_tuesday_of_each_month(app: Application, clock: FixedClock) -> None:
    await with_channels(app)
    await say(app, "announce pride every first tuesday 12:30: Lunch and learn", user="alex")
    days = [row.due_at.astimezone(LONDON) for row in await outbox(app)]
    assert [(day.day, day.month, day.hour, day.minute) for day in days] == [(1, 12, 12, 30)]


async def test_editing_changes_what_is_not_yet_sent_and_cancelling_withdraws_it(
    app: Application,
) -> None:
    await with_channels(app)
    await say(app, "announce pride every monday 09:00: Old words", user="alex")
    edited = await say_one(app, "edit announcement 1: New words", user="alex")
    assert "Updated announcement 1" in edited.text
    assert {decode_reply(row.message).text for row in await outbox(app)} == {"New words"}

    await say(app, "edit announcement 1 every friday 16:00: Friday words", user="alex")
    fridays = await outbox(app)
    assert fridays and all(row.due_at.astimezone(LONDON).weekday() == 4 for row in fridays)

    listed = await say_one(app, "announcements pride", user="alex")
    assert "every Friday at 16:00: Friday words" in listed.text

    cancelled = await say_one(app, "cancel announcement 1", user="alex")
    assert "Cancelled announcement 1" in cancelled.text
    assert await outbox(app) == []
    again = await say_one(app, "cancel announcement 1", user="alex")
    assert "was cancelled" in again.text


async def test_a_one_off_that_has_gone_out_is_listed_apart_with_nothing_to_cancel(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    await say(app, "announce pride on 22 Nov 2026 09:00: Sunday brunch", user="alex")
    await say(app, "announce pride every monday 09:00: Weekly notes", user="alex")
    before = await say_one(app, "announcements pride", user="alex")
    assert "Already due" not in before.text
    assert {button.command for section in before.sections for button in section.buttons} >= {
        "cancel announcement 1",
        "cancel announcement 2",
    }
    clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    after = await say_one(app, "announcements pride", user="alex")
    ahead, past = after.text.split("Already due:")
    assert "Weekly notes" in ahead and "Sunday brunch" not in ahead
    assert "1. was due on 22 November 2026 at 09:00: Sunday brunch" in past
    assert "`outbox pride`" in past
    commands = {button.command for section in after.sections for button in section.buttons}
    assert "cancel announcement 1" not in commands and "cancel announcement 2" in commands


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


async def test_a_lead_can_schedule_through_a_form_that_types_the_same_command(
    app: Application,
) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-FORM")
    offer = await say_one(app, "announce pride", user="alex")
    (button,) = offer.all_buttons
    assert button.form is not None
    command = button.form.command_for(
        {"when": "on 1 Dec 2026 09:00", "text": "Social on Thursday!"}
    )
    assert command == "announce pride on 1 Dec 2026 09:00: Social on Thursday!"
    done = await say_one(app, command, user="alex")
    assert "Dec" in done.text and "09:00" in done.text
    async with app.database.transaction() as session:
        scheduled = await AnnouncementRepository(session).of_network(pride.id)
    assert [item.text for item in scheduled] == ["Social on Thursday!"]
    refused = await say_one(app, "announce pride", user="robin")
    assert refused.all_buttons == ()
