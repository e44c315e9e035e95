"""The breakout signup list on Teams is edited in place, like on Slack: through botbuilder's
CloudAdapter against a fake Bot Framework connector, from the outbox to the PUT it makes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import DeliveryFailed, DeliveryTarget, Publishers, TargetKind
from bot.messages import Button, Reply, Section
from bot.outbox import Dispatcher
from bot.platforms.teams.render import render
from bot.small_numbers import SmallNumbers
from handlers.breakouts.common import MAX_TITLE_CHARS
from handlers.breakouts.posts import MOST_TOPICS_SHOWN, signup_reply
from storage.models import BreakoutSettings, BreakoutTopic, NetworkSession
from storage.repositories import NetworkRepository
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import instant_dispatcher
from tests.fakes.teams_connector import BOT_ID, CHANNEL, FakeConnector, conversation_update
from tests.platforms.teams.test_adapter import Teams, running_teams
from tests.support.breakouts import breakout_session, topic_number

# Another channel in the team the bot was added to: reached through that team's reference.
PRIDE_CHANNEL = "19:pride@thread.tacv2"


@pytest.fixture
async def teams(app: Application, connector: FakeConnector) -> AsyncIterator[Teams]:
    async with running_teams(app, connector) as teams:
        # In the team: allybot was added to it, so it knows where to post.
        await teams.post(conversation_update(connector.url, added=[BOT_ID]))
        yield teams


def dispatcher(app: Application, teams: Teams, messenger: RecordingMessenger) -> Dispatcher:
    publishers = Publishers()
    publishers.register("teams", teams.adapter.publisher())
    return instant_dispatcher(app, publishers, messenger)


async def announce_in(app: Application, channel: str) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "teams", "announcements", channel)


async def test_a_topic_change_edits_the_signup_post_instead_of_posting_again(
    app: Application, teams: Teams, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await announce_in(app, CHANNEL)
    session_id = await breakout_session(app, people=("kim", "lee"))
    words = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    outbox = dispatcher(app, teams, messenger)
    before = len(teams.sent(CHANNEL))

    await outbox.run_once()
    [signup] = teams.sent(CHANNEL)[before:]
    assert signup.conversation_id == CHANNEL  # a new thread, not a reply in another
    assert "Finding the words (topic" in signup.shown_text
    assert "Hosted by Jo · places available" in signup.shown_text

    await say_one(app, f"pick {session_id} {words}", user="kim")
    await say_one(app, f"rename topic {words} Finding the words to speak up", user="jo")
    await outbox.run_once()
    [edit] = teams.connector.edited(CHANNEL)
    assert edit.activity_id == signup.activity_id
    assert edit.conversation_id == CHANNEL
    assert edit.body["id"] == signup.activity_id
    assert "Finding the words to speak up (topic" in edit.shown_text
    assert "Hosted by Jo · places available" in edit.shown_text
    assert "Kim" not in edit.shown_text
    # The edited list still has its Pick button, carrying the pick as values.
    pick = {"c": "pick", "v": [["session", str(session_id)], ["topic", str(words)]]}
    assert json.dumps({"call": pick}) in json.dumps(edit.card)
    assert len(teams.sent(CHANNEL)) == before + 1

    await say_one(app, f"host {session_id} Self-care for empaths", user="keli")
    await outbox.run_once()
    latest = teams.connector.edited(CHANNEL)[-1]
    assert len(teams.connector.edited(CHANNEL)) == 2
    assert latest.activity_id == signup.activity_id
    assert "Self-care for empaths" in latest.shown_text
    assert "places available" in latest.shown_text
    assert len(teams.sent(CHANNEL)) == before + 1
    assert messenger.sent == []


async def test_a_deleted_signup_post_tells_the_leads_the_list_is_still_there(
    app: Application, teams: Teams, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await announce_in(app, CHANNEL)
    session_id = await breakout_session(app, people=("kim",))
    topic = topic_number((await say_one(app, f"host {session_id} Allyship 101", user="jo")).text)
    outbox = dispatcher(app, teams, messenger)
    await outbox.run_once()
    signup = teams.sent(CHANNEL)[-1]
    posts = len(teams.sent(CHANNEL))

    teams.connector.delete(signup.activity_id)
    await say_one(app, f"rename topic {topic} Allyship 102", user="jo")
    await outbox.run_once()

    assert teams.connector.edited() == []
    refused = [c for c in teams.connector.calls if c.method == "PUT"]
    assert [c.status for c in refused] == [404]  # not retried: the post will not come back
    assert len(teams.sent(CHANNEL)) == posts  # and not posted again
    [note] = [n for n in messenger.sent if n.recipient_key == "console:alex"]
    assert "the post was deleted in Teams" in note.reply.text
    assert "`topics <session>` still shows the current list" in note.reply.text


async def test_a_404_on_an_edit_is_a_permanent_failure_with_a_fix(teams: Teams) -> None:
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    with pytest.raises(DeliveryFailed) as failed:
        await teams.adapter.publisher().update(target, "activity-gone", Reply(text="Topics"))
    assert failed.value.permanent
    assert failed.value.reason == "NotFound"
    assert "`topics <session>` still shows the current list" in failed.value.fix


async def test_an_edit_after_the_bot_left_the_team_says_to_add_it_again(teams: Teams) -> None:
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    posted = await teams.adapter.publisher().publish(target, Reply(text="Topics"), 1)
    teams.connector.fail_next(403, code="BotNotInConversationRoster")
    with pytest.raises(DeliveryFailed) as failed:
        await teams.adapter.publisher().update(target, posted.message_id, Reply(text="Topics!"))
    assert failed.value.permanent
    assert "add allybot to the team again" in failed.value.fix


async def test_a_429_on_an_edit_is_retried_after_the_retry_after_it_names(teams: Teams) -> None:
    # A channel the bot was not added to directly: reached through its team's reference.
    target = DeliveryTarget("teams", TargetKind.CHANNEL, PRIDE_CHANNEL)
    posted = await teams.adapter.publisher().publish(target, Reply(text="Topics: none yet"), 1)
    teams.connector.fail_next(429, retry_after="3")

    result = await teams.adapter.publisher().update(
        target, posted.message_id, Reply(text="Topics: Allyship 101")
    )

    attempts = [c for c in teams.connector.calls if c.method == "PUT"]
    assert [c.status for c in attempts] == [429, 200]
    assert {c.conversation_id for c in attempts} == {PRIDE_CHANNEL}
    assert 3.0 in teams.sleeps.waits
    assert result.message_id == posted.message_id
    [edit] = teams.connector.edited(PRIDE_CHANNEL)
    assert edit.activity_id == posted.message_id
    assert edit.shown_text == "Topics: Allyship 101"


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_transient_errors_on_an_edit_are_retried_with_back_off(
    teams: Teams, status: int
) -> None:
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    posted = await teams.adapter.publisher().publish(target, Reply(text="Topics"), 1)
    teams.connector.fail_next(status, times=2)
    await teams.adapter.publisher().update(target, posted.message_id, Reply(text="Topics!"))
    attempts = [c.status for c in teams.connector.calls if c.method == "PUT"]
    assert attempts == [status, status, 200]
    # Our back-off, not the HTTP library's: exponential, with the jitter fixed at its middle.
    assert teams.sleeps.waits[1] == pytest.approx(2 * teams.sleeps.waits[0])


async def test_throttling_that_outlasts_the_retries_leaves_the_edit_for_later(
    teams: Teams,
) -> None:
    target = DeliveryTarget("teams", TargetKind.CHANNEL, CHANNEL)
    posted = await teams.adapter.publisher().publish(target, Reply(text="Topics"), 1)
    teams.connector.fail_next(429, times=5, retry_after="20")
    with pytest.raises(DeliveryFailed) as failed:
        await teams.adapter.publisher().update(target, posted.message_id, Reply(text="Topics!"))
    assert not failed.value.permanent
    assert failed.value.retry_after == 20.0


def long_list(items: int) -> Reply:
    sections = tuple(
        Section(
            heading=f"Topic {n}: allyship in practice",
            text="Hosted by someone · 8 of 8 places left. " * 40,
            buttons=(Button("Pick", f"pick 12 {n}"),),
        )
        for n in range(items)
    )
    return Reply(heading="Breakout rooms: Online social", text="The topics", sections=sections)


async def test_a_list_too_long_for_one_message_edits_the_post_once_and_says_where_the_rest_is(
    teams: Teams,
) -> None:
    reply = long_list(200)
    assert len(render(reply)) > 1  # a new post would take several messages
    thread = await teams.adapter.sender.post_to_channel(CHANNEL, Reply(text="Topics"), 1)
    posts = len(teams.sent(CHANNEL))

    await teams.adapter.sender.update_channel_post(CHANNEL, thread, reply)

    [edit] = teams.connector.edited(CHANNEL)
    assert edit.activity_id == thread
    assert len(teams.sent(CHANNEL)) == posts
    assert edit.size < 80_000
    shown = edit.shown_text
    assert "Breakout rooms: Online social" in shown and "Topic 0:" in shown
    assert "Topic 199:" not in shown
    assert shown.rstrip().endswith("topics <session> shows the whole current list.")
    assert "`" not in shown


def test_the_longest_signup_list_fits_one_teams_message() -> None:
    # So the cut-short note above is for the pathological case only: a full list of
    # long titles, with co-hosts, is one message that shows every topic and its button.
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    item = NetworkSession(id=4321, title="Online social: allyship in practice", starts_at=start)
    settings = BreakoutSettings(rounds=3, room_size=12, opens_at=start, closes_at=start)
    title = ("Finding the words to speak up when *bias* & [privilege] show up at work " * 2)[
        :MAX_TITLE_CHARS
    ]
    topics = [
        BreakoutTopic(id=1000 + n, round=1 + n % 3, title=title, host_user_id=n, cohost_user_id=-n)
        for n in range(1, MOST_TOPICS_SHOWN + 1)
    ]
    names = {n: "Alexandra Montgomery-Fitzwilliam Ó Súilleabháin" for n in range(-50, 51)}
    reply = signup_reply(
        item, settings, topics, {}, names, ZoneInfo("Europe/London"), SmallNumbers()
    )
    [message] = render(reply)
    assert message.card is not None
    shown = json.dumps(message.card)
    # Every topic keeps its Pick button.
    assert all(f'["topic", "{topic.id}"]' in shown for topic in topics)
