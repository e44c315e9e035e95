"""How text becomes search terms, the same way for entries and questions.

Lower case, accents and apostrophes dropped, US spellings turned into UK ones, chatter
dropped ("hi", "quick question", "what is"), then each word stemmed with the Snowball
English stemmer (PyStemmer), so "apologising", "apologise" and "apologies" meet. A word
can also add the words it stands for: abbreviations (TDoR, ND, EDI) and the everyday
words people use for what an entry is about ("homophobic comments" is about
discrimination and harassment). Pure and cached: no I/O.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import Stemmer

from handlers.knowledge.phrases import PHRASE_SYNONYMS
from handlers.knowledge.vocabulary import CHAT_SPELLINGS, SPELLINGS, SYNONYMS

_STEMMER = Stemmer.Stemmer("english")


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
    how i if in into is it its just let like me mean means meaning might more
    most my need of on or our please really say she should so some someone
    something tell than thank thanks that the their them then there these they this
    those to too up us very was we were what whats when where which who whom whose
    why will with would you your yours hi hello hey hiya morning afternoon quick
    question quickly wondering wonder curious anybody describe
    define definition im ive id dont cant isnt wont whats hows wheres whos ok okay
    one thing things bit help actually basically exactly anyway um erm pls plz
    make makes made go going want wanted trying try lol tho though u ur cos
    even ever simply simple stuff thats theyre youre shes hes now went said saying
    keep take took because since best way ways tips exactly etc guess sure
    whether anything everything everyone many
    able above across after again against ago almost alone along already although
    always among another around away become becomes before behind below better
    between big both bring brought certain certainly clear clearly completely
    consider definitely done down during each early either else end enough entire
    especially every everybody fact fairly far few fine first follow front full
    fully generally give given gives giving great happen happened happens
    hardly honest honestly hope huge idea ideas instead kind kinda last late lately
    later least less lot lots mainly maybe much must myself nearly never next nice
    none nor nothing often once only other others otherwise over own part
    particular past perhaps pretty probably put quite rather seem seemed seems seen
    several soon sort still such taken though thought three through times today
    tomorrow total totally towards tried true truly turn two under unless until upon
    usually various wants well while whole within yet yesterday oops omg tbh idk
    literally totally super gonna wanna no not yes yeah nope ngl thoughts properly clue
    wat wot wht waht whta hw hwo teh abt bc pls thx ty plz wtf wth heck
    whens onto couldnt wouldnt shouldnt doesnt wasnt arent havent hasnt theres lets
    youve weve theyve youll hmm
    """
)

# Verbs that are chatter in any form: "keeps", "getting", "wanted", "tried".
CHATTER_VERBS = word_set(
    """
    keep get want go try make take give happen seem say hope wonder guess let bring put
    become consider think
    """
)

# "She told me she's bi" is someone coming out, though nobody said "coming out".
_TOLD_ME = re.compile(
    r"\b(?:told|tells|telling|confided in|opened up to)\s+(?:me|us|the team)\s+(?:that\s+)?"
    r"(?:hes|shes|theyre|he is|she is|they are|he was|she was|they were)\s+(?:\w+\s+)?"
    r"(?:gay|bi|bisexual|trans|transgender|lesbian|queer|nonbinary|pan|pansexual|asexual|ace|"
    r"genderfluid|demisexual|aromantic)\b"
)

# Someone coming out to you asks you to keep it to yourself.
_CAME_OUT_TO_ME = re.compile(r"\bcomingout out(?: as \w+(?: \w+)?)? to (?:me|us)\b")

# "Called them she" is a wrong pronoun, whatever else "calling" means.
_CALLED_PRONOUN = re.compile(
    # "Called my colleague by her old name" is a name, not a pronoun.
    r"\bcall(?:ed|ing|s)?\s+(?:him|her|them|(?:my|our|a|the|his|their)"
    r"(?:\s+(?!by\b|with\b|for\b|to\b|at\b|in\b)\w+){1,3}?)\s+"
    r"[\"\u201c]?(?:he|she|they|him|her|them|sir|madam|maam)\b"
)

# "To out someone" is outing them, not coming out. "Out" is that verb only after whoever
# does it, a modal or "to" ("i dont want to out her", "would he out me"); after any other
# verb it is part of that verb ("find out", "called out", "left out", "help out").
_OUT_SOMEONE = re.compile(
    r"\b(to|will|would|might|could|may|can|cant|wont|dont|didnt|doesnt|not|never|"
    r"accidentally|just|i|he|she|they|we|you|someone|somebody|who|people)\s+out\s+"
    r"(someone|somebody|a colleague|a coworker|a friend|them|him|her|people|anyone|me)\b"
)

