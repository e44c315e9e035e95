"""Replies as Adaptive Cards and text, activities as requests, and the sender's pacing and
back-off: pure functions and small objects, no server."""

from __future__ import annotations

import json

import pytest
from botbuilder.schema import Activity

from bot.forms import field_errors, form_from_data, form_to_data
from bot.messages import (
    Button,
    ButtonStyle,
    Call,
    Field,
    Form,
    FormField,
    FormFieldKind,
    Reply,
    Section,
)
from bot.platforms.teams.render import (
    MAX_MESSAGE_BYTES,
    escape_card_text,
    escape_plain_text,
    form_card,
    form_values,
    render,
)
from bot.platforms.teams.requests import request_for, submitted, text_without_mention
from bot.platforms.teams.retries import Pacer, RetryPolicy
from tests.fakes.teams_connector import mention_message, personal_message

URL = "https://smba.example.invalid/"


def test_card_text_shows_what_was_typed_without_acting_on_it() -> None:
    typed = "**loud** [click](https://evil.example) <at>Everyone</at> _x_ `code`"
    escaped = escape_card_text(typed)
    for markup in ("**", "[click]", "](", "<at>", "_x_", "`code`"):
        assert markup not in escaped
    # Removing the escapes gives back exactly what was typed.
    assert escaped.replace("\\", "") == typed


def test_lines_that_would_become_lists_or_headings_stay_text() -> None:
    escaped = escape_card_text("1. first\n- second\n# third")
    assert escaped.splitlines() == ["1\\. first", "\\- second", "\\# third"]


def test_plain_text_breaks_mention_tags() -> None:
    assert "<at>" not in escape_plain_text("hi <at>Everyone</at>")
    assert "<AT>" not in escape_plain_text("hi <AT>x</AT>")


def test_user_text_in_a_reply_card_is_escaped_everywhere() -> None:
    evil = "<at>all</at> [x](http://e)"
    reply = Reply(
        text=evil,
        heading=evil,
        sections=(Section(text=evil, heading=evil, fields=(Field(evil, evil),)),),
        context=evil,
    )
    [message] = render(reply)
    assert message.card is not None
    assert "<at>" not in json.dumps(message.card)
    # `speak` is read aloud, never rendered: only what is shown has the escapes.
    assert "](" not in json.dumps(message.card["body"])


def test_a_reply_with_structure_becomes_a_card_with_buttons() -> None:
    reply = Reply(
        text="Pride network",
        heading="Pride",
        sections=(
            Section(
                heading="Meets",
                text="Monthly",
                fields=(Field("Contact", "pride@example.org"),),
                buttons=(Button("Join", "join pride", ButtonStyle.PRIMARY),),
            ),
        ),
        buttons=(Button("Leave", "leave pride", ButtonStyle.DANGER),),
    )
    [message] = render(reply)
    card = message.card
    assert card is not None and card["version"] == "1.5"
    kinds = [element["type"] for element in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "TextBlock", "FactSet", "ActionSet"]
    join = card["body"][-1]["actions"][0]
    assert join == {
        "type": "Action.Execute",
        "title": "Join",
        "verb": "command",
        "data": {"command": "join pride"},
        "style": "positive",
        "fallback": {"type": "Action.Submit", "title": "Join", "data": {"command": "join pride"}},
    }
    assert card["actions"][0]["style"] == "destructive"


def test_a_plain_reply_is_plain_text() -> None:
    [message] = render(Reply(text="Done."))
    assert message.card is None and message.text == "Done."


def test_attachments_follow_as_text() -> None:
    reply = Reply(text="Your data.", attachments=())
    assert len(render(reply)) == 1


def registration_form() -> Form:
    return Form(
        id="register",
        title="Register",
        fields=(
            FormField("session", "Session", FormFieldKind.NUMBER),
            FormField("needs", "Access needs", FormFieldKind.MULTILINE, required=False),
            FormField("day", "Day", FormFieldKind.DATE),
            FormField("how", "How", FormFieldKind.CHOICE, choices=(("Online", "online"),)),
            FormField("name", "Name", max_length=5),
        ),
        call=Call("register"),
    )


def test_a_form_becomes_inputs_of_the_right_kinds() -> None:
    card = form_card(registration_form())
    inputs = {e["id"]: e for e in card["body"] if "id" in e}
    assert inputs["session"]["type"] == "Input.Number"
    assert inputs["needs"]["type"] == "Input.Text" and inputs["needs"]["isMultiline"]
    assert inputs["day"]["type"] == "Input.Date"
    assert inputs["how"]["type"] == "Input.ChoiceSet"
    assert inputs["name"]["maxLength"] == 5
    assert card["actions"][0]["verb"] == "form"
    assert form_from_data(card["actions"][0]["data"]["form"]) == registration_form()


