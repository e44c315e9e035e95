"""Files on Slack fail without taking the reply with them: a DM that cannot be opened loses
only the files, and a rate-limited upload is paced and paused like a post and told as such.
The real AsyncApp and AsyncWebClient against the fake Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Application
from bot.messages import Attachment, Reply
from bot.platforms.slack.sender import Pacer, SlackSender
from tests.fakes.slack_api import FakeSlackApi, slack_harness
from tests.platforms.slack.test_files import _seen
from tests.platforms.slack.test_sender import FakeTime
from tests.support.sessions import add_session

CALENDAR = Attachment("session.ics", "text/calendar", "BEGIN:VCALENDAR", "Here's the file.")


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


async def test_a_dm_that_cannot_be_opened_loses_the_file_not_the_answer(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics")
    async with slack_harness(app) as slack:
        slack.api.fail("conversations.open", "user_disabled")
        await slack.command(f"register {session_id}", channel="C200", user="U100")
        await slack.api.wait_for_calls("response_url")
        await slack.adapter.drain()
    seen = _seen(slack)
    assert "You're registered" in seen
    assert "couldn't send you" in seen and "couldn't open our direct message" in seen
    assert "Here's a calendar file" not in seen
    assert slack.api.uploaded == []


async def test_a_rate_limited_upload_is_told_as_such_not_as_a_refusal(
    app: Application,
) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        # More 429s than the client's retry handler waits out.
        slack.api.rate_limit("files.getUploadURLExternal", retry_after=0, times=4)
        await slack.command(f"register {session_id}", channel="D100", user="U100")
        await slack.api.wait_for_calls("response_url")
        await slack.adapter.drain()
    seen = _seen(slack)
    assert "Slack asked me to slow down" in seen
    assert "Slack refused the upload" not in seen
    assert "You're registered" in seen


async def test_a_rate_limited_upload_pauses_the_dm_for_what_slack_asked(
    api: FakeSlackApi,
) -> None:
    time = FakeTime()
    pacer = Pacer(interval=1.0, monotonic=time.monotonic, sleep=time.sleep)
    # No retry handlers: the 429 comes back to the sender at once.
    sender = SlackSender(AsyncWebClient("xoxb-test", api.api_url), pacer)
    api.rate_limit("files.getUploadURLExternal", retry_after=30)
    told = await sender.send_files("U100", Reply(text="Here's the file.", attachments=(CALENDAR,)))
    assert "Slack asked me to slow down" in told.text and "Here's the file." not in told.text
    await sender.post("DU100", told)
    # The post into the same DM waited out the 30 seconds Slack asked for.
    assert time.slept == [30.0]
    [posted] = api.of("chat.postMessage")
    assert posted.body["channel"] == "DU100"
