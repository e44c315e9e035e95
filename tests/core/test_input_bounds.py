"""Input that cannot be stored, or is no number we know, gets a clear answer; nothing is lost.

Each case here was an internal-error apology before (found by hand or by
tests/core/test_fuzz_router.py), on SQLite, on PostgreSQL, or on both.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import Activity
from sqlalchemy import select

from bot.app import Application
from bot.errors import UserError
from bot.funnel import APOLOGY
from bot.messages import Conversation, Person, Request
from bot.numbers import LARGEST_ID, parse_count, parse_id
from bot.platforms.teams.references import ReferenceStore
from bot.platforms.teams.requests import request_for
from bot.wall_clock import parse_clock_time
from handlers.sessions.dates import parse_when
from storage.models import AnonymousQuestion, SessionRegistration, User
from tests.conftest import NOW, say, say_one
from tests.fakes.teams_connector import personal_message

SERVICE_URL = "https://smba.example.invalid/emea/"

APOLOGY_START = APOLOGY.split("{", 1)[0]
LONG_ID = "X" * 300


def assert_kind(text: str) -> None:
    assert not text.startswith(APOLOGY_START), text


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", 12), ("#12", 12), (" 7 ", 7), (str(LARGEST_ID), LARGEST_ID)],
)
def test_ids_are_ascii_digits_in_a_32_bit_range(typed: str, value: int) -> None:
    assert parse_id(typed) == value


@pytest.mark.parametrize(
    "typed", ["²", "①", "3²", "١٢", "１２", "0", "-1", str(2**31), str(2**63), "9" * 5000, ""]
)
def test_anything_else_is_not_an_id(typed: str) -> None:
    with pytest.raises(UserError, match=r"isn't a|There is no"):
        parse_id(typed, what="session")


def test_counts_and_clock_times_take_ascii_digits_only() -> None:
    assert parse_count("8", 2, 50, what="size") == 8
    with pytest.raises(UserError, match="Size should be a whole number from 2 to 50"):
        parse_count("²", 2, 50, what="size")
    assert parse_clock_time("09:30") is not None
    assert parse_clock_time("²:00") is None
    assert parse_clock_time("٠٩:٣٠") is None


@pytest.mark.parametrize(
    "typed",
    [
        "send question ²",
        "discard question 3²",
        "answer ² thanks",
        "kb publish ²",
        "preview announcement ²",
        "cancel announcement ①",
        "announce pride every monday ²:00: Hello",
        "calendar time pride trans-awareness-week ²:00",
        "calendar days pride trans-awareness-week ²,7",
        "breakouts 3 size: ²",
        "breakouts 3 rounds: ²",
        "send question 2147483648",
        "answer 9223372036854775808 thanks",
        "kb publish 2147483648",
        "preview announcement 9223372036854775808",
        "invite 1 attendees of 2147483648",
        "create session pride | title: Long | when: 20 Dec 2026 10:00 | duration: "
        + "9" * 400
        + " hours",
    ],
)
async def test_odd_numbers_get_a_kind_answer(app: Application, typed: str) -> None:
    for reply in await say(app, typed, user="sam"):
        assert_kind(reply.text)


async def test_nul_and_lone_surrogates_are_dropped_and_the_rest_is_saved(
    app: Application,
) -> None:
    reply = await say_one(app, "register 1 needs: captions\x00 and a \ud800quiet room 🏳️‍🌈")
    assert "registered" in reply.text
    await say(app, "ask leads pride When is the next \x00social?\udfff")
    async with app.services.database.transaction() as session:
        needs = await session.scalar(select(SessionRegistration.access_needs))
        question = await session.scalar(select(AnonymousQuestion.text))
    assert needs == "captions and a quiet room 🏳️‍🌈"
    assert question == "When is the next social?"


@pytest.mark.parametrize(
    "typed",
    [
        "create session pride | title: Far off | when: 1 Jan 9998 10:00",
        "postpone session 1 to 1 Jan 9998 10:00",
        "announce pride on 1 Jan 9998 09:00: Hello",
        "create session pride | title: Far off | when: 2 Dec 2029 10:00",
    ],
)
async def test_dates_beyond_three_years_are_refused_kindly(app: Application, typed: str) -> None:
    reply = await say_one(app, typed, user="alex")
    assert "more than 3 years ahead" in reply.text


def test_ancient_dates_are_refused_as_past_even_east_of_utc() -> None:
    # Year 1 at 00:30 in Tokyo is in year 0 in UTC, which Python cannot represent.
    with pytest.raises(UserError, match="already passed"):
        parse_when("1 Jan 0001 00:30", NOW, ZoneInfo("Asia/Tokyo"))


async def test_a_date_within_three_years_is_still_accepted(app: Application) -> None:
    reply = await say_one(
        app, "create session pride | title: Next year | when: 1 Nov 2029 10:00", user="alex"
    )
    assert "more than 3 years" not in reply.text
    assert_kind(reply.text)


@pytest.mark.parametrize(
    ("typed", "user"),
    [
        (f"add lead pride console:{LONG_ID}", "alex"),
        (f"add lead pride <@U{LONG_ID}>", "alex"),
        (f"invite 2 console:{LONG_ID}", "alex"),
        (f"channel pride slack members C{LONG_ID}", "sam"),
    ],
)
async def test_over_long_ids_typed_by_leads_get_a_kind_answer(
    app: Application, typed: str, user: str
) -> None:
    reply = await say_one(app, typed, user=user)
    assert_kind(reply.text)
    assert "longer than any" in reply.text


async def test_a_request_from_an_over_long_person_id_is_refused_with_one_log_line(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    request = Request(
        person=Person(platform="slack", id=LONG_ID, display_name="Someone"),
        text="my data",
        conversation=Conversation(id="D1"),
    )
    [reply] = await app.router.dispatch(request)
    assert "can't work with the account" in reply.text
    refused = [record for record in caplog.records if record.getMessage() == "request_refused"]
    assert len(refused) == 1
    assert LONG_ID not in caplog.text.replace(f"person=slack:{LONG_ID}", "")


async def test_display_names_are_cleaned_and_bounded(app: Application) -> None:
    request = Request(
        person=Person(platform="slack", id="U0NAME", display_name="Zoë\x00 " + "n" * 400),
        text="my data",
        conversation=Conversation(id="D1"),
    )
    [reply] = await app.router.dispatch(request)
    assert_kind(reply.text)
    async with app.services.database.transaction() as session:
        name = await session.scalar(select(User.display_name).where(User.external_id == "U0NAME"))
    assert name is not None
    assert name.startswith("Zoë n")
    assert len(name) == 255


async def test_teams_names_with_nul_and_over_long_teams_ids_get_an_answer(
    app: Application,
) -> None:
    # The Teams adapter stores the conversation (and its person) before the router runs.
    references = ReferenceStore(app.database, app.services.clock)
    named = Activity().deserialize(personal_message(SERVICE_URL, "my data", name="Ro\x00bin\ud800"))
    assert await references.remember(named)
    [reply] = await app.router.dispatch(request_for(named, "my data"))
    assert "Name: Robin" in reply.text
    too_long = Activity().deserialize(personal_message(SERVICE_URL, "my data", user=LONG_ID))
    assert not await references.remember(too_long)
    [refused] = await app.router.dispatch(request_for(too_long, "my data"))
    assert "can't work with the account" in refused.text
