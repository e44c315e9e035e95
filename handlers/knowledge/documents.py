"""What the ranking knows of one entry: its weighted terms, phrasings, cues and sides.

Worked out once per entry and kept (`document_of`), since an entry's document is pure and
every application builds its index; questions are never cached, as they are people's
words. `handlers.knowledge.ranking` builds its index from these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from handlers.knowledge.cues import cues_of, name_terms, short_names
from handlers.knowledge.perspective import Side, sides
from handlers.knowledge.text import meaningful_of, spellings, stem, terms, words

if TYPE_CHECKING:
    from handlers.knowledge.entries import Entry

# Title words count double; an entry's answer counts for less than its title, questions
# and keywords (see `handlers.knowledge.ranking`).
TITLE_WEIGHT = 2.0
ANSWER_WEIGHT = 0.2


@dataclass(slots=True)
class Document:
    entry: Entry
    weights: dict[str, float]
    length: float
    phrasings: tuple[str, ...]
    # The keywords as stemmed phrasings: a one-word question naming a keyword only this
    # entry has is about the entry.
    keyword_phrasings: frozenset[str]
    key_terms: frozenset[str]
    wordings: tuple[str, ...]
    # Words the question needs for this entry to be what it is about: an awareness date
    # answers "when" questions, a network's entry questions about the network.
    cues: frozenset[str]
    # An awareness date's own name ("women", "disabilities" in a day's title): a question
    # naming another day ("international women's day") is not about this one.
    name_terms: frozenset[str]
    # Its abbreviation ("tdor"), which names it alone.
    short_names: frozenset[str]
    # The sides of a situation the entry's title and questions are written for.
    sides: frozenset[Side]


def phrasing(found: list[str]) -> str:
    """The meaningful words, stemmed, for comparing how a question reads with a phrasing."""
    return " ".join(stem(word) for word in meaningful_of(found))


def wording_of(found: list[str]) -> str:
    return " ".join(stem(word) for word in found)


# Every application builds its index (tests build hundreds), and an entry's document is
# pure: each is worked out once per process. Questions are never cached: they are
# people's words.
@lru_cache(maxsize=4096)
def document_of(entry: Entry) -> Document:
    weights: defaultdict[str, float] = defaultdict(float)
    for term in terms(entry.title):
        weights[term] += TITLE_WEIGHT
    for text in (*entry.questions, *entry.keywords, entry.id.replace("-", " ")):
        for term in terms(text):
            weights[term] += 1.0
    key_terms = frozenset(weights)
    for term in terms(entry.answer, expand=False):
        weights[term] += ANSWER_WEIGHT
    phrasings = tuple(phrasing(words(text)) for text in (entry.title, *entry.questions))
    return Document(
        entry=entry,
        weights=dict(weights),
        length=sum(weights.values()),
        phrasings=tuple(phrase for phrase in phrasings if phrase),
        keyword_phrasings=frozenset(phrasing(words(text)) for text in entry.keywords),
        key_terms=key_terms,
        wordings=tuple(wording_of(words(text)) for text in (entry.title, *entry.questions)),
        cues=cues_of(entry),
        name_terms=name_terms(entry),
        short_names=short_names(entry),
        sides=sides((entry.title, *entry.questions)),
    )


@lru_cache(maxsize=4096)
def spelled_in(entry: Entry) -> frozenset[str]:
    """The words the entry spells out, candidates for correcting a typo."""
    texts = (entry.title, entry.answer, *entry.questions, *entry.keywords)
    return frozenset(word for text in texts for word in spellings(text) if not word.isdigit())
