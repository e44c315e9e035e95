"""Typed argument specs through the neutral router: typed words are parsed by the command's
spec, a call's values fill it as they are, and bad values are refused by field."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.app import Application
from bot.arguments import Arguments, Words, checked_values
from bot.errors import UserError
from bot.messages import Call, Conversation, Person, Request
from tests.conftest import say_one
from tests.support.values_commands import TRICKY, TRICKY_TITLE, Mood, Note, register_notes


def _call(call: Call) -> Request:
    return Request(Person("console", "you"), "", Conversation("D-private"), call=call)


def test_fill_converts_each_field_to_its_type() -> None:
    note = Note.fill(
        {"session": "7", "title": TRICKY, "count": "3", "mood": "BUSY", "urgent": "yes"}
    )
    assert note == Note(session=7, title=TRICKY, count=3, mood=Mood.BUSY, urgent=True)
    assert Note.fill({"session": "7", "title": "t", "count": ""}).count is None
    assert Note.fill({"session": "7", "title": "t", "unknown": "x"}) == Note(7, "t")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "t"}, "session"),
        ({"session": "abc", "title": "t"}, "session"),
        ({"session": "²", "title": "t"}, "session"),
        ({"session": "7", "title": "t", "count": "abc"}, "count"),
        ({"session": "7", "title": "t", "mood": "angry"}, "mood"),
        ({"session": "7", "title": "t", "urgent": "maybe"}, "urgent"),
    ],
)
def test_a_missing_or_malformed_value_names_its_field(values: dict[str, str], field: str) -> None:
    with pytest.raises(UserError) as refused:
        Note.fill(values)
    assert refused.value.field == field
    assert field in refused.value.message


def test_an_unsupported_field_type_is_a_programming_error() -> None:
    @dataclass(frozen=True)
    class Odd(Arguments):
        when: float

    with pytest.raises(TypeError):
        Odd.fill({"when": "1.5"})


def test_words_keeps_what_was_typed_with_its_white_space_folded() -> None:
    assert Words.parse("pride as ally") == Words("pride as ally")
    assert Words.parse("pride\t as\nally") == Words("pride as ally")
    assert Words.fill({"text": "pride"}).words() == "pride"
    assert Words.fill({}) == Words("")


def test_values_are_made_storable_but_never_folded() -> None:
    call = checked_values(Call.of("Note ", title="a\x00b\x07c", description=TRICKY))
    assert call == Call("note", (("title", "abc"), ("description", TRICKY)))
    with pytest.raises(UserError) as refused:
        checked_values(Call.of("note", description="x" * 4001))
    assert refused.value.field == "description"


async def test_typed_words_are_parsed_by_the_commands_spec(app: Application) -> None:
    received = register_notes(app)
    reply = await say_one(app, "  NOTE \t 7 Intro | Q&A:\n  close\n\n1.  two ")
    assert reply.text == "Saved note 7."
    # Only the command phrase is folded: the spec's own grammar reads the rest as typed.
    assert received.notes == [
        Note(session=7, title="Intro", description="Q&A:\n  close\n\n1.  two")
    ]
    assert received.args == ["7 Intro | Q&A:\n  close\n\n1.  two"]


async def test_a_call_reaches_the_handler_unchanged(app: Application) -> None:
    received = register_notes(app)
    [reply] = await app.router.dispatch(
        _call(Call.of("note", session=7, title=TRICKY_TITLE, description=TRICKY))
    )
    assert reply.text == "Saved note 7."
    assert received.notes == [Note(session=7, title=TRICKY_TITLE, description=TRICKY)]


async def test_a_malformed_call_value_comes_back_as_a_field_error(app: Application) -> None:
    register_notes(app)
    [reply] = await app.router.dispatch(_call(Call.of("note", session=7, title="t", count="abc")))
    assert reply.error_field == "count"
    assert "whole number" in reply.text


async def test_a_call_to_a_words_command_gets_its_text(app: Application) -> None:
    [reply] = await app.router.dispatch(_call(Call.of("network", text="pride")))
    assert reply.heading == "Pride Network" or "Pride Network" in reply.text


async def test_a_call_to_an_unknown_command_is_refused_kindly(app: Application) -> None:
    [reply] = await app.router.dispatch(_call(Call.of("no such thing")))
    assert "out of date" in reply.text


async def test_lead_only_calls_are_refused_like_typed_ones(app: Application) -> None:
    [reply] = await app.router.dispatch(_call(Call.of("create session", text="")))
    assert "is for network leads" in reply.text


async def test_the_router_writes_a_call_as_typed_words(app: Application) -> None:
    register_notes(app)
    assert app.router.words_for(Call.of("note", session=7, title="Intro")) == "note 7 Intro"
    assert app.router.words_for(Call.of("join", network="pride", role="ally")) == (
        "join pride as ally"
    )
    # A free-text value is written as typed words, its spaces folded.
    assert app.router.words_for(Call.of("answer", question=1, answer="Yes:\n monthly")) == (
        "answer 1 Yes: monthly"
    )


async def test_a_form_is_built_again_from_its_reference(app: Application) -> None:
    register_notes(app)
    [offer] = await app.router.dispatch(
        Request(Person("console", "you"), "offer note", Conversation("D-private"))
    )
    form = offer.buttons[0].form
    assert form is not None and form.reference is not None
    rebuilt = await app.router.build_form(
        Request(Person("console", "you"), "", Conversation("D-private")), form.reference
    )
    assert rebuilt == form
    assert form.call_for({"title": TRICKY_TITLE, "description": TRICKY, "other": "x"}) == Call(
        "note", (("session", "7"), ("title", TRICKY_TITLE), ("description", TRICKY))
    )
