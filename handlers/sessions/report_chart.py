"""The numbers behind a report's chart: registrations, attendance and people trained, per
month, each either shown or suppressed by the small-number rule (`bot.small_numbers`).

The chart must reveal nothing the text report does not. So:
- a month's registrations (or attendance) are the sum of its sessions' counts, and are drawn
  only when every one of those counts is shown in the text report; a month holding a small
  count would otherwise give it away by subtraction;
- people first trained in a month are drawn only from the threshold, and since the text
  report shows the total, the suppressed months together must not add up to a small
  number either (total minus what is drawn): if they would, the smallest months drawn are
  suppressed too, until they do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.small_numbers import SmallNumbers
from storage.models import NetworkSession
from storage.repositories.registrations import PlaceCounts
from storage.statuses import SessionKind

# The chart covers at most this many months, the latest ones.
MAX_MONTHS = 24


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime, zone: tzinfo) -> Month:
        local = moment.astimezone(zone)
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def label(self) -> str:
        return datetime(self.year, self.month, 1).strftime("%b %Y")


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: a value per month, None where the rule hides it."""

    title: str
    values: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class ChartData:
    heading: str
    months: tuple[Month, ...]
    series: tuple[Series, ...]
    # The threshold, for saying what a hidden value means ("fewer than 5").
    smallest_shown: int

    @property
    def empty(self) -> bool:
        return not self.months


def _span(months: Iterable[Month]) -> tuple[Month, ...]:
    found = sorted(set(months), key=lambda m: (m.year, m.month))
    if not found:
        return ()
    span = [found[0]]
    while span[-1] != found[-1]:
        span.append(span[-1].next())
    return tuple(span[-MAX_MONTHS:])


def _session_sums(
    months: Sequence[Month],
    sessions: Sequence[NetworkSession],
    counts: Mapping[int, PlaceCounts],
    zone: tzinfo,
    shown: SmallNumbers,
    pick: str,
) -> tuple[int | None, ...]:
    totals: dict[Month, int] = {}
    hidden: set[Month] = set()
    for item in sessions:
        month = Month.of(item.starts_at, zone)
        value = getattr(counts.get(item.id) or PlaceCounts(), pick)
        totals[month] = totals.get(month, 0) + value
        if shown.is_small(value):
            hidden.add(month)
    # A month without sessions has nothing to hide: it is drawn as none.
    return tuple(None if m in hidden else totals.get(m, 0) for m in months)


def _trained(
    months: Sequence[Month],
    firsts: Sequence[datetime],
    training_months: set[Month],
    zone: tzinfo,
    shown: SmallNumbers,
) -> tuple[int | None, ...]:
    per_month: dict[Month, int] = {}
    for moment in firsts:
        month = Month.of(moment, zone)
        per_month[month] = per_month.get(month, 0) + 1
    values = [per_month.get(m, 0) for m in months]
    # A month with no training at all trains nobody by construction: that zero says nothing.
    # Any other small number is hidden, zero included, as the rule has it.
    hidden = {i for i, m in enumerate(months) if m in training_months and shown.is_small(values[i])}
    # Months before the chart's span still count towards the total the text report shows.
    outside = len(firsts) - sum(values)
    if shown.is_small(len(firsts)):
        # The text report hides the total: the chart draws no count of trained people at all.
        return tuple(None if m in training_months else 0 for m in months)
    # The total is shown, so total minus what is drawn is known: keep that from being small.
    drawn = sorted(
        (i for i in range(len(values)) if i not in hidden and values[i]), key=values.__getitem__
    )
    while (hidden or outside) and shown.is_small(outside + sum(values[i] for i in hidden)):
        if not drawn:
            break
        hidden.add(drawn.pop(0))
    return tuple(None if i in hidden else value for i, value in enumerate(values))


def chart_data(
    heading: str,
    sessions: Sequence[NetworkSession],
    counts: Mapping[int, PlaceCounts],
    first_trainings: Sequence[datetime],
    zone: tzinfo,
    shown: SmallNumbers,
) -> ChartData:
    months = _span(
        [Month.of(item.starts_at, zone) for item in sessions]
        + [Month.of(moment, zone) for moment in first_trainings]
    )
    training = {
        Month.of(item.starts_at, zone) for item in sessions if item.kind == SessionKind.TRAINING
    }

    def sums(pick: str) -> tuple[int | None, ...]:
        return _session_sums(months, sessions, counts, zone, shown, pick)

    return ChartData(
        heading=heading,
        months=months,
        series=(
            Series("Registrations", sums("registered")),
            Series("Attendance", sums("attended")),
            Series(
                "People trained (month of their first training)",
                _trained(months, first_trainings, training, zone, shown),
            ),
        ),
        smallest_shown=shown.smallest_shown,
    )
