"""Joining and consent hold when the same person, or many people, act at the same moment.

A double-clicked "I agree", a join sent twice, a whole team joining after an all-hands:
each dispatch is its own task, all in flight at once, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import Application
from bot.funnel import APOLOGY
from bot.outbound import ChannelInvite
from storage.models import Consent, Membership, PendingJoin
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.handlers.test_membership import memberships_of, set_channel

SORRY = APOLOGY.split(" and ", 1)[0]


async def all_at_once(app: Application, texts: list[tuple[str, str]]) -> list[str]:
    tasks = [asyncio.create_task(say_one(app, text, user=user)) for user, text in texts]
    return [reply.text for reply in await asyncio.gather(*tasks)]


async def rows(app: Application, model: type) -> int:
    async with app.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_one_person_pressing_join_and_agree_many_times_joins_once(
    app: Application, messenger: RecordingMessenger
) -> None:
    await set_channel(app, "pride", "members", "C-MEMBERS")
    await say_one(app, "help", user="robin")

    asked = await all_at_once(app, [("robin", "join pride")] * 10)
    assert not any(SORRY in text for text in asked), asked
    assert await rows(app, PendingJoin) == 1

    agreed = await all_at_once(app, [("robin", "agree")] * 10)
    assert not any(SORRY in text for text in agreed), agreed
    assert sum("Welcome! You've joined Pride Network" in text for text in agreed) == 1
    assert await rows(app, Consent) == 1
    assert await memberships_of(app, "robin") == [("pride", "member")]
    # Invited to the members' channel once, not once per click.
    assert messenger.invites == [ChannelInvite("console:robin", "C-MEMBERS")]

    again = await all_at_once(app, [("robin", "join disability")] * 10)
    assert not any(SORRY in text for text in again), again
    assert sum("Welcome! You've joined Disability Network" in text for text in again) == 1
    assert await memberships_of(app, "robin") == [("disability", "member"), ("pride", "member")]


async def test_fifty_colleagues_joining_at_once_each_join_once(app: Application) -> None:
    people = [f"colleague{number:02d}" for number in range(50)]
    await all_at_once(app, [(person, "help") for person in people])
    asked = await all_at_once(app, [(person, "join pride as ally") for person in people])
    assert not any(SORRY in text for text in asked), asked
    agreed = await all_at_once(app, [(person, "agree") for person in people] * 2)
    assert not any(SORRY in text for text in agreed), agreed
    assert sum("Welcome! You've joined Pride Network" in text for text in agreed) == len(people)
    assert await rows(app, Consent) == len(people)
    assert await rows(app, Membership) == len(people)
    assert await rows(app, PendingJoin) == 0
