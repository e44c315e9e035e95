"""The parser tolerates how people type and suggests the command they meant."""

from __future__ import annotations

import pytest

from bot.parser import PhraseTable, cleaned, closest, normalise

COMMANDS = ["help", "networks", "network", "join", "sessions", "session", "my", "my data"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  HELP  ", "HELP"),
        ("/ally   networks", "networks"),
        ("/Ally join  pride", "join pride"),
        ("join \u2018pride\u2019", "join 'pride'"),
        ("ask \u201cwhat is TDoR?\u201d", 'ask "what is TDoR?"'),
        ("my\u00a0data\u200b", "my data"),
        ("network\tpride\n", "network pride"),
        ("ally vs advocate?", "ally vs advocate?"),
    ],
)
def test_normalise_folds_spaces_quotes_and_the_slash_command(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


def test_the_longest_phrase_wins_and_arguments_keep_their_case() -> None:
    table = PhraseTable(COMMANDS)
    match = table.match("My Data please")
    assert match is not None
    assert (match.phrase, match.args) == ("my data", "please")
    match = table.match("NETWORK Pride Network")
    assert match is not None
    assert (match.phrase, match.args) == ("network", "Pride Network")
    assert table.match("networking") is None


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("sesions", "sessions"), ("netwroks", "networks"), ("hlep", "help"), ("jion pride", "join")],
)
def test_a_typo_gets_the_closest_command(typed: str, suggestion: str) -> None:
    assert PhraseTable(COMMANDS).suggest(typed) == [suggestion]


def test_nonsense_gets_no_suggestion() -> None:
    assert PhraseTable(COMMANDS).suggest("xyzzy") == []


def test_closest_names_ignore_case() -> None:
    assert closest("pride netwrk", ["Pride Network", "Race Equality Network"])[0] == "Pride Network"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ask leads pride hello\x00 there", "ask leads pride hello there"),
        ("needs: captions \ud800please", "needs: captions please"),
        ("x\udfffy", "xy"),
        # Everything storable is kept: emoji (with joiners inside them), accents, RTL text.
        ("ask 🏳️‍🌈 Zoë مرحبا שלום", "ask 🏳️‍🌈 Zoë مرحبا שלום"),
    ],
)
def test_normalise_drops_what_no_database_can_store_and_keeps_the_rest(
    typed: str, expected: str
) -> None:
    cleaned = normalise(typed)
    assert cleaned == expected
    cleaned.encode("utf-8")  # would raise on a lone surrogate


def test_joiners_inside_emoji_and_words_are_kept_but_dropped_from_commands() -> None:
    assert normalise("my\u200ddata\u200c") == "mydata"
    assert normalise("ask \u200cمی\u200cخواهم") == "ask می\u200cخواهم"


def test_only_the_command_phrase_is_folded_and_the_rest_keeps_its_layout() -> None:
    table = PhraseTable(COMMANDS)
    typed = cleaned("/ally  My\t\n DATA \n line one\n\n  line  two\t \n")
    match = table.match(typed)
    assert match is not None
    assert (match.phrase, match.args) == ("my data", "line one\n\n  line  two")


def test_typed_text_keeps_its_quotes_and_lines_but_loses_what_cannot_be_stored() -> None:
    assert cleaned(" announce pride:\u201chi\u201d\r\n\tZo\u00eb\x00\x07 ") == (
        "announce pride:\u201chi\u201d\r\n\tZo\u00eb"
    )
