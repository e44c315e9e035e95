"""The knowledge base and how a question finds its entry. Pure: no I/O, no database.

How ranking works, in four steps anyone can check by hand:

1. Words are normalised the same way for entries and questions: lower case, no
   punctuation, US spellings turned into UK ones, simple plurals and word endings
   trimmed ("microaggressions" -> "microaggression"), and chatter dropped ("hi",
   "quick question", "what is").
2. Abbreviations and synonyms add the words they stand for (TDoR -> transgender day
   of remembrance, ND -> neurodivergent, LGBTQ+ -> lgbt). A word the knowledge base
   has never seen is replaced by the closest word it has (rapidfuzz), which fixes
   most typos ("alyship" -> "allyship").
3. BM25 scores each entry over its title, questions and keywords, with its answer
   counting for less (`ANSWER_WEIGHT`).
4. The best few are re-ranked with how closely the question reads like one of the
   entry's own phrasings. The answer is given only when the best entry scores well
   AND covers most of the question's words; otherwise the bot says it is not sure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

KINDS = ("answer", "term", "resource")

# BM25 parameters: the usual defaults.
K1 = 1.2
B = 0.75
ANSWER_WEIGHT = 0.3
TITLE_WEIGHT = 2.0
RERANK = 8

# Confidence: tuned on tests/eval_questions.toml and kept round on purpose.
MIN_COVERAGE = 0.5
MIN_SCORE = 3.0
MIN_SIMILARITY = 50.0
STRONG_SCORE = 10.0
MIN_SIMILARITY_ALONE = 80.0


def word_set(text: str) -> frozenset[str]:
    """Words separated by white space, for writing long word lists readably."""
    return frozenset(text.split())


_APOSTROPHES = re.compile(r"['\u2019`]")
_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for finding an entry: question words, chatter, fillers.
STOP_WORDS = word_set(
    """
    a about all also am an and any anyone are as at be been being but by can could
    did do does doing for from get got had has have having he her here hers him his
    how i if in into is it its just know let like me mean means meaning might more
    most my need of on or our out please really say she should so some someone
    something tell than thank thanks that the their them then there these they this
    those to too up us very was we were what whats when where which who whom whose
    why will with would you your yours hi hello hey hiya morning afternoon quick
    question quickly wondering wonder curious anybody explain describe
    define definition im ive id dont cant isnt wont whats hows wheres whos ok okay
    one thing things bit help actually basically exactly anyway um erm pls plz
    make makes made go going want wanted trying try
    """
)

# US and other spellings people type, mapped to the UK spelling the content uses.
SPELLINGS: Mapping[str, str] = {
    "color": "colour",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "center": "centre",
    "centering": "centring",
    "centered": "centred",
    "apologize": "apologise",
    "apologizing": "apologising",
    "recognize": "recognise",
    "organize": "organise",
    "organization": "organisation",
    "organizations": "organisations",
    "organizer": "organiser",
    "organizers": "organisers",
    "program": "programme",
    "programs": "programmes",
    "favor": "favour",
    "honor": "honour",
    "labor": "labour",
    "neighbor": "neighbour",
    "license": "licence",
    "defense": "defence",
    "offense": "offence",
    "offensive": "offensive",
    "judgment": "judgement",
    "minoritized": "minoritised",
    "marginalized": "marginalised",
    "normalized": "normalised",
    "prioritize": "prioritise",
    "signaling": "signalling",
    "traveling": "travelling",
    "enroll": "enrol",
    "biases": "bias",
    "enrollment": "enrolment",
}

# Abbreviations and synonyms: the key adds these words to the question (and to entries).
SYNONYMS: Mapping[str, str] = {
    "tdor": "transgender day remembrance",
    "taw": "trans awareness week",
    "tdov": "trans day visibility",
    "idahobit": "international day against homophobia biphobia transphobia",
    "idahobt": "international day against homophobia biphobia transphobia",
    "lgbt": "lgbt",
    "lgbtq": "lgbt",
    "lgbtqi": "lgbt",
    "lgbtqia": "lgbt",
    "lgbtqiap": "lgbt",
    "lgb": "lgbt",
    "glbt": "lgbt",
    "queer": "lgbt",
    "nd": "neurodivergent neurodiversity",
    "neurodivergent": "neurodiversity",
    "neurodiverse": "neurodiversity",
    "nt": "neurotypical",
    "adhd": "adhd",
    "asd": "autism autistic",
    "autistic": "autism",
    "bhm": "black history month",
    "ukdhm": "uk disability history month",
    "dhm": "disability history month",
    "ncw": "neurodiversity celebration week",
    "mhaw": "mental health awareness week",
    "idpd": "international day persons disabilities",
    "edi": "equality diversity inclusion",
    "dei": "equality diversity inclusion edi",
    "ded": "equality diversity inclusion edi",
    "ed&i": "equality diversity inclusion edi",
    "d&i": "equality diversity inclusion edi",
    "bame": "ethnically minoritised",
    "bme": "ethnically minoritised",
    "poc": "ethnically minoritised",
    "erg": "staff network",
    "brg": "staff network",
    "trans": "transgender",
    "transgender": "trans",
    "nonbinary": "non binary",
    "enby": "non binary",
    "nb": "non binary",
    "webinar": "session recording",
    "recording": "recordings",
    "video": "recording",
    "gdpr": "privacy data",
    "privacy": "data",
    "hr": "human resources",
    "wheelchair": "disability",
}

_PHRASE_SYNONYMS: Mapping[str, str] = {
    "lgbtq+": "lgbt",
    "lgbt+": "lgbt",
    "lgbtqia+": "lgbt",
    "lgbtqia2s+": "lgbt",
    "2slgbtqia+": "lgbt",
    "d&i": "edi",
    "ed&i": "edi",
    "non-binary": "nonbinary",
    "non binary": "nonbinary",
    "e-mail": "email",
}


def _stem(word: str) -> str:
    """Trim simple English endings so word forms meet: a light stemmer, same for both sides."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ches", "ch", 5),
        ("shes", "sh", 5),
        ("xes", "x", 4),
        ("ness", "", 7),
        ("ing", "", 6),
        ("ed", "", 5),
        ("ly", "", 6),
        ("s", "", 4),
    ):
        if suffix == "s" and word[-2] in "usi":
            continue
        if word.endswith(suffix) and len(word) >= min_len and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + replacement
            break
    # "dropped" -> "dropp" -> "drop"; "running" -> "runn" -> "run".
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    for phrase, replacement in _PHRASE_SYNONYMS.items():
        text = text.replace(phrase, f" {replacement} ")
    return _APOSTROPHES.sub("", text)


