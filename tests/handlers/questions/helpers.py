"""What the questions tests look at: the stored questions, and the commands a reply offers."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from bot.messages import Reply
from storage.models import AnonymousQuestion
from tests.support.pressing import typed_for


async def stored_questions(app: Application) -> list[AnonymousQuestion]:
    async with app.database.transaction() as session:
        return list((await session.scalars(select(AnonymousQuestion))).all())


def button_commands(app: Application, reply: Reply) -> list[str]:
    """What typing each of the reply's buttons would be."""
    return [typed_for(app, button) for button in reply.all_buttons]
