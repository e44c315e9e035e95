"""Where a post's text starts in what a lead typed, and what it may hold."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from handlers.text_checks import MAX_TEXT, check_text, split_text


def test_the_text_starts_at_the_first_colon_outside_a_time() -> None:
    assert split_text("pride on 1 Dec 09:00: Hello: all") == ("pride on 1 Dec 09:00", "Hello: all")
    assert split_text("pride every monday 09:00") == ("pride every monday 09:00", "")


def test_a_post_is_trimmed_and_kept_otherwise() -> None:
    assert check_text("  Bring a friend & a snack \n") == "Bring a friend & a snack"


@pytest.mark.parametrize("text", ["", "   ", "@channel hi", "hello @HERE", "<!everyone> hi"])
def test_empty_posts_and_mass_mentions_are_refused(text: str) -> None:
    with pytest.raises(UserError):
        check_text(text)


def test_a_post_longer_than_the_limit_is_refused_with_its_length() -> None:
    with pytest.raises(UserError, match=f"{MAX_TEXT + 1:,} characters"):
        check_text("x" * (MAX_TEXT + 1))
    assert check_text("x" * MAX_TEXT) == "x" * MAX_TEXT
