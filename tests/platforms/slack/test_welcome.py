"""The welcome the first time someone opens the bot's Messages tab (Slack) or adds the bot
to a personal chat (Teams); `forget me` forgets it was given."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Application
from storage.models import Welcome
from storage.retention import delete_idle_people
from tests.fakes.slack_api import slack_harness
from tests.handlers.test_privacy import everything_stored

OPENED = {"type": "app_home_opened", "user": "U100", "channel": "DU100", "tab": "messages"}


async def _welcomes(app: Application) -> int:
    async with app.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Welcome)) or 0)


async def test_the_first_visit_to_the_messages_tab_is_welcomed_once(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-1")
        await slack.adapter.drain()
        await slack.event(OPENED, "Ev-welcome-1", retry_num=1)
        await slack.event(OPENED, "Ev-welcome-2")
        await slack.event({**OPENED, "tab": "home"}, "Ev-welcome-home")
        await slack.adapter.drain()
        posted = slack.api.of("chat.postMessage")
    [welcome] = posted
    assert welcome.body["channel"] == "DU100"
    shown = json.dumps(welcome.body["blocks"], ensure_ascii=False)
    assert "Welcome to allybot" in shown
    bullets = [line for line in welcome.body["text"].splitlines() if line.startswith("• ")]
    assert len(bullets) == 3
    labels = [
        element["text"]["text"]
        for block in welcome.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert labels == ["Networks", "Sessions", "What can I ask?"]
    assert await _welcomes(app) == 1


async def test_a_welcome_button_does_what_it_says(app: Application) -> None:
    from tests.support.platform_buttons import slack_button, slack_press

    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-3")
        await slack.adapter.drain()
        [welcome] = slack.api.of("chat.postMessage")
        answer = await slack_press(slack, slack_button(welcome.body, "Networks"))
    assert "Pride Network" in json.dumps(answer["blocks"])


async def test_typed_welcome_is_shown_again_whenever_asked(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-4")
        await slack.adapter.drain()
        await slack.command("welcome", channel="DU100")
        [answer] = await slack.api.wait_for_calls("response_url")
    assert "Welcome to allybot" in json.dumps(answer.body["blocks"])


async def test_forget_me_forgets_the_welcome_too(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-5")
        await slack.adapter.drain()
        assert await _welcomes(app) == 1
        await slack.command("forget me confirm", channel="DU100")
        await slack.adapter.drain()
    assert await _welcomes(app) == 0
    assert "u100" not in await everything_stored(app)


async def test_someone_only_welcomed_is_forgotten_once_away_long_enough(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-6")
        await slack.adapter.drain()
    later = app.services.clock.now() + timedelta(days=3)
    async with app.database.transaction() as session:
        assert await delete_idle_people(session, later) == 1
    assert await _welcomes(app) == 0