# The asker telling others what a colleague is, not hearing it from them: "should i tell
# my manager that my colleague is gay" is outing them; "she told the team she is trans"
# is her coming out.
_TELLING_OTHERS = re.compile(
    r"(?:^|\b(?:i|to|we)\s+(?:\w+\s+)?)(?:tell|told|telling|let)\s+(?!me\b|us\b)(?:\w+\s+){1,3}?(?:know\s+)?(?:that\s+)?"
    r"(?:(?:my|our|a|the|this)\s+(?:\w+\s+)?(?:colleague|coworker|friend|teammate|mate|manager|"
    r"boss)|he|she|they|hes|shes|theyre)\s+(?:(?:is|are)\s+)?(?:gay|bi|bisexual|trans|transgender|"
    r"lesbian|queer|nonbinary|pan|pansexual|asexual|ace)\b"
)

# A train people catch is not training: "booking trains to leeds", "book me a train".
# "Will anyone in my team see that i registered": whether the asker's own taking part is
# visible to others, however the others and the taking part are named.
_SEEN_BY_OTHERS = re.compile(
    r"\b(?:(?:will|would|can|could|does|do|is|are)\s+(?:my\s+\w+|anyone|anybody|people|others|"
    r"everyone|colleagues|the team|hr|they|he|she)(?:\s+else)?(?:\s+(?:in|on|at)\s+(?:my|the|our)"
    r"\s+\w+)?\s+(?:get to\s+|be able to\s+|actually\s+|ever\s+)?(?:see|know|find out|be told|"
    r"notice|hear)|who\s+(?:else\s+)?(?:can|will|gets to|could)\s+(?:actually\s+|really\s+)?"
    r"(?:see|know|find out))\b"
)
_MY_TAKING_PART = re.compile(
    r"\bi\s+(?:have\s+|ve\s+|am\s+|m\s+)?(?:just\s+)?(?:joined|joind|join|registered|register|"
    r"signup|booked|book|went|attend|attended|came)\b|\bive\s+(?:joined|joind|registered|signup|"
    r"booked)\b|\bim\s+(?:in|a member|an ally|registered|booked)\b"
)
_RAIL_TRAIN = re.compile(
    r"\b(a|the|my|by|catch|catching|caught|take|took|on|book|booking|booked)\s+train\b"
    r"(?![- ]the[- ]trainer)"
)

# Words the stemmer would merge with a word of another meaning: being outed is not
# coming out.
_STEM_EXCEPTIONS: Mapping[str, str] = {
    "outed": "outing",
    "outing": "outing",
    # A performance review is not performative.
    "performative": "performative",
    # Names the stemmer would cut: ACAS is not "aca".
    "acas": "acas",
}


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word."""
    if len(word) <= 2 or word.isdigit():
        return word
    return _STEM_EXCEPTIONS.get(word) or _STEMMER.stemWord(word)


# Each phrase with what it becomes, in the table's order: a later phrase may match what an
# earlier one left ("ed&i" is read after "d&i").


def _whole_words(phrase: str) -> re.Pattern[str]:
    """A phrase matches whole words only: "came out so" is not in "came out some time ago".
    An end written as a space ("called me a ") is already a word's end."""
    before = "(?<![a-z0-9])" if phrase[0].isalnum() else ""
    after = "(?![a-z0-9])" if phrase[-1].isalnum() else ""
    return re.compile(before + re.escape(phrase) + after)


_PHRASES = tuple(
    (phrase, _whole_words(phrase), f" {replacement}")
    for phrase, replacement in PHRASE_SYNONYMS.items()
)


def _chat_spelling(found: re.Match[str]) -> str:
    return CHAT_SPELLINGS.get(found[0], found[0])


