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


@pytest.mark.parametrize(
    ("command", "label"),
    [("calendar", "Subscribe: Pride Network"), ("network pride", "Subscribe to its calendar")],
)
async def test_pressing_subscribe_in_a_channel_answers_only_the_presser_with_the_link(
    app: Application, command: str, label: str
) -> None:
    """From the calendar and from a network's page: the link is never in the channel."""
    async with slack_harness(app) as slack:
        await slack.command(command, channel="C200")
        [shown] = await slack.api.wait_for_calls("response_url")
        assert "/calendar/" not in str(shown.body)
        button = slack_button(shown.body, label)

        await slack.interaction(
            slack_click(
                button["action_id"], button["value"], slack.api.response_url("p"), channel="C200"
            )
        )

        answers = await slack.api.wait_for_calls("response_url", 2)
    linked = answers[-1].body
    assert linked["response_type"] == "ephemeral"
    assert f"{PUBLIC_URL}calendar/pride/" in str(linked)
