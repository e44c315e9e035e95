"""The one rule for showing counts of people, ratings and places.

Membership of a network, a place at a session, a breakout-room pick and a rating can each
reveal something sensitive, and a small exact number can point at the colleague behind it.
Every count shown to anyone other than a network's leads in their own private working
lists is worded here, from one threshold (`[privacy] smallest_count_shown`, default 5):

- below it a count reads "fewer than 5" — zero included. "none" names nobody on its own,
  but the change from "none" to "fewer than 5" happens at the moment the first person joins,
  registers, picks or rates, and that moment can be matched to the one colleague seen doing
  it. So zero is a small number like any other, and nothing moves until the threshold.
- an average of ratings is shown only from that many ratings: one rating's "average" is
  that person's rating.
- places are shown in bands, because an exact "18 of 20 left" changes with each registration
  and shows it as it happens (see `Places`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_SMALLEST_COUNT_SHOWN = 5
# `[privacy] smallest_count_shown`: default, least, most. A threshold of 1 would show every
# count exactly; 2 is the least that hides anything.
SMALLEST_COUNT_SHOWN = (DEFAULT_SMALLEST_COUNT_SHOWN, 2, 100)


class Places(StrEnum):
    """How full a session or a room looks to everyone.

    The band changes only twice: when at least `smallest` people have places and fewer than
    `smallest` are left ("a few places left"), and when none are left ("full"). So a band
    never says that a small number of people have places, unless every place is taken:
    "full" must be said, and with a capacity below the threshold it tells how many hold one.
    """

    # Each reads after "Places: ", as in a session's details.
    NO_LIMIT = "no limit"
    AVAILABLE = "available"
    FEW = "a few left"
    FULL = "full"

    @property
    def phrase(self) -> str:
        """On its own, as in a room's line: "places available", "a few places left"."""
        return {Places.AVAILABLE: "places available", Places.FEW: "a few places left"}.get(
            self, self.value
        )


@dataclass(frozen=True, slots=True)
class SmallNumbers:
    """Counts as people may see them. One per deployment, from the configuration."""

    smallest_shown: int = DEFAULT_SMALLEST_COUNT_SHOWN

    def count(self, count: int) -> str:
        """The rule itself: every other wording here goes through it."""
        if count < self.smallest_shown:
            return f"fewer than {self.smallest_shown}"
        return f"{count:,}"

    def is_small(self, count: int) -> bool:
        return count < self.smallest_shown

    def people(self, count: int) -> str:
        """People counted: "fewer than 5 people" or "12 people"."""
        return f"{self.count(count)} people"

    def ratings(self, average: float | None, count: int) -> str:
        """An average of 1–5 ratings, or why it is not shown yet."""
        if average is None or self.is_small(count):
            return f"ratings are shown from {self.smallest_shown} onwards"
        return f"{average:.1f}/5 from {self.count(count)} ratings"

    def places(self, capacity: int | None, taken: int) -> Places:
        if capacity is None:
            return Places.NO_LIMIT
        left = capacity - taken
        if left <= 0:
            return Places.FULL
        if self.is_small(left) and not self.is_small(taken):
            return Places.FEW
        return Places.AVAILABLE
