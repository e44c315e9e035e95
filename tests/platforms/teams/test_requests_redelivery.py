"""Teams redelivery over HTTP: an activity id names a message only within its conversation,
so only the same (conversation, activity id) counts as a repeat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.exc import OperationalError

from bot.app import Application
from bot.platforms.teams.references import ReferenceStore
from storage.repositories import DeliveryRepository
from tests.fakes.teams_connector import FakeConnector, personal_message
from tests.platforms.teams.test_adapter import Teams, running_teams


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


def personal_chat(user: str) -> str:
    return f"a:personal-{user}"


async def test_two_chats_whose_messages_share_an_id_are_both_answered(teams: Teams) -> None:
    url = teams.connector.url
    await teams.post(personal_message(url, "networks", user="29:robin", activity_id="1"))
    await teams.post(personal_message(url, "networks", user="29:kim", activity_id="1"))
    assert len(teams.sent(personal_chat("29:robin"))) == 1
    assert len(teams.sent(personal_chat("29:kim"))) == 1


async def test_many_colleagues_at_once_each_answered_once_however_often_it_comes(
    teams: Teams,
) -> None:
    # Every chat's first message has the same id, and Teams delivers each one twice.
    users = [f"29:colleague-{n}" for n in range(30)]
    activities = [
        personal_message(teams.connector.url, "networks", user=user, activity_id="1")
        for user in users
    ]
    statuses = await asyncio.gather(*(teams.post(a) for a in activities + activities))
    assert {status for status, _ in statuses} == {201}
    answered = {user: len(teams.sent(personal_chat(user))) for user in users}
    assert answered == {user: 1 for user in users}


async def test_a_failing_delivery_record_still_gets_the_person_an_answer(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def locked(*args: object, **kwargs: object) -> bool:
        locked = Exception("database is locked")
        raise OperationalError("INSERT INTO inbound_deliveries", {}, locked)

    monkeypatch.setattr(DeliveryRepository, "first_time", locked)
    status, _ = await teams.post(personal_message(teams.connector.url, "networks"))
    assert status == 201
    [answer] = teams.sent(personal_chat("29:robin"))
    assert answer.shown_text


async def test_a_conversation_that_cannot_be_stored_just_now_is_still_answered(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def locked(*args: object, **kwargs: object) -> bool:
        raise OperationalError("INSERT INTO users", {}, Exception("database is locked"))

    monkeypatch.setattr(ReferenceStore, "remember", locked)
    status, _ = await teams.post(personal_message(teams.connector.url, "networks"))
    assert status == 201
    [answer] = teams.sent(personal_chat("29:robin"))
    assert "Pride" in answer.shown_text


@pytest.mark.parametrize("missing", ["from", "conversation"])
async def test_an_activity_without_a_sender_is_a_bad_request_logged_in_one_line(
    teams: Teams, caplog: pytest.LogCaptureFixture, missing: str
) -> None:
    activity = personal_message(teams.connector.url, "networks")
    del activity[missing]
    with caplog.at_level(logging.INFO):
        status, _ = await teams.post(activity)
    assert status == 400
    assert teams.sent() == []
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in problems] == ["teams_bad_activity"]
    assert not any(r.exc_info for r in caplog.records)
