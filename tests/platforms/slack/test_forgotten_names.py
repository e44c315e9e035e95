"""`forget me` takes the person's name out of the Slack directory cache at once, not an hour
later: real AsyncApp and AsyncWebClient against the fake Web API, SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.app import Application
from tests.fakes.slack_api import slack_harness


def _dm(text: str, ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "DU100",
        "user": "U100",
        "text": text,
        "ts": ts,
    }


async def test_forget_me_drops_the_cached_slack_name(app: Application) -> None:
    async with slack_harness(app) as slack:
        slack.api.user("U100", display_name="Kim", real_name="Kim Lee")
        await slack.event(_dm("networks", "1700000000.000100"), "Ev-forget-1")
        await slack.adapter.drain()
        await slack.event(_dm("forget me confirm", "1700000000.000200"), "Ev-forget-2")
        await slack.adapter.drain()
        # One look-up served both requests; after the erasure the name is not held.
        assert len(slack.api.of("users.info")) == 1
        assert await _cached(slack.adapter.directory, "U100") == ""
        # Talking again starts afresh: Slack is asked again.
        await slack.event(_dm("networks", "1700000000.000300"), "Ev-forget-3")
        await slack.adapter.drain()
        assert len(slack.api.of("users.info")) == 2


async def _cached(directory: Any, external_id: str) -> str:
    kept = directory._names.get(external_id)
    return "" if kept is None else str(kept[1])
