"""Reading the numbers people type: ids, counts and clock times.

Python's `str.isdigit()`, `int()` and `re`'s `\\d` accept far more than 0-9: `²` passes
`isdigit()` and then crashes `int()`; `١٢` (Arabic-Indic) and full-width `１２` become 12.
And a number can be too big for the database: ids are 32-bit signed integer columns on
PostgreSQL (`2**31` overflows) and 64-bit on SQLite. Every number a person types goes
through this module (clock times through `bot.wall_clock.parse_clock_time`, which uses it):
it takes ASCII digits only and keeps each number inside a range that is both meaningful and
storable, answering with a kind `UserError` otherwise.
"""

from __future__ import annotations

import re

from bot.errors import UserError

# The largest value of a 32-bit signed integer column (PostgreSQL `integer`, our ids).
LARGEST_ID = 2**31 - 1
# No one types a real id, count or hour with more digits than this; longer is never a number
# we know, and refusing early keeps `int()` away from pathological inputs.
_MOST_DIGITS = 10

ASCII_DIGITS = re.compile(r"[0-9]+")


def is_number(text: str) -> bool:
    """Whether `text` is a plain whole number written with ASCII digits 0-9."""
    return ASCII_DIGITS.fullmatch(text) is not None


def _shown(text: str) -> str:
    # Echo only what is short and plain, so nothing odd is repeated back.
    cleaned = text.strip()
    if cleaned and len(cleaned) <= 12 and cleaned.isprintable() and "`" not in cleaned:
        return f"`{cleaned}`"
    return "That"


def parse_id(text: str, *, what: str = "number", field: str | None = None) -> int:
    """The id in `text` (`12` or `#12`): 1 up to `LARGEST_ID`, ASCII digits only."""
    cleaned = text.strip().removeprefix("#")
    if not is_number(cleaned) or len(cleaned) > _MOST_DIGITS:
        raise UserError(f"{_shown(text)} isn't a {what} I know. Use digits, like 12.", field=field)
    value = int(cleaned)
    if not 1 <= value <= LARGEST_ID:
        raise UserError(
            f"There is no {what} {value}. Use the number I showed, like 12.", field=field
        )
    return value


def parse_count(
    text: str, low: int, high: int, *, what: str = "number", field: str | None = None
) -> int:
    """A whole number from `low` to `high` inclusive, ASCII digits only."""
    cleaned = text.strip()
    if not is_number(cleaned) or len(cleaned) > _MOST_DIGITS or not low <= int(cleaned) <= high:
        raise UserError(
            f"{what.capitalize()} should be a whole number from {low} to {high}.", field=field
        )
    return int(cleaned)
