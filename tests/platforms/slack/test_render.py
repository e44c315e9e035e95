"""Reply -> Block Kit: escaping everywhere, and Slack's limits kept by splitting."""

from __future__ import annotations

import json

from bot.messages import Button, ButtonStyle, Call, Field, Form, FormField, Reply, Section
from bot.platforms.slack.codec import form_from_json
from bot.platforms.slack.render import (
    MAX_BLOCKS_PER_VIEW,
    escape,
    render,
    split_text,
    view_blocks,
)


def test_escape_turns_slack_control_characters_into_entities() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_a_plain_reply_is_one_section_with_its_text() -> None:
    [message] = render(Reply(text="Hello"))
    assert message.blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}]
    assert message.text == "Hello"


def test_headings_fields_buttons_and_context_become_their_blocks() -> None:
    reply = Reply(
        text="plain",
        heading="Pride Network",
        sections=(
            Section(
                heading="Meets",
                text="Monthly",
                fields=(Field("Contact", "pride@example.org"),),
                buttons=(Button("Join", "join pride", ButtonStyle.PRIMARY),),
            ),
        ),
        context="Open to everyone.",
    )
    [message] = render(reply)
    kinds = [block["type"] for block in message.blocks]
    assert kinds == ["header", "section", "section", "actions", "context"]
    assert message.blocks[1]["text"]["text"] == "*Meets*\nMonthly"
    button = message.blocks[3]["elements"][0]
    assert button["value"] == "join pride"
    assert button["style"] == "primary"


def test_long_text_is_split_into_sections_of_at_most_3000_characters() -> None:
    text = "\n".join("<b>" * 100 for _ in range(100))
    messages = render(Reply(text=text))
    pieces = [block["text"]["text"] for m in messages for block in m.blocks]
    assert all(len(piece) <= 3000 for piece in pieces)
    assert "".join(pieces).count("&lt;b&gt;") == 100 * 100


def test_a_single_line_longer_than_the_limit_is_cut_not_dropped() -> None:
    assert [len(piece) for piece in split_text("x" * 7000)] == [3000, 3000, 1000]


def test_more_than_ten_fields_spread_over_several_sections() -> None:
    fields = tuple(Field(f"Label {n}", f"Value {n}") for n in range(23))
    [message] = render(Reply(text="t", sections=(Section(fields=fields),)))
    assert [len(block["fields"]) for block in message.blocks] == [10, 10, 3]


def test_more_than_25_buttons_spread_over_several_action_blocks() -> None:
    buttons = tuple(Button(f"B{n}", f"session {n}") for n in range(60))
    [message] = render(Reply(text="t", buttons=buttons))
    assert [len(block["elements"]) for block in message.blocks[1:]] == [25, 25, 10]
    ids = [e["action_id"] for block in message.blocks[1:] for e in block["elements"]]
    assert len(set(ids)) == 60


def test_button_labels_are_shortened_and_overlong_commands_left_out() -> None:
    buttons = (Button("L" * 200, "help"), Button("Too long", "x" * 2001))
    [message] = render(Reply(text="t", buttons=buttons))
    [actions] = [block for block in message.blocks if block["type"] == "actions"]
    [only] = actions["elements"]
    assert len(only["text"]["text"]) == 75
    assert only["value"] == "help"


def test_300_sections_become_messages_of_at_most_50_blocks() -> None:
    sections = tuple(Section(heading=f"Item {n}", text="t") for n in range(300))
    messages = render(Reply(text="list", sections=sections))
    assert [len(m.blocks) for m in messages] == [50] * 6
    assert messages[1].text == "(continued, part 2 of 6)"


def test_a_view_is_cut_to_100_blocks_with_a_pointer_to_the_rest() -> None:
    sections = tuple(Section(heading=f"Item {n}", text="t") for n in range(300))
    blocks = view_blocks([Reply(text="list", sections=sections)])
    assert len(blocks) == MAX_BLOCKS_PER_VIEW
    assert "`my`" in blocks[-1]["elements"][0]["text"]


def test_a_form_button_carries_the_whole_form() -> None:
    form = Form(id="f", title="T", call=Call("c"), fields=(FormField("a", "A"),))
    [message] = render(Reply(text="t", buttons=(Button("Open", "", form=form),)))
    element = message.blocks[-1]["elements"][0]
    assert element["action_id"].startswith("allybot_form_")
    assert form_from_json(element["value"]) == form


def test_typed_pings_are_escaped_in_every_part_of_a_reply() -> None:
    typed = "<!here>"
    reply = Reply(
        text=typed,
        heading=typed,
        sections=(Section(heading=typed, text=typed, fields=(Field(typed, typed),)),),
        buttons=(Button(typed, "help"),),
        context=typed,
    )
    [message] = render(reply)
    dumped = json.dumps(message.blocks) + message.text
    assert "<!here>" not in dumped
    assert dumped.count("&lt;!here&gt;") == 8


def test_an_escaped_character_is_never_cut_in_half() -> None:
    pieces = split_text(escape("x" * 2998 + "<b>"))
    assert pieces == ["x" * 2998, "&lt;b&gt;"]
