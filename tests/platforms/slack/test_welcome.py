"""The welcome the first time someone opens the bot's Messages tab (Slack) or adds the bot
to a personal chat (Teams). Nobody asked for it, so it keeps no user row, and opening the tab
after `forget me` neither greets them nor stores anything of them again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Application
from storage.models import Greeting, User, Welcome
from storage.retention import delete_idle_people, delete_old_greetings
from tests.fakes.slack_api import slack_harness
from tests.handlers.test_privacy import everything_stored

OPENED = {"type": "app_home_opened", "user": "U100", "channel": "DU100", "tab": "messages"}


async def _count(app: Application, model: type[Greeting | User | Welcome]) -> int:
    async with app.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _welcomes(app: Application) -> int:
    return await _count(app, Greeting)


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


async def test_an_unprompted_welcome_keeps_no_user_row(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-5")
        await slack.adapter.drain()
        assert len(slack.api.of("chat.postMessage")) == 1
        # Nobody asked: Slack's directory is not asked for their name either.
        assert slack.api.of("users.info") == []
    assert await _count(app, User) == 0
    assert await _welcomes(app) == 1
    assert "u100" not in await everything_stored(app)


async def test_opening_the_tab_after_forget_me_greets_nobody_and_keeps_nothing(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-6")
        await slack.adapter.drain()
        await slack.command("forget me confirm", channel="DU100")
        await slack.adapter.drain()
        assert await _count(app, User) == 0
        posted = len(slack.api.of("chat.postMessage"))
        # Switch away and back: no welcome again, and no user or welcome row comes back.
        await slack.event(OPENED, "Ev-welcome-7")
        await slack.adapter.drain()
        assert len(slack.api.of("chat.postMessage")) == posted
    assert await _count(app, User) == 0
    assert await _count(app, Welcome) == 0
    assert await _welcomes(app) == 1
    assert "u100" not in await everything_stored(app)


async def test_forget_me_before_any_welcome_still_stops_the_tab_greeting(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.command("forget me confirm", channel="DU100")
        await slack.adapter.drain()
        await slack.event(OPENED, "Ev-welcome-8")
        await slack.adapter.drain()
        assert slack.api.of("chat.postMessage") == []
    assert await _count(app, User) == 0
    assert "u100" not in await everything_stored(app)


async def test_someone_welcomed_by_an_earlier_version_is_not_greeted_again(
    app: Application,
) -> None:
    now = app.services.clock.now()
    async with app.database.transaction() as session:
        user = User(platform="slack", external_id="U100", created_at=now, last_seen_at=now)
        session.add(user)
        await session.flush()
        session.add(Welcome(user_id=user.id, welcomed_on=now))
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-9")
        await slack.adapter.drain()
        assert slack.api.of("chat.postMessage") == []


async def test_the_note_of_a_welcome_goes_once_kept_long_enough(app: Application) -> None:
    async with slack_harness(app) as slack:
        await slack.event(OPENED, "Ev-welcome-10")
        await slack.adapter.drain()
    later = app.services.clock.now() + timedelta(days=3)
    async with app.database.transaction() as session:
        # Nothing about them but the note: no user row to be idle.
        assert await delete_idle_people(session, later) == 0
        assert await delete_old_greetings(session, later) == 1
    assert await _welcomes(app) == 0
