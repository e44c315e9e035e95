"""`my data` and `forget me`: the person's own data, privately, and its complete erasure."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import String, Text, func, select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from bot.scheduler import SessionReminderPlanner, StoredSessions
from storage.models import AuditEntry, Base, Membership, NetworkSession, User
from tests.conftest import say, say_one


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
    assert [button.command for button in asking.all_buttons] == ["forget me confirm"]
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
