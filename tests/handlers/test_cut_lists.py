"""Every list that is cut says so and offers the rest; every button names what it acts on,
and destructive ones look it, on the console and on Slack (real Bolt app, fake Web API)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Button, ButtonStyle, Call, Person, Reply
from bot.outbox_codec import encode_reply
from bot.platforms.console import ConsoleChat
from handlers.pages import MAX_LABEL, item_label
from storage.repositories import NetworkRepository, OutboxRepository, PlannedPost
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.slack_api import slack_harness
from tests.fakes.teams_connector import FakeConnector, personal_message, submit
from tests.handlers.breakouts.test_posts import OPENS, EditingPublisher, dispatch
from tests.platforms.teams.test_adapter import PERSONAL_ROBIN, Teams, running_teams
from tests.support.breakouts import breakout_session
from tests.support.platform_buttons import (
    slack_button,
    slack_buttons,
    slack_call,
    slack_press,
    slack_say,
    teams_button,
)
from tests.support.pressing import press_one
from tests.support.sessions import add_session

LONG_TITLE = (
    "Actionable allyship in practice: a facilitated three-hour training for managers, "
    "team leads and anyone who wants to do better"
)


async def add_sessions(app: Application, count: int) -> None:
    """`count` more Pride sessions, a day apart, after the demo's own."""
    for n in range(count):
        await add_session(app, title=f"Lunch and learn {n:02d}", starts_in=timedelta(days=30 + n))


async def press_call(app: Application, call: Call, *, user: str) -> Reply:
    return await press_one(app, Button("press", call=call), user=user)


def _labels(reply: Reply) -> list[str]:
    return [button.label for button in reply.all_buttons]


def test_a_label_names_its_item_and_a_long_one_is_shortened_within_slack_s_limit() -> None:
    assert item_label("Cancel", "Actionable allyship") == "Cancel: Actionable allyship"
    label = item_label("Register with access needs", LONG_TITLE)
    assert len(label) <= MAX_LABEL == 75
    assert label.startswith("Register with access needs: Actionable allyship in practice")
    assert label.endswith("…")


async def test_sessions_says_how_many_are_shown_and_more_shows_the_next_page(
    app: Application,
) -> None:
    await add_sessions(app, 25)
    first = await say_one(app, "sessions", user="robin")
    assert "Showing 1-10 of 28. `sessions page 2` shows the next ones." in first.text
    more = next(button for button in first.all_buttons if button.label == "More")
    assert more.call == Call.of("sessions", page="2")
    second = await press_one(app, more, user="robin")
    assert "Showing 11-20 of 28." in second.text
    assert "Lunch and learn 00" not in second.text


async def test_every_session_button_names_its_session(app: Application) -> None:
    first = await say_one(app, "sessions", user="robin")
    for section in first.sections[:3]:
        assert section.heading is not None
        title = section.heading.rsplit(" (session", 1)[0]
        assert [button.label for button in section.buttons] == [
            item_label("Details", title),
            item_label("Register", title),
            item_label("Register with access needs", title),
        ]
    register = first.sections[0].buttons[1]
    assert register.style is ButtonStyle.PRIMARY


async def test_cancelling_and_leaving_are_named_and_styled_as_destructive(
    app: Application,
) -> None:
    session_id = await add_session(app, title=LONG_TITLE)
    await say_one(app, f"register {session_id}", user="robin")
    await say_one(app, "join pride", user="robin")
    await say_one(app, "agree", user="robin")
    mine = await say_one(app, "my", user="robin")
    cancel = next(b for b in mine.all_buttons if b.label.startswith("Cancel: "))
    assert cancel.label == item_label("Cancel", LONG_TITLE) and len(cancel.label) <= 75
    assert cancel.style is ButtonStyle.DANGER
    assert cancel.call == Call.of("cancel", session=session_id)
    leave = next(b for b in mine.all_buttons if b.label == "Leave: Pride Network")
    assert leave.style is ButtonStyle.DANGER
    cancelled = await press_one(app, cancel, user="robin")
    assert "cancelled your place" in cancelled.text


async def test_a_network_page_says_how_many_sessions_it_shows_and_offers_them_all(
    app: Application,
) -> None:
    await add_sessions(app, 7)
    reply = await say_one(app, "network pride", user="robin")
    # The demo has two Pride sessions, and seven more were added.
    assert "5 of 9 shown. `sessions pride` lists them all." in reply.text
    every = next(b for b in reply.all_buttons if b.label == "All sessions: Pride Network")
    listed = await press_one(app, every, user="robin")
    assert listed.heading == "Sessions in Pride Network"
    assert "Lunch and learn 06" in listed.text


async def test_a_short_network_page_has_no_count(app: Application) -> None:
    reply = await say_one(app, "network pride", user="robin")
    assert " shown." not in reply.text
    assert "All sessions: Pride Network" not in _labels(reply)


