"""Awareness-calendar posts: planned for the right networks at 09:00 local, year after year,
and changed by leads in chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from bot.outbox_codec import decode_reply
from handlers.awareness.dates import occurrence_in
from handlers.awareness.posts import CalendarPlanner, shipped_rules
from storage.models import OutboxPost
from storage.repositories import NetworkRepository, OutboxRepository
from tests.conftest import say_one

LONDON = ZoneInfo("Europe/London")


async def with_channels(app: Application) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        for slug, ref in (("pride", "C-PRIDE"), ("disability", "C-DIS")):
            network = await networks.by_slug(slug)
            assert network is not None
            await networks.set_channel(network.id, "slack", "announcements", ref)


async def calendar_rows(app: Application, rule_id: str = "") -> list[OutboxPost]:
    async with app.database.transaction() as session:
        return list(await OutboxRepository(session).with_prefix(f"calendar:{rule_id}"))


def local(row: OutboxPost) -> str:
    return row.due_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("year", "week_before", "first_day"),
    [
        (2027, "2027-11-06 09:00", "2027-11-13 09:00"),
        (2028, "2028-11-06 09:00", "2028-11-13 09:00"),
        (2029, "2029-11-06 09:00", "2029-11-13 09:00"),
    ],
)
async def test_trans_awareness_week_is_posted_a_week_ahead_and_on_the_day_every_year(
    app: Application, clock: FixedClock, year: int, week_before: str, first_day: str
) -> None:
    await with_channels(app)
    clock.set(datetime(year, 11, 1, 12, 0, tzinfo=UTC))
    await CalendarPlanner(app.database, LONDON).plan(clock.now())
    rows = await calendar_rows(app, "trans-awareness-week:")
    assert [(local(row), row.target_ref) for row in rows] == [
        (week_before, "C-PRIDE"),
        (first_day, "C-PRIDE"),
    ]
    opening = decode_reply(rows[1].message)
    assert opening.text.startswith(f"Starting today: Trans Awareness Week (13–19 November {year})")
    assert opening.visibility is Visibility.CONVERSATION
    # Only the networks it matters to: the disability channel gets no Trans Awareness Week.
    assert {row.target_ref for row in await calendar_rows(app, "uk-disability")} == {"C-DIS"}


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2029, 2030])
def test_dates_that_move_each_year_follow_their_rule(year: int) -> None:
    rules = {rule.id: rule for rule in shipped_rules()}
    week = occurrence_in(rules["neurodiversity-celebration-week"], year)
    assert week.first.weekday() == 0 and week.first.month == 3
    assert 15 <= week.first.day <= 21
    assert week.last - week.first == timedelta(days=6)
    # Its organisers set the dates each year: the rule is an estimate, never called confirmed.
    history = occurrence_in(rules["uk-disability-history-month"], year)
    assert (history.first, history.last) == (date(year, 11, 18), date(year, 12, 18))
    assert not history.confirmed


async def test_a_summer_date_is_posted_at_nine_british_summer_time(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=UTC))
    await CalendarPlanner(app.database, LONDON).plan(clock.now())
    [week_before, first_day] = await calendar_rows(app, "pride-month:")
    assert week_before.due_at == datetime(2027, 5, 25, 8, 0, tzinfo=UTC)
    assert first_day.due_at == datetime(2027, 6, 1, 8, 0, tzinfo=UTC)


async def test_planning_again_adds_nothing_and_a_network_without_a_channel_gets_nothing(
    app: Application, clock: FixedClock
) -> None:
    clock.set(datetime(2027, 11, 1, 12, 0, tzinfo=UTC))
    planner = CalendarPlanner(app.database, LONDON)
    await planner.plan(clock.now())
    assert await calendar_rows(app) == []
    await with_channels(app)
    await planner.plan(clock.now())
    first = [(row.id, row.schedule_key) for row in await calendar_rows(app)]
    await planner.plan(clock.now())
    assert [(row.id, row.schedule_key) for row in await calendar_rows(app)] == first
    assert not any("neurodiversity" in key for _, key in first)


async def test_leads_switch_off_retime_reschedule_and_reword_a_date(
    app: Application, clock: FixedClock
) -> None:
    await with_channels(app)
    clock.set(datetime(2027, 10, 20, 12, 0, tzinfo=UTC))

    off = await say_one(app, "calendar off pride trans awareness week", user="alex")
    assert "Trans Awareness Week is off for Pride Network" in off.text
    assert await calendar_rows(app, "trans-awareness-week:") == []

    on = await say_one(app, "calendar on pride trans-awareness-week", user="alex")
    assert "7 days before, on the first day, at 09:00" in on.text

    await say_one(app, "calendar time pride trans-awareness-week 10:30", user="alex")
    await say_one(app, "calendar days pride trans-awareness-week 14,0", user="alex")
    rows = await calendar_rows(app, "trans-awareness-week:")
    assert [local(row) for row in rows] == ["2027-10-30 10:30", "2027-11-13 10:30"]

    reply = await say_one(
        app, "calendar message pride trans-awareness-week: Join us for talks all week.", user="alex"
    )
    assert "its own words" in reply.text
    texts = {decode_reply(row.message).text for row in await calendar_rows(app, "trans-aw")}
    assert all(text.endswith("Join us for talks all week.") for text in texts)

    listed = await say_one(app, "calendar posts pride", user="alex")
    assert "Trans Awareness Week (14d before) · `trans-awareness-week` (own words)" in listed.text
    assert "Sat 30 Oct 10:30" in listed.text


async def test_only_that_networks_leads_change_its_calendar_posts(app: Application) -> None:
    await with_channels(app)
    member = await say_one(app, "calendar off pride trans-awareness-week", user="kim")
    assert "is for network leads" in member.text
    other = await say_one(app, "calendar off pride trans-awareness-week", user="priya")
    assert "Only the Pride Network leads" in other.text
    typo = await say_one(app, "calendar off pride trans awarness week", user="alex")
    assert "Did you mean `trans-awareness-week`?" in typo.text
