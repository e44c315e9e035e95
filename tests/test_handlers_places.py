"""Every path that frees a place gives it to the first person waiting, who is told privately,
and someone who gives up a place gives up its breakout room, host offer and note-taking too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.messages import Visibility
from bot.outbound import RecordingMessenger
from storage.models import SessionRegistration, User
from tests.conftest import say_one
from tests.handlers.breakouts.support import LEAD, breakout_session, topic_number
from tests.test_handlers_sessions_support import add_session, registrations_of

FreeingPath = Callable[[Application, int], Awaitable[None]]


async def _cancel(app: Application, session_id: int) -> None:
    await say_one(app, f"cancel {session_id}", user="ben")


async def _forget_me(app: Application, session_id: int) -> None:
    await say_one(app, "forget me confirm", user="ben")


async def _withdraw_consent(app: Application, session_id: int) -> None:
    await say_one(app, "withdraw consent", user="ben")


async def _leave(app: Application, session_id: int) -> None:
    await say_one(app, "leave pride", user="ben")


async def _capacity_raised(app: Application, session_id: int) -> None:
    await say_one(app, f"edit session {session_id} capacity: 3", user=LEAD)


PATHS = {
    "cancel": _cancel,
    "forget me": _forget_me,
    "withdraw consent": _withdraw_consent,
    "leave": _leave,
    "capacity raised": _capacity_raised,
}


async def _full_session_with_a_waitlist(app: Application) -> int:
    """Two places, taken by ana and ben (a pride member); cat then dev waiting."""
    await say_one(app, "join pride", user="ben")
    await say_one(app, "agree", user="ben")
    session_id = await add_session(app, capacity=2)
    for person in ("ana", "ben", "cat", "dev"):
        await say_one(app, f"register {session_id}", user=person)
    return session_id


@pytest.mark.parametrize("path", PATHS)
async def test_every_path_that_frees_a_place_gives_it_to_the_first_in_line(
    app: Application, messenger: RecordingMessenger, path: str
) -> None:
    session_id = await _full_session_with_a_waitlist(app)
    messenger.sent.clear()
    await PATHS[path](app, session_id)

    told = [notice for notice in messenger.sent if "a place came up" in notice.reply.text]
    assert [notice.recipient_key for notice in told] == ["console:cat"]
    assert told[0].reply.visibility is Visibility.PRIVATE
    assert told[0].reply.attachments  # the calendar file
    statuses = {name: status for name, status, _ in await registrations_of(app, session_id)}
    assert statuses["cat"] == "registered"
    assert statuses["ana"] == "registered"
    kept = "registered" if path == "capacity raised" else "cancelled"
    assert statuses.get("ben", "cancelled") == kept
    # The queue closes up: dev is now first in line, and a newcomer comes after dev.
    assert "number 1 on the waitlist" in (await say_one(app, "my", user="dev")).text
    newcomer = await say_one(app, f"register {session_id}", user="eve")
    assert "number 2 on the waitlist" in newcomer.text


async def test_leaving_and_withdrawing_say_which_places_went_and_delete_the_needs(
    app: Application,
) -> None:
    for network in ("pride", "disability"):
        await say_one(app, f"join {network}", user="ben")
        await say_one(app, "agree", user="ben")
    pride = await add_session(app, title="Pride social")
    disability = await add_session(app, network="disability", title="Access lunch")
    for session_id in (pride, disability):
        await say_one(app, f"register {session_id} needs: BSL please", user="ben")

    left = await say_one(app, "leave pride", user="ben")
    assert "cancelled your place at Pride social" in left.text
    assert "Access lunch" not in left.text
    withdrawn = await say_one(app, "withdraw consent", user="ben")
    assert "cancelled your place at Access lunch" in withdrawn.text
    async with app.database.transaction() as session:
        rows = (
            await session.execute(
                select(SessionRegistration.status, SessionRegistration.access_needs)
                .join(User, User.id == SessionRegistration.user_id)
                .where(User.external_id == "ben")
            )
        ).all()
    assert sorted(rows) == [("cancelled", None), ("cancelled", None)]
    assert "haven't joined any networks" in (await say_one(app, "my", user="ben")).text


async def test_the_consent_text_says_what_leaving_does_to_places(app: Application) -> None:
    asked = await say_one(app, "join pride", user="ben")
    assert "cancel your places at that network's sessions still to come" in asked.text


async def _one_room_session(app: Application) -> tuple[int, int]:
    """A social whose one room (size 2) ben and kim have picked; jo hosts it."""
    await say_one(app, "join pride", user="ben")
    await say_one(app, "agree", user="ben")
    session_id = await breakout_session(
        app, settings="size: 2 | opens: now", people=("ben", "jo", "kim", "lee")
    )
    topic = topic_number((await say_one(app, f"host {session_id} Topic A", user="jo")).text)
    for person in ("ben", "kim"):
        assert "Topic A" in (await say_one(app, f"pick {session_id} {topic}", user=person)).text
    return session_id, topic


@pytest.mark.parametrize("path", ["cancel", "forget me", "withdraw consent", "leave"])
async def test_giving_up_a_place_gives_up_the_breakout_room_pick(
    app: Application, path: str
) -> None:
    session_id, topic = await _one_room_session(app)
    full = await say_one(app, f"pick {session_id} {topic}", user="lee")
    assert "is full" in full.text
    await PATHS[path](app, session_id)

    rooms = await say_one(app, f"rooms {session_id}", user=LEAD)
    assert "Ben" not in rooms.text
    assert "breakout" not in (await say_one(app, "my", user="ben")).text.lower()
    # Ben's seat is free again.
    assert "Topic A" in (await say_one(app, f"pick {session_id} {topic}", user="lee")).text


@pytest.mark.parametrize("path", ["cancel", "forget me", "withdraw consent", "leave"])
async def test_giving_up_a_place_gives_up_hosting_and_note_taking(
    app: Application, path: str
) -> None:
    await say_one(app, "join pride", user="ben")
    await say_one(app, "agree", user="ben")
    session_id = await breakout_session(app, people=("ben", "jo"))
    hosted = topic_number((await say_one(app, f"propose {session_id} Topic B", user="jo")).text)
    assert "host" in (await say_one(app, f"host topic {hosted}", user="ben")).text
    noted = topic_number((await say_one(app, f"host {session_id} Topic C", user="jo")).text)
    assert "taking notes" in (await say_one(app, f"notes {noted}", user="ben")).text
    await PATHS[path](app, session_id)

    topics = await say_one(app, f"topics {session_id}", user="jo")
    assert "Ben" not in topics.text
    # Someone else may now offer to host the room and take its notes.
    assert "You're the host" in (await say_one(app, f"host topic {hosted}", user="jo")).text
    assert "taking notes" in (await say_one(app, f"notes {noted}", user="kim")).text
