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


# Who the act is done to or by, and the act itself: a bare verb says too little ("i called
# hr", "i made a complaint", "i watched a webinar").
_PERSON = (
    r"(?:someone|somebody|people|them|him|her|"
    r"(?:a|an|my|our|the|this|that|another|one of|some|other) (?:\w+ )?"
    r"(?:colleagues?|coworkers?|managers?|boss|friends?|teammates?|members?|person|man|woman|"
    r"men|women|guys?|customers?|clients?|staff|team|lead|employees?|people))"
)
_ACT = (
    r"(?:(?:a|an|some|the|this|that) )?(?:\w+ )?"
    r"(?:jokes?|comments?|remarks?|slurs?|microaggressions?|harassment|bullying|abuse|racism|"
    r"sexism|homophobia|transphobia|biphobia|ableism|discrimination|banter|insults?)\b"
)
_ACTOR = re.compile(
    r"\bi (?:said|did|wrote|posted|sent) something\b"
    # "micro..." however the rest is spelt: "i made microagression".
    r"|\bi made (?:(?:a|an|some) )?(?:\w+ )?(?:jokes?|comments?|remarks?|mistakes?|assumptions?|"
    r"digs?|micro\w*)\b"
    r"|\b(?:comment|joke|remark|something|thing) i (?:made|said|did|wrote|posted|told)\b"
    # Calling someone something ("i called him sir"), not calling hr, phoning someone or
    # calling a joke out.
    rf"|\bi called {_PERSON} (?!(?:out|up|back|about|to|and|but|so|for|on|in|at|with|because|"
    r"when|after|before|today|yesterday|earlier|last|this|again|twice)\b)\w+"
    r"|\bi used (?:the wrong|a slur|an? (?:\w+ )?(?:word|term|slur|name))\b"
    # Where someone is "really" from, asked of them: "i asked where her parents are from".
    # The phrase "really from" is read as one word, "reallyfrom".
    r"|\bi asked (?:\w+ ){0,3}where (?:\w+ ){1,3}(?:really)?from\b"
    r"|\bi (?:committed|mispronounced|misgendered|joked|laughed|messed up|upset|offended|hurt|"
    r"accidentally|forgot|keep forgetting|assumed|mixed up|misnamed|deadnamed|outed)\b"
    # Getting a name or pronouns wrong, however often: "i keep getting his pronouns wrong".
    r"|\bi (?:got|get|keep getting|kept getting) (?!told\b|called\b)(?:\w+ ){0,4}wrong\b"
    # Doing it over and over, said without the "i": "kept mispronouncing her name".
    r"|^(?:i )?(?:kept|keep) (?:mispronouncing|misgendering|deadnaming|forgetting|"
    r"getting (?!told\b|called\b)(?:\w+ ){1,3}wrong)\b"
    # Joining in: "everyone laughed at the joke and i did too".
    r"|\bi (?:did|joined in) (?:too|as well|the same)\b"
    r"|\bmy (?:comment|joke|remark|mistake)\b"
    r"|\b(?:called|pulled) me (?:out|up)\b|\bi (?:was|got|am|m|im) (?:called|pulled) (?:out|up)\b"
    r"|\bim called out\b|\bwhen im called\b"
)
_WITNESS = re.compile(
    r"\b(?:witness(?:ed|ing)?|overheard|overhear(?:ing)?)\b"
    rf"|\b(?:saw|see|seen|seeing|heard|hear|hearing|watched|watch|watching|noticed|notice) "
    rf"(?:{_PERSON}|{_ACT})"
    # Someone keeps doing it to a colleague: "keeps calling our colleague she".
    r"|(?<!i )(?<!to )\bkeeps? \w+ (?:our|his|her|their|him|them|"
    r"my (?:\w+ )?(?:colleague|coworker|friend|teammate|mate))\b"
    # Someone else's remark, not about the asker: "someone made a snide comment about a
    # coworkers accent"; "a comment about my hair" is the asker's own.
    r"|\b(?:someone|somebody|he|she|they|(?:a|an|my|our|the|this|that) (?:\w+ )?(?:colleague|"
    r"coworker|manager|boss|guy|man|woman|lead|teammate|client|customer|person))"
    r" (?:(?:in|at|from|on) (?:the )?\w+ )?(?:made|said|posted|told|shared) "
    r"(?:a |an |some |the )?(?:\w+ )?(?:jokes?|comments?|remarks?)"
    r"\b(?!(?: \w+)*? (?:about|to|at) (?:me|my|how i)\b)"
    # Having stepped in for someone else is still seeing it from outside.
    r"|\bi (?:stood up for|stepped in|spoke up for|intervened|backed up|challenged)\b"
    r"|\bi called (?:it |them |him |her )?out\b"
    # Watching it happen, with nothing watched named after: "i just watched, how do i help".
    r"|\bi (?:just )?(?:watched|stood by|stood there)\b(?! (?:a|an|the|this|that|some|my|our|his|"
    r"her|their|it|videos?|films?|webinars?)\b)"
    r"|\b(?:someone|somebody|colleague|coworker|friend|teammate|they|he|she) "
    r"(?:is |are |being |getting )+(?:bullied|harassed|mocked|picked on|excluded|"
    r"misgendered|targeted|laughed at)\b"
)
_TARGET = re.compile(
    r"\b(?:i am|im|i m|i keep) (?:being|getting) (?:harassed|bullied|targeted|excluded|ignored|"
    r"mocked|picked on|left out|talked over|singled out|discriminated|misgendered|deadnamed|"
    r"outed|called|asked|told|treated|stared at|touched|followed|overlooked|passed over|"
    r"left off|cut out|(?:\w+ )?(?:grief|abuse|stick|hassle|comments|jokes|remarks|slurs|"
    r"messages))\b"
    r"|\b(?:about|for|of|from) being (?:harassed|bullied|targeted|excluded|mocked|picked on|"
    r"discriminated|misgendered|deadnamed|outed)\b"
    r"|\b(?:at me|(?:comments?|jokes?|digs?|remarks?) about me)\b"
    # Whoever calls the asker something: "someone called me a slur". Asking others to
    # "call me alex" is not it.
    r"|(?<!to )\b(?:called|calling|calls|call) me\b(?! out\b| up\b| back\b)"
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
