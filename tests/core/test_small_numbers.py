"""Small numbers are hidden everywhere people are counted: one rule, one threshold.

Each surface is driven as people would drive it: with 1–4 people it reads "fewer than 5" (or
a band), with enough people it shows the number, and `[privacy] smallest_count_shown`
moves the line. A network lead's own private working lists stay exact.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.config import Settings
from bot.config_loading import load_settings
from bot.delivery import MessengerPublisher, Publishers
from bot.errors import ConfigError
from bot.messages import Reply
from bot.small_numbers import Places, SmallNumbers
from storage.repositories import NetworkRepository
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher, instant_dispatcher
from tests.handlers.breakouts.test_posts import CLOSES
from tests.handlers.test_networks import add_people
from tests.support.breakouts import LEAD, breakout_session, topic_number
from tests.support.sessions import add_session

THREE = Settings(small_numbers=SmallNumbers(3))


async def register_people(app: Application, session_id: int, how_many: int) -> None:
    for number in range(how_many):
        reply = await say_one(app, f"register {session_id}", user=f"person{number}")
        assert "You're registered" in reply.text or "waitlist" in reply.text, reply.text


def line_of(reply: Reply, session_id: int) -> str:
    return next(line for line in reply.text.splitlines() if line.startswith(f"• {session_id} "))


# The rule itself


def test_the_rule_hides_zero_to_four_and_shows_five_onwards() -> None:
    shown = SmallNumbers()
    assert [shown.count(n) for n in (0, 1, 4, 5, 1234)] == [
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]
    assert SmallNumbers(10).count(9) == "fewer than 10"
    assert SmallNumbers(10).people(10) == "10 people"


def test_places_change_band_only_past_the_threshold_and_when_full() -> None:
    shown = SmallNumbers()
    bands = [shown.places(20, taken) for taken in (0, 1, 15, 16, 19, 20, 21)]
    assert bands == [Places.AVAILABLE] * 3 + [Places.FEW] * 2 + [Places.FULL] * 2
    # With fewer places than the threshold, "a few left" would say how many have one.
    assert [shown.places(6, taken) for taken in (0, 4, 5, 6)] == [
        Places.AVAILABLE,
        Places.AVAILABLE,
        Places.FEW,
        Places.FULL,
    ]
    assert [shown.places(3, taken) for taken in (0, 2, 3)] == [
        Places.AVAILABLE,
        Places.AVAILABLE,
        Places.FULL,
    ]
    assert shown.places(None, 500) is Places.NO_LIMIT


# Configuration


def test_the_threshold_is_configured_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_settings(None, environ={}).small_numbers == SmallNumbers(5)
    path.write_text("[privacy]\nsmallest_count_shown = 10\n", encoding="utf-8")
    settings = load_settings(path, environ={})
    assert settings.small_numbers.count(9) == "fewer than 10"
    assert settings.warnings == ()
    for wrong, expected in (("1", "between 2 and 100"), ('"five"', "whole number")):
        path.write_text(f"[privacy]\nsmallest_count_shown = {wrong}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as raised:
            load_settings(path, environ={})
        assert raised.value.key == "privacy.smallest_count_shown"
        assert expected in raised.value.expected


# Places on everyone's listings


async def test_one_registration_on_a_twenty_place_session_reads_places_available(
    app: Application,
) -> None:
    session_id = await add_session(app, capacity=20, title="Trans awareness webinar")
    await register_people(app, session_id, 1)
    details = await say_one(app, f"session {session_id}", user="kim")
    assert "Places: available" in details.text
    assert "19" not in details.text
    listed = await say_one(app, "sessions", user="kim")
    [card] = [s for s in listed.sections if s.heading and s.heading.endswith(f"{session_id})")]
    assert "Places: available" in card.text and "19" not in card.text
    assert f"places: available (`session {session_id}`)" in listed.text
    # A second registration changes nothing anyone sees.
    await register_people(app, session_id, 2)
    assert (await say_one(app, f"session {session_id}", user="kim")).text == details.text


async def test_the_last_places_read_a_few_left_then_full(app: Application) -> None:
    session_id = await add_session(app, capacity=20)
    await register_people(app, session_id, 16)
    assert "Places: a few left" in (await say_one(app, f"session {session_id}", user="kim")).text
    await say_one(app, f"register {session_id}", user="more1")
    await say_one(app, f"register {session_id}", user="more2")
    await say_one(app, f"register {session_id}", user="more3")
    await say_one(app, f"register {session_id}", user="more4")
    full = await say_one(app, f"session {session_id}", user="kim")
    assert "Places: full — you can join the waitlist" in full.text
    listed = await say_one(app, "sessions", user="kim")
    assert "places: full — you can join the waitlist" in listed.text


@pytest.mark.parametrize("settings", [THREE])
async def test_the_threshold_moves_the_few_places_band(app: Application) -> None:
    session_id = await add_session(app, capacity=20)
    await register_people(app, session_id, 17)
    assert "Places: a few left" not in (await say_one(app, f"session {session_id}")).text
    await say_one(app, f"register {session_id}", user="more1")
    assert "Places: a few left" in (await say_one(app, f"session {session_id}")).text


# The report, trained counts and feedback


async def test_the_report_and_trained_counts_hide_small_numbers_and_show_larger_ones(
    app: Application, clock: FixedClock
) -> None:
    small = await add_session(app, kind="training", capacity=2, starts_in=timedelta(days=1))
    large = await add_session(app, kind="training", title="Big one", starts_in=timedelta(days=2))
    for person in ("ana", "ben", "cat"):
        await say_one(app, f"register {small}", user=person)
    clock.set(NOW + timedelta(days=1, hours=2))
    marked = await say_one(app, f"attended {small} all", user=LEAD)
    assert "People trained so far in this network: fewer than 5." in marked.text
    report = await say_one(app, "report pride", user=LEAD)
    assert "People trained so far: fewer than 5" in report.text
    assert "fewer than 5 registered, fewer than 5 attended, fewer than 5 waiting" in line_of(
        report, small
    )
    assert "2 registered" not in report.text

    clock.set(NOW)
    await register_people(app, large, 6)
    clock.set(NOW + timedelta(days=2, hours=2))
    marked = await say_one(app, f"attended {large} all", user=LEAD)
    # The lead's own action is told exactly; the running total follows the rule.
    assert "Marked 6 people as attending" in marked.text
    assert "People trained so far in this network: 8." in marked.text
    report = await say_one(app, "report pride", user=LEAD)
    assert "People trained so far: 8" in report.text
    assert "6 registered, 6 attended, fewer than 5 waiting" in line_of(report, large)
    # The lead's private working list stays exact.
    listed = await say_one(app, f"registrations {small}", user=LEAD)
    assert listed.text.count("— attended") == 2 and "waitlist 1" in listed.text


@pytest.mark.parametrize("settings", [THREE])
async def test_the_threshold_setting_changes_the_report(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app, kind="training", starts_in=timedelta(days=1))
    await register_people(app, session_id, 3)
    clock.set(NOW + timedelta(days=1, hours=2))
    await say_one(app, f"attended {session_id} all", user=LEAD)
    report = await say_one(app, "report pride", user=LEAD)
    assert "People trained so far: 3" in report.text
    assert "3 registered, 3 attended, fewer than 3 waiting" in line_of(report, session_id)


async def test_feedback_averages_are_hidden_until_five_ratings(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app, starts_in=timedelta(days=1))
    await register_people(app, session_id, 5)
    clock.set(NOW + timedelta(days=1, hours=2))
    await say_one(app, f"feedback {session_id} 4", user="person0")
    report = await say_one(app, "report pride", user=LEAD)
    line = line_of(report, session_id)
    assert "feedback: ratings are shown from 5 onwards" in line
    assert "4.0" not in line and "from 1" not in line
    for number, rating in ((1, 5), (2, 4), (3, 4), (4, 4)):
        await say_one(app, f"feedback {session_id} {rating}", user=f"person{number}")
    report = await say_one(app, "report pride", user=LEAD)
    assert "feedback: 4.2/5 from 5 ratings" in line_of(report, session_id)


@pytest.mark.parametrize("settings", [THREE])
async def test_the_threshold_setting_changes_when_averages_show(
    app: Application, clock: FixedClock
) -> None:
    session_id = await add_session(app, starts_in=timedelta(days=1))
    await register_people(app, session_id, 3)
    clock.set(NOW + timedelta(days=1, hours=2))
    for number in range(3):
        await say_one(app, f"feedback {session_id} 3", user=f"person{number}")
    report = await say_one(app, "report pride", user=LEAD)
    assert "feedback: 3.0/5 from 3 ratings" in line_of(report, session_id)


# Network counts


@pytest.mark.parametrize("settings", [THREE])
async def test_the_threshold_setting_changes_network_counts(app: Application) -> None:
    await add_people(app, "pride", "member", 3)
    await add_people(app, "pride", "ally", 2)
    reply = await say_one(app, "network pride")
    assert "Members: 3" in reply.text
    assert "Allies: fewer than 3" in reply.text


# Breakout rooms, in the shared channel and in `topics`


async def announce_in_a_channel(app: Application) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-PRIDE")


async def posted(
    app: Application, publisher: RecordingPublisher, messenger: RecordingMessenger
) -> str:
    publishers = Publishers(fallback=MessengerPublisher(messenger))
    publishers.register("slack", publisher)
    await instant_dispatcher(app, publishers, messenger).run_once()
    return publisher.published[-1].reply.text


async def test_room_counts_in_the_channel_hide_small_numbers(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await announce_in_a_channel(app)
    people = tuple(f"person{number}" for number in range(6))
    session_id = await breakout_session(
        app, settings="rounds: 1 | size: no limit | opens: now | approval: no", people=people
    )
    quiet = topic_number((await say_one(app, f"host {session_id} Quiet room", user="jo")).text)
    busy = topic_number((await say_one(app, f"host {session_id} Busy room", user="li")).text)
    await say_one(app, f"pick {session_id} {quiet}", user="person0")
    for person in people[1:]:
        await say_one(app, f"pick {session_id} {busy}", user=person)
    publisher = RecordingPublisher()
    signup = await posted(app, publisher, messenger)
    assert "Quiet room (topic" in signup and "Hosted by Jo · fewer than 5 people so far" in signup
    assert "Hosted by Li · 5 people so far" in signup
    assert "1 person" not in signup

    clock.set(CLOSES)
    rooms = await posted(app, publisher, messenger)
    assert "Quiet room: Hosted by Jo · notes: nobody yet · fewer than 5 people" in rooms
    assert "Busy room: Hosted by Li · notes: nobody yet · 5 people" in rooms
    # The host's own private list stays exact: it names them anyway.
    [to_jo] = [n.reply.text for n in messenger.sent if n.recipient_key == "console:jo"]
    assert "1 person, with notes by" in to_jo


async def test_topics_show_room_places_in_bands(app: Application) -> None:
    people = tuple(f"person{number}" for number in range(6))
    session_id = await breakout_session(
        app, settings="rounds: 1 | size: 10 | opens: now | approval: no", people=people
    )
    topic = topic_number(
        (await say_one(app, f"host {session_id} Living with ADHD", user="jo")).text
    )
    await say_one(app, f"pick {session_id} {topic}", user="person0")
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert "Hosted by Jo · places available" in listed.text
    assert "9 of 10" not in listed.text
    for person in people[1:]:
        await say_one(app, f"pick {session_id} {topic}", user=person)
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert "Hosted by Jo · a few places left" in listed.text
    # The lead's room list is a private working list: exact, with names.
    rooms = await say_one(app, f"rooms {session_id}", user=LEAD)
    assert "6 people: " in rooms.text


async def test_withdrawing_a_topic_does_not_tell_its_host_how_many_picked_it(
    app: Application,
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    topic = topic_number((await say_one(app, f"host {session_id} Self-care", user="jo")).text)
    await say_one(app, f"pick {session_id} {topic}", user="kim")
    reply = await say_one(app, f"withdraw topic {topic}", user="jo")
    assert "Everyone who had picked it has been told privately." in reply.text
    assert "1 people" not in reply.text and " 1 " not in reply.text