def words(text: str) -> list[str]:
    """Lower-case words with UK spelling, before stop words are dropped or endings trimmed."""
    return [SPELLINGS.get(word, word) for word in _WORD.findall(_fold(text))]


def term_groups(text: str) -> list[tuple[str, ...]]:
    """One group per meaningful word: its stem, then the stems of what it stands for."""
    groups: list[tuple[str, ...]] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        extra = SYNONYMS.get(word, "").split()
        groups.append((_stem(word), *(_stem(item) for item in extra if item not in STOP_WORDS)))
    return groups


def terms(text: str, *, expand: bool = True) -> list[str]:
    """The index terms for `text`: meaningful words, stemmed, with synonyms added."""
    groups = term_groups(text)
    if not expand:
        return [group[0] for group in groups]
    return [term for group in groups for term in group]


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    kind: str
    title: str
    answer: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    calendar: str = ""
    network: str = ""
    url: str = ""
    # Added or changed by a lead in chat, rather than shipped.
    local: bool = False


class KnowledgeFormatError(ValueError):
    pass


def _strings(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
        raise KnowledgeFormatError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def parse_entries(document: Mapping[str, Any]) -> tuple[Entry, ...]:
    """Typed entries from a parsed `knowledge.toml` (the `[[entry]]` tables)."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, item in enumerate(document.get("entry", [])):
        where = f"knowledge entry {item.get('id', index)!s}"
        entry_id = str(item.get("id", "")).strip()
        if not entry_id or entry_id in seen:
            raise KnowledgeFormatError(f"{where}: `id` must be present and unique")
        kind = str(item.get("kind", "answer"))
        if kind not in KINDS:
            raise KnowledgeFormatError(f"{where}: `kind` must be one of {', '.join(KINDS)}")
        seen.add(entry_id)
        entries.append(
            Entry(
                id=entry_id,
                kind=kind,
                title=str(item["title"]).strip(),
                answer=" ".join(str(item.get("answer", "")).split()),
                questions=_strings(item, "questions", where),
                keywords=_strings(item, "keywords", where),
                related=_strings(item, "related", where),
                calendar=str(item.get("calendar", "")),
                network=str(item.get("network", "")),
                url=str(item.get("url", "")),
            )
        )
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float
    similarity: float
    coverage: float


@dataclass(frozen=True, slots=True)
class Result:
    """The ranked entries for one question, and whether the first is good enough to answer."""

    hits: tuple[Hit, ...]
    confident: bool
    known_terms: int

    @property
    def best(self) -> Entry | None:
        return self.hits[0].entry if self.confident and self.hits else None

    def nearest(self, limit: int = 3) -> tuple[Entry, ...]:
        return tuple(hit.entry for hit in self.hits[:limit])


@dataclass(slots=True)
class _Document:
    entry: Entry
    weights: dict[str, float]
    length: float
    phrasings: tuple[str, ...]


@dataclass(slots=True)
class KnowledgeIndex:
    """BM25 over entries, with typo correction. Build once; `search` is read-only."""

    entries: tuple[Entry, ...]
    _documents: list[_Document] = field(default_factory=list)
    _postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _idf: dict[str, float] = field(default_factory=dict)
    _vocabulary: list[str] = field(default_factory=list)
    _corrections: dict[str, str | None] = field(default_factory=dict)
    _by_id: dict[str, Entry] = field(default_factory=dict)
    _average_length: float = 1.0
    _max_idf: float = 1.0

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> KnowledgeIndex:
        index = cls(entries=tuple(entries))
        index._build()
        return index

    def _build(self) -> None:
        for position, entry in enumerate(self.entries):
            weights: Counter[str] = Counter()
            for term in terms(entry.title):
                weights[term] += TITLE_WEIGHT
            for text in (*entry.questions, *entry.keywords, entry.id.replace("-", " ")):
                for term in terms(text):
                    weights[term] += 1.0
            for term in terms(entry.answer, expand=False):
                weights[term] += ANSWER_WEIGHT
            phrasings = tuple(
                " ".join(terms(text, expand=False)) for text in (entry.title, *entry.questions)
            )
            document = _Document(
                entry=entry,
                weights=dict(weights),
                length=sum(weights.values()),
                phrasings=tuple(phrase for phrase in phrasings if phrase),
            )
            self._documents.append(document)
            self._by_id[entry.id] = entry
            for term, weight in document.weights.items():
                self._postings.setdefault(term, []).append((position, weight))
        count = len(self._documents) or 1
        self._average_length = sum(doc.length for doc in self._documents) / count or 1.0
        for term, postings in self._postings.items():
            frequency = len(postings)
            self._idf[term] = math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
        self._vocabulary = sorted(self._postings)
        self._max_idf = max(self._idf.values(), default=1.0)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def _correct(self, term: str) -> str | None:
        """A known term for an unknown one: the closest spelling, when it is close enough."""
        if term in self._postings:
            return term
        if term in self._corrections:
            return self._corrections[term]
        corrected: str | None = None
        if len(term) >= 4 and not term.isdigit():
            cutoff = 80.0 if len(term) >= 7 else 84.0
            found = process.extractOne(
                term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is not None:
                corrected = found[0]
        if len(self._corrections) < 10_000:
            self._corrections[term] = corrected
        return corrected

    def search(self, question: str, limit: int = 5) -> Result:
        groups: list[set[str]] = []
        for group in dict.fromkeys(term_groups(question)):
            corrected = (self._correct(term) for term in group)
            groups.append({term for term in corrected if term is not None})
        query = list(dict.fromkeys(term for group in groups for term in sorted(group)))
        if not query:
            return Result(hits=(), confident=False, known_terms=0)
        # Coverage: how much of what was typed an entry explains. Each typed word weighs
        # its rarity; a word the knowledge base has never seen weighs as much as the
        # rarest one, because it is likely what the question is really about.
        weights = [
            max((self._idf[term] for term in group), default=self._max_idf) for group in groups
        ]
        total_weight = sum(weights)
        scores: dict[int, float] = {}
        matched: dict[int, set[str]] = {}
        for term in query:
            idf = self._idf[term]
            for position, weight in self._postings[term]:
                length = self._documents[position].length
                norm = (
                    weight * (K1 + 1) / (weight + K1 * (1 - B + B * length / self._average_length))
                )
                scores[position] = scores.get(position, 0.0) + idf * norm
                matched.setdefault(position, set()).add(term)
        top = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:RERANK]
        phrase = " ".join(terms(question, expand=False))
        hits: list[Hit] = []
        for position, score in top:
            document = self._documents[position]
            similarity = max(
                (fuzz.token_sort_ratio(phrase, candidate) for candidate in document.phrasings),
                default=0.0,
            )
            covered = sum(
                weight
                for group, weight in zip(groups, weights, strict=True)
                if group & matched[position]
            )
            coverage = covered / total_weight if total_weight else 0.0
            hits.append(Hit(document.entry, score, similarity, coverage))
        hits.sort(key=lambda hit: (-(hit.score * (0.5 + hit.similarity / 100)), hit.entry.id))
        best = hits[0]
        # Confident: most of the question is covered, and the entry either matches it
        # strongly on words or reads like one of its own phrasings.
        strong = best.score >= STRONG_SCORE or best.similarity >= MIN_SIMILARITY
        confident = best.coverage >= MIN_COVERAGE and (
            (best.score >= MIN_SCORE and strong) or best.similarity >= MIN_SIMILARITY_ALONE
        )
        return Result(hits=tuple(hits[:limit]), confident=confident, known_terms=len(query))
