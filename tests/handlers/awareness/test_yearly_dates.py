"""Dates whose organisers announce them each year (UK Disability History Month): `calendar`
and the posts say they are to be confirmed until a lead of the network, or an admin, sets
them; then both give them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Call, Conversation, Person, Reply, Request
from bot.outbox_codec import decode_reply
from handlers.awareness.posts import CalendarPlanner
from storage.models import OutboxPost
from storage.repositories import NetworkRepository, OutboxRepository
from tests.conftest import say_one

LONDON = ZoneInfo("Europe/London")
UKDHM = "uk-disability-history-month"


async def disability_channel(app: Application) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        network = await networks.by_slug("disability")
        assert network is not None
        await networks.set_channel(network.id, "slack", "announcements", "C-DIS")


async def ukdhm_posts(app: Application, clock: FixedClock) -> list[tuple[str, str]]:
    """(local due time, text) of the planned UKDHM posts."""
    await CalendarPlanner(app.database, LONDON).plan(clock.now())
    async with app.database.transaction() as session:
        rows: list[OutboxPost] = list(
            await OutboxRepository(session).with_prefix(f"calendar:{UKDHM}:")
        )
    return [
        (row.due_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M"), decode_reply(row.message).text)
        for row in rows
    ]


async def submit(app: Application, call: Call, user: str) -> Reply:
    request = Request(
        person=Person(platform="console", id=user, display_name=user.title()),
        text="",
        conversation=Conversation(id="D-private"),
        call=call,
    )
    [reply] = await app.router.dispatch(request)
    return reply


async def test_calendar_says_the_dates_are_announced_each_year_and_not_yet_confirmed(
    app: Application,
) -> None:
    reply = await say_one(app, "calendar")
    assert (
        "UK Disability History Month: mid-November to mid-December 2026 "
        "(dates announced each year, not yet confirmed)"
    ) in reply.text
    assert "16 November" not in reply.text and "18 November" not in reply.text
    # Someone who cannot set them is offered no form for it.
    assert not any(button.label.startswith("Set dates") for button in reply.all_buttons)


async def test_a_post_before_the_dates_are_set_says_they_are_to_be_confirmed(
    app: Application, clock: FixedClock
) -> None:
    await disability_channel(app)
    clock.set(datetime(2027, 11, 1, 12, 0, tzinfo=UTC))

    posts = await ukdhm_posts(app, clock)

    assert posts, "the week-before post is planned"
    for _, text in posts:
        assert "the 2027 dates are to be confirmed" in text
        assert "Starting today" not in text
        assert "18 November" not in text and "18 December" not in text


async def test_after_the_lead_sets_them_the_posts_and_calendar_give_them(
    app: Application, clock: FixedClock
) -> None:
    await disability_channel(app)
    clock.set(datetime(2027, 11, 1, 12, 0, tzinfo=UTC))
    assert await ukdhm_posts(app, clock)

    reply = await say_one(app, "calendar dates ukdhm 2027-11-20 2027-12-20", user="jo")
    assert "UK Disability History Month 2027: 20 November – 20 December 2027" in reply.text

    posts = await ukdhm_posts(app, clock)
    assert [due for due, _ in posts] == ["2027-11-13 09:00", "2027-11-20 09:00"]
    week_before, first_day = (text for _, text in posts)
    assert week_before.startswith(
        "Coming up in a week: UK Disability History Month, 20 November – 20 December 2027."
    )
    assert first_day.startswith(
        "Starting today: UK Disability History Month (20 November – 20 December 2027)."
    )
    assert "to be confirmed" not in week_before + first_day
    assert "announce the dates each year" in first_day

    calendar = await say_one(app, "calendar")
    assert (
        "UK Disability History Month: 20 November – 20 December 2027 (dates announced each year)"
        in calendar.text
    )


async def test_the_lead_sets_the_dates_through_the_form_from_calendar(
    app: Application, clock: FixedClock
) -> None:
    reply = await say_one(app, "calendar", user="jo")
    [button] = [b for b in reply.all_buttons if b.label == "Set dates: UK Disability History Month"]
    assert button.form is not None
    assert [field.name for field in button.form.fields] == ["first", "last"]

    done = await submit(
        app, button.form.call_for({"first": "2026-11-20", "last": "2026-12-20"}), "jo"
    )

    assert "20 November – 20 December 2026" in done.text
    assert (
        "UK Disability History Month: 20 November – 20 December 2026 "
        "(on now; dates announced each year)" in (await say_one(app, "calendar")).text
    )
    answer = await say_one(app, "when is disability history month")
    assert "UK Disability History Month is on now: 20 November – 20 December 2026." in answer.text


async def test_who_may_set_dates_and_which_dates_can_be_set(app: Application) -> None:
    # alex leads Pride and Neurodiversity, not the disability network.
    refused = await say_one(app, "calendar dates ukdhm 2026-11-20 2026-12-20", user="alex")
    assert "Only an admin, or a lead of a network that marks UK Disability History Month" in (
        refused.text
    )
    fixed = await say_one(app, "calendar dates pride-month 2027-06-01 2027-06-30", user="sam")
    assert "same days every year" in fixed.text
    backwards = await say_one(app, "calendar dates ukdhm 2026-12-20 2026-11-20", user="sam")
    assert "before the first" in backwards.text
    unreadable = await say_one(app, "calendar dates ukdhm 20/11/2026 20/12/2026", user="jo")
    assert "Which days?" in unreadable.text
    # An admin may set any announced date, in words too.
    done = await say_one(
        app, "calendar dates ukdhm 20 November 2026 to 20 December 2026", user="sam"
    )
    assert "20 November – 20 December 2026" in done.text
    # Asked without dates, the lead gets the form.
    asked = await say_one(app, "calendar dates neurodiversity celebration week", user="alex")
    assert [button.label for button in asked.buttons] == [
        "Set dates: Neurodiversity Celebration Week"
    ]
