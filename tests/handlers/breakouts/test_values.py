"""Breakout arguments: typed words and a call's values reach the same spec, the typed
equivalent of every call a button carries reads as typing it would, and the console presses
call buttons and says what to type for the topic form."""

from __future__ import annotations

import io

import pytest

from bot.app import Application
from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Call, Person
from bot.platforms.console import ConsoleChat
from handlers.breakouts.arguments import (
    ApproveTopic,
    DeclineTopic,
    Hosting,
    OfferToHost,
    PickRoom,
    Place,
    Proposal,
    RenameTopic,
    Rooms,
    TakeNotes,
    TopicsList,
    WithdrawTopic,
)
from tests.conftest import say_one
from tests.support.breakouts import breakout_session, topic_number

TYPED: list[tuple[type[Arguments], str, Arguments]] = [
    (TopicsList, "12 page 3", TopicsList(session=12, page=3)),
    (TopicsList, "12", TopicsList(session=12)),
    (Hosting, "12 round 2 My topic with <@U1>", Hosting(12, "My topic", 2, cohost="<@U1>")),
    (Hosting, "12 Living with ADHD", Hosting(12, "Living with ADHD")),
    (Hosting, "12 Coping with work:life", Hosting(12, "Coping with work:life")),
    (Proposal, "12 Self-care with console:lee", Proposal(12, "Self-care with console:lee")),
    (PickRoom, "12 3", PickRoom(session=12, topic="3")),
    (PickRoom, "12 Finding the words", PickRoom(session=12, topic="Finding the words")),
    (OfferToHost, "#4", OfferToHost(topic=4)),
    (TakeNotes, "4", TakeNotes(topic=4)),
    (WithdrawTopic, "4", WithdrawTopic(topic=4)),
    (RenameTopic, "4 A better title", RenameTopic(topic=4, title="A better title")),
    (ApproveTopic, "4", ApproveTopic(topic=4)),
    (ApproveTopic, "", ApproveTopic(topic=None)),
    (DeclineTopic, "4 Not this time", DeclineTopic(topic=4, reason="Not this time")),
    (Rooms, "12 csv page 2", Rooms(session=12, csv=True, page=2)),
    (Rooms, "twelve", Rooms()),
    (Place, "12", Place(session=12)),
]


@pytest.mark.parametrize(("spec", "words", "expected"), TYPED)
def test_typed_words_parse_as_they_always_did_and_write_back(
    spec: type[Arguments], words: str, expected: Arguments
) -> None:
    parsed = spec.parse(words)
    assert parsed == expected
    assert spec.parse(parsed.words()) == parsed


def test_members_commands_still_ask_for_the_number_when_typed_without_one() -> None:
    with pytest.raises(UserError, match="like `pick 12`"):
        PickRoom.parse("")
    with pytest.raises(UserError, match="like `host topic 4`"):
        OfferToHost.parse("first")


def test_values_fill_the_spec_as_given() -> None:
    title = "  Q&A: <b>allies</b> | speaking up\nat work "
    filled = Hosting.fill(Call.of("host", session=12, title=title, cohost="").mapping)
    assert filled == Hosting(session=12, title=title)
    with pytest.raises(UserError) as refused:
        PickRoom.fill({"session": "twelve"})
    assert refused.value.field == "session"
    with pytest.raises(UserError, match="numbered from 1") as refused:
        TopicsList.fill({"session": "12", "page": "0"})
    assert refused.value.field == "page"


async def test_the_console_presses_breakout_buttons_and_explains_the_form(
    app: Application,
) -> None:
    session_id = await breakout_session(app, people=("you",))
    topic = topic_number((await say_one(app, f"host {session_id} Finding", user="jo")).text)
    out = io.StringIO()
    chat = ConsoleChat(
        app.router.dispatch,
        Person("console", "you"),
        io.StringIO(f"topics {session_id}\n1\n1\n1\n"),
        out,
        prompt=False,
        words_for=app.router.words_for,
    )
    await chat.run()
    shown = out.getvalue()
    # The Pick button is numbered under its topic; the reply's own button comes last.
    assert f"-- Finding (topic {topic}) --\nHosted by Jo · " in shown
    assert "places available\n  [1] Pick: Finding\n  [2] Propose a topic\n" in shown
    # Picked, then See the topics from the answer: now only the form's button is left.
    assert "[1] See the topics" in shown and "your pick" in shown
    assert "You're in “Finding” for the breakout" in shown
    assert f"That opens a form, which the console cannot show: type `host {session_id} …`." in shown
    pick = Call.of("pick", session=session_id, topic=topic)
    assert app.router.words_for(pick) == f"pick {session_id} {topic}"
