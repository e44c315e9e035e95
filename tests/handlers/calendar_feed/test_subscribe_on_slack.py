"""On Slack, through the real Bolt AsyncApp and the fake Web API: `/ally calendar` and
`/ally network <name>` in a channel offer Subscribe buttons, and pressing one answers only
the person who pressed it."""

from __future__ import annotations

import pytest

from bot.app import Application
from bot.config import ServerSettings, Settings
from tests.fakes.slack_api import slack_harness
from tests.support.platform_buttons import slack_button, slack_click

PUBLIC_URL = "https://allybot.example.org/"


@pytest.fixture
def settings() -> Settings:
    return Settings(server=ServerSettings(public_url=PUBLIC_URL))


async def test_pressing_subscribe_in_a_channel_answers_privately_with_the_link(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.command("calendar", channel="C200")
        [listing] = await slack.api.wait_for_calls("response_url")
        assert "/calendar/" not in str(listing.body)
        button = slack_button(listing.body, "Subscribe: Pride Network")

        await slack.interaction(
            slack_click(
                button["action_id"], button["value"], slack.api.response_url("p"), channel="C200"
            )
        )

        answers = await slack.api.wait_for_calls("response_url", 2)
    linked = answers[-1].body
    assert linked["response_type"] == "ephemeral"
    assert f"{PUBLIC_URL}calendar/pride/" in str(linked)


async def test_a_networks_page_offers_its_calendar_and_answers_only_the_presser(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.command("network pride", channel="C200")
        [page] = await slack.api.wait_for_calls("response_url")
        assert "/calendar/" not in str(page.body)
        button = slack_button(page.body, "Subscribe to its calendar")

        await slack.interaction(
            slack_click(
                button["action_id"], button["value"], slack.api.response_url("p"), channel="C200"
            )
        )

        answers = await slack.api.wait_for_calls("response_url", 2)
    linked = answers[-1].body
    assert linked["response_type"] == "ephemeral"
    assert f"{PUBLIC_URL}calendar/pride/" in str(linked)
