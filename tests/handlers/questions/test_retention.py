"""The link between an asker and their question is not kept for long."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from handlers.questions.retention import purge_question_links
from storage.models import User
from tests.conftest import say_one
from tests.handlers.questions.helpers import stored_questions as _questions


async def test_links_are_purged_after_30_days_and_unsent_drafts_after_a_day(
    app: Application, clock: FixedClock
) -> None:
    await say_one(app, "ask leads pride old question", user="robin")
    await say_one(app, "send question 1", user="robin")
    await say_one(app, "ask leads pride never sent", user="robin")
    clock.set(clock.now() + timedelta(days=10))
    await say_one(app, "ask leads pride newer question", user="robin")
    await say_one(app, "send question 3", user="robin")

    assert await purge_question_links(app.database, clock.now()) == 1  # the old draft
    clock.set(clock.now() + timedelta(days=21))
    assert await purge_question_links(app.database, clock.now()) == 1  # question 1, 31 days

    by_id = {question.id: question for question in await _questions(app)}
    assert sorted(by_id) == [1, 3]
    assert by_id[1].asker_user_id is None and by_id[1].status == "expired"
    assert by_id[3].asker_user_id is not None

    late = await say_one(app, "answer 1 sorry for the wait", user="alex")
    assert "can't deliver it" in late.text


async def test_deleting_the_person_deletes_their_linked_questions(app: Application) -> None:
    await say_one(app, "ask leads pride a question", user="robin")
    await say_one(app, "send question 1", user="robin")

    async with app.database.transaction() as session:
        robin = await session.scalar(select(User).where(User.external_id == "robin"))
        await session.delete(robin)

    assert await _questions(app) == []
