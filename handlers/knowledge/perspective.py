"""Who did what in a situation: the asker did it, saw it, or had it done to them.

Neighbouring entries often differ only in this: "if you made a microaggression", "if you
witness one" and "microaggressions" (what they are, mostly asked by whoever is on the
receiving end); "being an active bystander" and "reporting harassment". The same reading
of an entry's own title and questions ("what should i do if i witness ...", "i'm being
harassed at work") says which side each entry is written for, so a question read the
same way can prefer the entry written for its side. Pure: no I/O.
"""

from __future__ import annotations

import re
from enum import StrEnum

from handlers.knowledge.text import plain


class Side(StrEnum):
    # The asker did it: "i made a joke about her accent", "i was called out".
    ACTOR = "actor"
    # The asker saw or heard it done to someone else.
    WITNESS = "witness"
    # It was done to the asker: "keeps mimicking my accent", "i'm being harassed".
    TARGET = "target"


_ACTOR = re.compile(
    r"\bi (?:said something|made|did|called|asked|committed|mispronounced|misgendered|used|"
    r"joked|laughed|messed|upset|offended|hurt|got (?:\w+ ){0,2}wrong|accidentally|forgot|"
    r"keep forgetting|assumed|mixed up|misnamed|deadnamed|outed)\b"
    r"|\bmy (?:comment|joke|remark|mistake)\b"
    r"|\b(?:called|pulled) me (?:out|up)\b|\bi (?:was|got|am|m|im) (?:called|pulled) (?:out|up)\b"
    r"|\bim called out\b|\bwhen im called\b"
)
_WITNESS = re.compile(
    r"\bi (?:saw|heard|overheard|overhear|watched|witness\w*|noticed)\b"
    r"|\bi (?:see|hear|notice) (?:someone|somebody|a|an|colleague|people|them|him|her)\b"
    # Someone keeps doing it to a colleague: "keeps calling our colleague she".
    r"|(?<!i )(?<!to )\bkeeps? \w+ (?:our|his|her|their|him|them|"
    r"my (?:\w+ )?(?:colleague|coworker|friend|teammate|mate))\b"
    # Having stepped in for someone else is still seeing it from outside.
    r"|\bi (?:stood up for|stepped in|spoke up for|intervened|backed up)\b"
    r"|\b(?:saw|heard|overheard|watched|witnessed)\b"
    r"|\b(?:someone|somebody|colleague|coworker|friend|teammate|they|he|she) "
    r"(?:is |are |being |getting )+(?:bullied|harassed|mocked|picked on|excluded|"
    r"misgendered|targeted|laughed at)\b"
)
_TARGET = re.compile(
    r"\b(?:i am|im|i m|i keep) (?:being|getting) \w+"
    r"|\b(?:at me|(?:comments?|jokes?|digs?|remarks?) about me)\b"
    r"|\bmy (?:accent|sexuality|hair|religion|faith|dyslexia|race|skin|weight|appearance)\b"
    r"|\bmy name wrong\b"
    r"|(?<!i )(?<!to )\bkeeps? \w+ (?:me\b|(?:\w+ )?(?:about|at|on) (?:me|my)\b)"
    r"|\bi (?:was|got|am|m|have been|ve been) (?:being )?(?:harassed|bullied|targeted|excluded|"
    r"mocked|picked on|discriminated|misgendered|deadnamed|outed|called)\b"
)


def side(text: str) -> Side | None:
    """The side the asker is on, or None when the text does not say. Having done it
    decides, however the asker then felt ("they wont talk to me")."""
    folded = plain(text)
    if _ACTOR.search(folded):
        return Side.ACTOR
    if _WITNESS.search(folded):
        return Side.WITNESS
    if _TARGET.search(folded):
        return Side.TARGET
    return None


def sides(texts: tuple[str, ...]) -> frozenset[Side]:
    """The sides an entry's phrasings are written for."""
    return frozenset(found for text in texts if (found := side(text)) is not None)