def fold(text: str) -> str:
    """Lower case, no accents or apostrophes, multi-word spellings joined."""
    text = text.lower()
    # Every question is read several times over (guard, side, ranking): typed ASCII, the
    # usual case, has no accents to take off.
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    # One space between words, so a phrase matches across a double space or a line break.
    text = " ".join(text.split())
    # Chat spellings first, so "can u do" reads as the phrase "can you do".
    text = _CHAT_WORD.sub(_chat_spelling, text)
    # Apostrophes first, so a phrase matches however its apostrophe was typed.
    text = _APOSTROPHES.sub("", text)
    for phrase, pattern, replacement in _PHRASES:
        if phrase in text:
            # No replacement has a backslash or group reference to expand.
            text = pattern.sub(replacement, text)
    text = _OUT_SOMEONE.sub(r"\1 outing \2", text)
    text = _RAIL_TRAIN.sub(r"\1 trains", text)
    if _TELLING_OTHERS.search(text):
        text += " outing"
    if _SEEN_BY_OTHERS.search(text) and _MY_TAKING_PART.search(text):
        text += " seenbyothers"
    if _TOLD_ME.search(text):
        text += " comingout"
    if _CAME_OUT_TO_ME.search(text):
        text += " confidential"
    if _CALLED_PRONOUN.search(text):
        text += " misgendering pronoun"
    return text


_NOT_PLAIN = re.compile(r"[^a-z0-9 ]+")


def plain(text: str) -> str:
    """The folded text as bare words and single spaces, so a rule written for words
    matches however the question was punctuated ("i'm-being ... harassed!")."""
    return " ".join(_NOT_PLAIN.sub(" ", fold(text)).split())


def words(text: str) -> list[str]:
    """Lower-case words with UK spelling, before stop words are dropped or stems taken."""
    return [SPELLINGS.get(word, word) for word in _WORD.findall(fold(text))]


_YEAR = re.compile(r"(?:19|20)\d\d")
_CHAT_WORD = re.compile(r"[a-z0-9]+")

# Real words one slip away from a long stop word ("round" from "around").
_NOT_SLIPS = word_set(
    """
    round noting tough lease rally tying petty manly fairy hardy ether imply leaning
    moaning whither wandering property
    """
)


@lru_cache(maxsize=1)
def _stop_slips() -> frozenset[str]:
    """One slip in a long stop word ("meanign", "actualy", "shoud", "wether"): chatter
    too. A short stop word is left out, as one slip there is often a real word ("from"
    and "form", "stuff" and "staff"); so is a letter changed in a word under seven
    letters ("having" and "saving")."""
    found: set[str] = set()
    for word in STOP_WORDS:
        if len(word) < 6:
            continue
        found.update(word[:i] + word[i + 1 :] for i in range(len(word)))
        found.update(word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
        if len(word) >= 7:
            found.update(
                word[:i] + letter + word[i + 1 :]
                for i in range(len(word))
                for letter in string.ascii_lowercase
            )
    return frozenset(slip for slip in found if len(slip) >= 5) - STOP_WORDS - _NOT_SLIPS


def meaningful(text: str) -> list[str]:
    """The words that can find an entry: `words` without the stop words, or years (the
    bot works out the next dates itself, so "BHM 2027" is about Black History Month)."""
    return meaningful_of(words(text))


def meaningful_of(found: list[str]) -> list[str]:
    """`meaningful` for words already read with `words`."""
    return [
        word
        for word in found
        if word not in STOP_WORDS
        and not _is_stop_form(word)
        and word not in _stop_slips()
        and not _YEAR.fullmatch(word)
    ]


_INFLECTED = re.compile(r"\w{2,}(?:s|ing|ed)")


@lru_cache(maxsize=1)
def _chatter_stems() -> frozenset[str]:
    return frozenset(stem(word) for word in CHATTER_VERBS)


@lru_cache(maxsize=65_536)
def _is_stop_form(word: str) -> bool:
    """Another form of a chatter verb ("keeps", "getting", "wanted") is chatter too."""
    return bool(_INFLECTED.fullmatch(word)) and stem(word) in _chatter_stems()


def spellings(text: str) -> list[str]:
    """The meaningful words and the words they stand for, as typed: what a typo can be
    corrected to ("binairy" to "binary", though "non binary" is read as one word)."""
    found = meaningful(text)
    return found + [item for word in found for item in SYNONYMS.get(word, "").split()]


@lru_cache(maxsize=16_384)
def expansion(word: str) -> tuple[str, ...]:
    """The stem of a word, then the stems of what it stands for."""
    extra = (stem(item) for item in SYNONYMS.get(word, "").split() if item not in STOP_WORDS)
    return tuple(dict.fromkeys((stem(word), *extra)))


def term_groups(text: str) -> list[tuple[str, ...]]:
    """One group per meaningful word: its stem, then the stems of what it stands for."""
    return [expansion(word) for word in meaningful(text)]


def terms(text: str, *, expand: bool = True) -> list[str]:
    """The index terms for `text`: meaningful words, stemmed, with synonyms added."""
    groups = term_groups(text)
    if not expand:
        return [group[0] for group in groups]
    return [term for group in groups for term in group]
