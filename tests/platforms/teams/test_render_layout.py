"""How a reply's text, buttons and forms are laid out on a Teams card, as pure functions:
a block per line, commands in monospace, sets of at most five buttons, unique input ids,
speak text, and one-line summaries without backticks."""

from __future__ import annotations

from bot.forms import field_errors
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
from bot.platforms.teams.render import form_values, render, reply_card
from tests.support.adaptive_cards import (
    action_arrays,
    assert_reads_well,
    assert_valid_cards,
    input_ids,
    text_blocks,
    visible_texts,
    walk,
)


def test_each_line_is_its_own_block_and_paragraphs_keep_their_gap() -> None:
    card = reply_card(Reply(text="One\nTwo\n\nThree", heading="Lines"))
    blocks = text_blocks(card)[1:]
    assert [b["text"] for b in blocks] == ["One", "Two", "Three"]
    assert blocks[1]["spacing"] == "Small"  # the next line of the same paragraph
    assert "spacing" not in blocks[2]  # a new paragraph: the default gap


def test_a_command_is_shown_in_monospace_without_backticks() -> None:
    card = reply_card(Reply(text="Type `my data` to see it, or `forget me`.", heading="Data"))
    [rich] = [b for b in text_blocks(card) if b["type"] == "RichTextBlock"]
    assert rich["inlines"] == [
        {"type": "TextRun", "text": "Type "},
        {"type": "TextRun", "text": "my data", "fontType": "Monospace"},
        {"type": "TextRun", "text": " to see it, or "},
        {"type": "TextRun", "text": "forget me", "fontType": "Monospace"},
        {"type": "TextRun", "text": "."},
    ]
    assert_reads_well(card)


def test_headings_facts_and_buttons_drop_the_backticks() -> None:
    reply = Reply(
        text="x",
        heading="About `help`",
        sections=(Section(heading="Try `calendar`", fields=(Field("Shortcut", "`my`"),)),),
        buttons=(Button("Run `help`", call=Call("help")),),
    )
    texts = visible_texts(reply_card(reply))
    assert "About help" in texts and "Try calendar" in texts
    assert "Shortcut my" in texts and "Run help" in texts


def test_the_summary_and_plain_text_carry_no_backticks_or_line_breaks() -> None:
    [card] = render(Reply(text="Hello `help`\nsecond line", heading="Hi"))
    assert card.summary == "Hello help"
    assert card.card is not None and card.card["speak"] == "Hello help\nsecond line"
    [plain] = render(Reply(text="Type `networks` to see them."))
    assert plain.text == "Type networks to see them."


def test_twelve_buttons_come_in_sets_of_at_most_five_and_all_stay() -> None:
    buttons = tuple(Button(f"Cancel {n}", call=Call.of("cancel", session=n)) for n in range(12))
    for reply in (
        Reply(text="Yours", sections=(Section(heading="Sessions", buttons=buttons),)),
        Reply(text="Yours", heading="Yours", buttons=buttons),
    ):
        card = reply_card(reply)
        assert all(len(actions) <= 5 for actions in action_arrays(card))
        titles = [a["title"] for actions in action_arrays(card) for a in actions]
        assert titles == [f"Cancel {n}" for n in range(12)]
        assert_valid_cards([card])


def test_buttons_that_name_their_item_get_rows_that_show_each_name_whole() -> None:
    # Ten named Cancel buttons side by side were ten "Cancel: All…" in Teams.
    names = ["Actionable allyship: 3-hour facilitated training"] + [
        f"Allyship circle {n}" for n in range(1, 10)
    ]
    buttons = tuple(
        Button(f"Cancel: {name}", style=ButtonStyle.DANGER, call=Call.of("cancel", session=n))
        for n, name in enumerate(names)
    )
    for reply in (
        Reply(text="Yours", sections=(Section(heading="Sessions", buttons=buttons),)),
        Reply(text="Yours", heading="Yours", buttons=buttons[:4]),
    ):
        card = reply_card(reply)
        assert "actions" not in card  # four long titles are more than one row holds
        rows = [[a["title"] for a in actions] for actions in action_arrays(card)]
        assert [title for row in rows for title in row] == [
            f"Cancel: {name}" for name in names[: len(reply.all_buttons)]
        ]
        assert rows[0] == ["Cancel: Actionable allyship: 3-hour facilitated training"]
        assert all(sum(len(title) + 4 for title in row) <= 72 for row in rows if len(row) > 1)
        assert len(rows[1]) == 2
        assert_reads_well(card)
    # Short titles still share a row, and a reply's own few buttons stay the card's actions.
    card = reply_card(Reply(text="x", heading="x", buttons=buttons[1:3]))
    assert [a["title"] for a in card["actions"]] == [
        "Cancel: Allyship circle 1",
        "Cancel: Allyship circle 2",
    ]


def test_destructive_and_primary_buttons_are_styled_so_forms_too() -> None:
    form = Form("f", "Why?", (FormField("why", "Why"),), call=Call("leave"))
    reply = Reply(
        text="x",
        heading="x",
        buttons=(
            Button("Leave", call=Call("leave"), style=ButtonStyle.DANGER),
            Button("Join", call=Call("join"), style=ButtonStyle.PRIMARY),
            Button("Tell us", form=form, style=ButtonStyle.DANGER),
        ),
    )
    styles = [a.get("style") for a in reply_card(reply)["actions"]]
    assert styles == ["destructive", "positive", "destructive"]


def needs_form(session: int) -> Form:
    return Form(
        id=f"session-needs-{session}",
        title="Access needs",
        fields=(
            FormField(
                "needs", "Is there anything you need to take part?", FormFieldKind.MULTILINE
            ),
        ),
        call=Call.of("register", session=session),
    )


def test_the_same_field_in_several_forms_gets_an_id_of_its_own_and_maps_back() -> None:
    sections = tuple(
        Section(heading=f"Session {n}", buttons=(Button("With needs", form=needs_form(n)),))
        for n in (1, 2, 2)
    )
    card = reply_card(Reply(text="Sessions", sections=sections))
    ids = input_ids(card)
    assert len(ids) == len(set(ids)) == 3
    submits = [
        node["data"]
        for node in walk(card)
        if node.get("type") == "Action.Execute" and "form" in node["data"]
    ]
    # Teams sends every input of the card with the pressed form's data.
    entered = {input_id: f"value of {input_id}" for input_id in ids}
    for data, input_id in zip(submits, ids, strict=True):
        assert form_values(needs_form(1), {**data, **entered}) == {"needs": f"value of {input_id}"}
    assert_valid_cards([card])


def test_a_form_error_quotes_the_label_as_asked() -> None:
    form = needs_form(1)
    assert field_errors(form, {}) == {
        "needs": "Please fill in “Is there anything you need to take part?”"
    }
    titled = Form("t", "T", (FormField("title", "Title"),), call=Call("x"))
    assert field_errors(titled, {"title": " "}) == {"title": "Please fill in “Title”."}


def test_a_card_without_text_still_has_something_to_speak() -> None:
    invite = Button("Invite", call=Call("x"))
    card = reply_card(Reply(text="", heading="Your tasks", buttons=(invite,)))
    assert card["speak"] == "Your tasks\nInvite"
