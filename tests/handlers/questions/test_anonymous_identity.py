"""Nothing the bot stores or shows lets anyone find who asked an anonymous question."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import insert, select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Person, Reply
from bot.outbound import Notice
from bot.platforms.console import ConsoleChat, ConsoleMessenger
from storage.database import Database, _run_alembic
from storage.models import AnonymousQuestion, AuditEntry, Network, User
from tests.conftest import DatabaseTarget, say_one
from tests.support.pressing import press_one


def at(hour: int, minute: int, second: int, micro: int = 0) -> datetime:
    return datetime(2026, 11, 21, hour, minute, second, micro, tzinfo=UTC)


async def user_times(app: Application, name: str) -> tuple[datetime, datetime]:
    async with app.database.transaction() as session:
        user = await session.scalar(select(User).where(User.external_id == name))
        assert user is not None
        return user.created_at, user.last_seen_at


async def test_a_first_time_askers_row_looks_like_anyone_elses_first_seen_that_hour(
    app: Application, clock: FixedClock
) -> None:
    clock.set(at(10, 17, 23, 456_000))
    draft = await say_one(app, "ask leads pride is there a trans support group?", user="kim")
    clock.set(at(10, 41, 7, 900_000))
    await say_one(app, "networks", user="lee")
    clock.set(at(10, 52, 1, 250_000))
    await press_one(app, draft.buttons[0], user="kim")

    # Kim asked in her very first request; Lee only looked around. Their rows agree.
    assert await user_times(app, "kim") == await user_times(app, "lee")
    async with app.database.transaction() as session:
        [question] = (await session.scalars(select(AnonymousQuestion))).all()
        [sent] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "question.sent"))
        ).all()
    assert question.created_at == question.sent_at == sent.at == at(10, 0, 0)

    clock.set(at(11, 5, 31, 1))
    await say_one(app, f"answer {question.id} Yes, monthly.", user="alex")
    async with app.database.transaction() as session:
        answered = await session.get(AnonymousQuestion, question.id)
    assert answered is not None and answered.answered_at == at(11, 0, 0)


async def test_a_lead_answering_in_the_console_is_not_told_who_asked(app: Application) -> None:
    await say_one(app, "ask leads pride is there a trans support group?", user="zedkim")
    await say_one(app, "send question 1", user="zedkim")
    alex = Person("console", "alex", "Alex")
    shown = io.StringIO()
    app.services.messenger = ConsoleMessenger(alex, shown)
    chat = ConsoleChat(app.router.dispatch, alex, io.StringIO(), shown, prompt=False)

    await chat.handle("answer 1 Yes: the Pride network runs one monthly.")

    assert "on its way" in shown.getvalue()
    assert "zedkim" not in shown.getvalue().lower()


async def test_the_console_never_says_someone_else_was_sent_a_message() -> None:
    shown = io.StringIO()
    messenger = ConsoleMessenger(Person("console", "robin", "Robin"), shown)
    await messenger.send_private(
        Notice("console:pm1", Reply(text="A place opened up: you're now registered."))
    )
    assert shown.getvalue() == ""
    await messenger.send_private(Notice("console:robin", Reply(text="You're registered.")))
    assert "You're registered." in shown.getvalue()


async def test_upgrading_makes_times_already_stored_coarse(database_url: DatabaseTarget) -> None:
    database: Database = database_url.open()
    exact = at(10, 17, 23, 456_000)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_run_alembic, "upgrade", "0007")
            await connection.execute(
                insert(User).values(
                    id=1,
                    platform="slack",
                    external_id="U0KIM",
                    created_at=exact,
                    last_seen_at=exact,
                )
            )
            await connection.execute(
                insert(Network).values(id=1, slug="pride", name="Pride", created_at=exact)
            )
            await connection.execute(
                insert(AnonymousQuestion).values(
                    id=1, network_id=1, asker_user_id=1, text="?", created_at=exact, sent_at=exact
                )
            )
        await database.upgrade()
        async with database.transaction() as session:
            user = await session.get(User, 1)
            question = await session.get(AnonymousQuestion, 1)
        assert user is not None and question is not None
        assert user.created_at == at(0, 0, 0)
        assert question.created_at == question.sent_at == at(10, 0, 0)
        assert question.answered_at is None
    finally:
        await database.dispose()
