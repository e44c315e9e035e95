"""Files arrive as files on Slack: uploaded with files_upload_v2 into the person's own DM
with the bot, through the real AsyncApp and AsyncWebClient against the fake Web API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from icalendar import Calendar

from bot.app import Application
from storage.repositories import NetworkRepository
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.support.sessions import add_session


def _dm(text: str, user: str = "U100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
    }


def _seen(slack: SlackHarness) -> str:
    """Everything the person was shown in messages (not the files themselves)."""
    shown = [*slack.api.of("chat.postMessage"), *slack.api.of("response_url")]
    shown += slack.api.of("chat.postEphemeral")
    return "\n".join(json.dumps(call.body, ensure_ascii=False) for call in shown)


async def test_register_from_a_direct_message_uploads_a_calendar_file_into_it(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics")
    async with slack_harness(app) as slack:
        await slack.event(_dm(f"register {session_id}"), "Ev-files-1")
        await slack.api.wait_for_calls("chat.postMessage")
        await slack.adapter.drain()
    [uploaded] = slack.api.uploaded
    assert uploaded.channel == "DU100"
    assert uploaded.name.endswith(".ics")
    [event] = Calendar.from_ical(uploaded.data).walk("VEVENT")
    assert str(event["summary"]) == "Allyship basics"
    # Uploaded before the message that mentions it, which then tells the truth.
    methods = [call.method for call in slack.api.calls]
    assert methods.index("files.completeUploadExternal") < methods.index("chat.postMessage")
    assert "calendar file" in _seen(slack)


async def test_register_from_a_channel_uploads_into_the_persons_dm_never_the_channel(
    app: Application,
) -> None:
    session_id = await add_session(app, title="Allyship basics")
    async with slack_harness(app) as slack:
        await slack.command(f"register {session_id}", channel="C200", user="U100")
        await slack.api.wait_for_calls("response_url")
        await slack.adapter.drain()
    [opened] = slack.api.of("conversations.open")
    assert opened.body["users"] == "U100"
    [uploaded] = slack.api.uploaded
    assert uploaded.channel == "DU100"
    assert [event["summary"] for event in Calendar.from_ical(uploaded.data).walk("VEVENT")] == [
        "Allyship basics"
    ]
    assert all(call.body.get("channel_id") != "C200" for call in slack.api.calls)


async def test_a_slash_command_in_someone_elses_dm_still_uploads_into_the_bots_dm(
    app: Application,
) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        # D999 is a DM between two people: the file must not go there.
        await slack.command(f"register {session_id}", channel="D999", user="U100")
        await slack.api.wait_for_calls("response_url")
        await slack.adapter.drain()
    assert [item.channel for item in slack.api.uploaded] == ["DU100"]


async def test_my_data_uploads_json_holding_the_access_needs(app: Application) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        await slack.event(_dm(f"register {session_id} needs: live captions please"), "Ev-f-2")
        await slack.api.wait_for_calls("chat.postMessage")
        await slack.adapter.drain()
        await slack.event(_dm("my data"), "Ev-f-3")
        await slack.api.wait_for(lambda api: any(f.name.endswith(".json") for f in api.uploaded))
        await slack.adapter.drain()
    [copy] = [item for item in slack.api.uploaded if item.name == "my-data.json"]
    assert copy.channel == "DU100"
    data = json.loads(copy.data)
    assert "live captions please" in json.dumps(data)
    # The needs travel in the private file, never in a message.
    assert "live captions please" not in "".join(
        json.dumps(call.body) for call in slack.api.of("chat.postMessage")
    )


async def test_a_lead_gets_the_members_csv_in_their_dm(app: Application) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    async with slack_harness(app) as slack:
        await slack.command("join pride", channel="D100", user="U100", user_name="robin")
        await slack.api.wait_for_calls("response_url")
        await slack.command("agree", channel="D100", user="U100", user_name="robin")
        await slack.api.wait_for_calls("response_url", 2)
        await slack.adapter.drain()
        await slack.command("members pride", channel="C200", user="ULEAD")
        await slack.api.wait_for(lambda api: bool(api.uploaded))
        await slack.adapter.drain()
    [roster] = slack.api.uploaded
    assert roster.channel == "DULEAD"
    assert roster.name == "members-pride.csv"
    rows = list(csv.DictReader(io.StringIO(roster.data.decode("utf-8"))))
    assert "U100" in {row["id"] for row in rows}


async def test_a_refused_upload_is_told_truthfully(app: Application) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        slack.api.fail("files.getUploadURLExternal", "missing_scope")
        await slack.event(_dm(f"register {session_id}"), "Ev-f-4")
        await slack.api.wait_for_calls("chat.postMessage")
        await slack.adapter.drain()
    assert slack.api.uploaded == []
    seen = _seen(slack)
    assert "Here's a calendar file" not in seen
    assert "couldn't send you" in seen and ".ics" in seen
    assert "You're registered" in seen


async def test_a_failed_upload_url_is_told_truthfully(app: Application) -> None:
    session_id = await add_session(app)
    async with slack_harness(app) as slack:
        slack.api.upload_statuses.append(500)
        # The retry handlers try the upload URL again on a 500: every attempt fails.
        slack.api.upload_statuses.extend([500] * 5)
        await slack.event(_dm(f"register {session_id}"), "Ev-f-5")
        await slack.api.wait_for_calls("chat.postMessage")
        await slack.adapter.drain()
    assert slack.api.uploaded == []
    assert slack.api.of("files.completeUploadExternal") == []
    assert "couldn't send you" in _seen(slack)
    assert "Here's a calendar file" not in _seen(slack)


async def test_a_leads_report_chart_arrives_as_a_png_in_their_dm(app: Application) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await NetworkRepository(session).add_lead(pride.id, "slack:ULEAD", app.services.clock.now())
    await add_session(app)
    async with slack_harness(app) as slack:
        await slack.command("report pride", channel="C200", user="ULEAD")
        await slack.api.wait_for(lambda api: bool(api.uploaded))
        await slack.adapter.drain()
    [chart] = slack.api.uploaded
    assert chart.channel == "DULEAD" and chart.name == "report-pride.png"
    assert chart.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attached chart" in _seen(slack)
