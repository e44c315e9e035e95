"""`my data` and `forget me`: the person's own data, privately, and its complete erasure."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import String, Text, func, select

from bot.app import Application
from bot.clock import FixedClock
from bot.delivery import MessengerPublisher, Publishers
from bot.messages import Visibility
from handlers.sessions.reminders import SessionReminderPlanner, StoredSessions
from storage.models import AuditEntry, Base, Membership, NetworkSession, User
from storage.repositories import BreakoutRepository, NetworkRepository
from tests.conftest import say, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher, instant_dispatcher
from tests.support.breakouts import breakout_session, topic_number
from tests.support.pressing import typed_for
from tests.support.sessions import add_session


async def robin_with_data(app: Application) -> int:
    """Robin joins two networks, starts a third join, and becomes a lead: data in many tables."""
    await say_one(app, "join pride as ally", user="robin")
    await say_one(app, "agree", user="robin")
    await say_one(app, "join disability", user="robin")
    await say_one(app, "withdraw consent", user="robin")
    await say_one(app, "join pride", user="robin")  # left waiting for agreement
    await say_one(app, "agree", user="robin")
    await say_one(app, "join neurodiversity as ally", user="robin")
    await say_one(app, "add lead neurodiversity robin", user="alex")
    await say_one(app, "join pride as ally", user="casey")
    await say_one(app, "agree", user="casey")
    await say(app, "register 1 needs: captions please", user="robin")
    await say_one(app, "edit session 1 facilitators: console:kim, console:robin", user="alex")
    async with app.database.transaction() as session:
        user_id = await session.scalar(select(User.id).where(User.external_id == "robin"))
        starts_at = await session.scalar(
            select(NetworkSession.starts_at).where(NetworkSession.id == 1)
        )
    assert user_id is not None and starts_at is not None
    # The day before, the scheduler plans Robin's private reminders.
    clock = app.services.clock
    assert isinstance(clock, FixedClock)
    clock.set(starts_at - timedelta(hours=20))
    planner = SessionReminderPlanner(app.database, StoredSessions(), app.settings.timezone)
    assert await planner.plan(clock.now()) >= 1
    return user_id


async def traces_of(app: Application, user_id: int, person_key: str) -> list[str]:
    """Every place in every table that still points at the person: by users.id or by key.

    Walks Base.metadata, so tables that later features add are checked too.
    """
    found: list[str] = []
    async with app.database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                refers_to_users = any(
                    key.column.table.name == "users" for key in column.foreign_keys
                ) or (table.name == "users" and column.name == "id")
                if refers_to_users:
                    query = select(func.count()).select_from(table).where(column == user_id)
                elif isinstance(column.type, String | Text):
                    query = (
                        select(func.count())
                        .select_from(table)
                        .where(column.contains(person_key, autoescape=True))
                    )
                else:
                    continue
                if await session.scalar(query):
                    found.append(f"{table.name}.{column.name}")
    return found


async def test_my_data_sends_everything_privately_with_a_json_copy(app: Application) -> None:
    await robin_with_data(app)
    reply = await say_one(app, "my data", user="robin", shared=True)
    assert reply.visibility is Visibility.PRIVATE
    assert "Network: Neurodiversity Network (ally)" in reply.text
    assert "Network: Pride Network (member)" in reply.text
    assert "Casey" not in reply.text
    (attachment,) = reply.attachments
    assert attachment.content_type == "application/json"
    data = json.loads(attachment.content)
    assert data["users"][0]["external_id"] == "robin"
    assert {row["role"] for row in data["memberships"]} == {"member", "ally"}
    assert len(data["memberships"]) == 2
    assert data["consents"][0]["text_version"]
    assert [row["person_key"] for row in data["network_leads"]] == ["console:robin"]
    # The session they facilitate, without naming its other facilitators.
    [facilitated] = data["sessions_facilitated"]
    assert facilitated["session_id"] == 1
    assert "kim" not in json.dumps(data["sessions_facilitated"])


async def test_forget_me_asks_first_and_changes_nothing_until_confirmed(
    app: Application,
) -> None:
    user_id = await robin_with_data(app)
    asking = await say_one(app, "forget me", user="robin", shared=True)
    assert asking.visibility is Visibility.PRIVATE
    assert "can't be undone" in asking.text
    assert "network memberships: 2" in asking.text
    assert [typed_for(app, button) for button in asking.all_buttons] == ["forget me confirm"]
    assert await traces_of(app, user_id, "console:robin") != []


async def test_forget_me_leaves_nothing_about_the_person_in_any_table(app: Application) -> None:
    user_id = await robin_with_data(app)
    assert set(await traces_of(app, user_id, "console:robin")) >= {
        "users.id",
        "memberships.user_id",
        "consents.user_id",
        "network_leads.person_key",
        "audit_log.subject",
        "session_registrations.user_id",
        "outbox.target_ref",
        "network_sessions.facilitators",
    }
    done = await say_one(app, "forget me confirm", user="robin", shared=True)
    assert done.visibility is Visibility.PRIVATE
    assert "network memberships: 2" in done.text
    assert "your consent record: 1" in done.text
    assert "lead roles: 1" in done.text
    assert "session places (with any access needs): 1" in done.text
    # The 24-hour and 1-hour reminders, and the feedback request after.
    assert "scheduled private messages to you: 3" in done.text
    assert "sessions naming you as a facilitator: 1" in done.text

    assert await traces_of(app, user_id, "console:robin") == []
    async with app.database.transaction() as session:
        assert await session.scalar(select(User).where(User.external_id == "robin")) is None
        # Other people's data is untouched.
        assert await session.scalar(select(func.count()).select_from(Membership)) == 1
        assert (
            await session.scalar(select(NetworkSession.facilitators).where(NetworkSession.id == 1))
            == "console:kim"
        )
        erasures = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "person_erased"))
        ).all()
    assert len(erasures) == 1
    assert erasures[0].subject == ""


async def test_after_forget_me_the_person_starts_afresh(app: Application) -> None:
    await robin_with_data(app)
    await say_one(app, "forget me confirm", user="robin")
    my = await say_one(app, "my", user="robin")
    assert "haven't joined any networks" in my.text
    asked = await say_one(app, "join pride", user="robin")
    assert asked.heading == "Before you join"


async def test_forget_me_replies_are_private_for_someone_with_no_data(app: Application) -> None:
    for text in ("my data", "forget me", "forget me confirm"):
        for reply in await say(app, text, user="newcomer", shared=True):
            assert reply.visibility is Visibility.PRIVATE


PERSON = "zorblefrax"  # their id; their name on the console is "Zorblefrax"
MARKERS = (
    "mark-needs-qx",
    "mark-question-qx",
    "mark-feedback-qx",
    "mark-topic-qx",
    "mark-kb-title-qx",
    "mark-kb-answer-qx",
    "mark-announce-qx",
    "mark-calendar-qx",
)


async def everything_stored(app: Application) -> str:
    """Every value of every column of every table, as text (JSON included), lower-cased."""
    values: list[str] = []
    async with app.database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                values.extend(str(value) for value in row)
    return "\n".join(values).lower()


async def a_lead_who_did_everything(app: Application, clock: FixedClock) -> None:
    """The person, the only lead of Race Equality, ran every command that stores their words."""
    await say_one(app, f"add lead race-equality {PERSON}", user="sam")
    await say_one(app, "remove lead race-equality priya", user="sam")
    await say_one(app, "join pride", user=PERSON)
    await say_one(app, "agree", user=PERSON)
    async with app.database.transaction() as session:
        networks = NetworkRepository(session)
        for slug in ("pride", "race-equality"):
            network = await networks.by_slug(slug)
            assert network is not None
            await networks.set_channel(network.id, "slack", "announcements", f"C-{slug}")
    talk = await add_session(app, title="Evening talk", starts_in=timedelta(days=2))
    await say_one(app, f"register {talk}", user=PERSON)
    social = await breakout_session(app, people=(PERSON, "kim", "jo"))
    await say_one(app, f"register {social} needs: {MARKERS[0]}", user=PERSON)
    room = topic_number((await say_one(app, f"host {social} Jo's room", user="jo")).text)
    await say_one(app, f"propose {social} {MARKERS[3]}", user=PERSON)
    await say_one(app, f"pick {social} {room}", user=PERSON)
    await say_one(app, f"notes {room}", user=PERSON)
    await say_one(app, f"ask leads pride {MARKERS[1]}?", user=PERSON)
    await say_one(app, "send question 1", user=PERSON)
    await say_one(app, f"kb add {MARKERS[4]} | {MARKERS[5]}", user=PERSON)
    await say_one(app, f"announce race-equality on 1 Mar 2027 09:00: {MARKERS[6]}", user=PERSON)
    await say_one(
        app, f"calendar message race-equality trans-awareness-week: {MARKERS[7]}", user=PERSON
    )
    # The signup goes out, closes, and the room lists go out naming the person.
    messenger = RecordingMessenger()
    publishers = Publishers(fallback=MessengerPublisher(messenger))
    publishers.register("slack", RecordingPublisher())
    await instant_dispatcher(app, publishers, messenger).run_once()
    async with app.database.transaction() as session:
        settings = await BreakoutRepository(session).settings_of(social)
        assert settings is not None
        closes = settings.closes_at
    clock.set(closes)
    await instant_dispatcher(app, publishers, messenger).run_once()
    assert any("Zorblefrax" in notice.reply.text for notice in messenger.sent)
    feedback = await say_one(app, f"feedback {talk} 5 {MARKERS[2]} named", user=PERSON)
    assert "Thank you" in feedback.text, feedback.text


async def test_after_forget_me_no_column_anywhere_holds_the_person_or_their_words(
    app: Application, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await a_lead_who_did_everything(app, clock)
    before = await everything_stored(app)
    assert PERSON in before
    assert [marker for marker in MARKERS if marker not in before] == []

    asking = await say_one(app, "forget me", user=PERSON)
    assert "only lead of Race Equality Network" in asking.text
    assert "announcements you scheduled (removed, with their posts): 1" in asking.text
    assert "another lead's `kb edit` makes it theirs first" in asking.text
    messenger.sent.clear()
    await say_one(app, "forget me confirm", user=PERSON)

    after = await everything_stored(app)
    assert PERSON not in after
    assert [marker for marker in MARKERS if marker in after] == []
    # The admins are told the network has no lead, without who asked to be forgotten.
    [notice] = [n for n in messenger.sent if n.recipient_key == "console:sam"]
    assert "Race Equality Network has no lead now" in notice.reply.text
    assert PERSON not in notice.reply.text.lower()


async def test_the_only_lead_is_warned_and_the_admins_told_but_not_a_co_lead(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "add lead pride robin", user="sam")  # Pride is led by alex too
    await say_one(app, "add lead race-equality robin", user="sam")
    await say_one(app, "remove lead race-equality priya", user="sam")
    asking = await say_one(app, "forget me", user="robin")
    assert "only lead of Race Equality Network: it would have no lead" in asking.text
    assert "Pride" not in asking.text
    # While robin co-leads Pride, alex is warned about Neurodiversity only.
    assert (
        "only lead of Neurodiversity Network:"
        in (await say_one(app, "forget me", user="alex")).text
    )
    messenger.sent.clear()
    await say_one(app, "forget me confirm", user="robin")
    [notice] = messenger.sent
    assert notice.recipient_key == "console:sam"
    assert notice.reply.visibility is Visibility.PRIVATE
    assert "Race Equality Network has no lead now" in notice.reply.text
    assert "add lead race-equality" in notice.reply.text
    assert "robin" not in notice.reply.text.lower()
    # Now alex leads Pride alone.
    assert (
        "only lead of Neurodiversity Network, Pride Network"
        in (await say_one(app, "forget me", user="alex")).text
    )
