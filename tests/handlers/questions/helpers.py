"""What the questions tests look at: the stored questions, and the commands a reply offers."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from storage.models import AnonymousQuestion


async def stored_questions(app: Application) -> list[AnonymousQuestion]:
    async with app.database.transaction() as session:
        return list((await session.scalars(select(AnonymousQuestion))).all())


def button_commands(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [button.command for button in reply.all_buttons]
