"""Volunteers host someone's topic and take its notes; `my` shows it, and `forget me` leaves
the topic without them."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import Application
from bot.messages import Visibility
from storage.models import BreakoutPick, BreakoutTopic
from tests.conftest import say_one
from tests.support.breakouts import breakout_session, topic_number


async def test_a_hostless_topic_gets_a_host_and_a_note_taker(app: Application) -> None:
    session_id = await breakout_session(app)
    proposed = await say_one(app, f"propose {session_id} Intersectionality at work", user="kim")
    topic_id = topic_number(proposed.text)
    assert "Needs a host" in (await say_one(app, f"topics {session_id}")).text
    assert "You're the host" in (await say_one(app, f"host topic {topic_id}", user="jo")).text
    assert "You're the co-host" in (await say_one(app, f"host topic {topic_id}", user="li")).text
    full = await say_one(app, f"host topic {topic_id}", user="max")
    assert "already has two hosts" in full.text
    assert "taking notes" in (await say_one(app, f"notes {topic_id}", user="max")).text
    taken = await say_one(app, f"notes {topic_id}", user="ana")
    assert "Someone is already taking notes" in taken.text
    listed = await say_one(app, f"topics {session_id}")
    assert "Hosted by Jo & Li · notes: Max" in listed.text
    mine = await say_one(app, "my", user="max")
    assert "Online social: taking notes for “Intersectionality at work”" in mine.text


async def test_forget_me_removes_picks_and_leaves_a_forgotten_hosts_topic_without_them(
    app: Application,
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    topic_id = topic_number((await say_one(app, f"host {session_id} Allyship 101", user="jo")).text)
    await say_one(app, f"notes {topic_id}", user="max")
    await say_one(app, f"pick {session_id} {topic_id}", user="kim")
    for person in ("kim", "jo"):
        done = await say_one(app, "forget me confirm", user=person)
        assert done.visibility is Visibility.PRIVATE
    async with app.database.transaction() as session:
        topic = await session.get(BreakoutTopic, topic_id)
        assert topic is not None
        assert (topic.proposer_user_id, topic.host_user_id) == (None, None)
        assert topic.notes_user_id is not None
        assert await session.scalar(select(func.count()).select_from(BreakoutPick)) == 0
    listed = await say_one(app, f"topics {session_id}")
    assert "Allyship 101 (topic" in listed.text
    assert "Needs a host · notes: Max · places available" in listed.text
    assert "You're the host" in (await say_one(app, f"host topic {topic_id}", user="li")).text