def test_a_form_with_problems_shows_each_under_its_field_and_keeps_the_values() -> None:
    form = registration_form()
    values = form_values(form, {"session": "three", "name": "Robin Smith", "how": "online"})
    problems = field_errors(form, values)
    assert set(problems) == {"session", "day", "name"}
    card = form_card(form, problems, values)
    body = card["body"]
    session_at = next(i for i, e in enumerate(body) if e.get("id") == "session")
    assert body[session_at]["value"] == "three"
    assert body[session_at + 1]["color"] == "Attention"
    assert "whole number" in body[session_at + 1]["text"]


def test_form_values_accept_numbers_as_teams_sends_them() -> None:
    form = registration_form()
    values = form_values(form, {"session": 12.0, "day": "2026-11-30", "how": "online"})
    assert form.call_for(values).mapping["session"] == "12"


def test_a_very_long_reply_is_split_under_the_size_limit_in_order() -> None:
    text = "\n".join(f"line {n} " + "é" * 40 for n in range(8000))
    messages = render(Reply(text=text, heading="Long"))
    assert len(messages) > 2
    for message in messages:
        assert len(json.dumps(message.card)) < MAX_MESSAGE_BYTES
    joined = "".join(json.dumps(m.card, ensure_ascii=False) for m in messages)
    assert joined.index("line 0 ") < joined.index("line 7999 ")


def test_a_very_long_plain_reply_is_split_too() -> None:
    messages = render(Reply(text="x" * 300_000))
    assert len(messages) > 3
    assert "".join(m.text for m in messages) == "x" * 300_000


def test_the_bots_mention_is_removed_and_others_kept() -> None:
    activity = Activity().deserialize(mention_message(URL, "ask what is <b>allyship</b>?"))
    assert text_without_mention(activity) == "ask what is <b>allyship</b>?"


def test_html_entities_in_teams_text_are_read_as_text() -> None:
    activity = Activity().deserialize(personal_message(URL, "ask&nbsp;about&nbsp;R&amp;D"))
    assert text_without_mention(activity) == "ask about R&D"


def test_a_channel_request_is_shared_and_a_personal_one_is_not() -> None:
    in_channel = Activity().deserialize(mention_message(URL, "help"))
    personal = Activity().deserialize(personal_message(URL, "help"))
    assert request_for(in_channel, "help").conversation.shared
    assert not request_for(personal, "help").conversation.shared
    assert request_for(personal, "help").person.key == "teams:29:robin"


@pytest.mark.parametrize(
    ("value", "command"),
    [({"command": " networks "}, "networks"), ({"command": ""}, None), ("text", None)],
)
def test_only_our_card_data_is_read_as_a_command(value: object, command: str | None) -> None:
    found = submitted(value)
    assert (found.command if found else None) == command


def test_form_data_travels_whole() -> None:
    form = registration_form()
    assert form_from_data(json.loads(json.dumps(form_to_data(form)))) == form


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


async def test_at_most_seven_sends_a_second_per_conversation() -> None:
    time = FakeTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    for _ in range(7):
        await pacer.wait_turn("conv-a")
    assert time.waits == []
    await pacer.wait_turn("conv-a")
    assert time.waits == [pytest.approx(1.0)]
    # Another conversation is not held up by the first.
    await pacer.wait_turn("conv-b")
    assert len(time.waits) == 1


async def test_at_most_sixty_sends_in_thirty_seconds_per_conversation() -> None:
    time = FakeTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    for _ in range(61):
        await pacer.wait_turn("conv-a;messageid=1")
    assert time.now >= 30.0
    sent = pacer._sent["conv-a"]
    for start in range(len(sent)):
        in_window = [t for t in sent if sent[start] <= t < sent[start] + 30.0]
        assert len(in_window) <= 60
        in_second = [t for t in sent if sent[start] <= t < sent[start] + 1.0]
        assert len(in_second) <= 7


def test_back_off_grows_exponentially_and_honours_retry_after() -> None:
    policy = RetryPolicy(base=0.5, random=lambda: 1.0)
    assert [policy.delay(n, None) for n in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert policy.delay(0, 7.0) == 7.0
    jittered = RetryPolicy(base=0.5, random=lambda: 0.0)
    assert jittered.delay(2, None) == 1.0  # half the back-off at the low end of the jitter
