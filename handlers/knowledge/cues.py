"""Words a question needs for an entry to be what it is about.

An awareness date answers "when" questions, and a question naming another day is not
about it; a network's own entry answers questions about that network, while how to join,
leave or reach one works the same for every network.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from handlers.knowledge.text import terms, words

if TYPE_CHECKING:
    from handlers.knowledge.entries import Entry

TIME_CUES = frozenset(
    {"when", "date", "dates", "day", "days", "week", "month", "year", "whens"}
    # Naming a month asks about what happens in it ("why is june such a big deal", "saw
    # idahobit on the intranet for may"). Tuning set: 1878 -> 1880/2020 on-topic (both
    # W1), off-topic unchanged, though "may" and "march" are ordinary words too.
    | {"january", "february", "march", "april", "may", "june", "july", "august"}
    | {"september", "october", "november", "december", "sept"}
)
NETWORK_CUES = frozenset({"network", "networks", "group", "groups", "erg", "members", "join"})
# Asking how to join, leave or reach a network, or who may join it, is about how that
# works for every network: the network's own entry only says what the network is.
HOW_NETWORKS_WORK = frozenset(
    {"join", "joining", "leave", "leaving", "contact", "talk", "lead", "leads", "only", "signup"}
    # Whether allies or anyone may be in one, and running something for one, work the
    # same for every network too. Tuning set: 1359 -> 1361/1453, off-topic unchanged.
    | {"ally", "allies", "anyone", "myself", "run", "running", "host", "hosting"}
)


def cues_of(entry: Entry) -> frozenset[str]:
    """Words the question needs for this entry to be what it is about."""
    if entry.calendar:
        return TIME_CUES
    if "network" in words(entry.title) and entry.network:
        return NETWORK_CUES
    return frozenset()


# The words every awareness date's title has, which name none of them.
_DATE_WORDS = frozenset(
    terms("international world national uk day week month awareness celebration", expand=False)
)


def name_terms(entry: Entry) -> frozenset[str]:
    """An awareness date's own name: the words of its title that name no other date."""
    if not entry.calendar:
        return frozenset()
    return frozenset(terms(entry.title)) - _DATE_WORDS


# "Transgender Day of Remembrance (TDoR)": the short name in brackets, or a title that is one
# word in capitals ("IDAHOBIT").
_SHORT_NAME = re.compile(r"\(([A-Za-z+]+)\)|^([A-Z+]{4,})$")


def short_names(entry: Entry) -> frozenset[str]:
    """An awareness date's abbreviation, which names that date and nothing else: "what is
    tdor" needs no "when", where "hiv" or "racial" are ordinary words of other questions."""
    if not entry.calendar:
        return frozenset()
    return frozenset(
        term
        for found in _SHORT_NAME.finditer(entry.title.strip())
        for term in terms(found[1] or found[2], expand=False)
    )
