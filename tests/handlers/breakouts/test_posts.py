"""The signup post goes out through the outbox when the signup opens, is edited in place as
topics and places change, and at close the channel gets counts while hosts get the names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import (
    DeliveryFailed,
    DeliveryTarget,
    MessengerPublisher,
    Publishers,
    PublishResult,
    TargetKind,
)
from bot.messages import Call, Reply, Visibility
from storage.repositories import NetworkRepository
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher, instant_dispatcher
from tests.support.breakouts import LEAD, breakout_session, topic_number

OPENS = datetime(2026, 11, 23, 9, 0, tzinfo=NOW.tzinfo)
# The session starts on 1 Dec 2026 at 10:00 UTC; the signup closes an hour before.
CLOSES = datetime(2026, 12, 1, 9, 0, tzinfo=NOW.tzinfo)


@dataclass(frozen=True, slots=True)
class Edit:
    target: DeliveryTarget
    message_id: str
    reply: Reply


@dataclass(slots=True)
class EditingPublisher(RecordingPublisher):
    """A channel platform that can edit its posts, recording each edit."""

    edits: list[Edit] = field(default_factory=list)

    async def update(self, target: DeliveryTarget, message_id: str, reply: Reply) -> PublishResult:
        self.edits.append(Edit(target, message_id, reply))
        return PublishResult(message_id=message_id)


async def dispatch(
    app: Application, publisher: EditingPublisher, messenger: RecordingMessenger
) -> None:
    publishers = Publishers(fallback=MessengerPublisher(messenger))
    publishers.register("slack", publisher)
    await instant_dispatcher(app, publishers, messenger).run_once()


@pytest.fixture
async def channel(app: Application) -> str:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "slack", "announcements", "C-PRIDE")
    return "C-PRIDE"


async def test_signup_is_posted_when_it_opens_then_edited_in_place(
    app: Application, clock: FixedClock, messenger: RecordingMessenger, channel: str
) -> None:
    session_id = await breakout_session(
        app, settings="size: 3 | opens: 23 Nov 2026 09:00", people=("kim", "lee")
    )
    topic_id = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    publisher = EditingPublisher()
    await dispatch(app, publisher, messenger)
    assert publisher.published == []

    clock.set(OPENS)
    await dispatch(app, publisher, messenger)
    [signup] = publisher.published
    assert signup.target == DeliveryTarget("slack", TargetKind.CHANNEL, channel)
    assert signup.reply.visibility is Visibility.CONVERSATION
    assert "Finding the words (topic" in signup.reply.text
    assert "Hosted by Jo · places available" in signup.reply.text
    assert [b.call for b in signup.reply.all_buttons] == [
        Call.of("pick", session=session_id, topic=topic_id)
    ]

    # A pick changes nothing the channel sees (no count moves under 5): no edit that would
    # show the moment someone picked.
    await say_one(app, f"pick {session_id} {topic_id}", user="kim")
    await dispatch(app, publisher, messenger)
    assert publisher.edits == []

    await say_one(app, f"rename topic {topic_id} Finding the words to speak up", user="jo")
    await dispatch(app, publisher, messenger)
    [edit] = publisher.edits
    assert edit.message_id == f"m{signup.outbox_id}"
    assert edit.target.ref == channel
    assert "Finding the words to speak up (topic" in edit.reply.text
    assert "Kim" not in edit.reply.text
    assert len(publisher.published) == 1

    # Several changes before the dispatcher runs make one edit, with the latest list.
    await say_one(app, f"pick {session_id} {topic_id}", user="lee")
    await say_one(app, f"host {session_id} Self-care for empaths", user="keli")
    await dispatch(app, publisher, messenger)
    assert len(publisher.edits) == 2
    latest = publisher.edits[-1].reply.text
    assert "Hosted by Jo · places available" in latest and "Self-care for empaths" in latest
    assert "Kim" not in latest and "Lee" not in latest

    # Nothing the list shows changed: no edit.
    await say_one(app, f"breakouts {session_id} approval: no", user=LEAD)
    await dispatch(app, publisher, messenger)
    assert len(publisher.edits) == 2
    assert len(publisher.published) == 1


async def test_at_close_the_channel_gets_counts_and_each_host_the_names(
    app: Application, clock: FixedClock, messenger: RecordingMessenger, channel: str
) -> None:
    session_id = await breakout_session(app, people=("kim", "lee", "max"))
    await say_one(app, "help", user="sam")
    words = topic_number(
        (
            await say_one(app, f"host {session_id} Finding the words with console:sam", user="jo")
        ).text
    )
    care = topic_number((await say_one(app, f"host {session_id} Self-care", user="li")).text)
    await say_one(app, f"notes {words}", user="max")
    await say_one(app, f"pick {session_id} {words}", user="kim")
    await say_one(app, f"pick {session_id} {words}", user="lee")
    publisher = EditingPublisher()
    await dispatch(app, publisher, messenger)
    assert len(publisher.published) == 1
    messenger.sent.clear()

    clock.set(CLOSES)
    await dispatch(app, publisher, messenger)
    rooms = publisher.published[-1]
    assert rooms.target.ref == channel
    assert rooms.reply.visibility is Visibility.CONVERSATION
    rooms_text = rooms.reply.text
    assert "Finding the words: Hosted by Jo & Sam · notes: Max · fewer than 5 people" in rooms_text
    assert "Self-care: Hosted by Li · notes: nobody yet · fewer than 5 people" in rooms_text
    for name in ("Kim", "Lee", "kim", "lee"):
        assert name not in rooms.reply.text
    to_hosts = {notice.recipient_key: notice.reply.text for notice in messenger.sent}
    assert set(to_hosts) == {"console:jo", "console:sam", "console:li"}
    assert "• Kim\n• Lee" in to_hosts["console:jo"]
    assert "• Kim\n• Lee" in to_hosts["console:sam"]
    assert "Nobody picked it yet" in to_hosts["console:li"]
    assert "Kim" not in to_hosts["console:li"]
    assert all(notice.reply.visibility is Visibility.PRIVATE for notice in messenger.sent)
    assert "has closed" in (await say_one(app, f"pick {session_id} {care}", user="kim")).text


async def test_a_platform_that_cannot_edit_says_so_for_good() -> None:
    publishers = Publishers()
    publishers.register("console", RecordingPublisher())
    with pytest.raises(DeliveryFailed) as refused:
        await publishers.update(
            DeliveryTarget("console", TargetKind.CHANNEL, "C1"), "m1", Reply(text="list")
        )
    assert refused.value.permanent
    assert refused.value.reason == "cannot_update"


async def test_teams_posts_are_edited_in_place_and_other_platforms_keep_their_first_post(
    app: Application, clock: FixedClock, messenger: RecordingMessenger, channel: str
) -> None:
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        pride = await networks.by_slug("pride")
        assert pride is not None
        await networks.set_channel(pride.id, "teams", "announcements", "19:pride@thread.tacv2")
        # A platform with no in-place edits: its post is never edited, even by a publisher
        # that could.
        await networks.set_channel(pride.id, "console", "announcements", "console-pride")
    session_id = await breakout_session(app, people=("kim",))
    topic_id = topic_number((await say_one(app, f"host {session_id} Allyship 101", user="jo")).text)
    slack, teams, console = EditingPublisher(), EditingPublisher(), EditingPublisher()
    publishers = Publishers(fallback=MessengerPublisher(messenger))
    publishers.register("slack", slack)
    publishers.register("teams", teams)
    publishers.register("console", console)
    dispatcher = instant_dispatcher(app, publishers, messenger)
    await dispatcher.run_once()
    assert (len(slack.published), len(teams.published), len(console.published)) == (1, 1, 1)
    await say_one(app, f"rename topic {topic_id} Allyship 102", user="jo")
    await dispatcher.run_once()
    [teams_edit] = teams.edits
    assert teams_edit.message_id == f"m{teams.published[0].outbox_id}"
    assert teams_edit.target == DeliveryTarget("teams", TargetKind.CHANNEL, "19:pride@thread.tacv2")
    assert "Allyship 102 (topic" in teams_edit.reply.text
    assert len(slack.edits) == 1
    assert console.edits == []
    assert (len(slack.published), len(teams.published), len(console.published)) == (1, 1, 1)
    # No lead was told about a failed edit: none failed, and none was planned for console.
    assert messenger.sent == []


async def test_a_picker_who_is_forgotten_is_not_named_to_the_host_at_close(
    app: Application, clock: FixedClock, messenger: RecordingMessenger, channel: str
) -> None:
    session_id = await breakout_session(app, people=("kim", "lee"))
    words = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    await say_one(app, f"pick {session_id} {words}", user="kim")
    await say_one(app, f"pick {session_id} {words}", user="lee")
    await say_one(app, "forget me confirm", user="lee")
    publisher = EditingPublisher()
    clock.set(CLOSES)
    messenger.sent.clear()
    await dispatch(app, publisher, messenger)
    to_host = [
        notice.reply.text for notice in messenger.sent if notice.recipient_key == "console:jo"
    ]
    assert len(to_host) == 1
    assert "• Kim" in to_host[0]
    assert "Lee" not in to_host[0]


async def test_cancelling_a_session_withdraws_its_breakout_posts(
    app: Application, clock: FixedClock, messenger: RecordingMessenger, channel: str
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    topic = topic_number((await say_one(app, f"host {session_id} Self-care", user="jo")).text)
    await say_one(app, f"pick {session_id} {topic}", user="kim")
    await say_one(app, f"cancel session {session_id}", user=LEAD)
    publisher = EditingPublisher()
    messenger.sent.clear()
    await dispatch(app, publisher, messenger)
    clock.set(CLOSES)
    await dispatch(app, publisher, messenger)
    assert publisher.published == []
    assert messenger.sent == []