async def test_the_outbox_comes_a_page_at_a_time(app: Application) -> None:
    async with app.database.transaction() as session:
        pride = await NetworkRepository(session).by_slug("pride")
        assert pride is not None
        await OutboxRepository(session).plan(
            [
                PlannedPost(
                    schedule_key=f"announcement:{n}",
                    occurrence_at=NOW + timedelta(hours=n + 1),
                    due_at=NOW + timedelta(hours=n + 1),
                    network_id=pride.id,
                    platform="slack",
                    target_kind="channel",
                    target_ref="C-PRIDE",
                    message=encode_reply(Reply(text=f"Post {n}")),
                )
                for n in range(70)
            ],
            NOW,
        )
    first = await say_one(app, "outbox pride", user="alex")
    more = next(button for button in first.all_buttons if button.label == "More")
    assert more.call == Call.of("outbox", network="pride", page="2")
    assert "`outbox pride page 2` shows the next ones." in first.text
    shown = first.text.count(" · slack · ")
    assert 0 < shown < 70 and f"Showing 1-{shown} of 70." in first.text
    # Following More to the end shows every post once.
    seen, page = shown, first
    while "More" in _labels(page):
        more = next(button for button in page.all_buttons if button.label == "More")
        page = await press_one(app, more, user="alex")
        seen += page.text.count(" · slack · ")
    assert seen == 70 and "That's the end of the list." in page.text


async def test_console_numbers_each_session_s_buttons_under_it(app: Application) -> None:
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "robin"),
        io.StringIO("sessions\n5\n"),
        out,
        prompt=False,
    )
    await chat.run()
    shown = out.getvalue()
    # Each session's numbers come right after it, naming it, not nine in a row at the end.
    assert (
        "-- Creating LGBT+ inclusive spaces (session 1) --\n"
        "Sat 5 Dec 2026, 15:45 GMT · Pride Network · Webinar\n"
        "Places: no limit\n"
        "  [4] Details: Creating LGBT+ inclusive spaces\n"
        "  [5] Register: Creating LGBT+ inclusive spaces\n"
        "  [6] Register with access needs: Creating LGBT+ inclusive spaces\n"
        "-- Actionable allyship"
    ) in shown
    # Typing 5 registers for that session.
    assert "registered for Creating LGBT+ inclusive spaces" in shown


async def test_slack_sessions_buttons_name_their_session_and_more_pages_on(
    app: Application,
) -> None:
    await add_sessions(app, 25)
    async with slack_harness(app) as slack:
        first = await slack_say(slack, "sessions")
        labels = [button["text"]["text"] for button in slack_buttons(first)]
        assert labels[3:6] == [
            "Details: Creating LGBT+ inclusive spaces",
            "Register: Creating LGBT+ inclusive spaces",
            "Register with access needs: Creating LGBT+ inclusive spaces",
        ]
        register = slack_button(first, "Register: Creating LGBT+ inclusive spaces")
        assert register["style"] == "primary"
        shown = [block["text"]["text"] for block in first["blocks"] if "text" in block]
        assert "Showing 1-10 of 28. `sessions page 2` shows the next ones." in shown
        more = slack_button(first, "More")
        assert slack_call(more) == {"c": "sessions", "v": [["page", "2"]]}
        second = await slack_press(slack, more)
        assert "Showing 11-20 of 28." in str(second["blocks"])
        await slack_press(slack, register)
        mine = await slack_say(slack, "my sessions")
        cancel = slack_button(mine, "Cancel: Creating LGBT+ inclusive spaces")
    assert cancel["style"] == "danger"


async def test_the_breakout_signup_post_says_it_shows_40_topics_and_offers_them_all(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-PRIDE")
    session_id = await breakout_session(app, settings="opens: 23 Nov 2026 09:00")
    for n in range(41):
        await say_one(app, f"host {session_id} Topic number {n:02d}", user=f"host{n}")
    publisher = EditingPublisher()
    clock.set(OPENS)
    await dispatch(app, publisher, messenger)
    [signup] = publisher.published
    assert f"40 of 41 topics shown. `topics {session_id}` shows them all." in signup.reply.text
    every = next(b for b in signup.reply.all_buttons if b.label == "All topics: Online social")
    assert every.call == Call.of("topics", session=session_id)
    picks = [b for b in signup.reply.all_buttons if b.label.startswith("Pick: Topic number")]
    assert len(picks) == 40


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        yield teams


async def test_teams_buttons_name_their_session_and_cancel_is_destructive(
    app: Application, teams: Teams
) -> None:
    await teams.post(personal_message(teams.connector.url, "sessions"))
    listed = teams.sent(PERSONAL_ROBIN)[-1]
    register = teams_button(listed, "Register: Creating LGBT+ inclusive spaces")
    assert register["style"] == "positive"
    await teams.post(submit(teams.connector.url, register["fallback"]["data"]))
    await teams.post(personal_message(teams.connector.url, "my sessions"))
    mine = teams.sent(PERSONAL_ROBIN)[-1]
    cancel = teams_button(mine, "Cancel: Creating LGBT+ inclusive spaces")
    assert cancel["style"] == "destructive"


async def test_a_button_naming_the_network_opens_its_outbox(app: Application) -> None:
    """The lead card's Outbox button carries the network as a value."""
    outbox = await press_call(app, Call.of("outbox", network="pride"), user="alex")
    assert "Pride Network" in outbox.text and "Which network" not in outbox.text


async def test_a_report_says_when_it_shows_only_the_latest_sessions(app: Application) -> None:
    await add_sessions(app, 20)
    report = await say_one(app, "report pride", user="alex")
    assert "The latest 20 sessions are shown; older ones are left out." in report.text
