"""Questions the bot must not answer: guesses about a person, or who belongs to a network.

"Is my manager gay?", "who in my team is trans?" and "which colleagues are in the pride
network?" ask the bot to out someone. No entry answers them, however well the words
match one, so they are caught before the knowledge base is searched.
"""

from __future__ import annotations

import re

from handlers.knowledge.text import fold, word_set

_IDENTITY = (
    r"(?:gay|lesbian|lesbians|bi|bisexual|pan|pansexual|queer|trans|transgender|straight|"
    r"non ?binary|nonbinary|enby|intersex|asexual|ace|lgbt\w*|homosexual|in the closet|"
    r"closeted|disabled|autistic|adhd|dyslexic|neurodivergent|deaf|blind|hiv positive|"
    r"mentally ill|pregnant)"
)
_PERSON = (
    r"(?:manager|boss|colleague|colleagues|coworker|coworkers|co worker|teammate|teammates|"
    r"team leader|team lead|line manager|director|ceo|supervisor|friend|employee|staff|"
    r"people|person|guy|girl|man|woman|lady|bloke|he|she|they|him|her|them)"
)
_NOT_A_NAME = word_set(
    """
    it this that there being saying calling using asking intersex adhd autism trans bi
    gay lesbian queer pride dyslexia neurodiversity someone anyone everyone allyship
    ethnicity race sexuality gender the a an disability disabled ally allies lgbt staff
    my our your there here everybody anybody somebody nobody equality womens
    january february march april may june july august september october november december
    today tomorrow tonight monday tuesday wednesday thursday friday saturday sunday
    """
)
# What "which ..." can ask about that is not a person: a date, a word, a network.
_NOT_PEOPLE = (
    r"(?:month|day|week|date|year|time|word|term|flag|colour|color|network|group|event|"
    r"session|entry|one)s?"
)
_MEMBERS = (
    r"(?:in|on|joined|members? of|part of|belongs? to|(?:signed up|signup) (?:to|for)|"
    r"registered (?:for|on|to)|going to|attending)"
)
_RULES = (
    # "is my manager gay", "is our new team leader a lesbian"
    re.compile(
        rf"\b(?:is|are)\s+(?:my|our|the|his|her|their|that|this)\s+(?:\w+\s+){{0,2}}?"
        rf"{_PERSON}\s+(?:a\s+|an\s+)?{_IDENTITY}\b"
    ),
    # "is the new guy in marketing gay", "is the woman from finance trans"
    re.compile(
        rf"\b(?:is|are)\s+(?:my|our|the|his|her|their|that|this)\s+(?:\w+\s+){{0,2}}?"
        rf"{_PERSON}\s+(?:in|from|on|at)\s+(?:the\s+)?\w+\s+(?:a\s+|an\s+)?"
        rf"{_IDENTITY}\b"
    ),
    # "is my new manager in the race equality network"
    re.compile(
        rf"\b(?:is|are)\s+(?:my|our|the|his|her|their|that|this)\s+(?:\w+\s+){{0,2}}?"
        rf"{_PERSON}\s+(?:in|on|a member of|part of)\s+(?:the\s+|a\s+)?(?:\w+\s+){{0,3}}?"
        rf"(?:network|group)s?\b"
    ),
    # "how can i tell if my coworker is gay", "i think my boss is trans"
    re.compile(
        rf"\b(?:tell|know|find out|work out|guess|sure|check|think|suspect|wonder)\s+"
        rf"(?:if|whether|that)?\s*(?:my|our|the|his|her|their|this|that)?\s*"
        rf"(?:\w+\s+){{0,2}}?{_PERSON}\s+(?:is|are|might be|could be)\s+(?:a\s+)?"
        rf"{_IDENTITY}\b"
    ),
    # "who in my team is trans", "which of my colleagues are gay", "who is gay in the office";
    # "which month is lgbt history month" asks about a date, not a person.
    re.compile(
        rf"^(?:so\s+)?(?:who|which)\b(?!\s+{_NOT_PEOPLE}\b)(?:\s+\w+){{0,5}}?\s+"
        rf"(?:is|are|s)\s+(?:a\s+|an\s+)?{_IDENTITY}\b"
    ),
    # "does anyone in hr have adhd", "has anyone on my team got hiv"
    re.compile(
        r"\b(?:anyone|anybody|someone|who|which)\b(?:\s+\w+){0,4}?\s+(?:have|has|got)"
        r"\s+(?:a\s+)?(?:adhd|autism|hiv|aids|dyslexia|a disability|depression)\b"
    ),
    # "which colleagues are in the pride network", "who registered for the session",
    # "list everyone in the disability network", "names of the people in ..."
    re.compile(
        rf"^(?:so\s+)?(?:which|who|list|show|tell me|give me|names?|how many)\b"
        rf"(?:\s+\w+){{0,6}}?\s+(?:people|colleagues|members|staff|everyone|who|names|"
        rf"anyone|persons?|of my|are|is|has|have)\s+(?:\w+\s+){{0,2}}?{_MEMBERS}\s+"
        rf"(?:the\s+|our\s+|a\s+)?(?:\w+\s+){{0,3}}?(?:network|group|session|training|"
        rf"webinar|social|event)s?\b"
    ),
    re.compile(
        r"^(?:which|who)\s+(?:\w+\s+){0,2}?(?:joined|registered|signed up|signup|has asked|"
        r"asked|is a member|are members)\b"
    ),
    re.compile(
        r"^(?:list|show|tell me|give me)\s+(?:\w+\s+){0,3}?(?:members|everyone|names|"
        r"people|who)\b"
    ),
    # "who is the pride network lead dating", "is my boss seeing anyone"
    re.compile(
        r"\b(?:who|whether|if|is|are)\b(?:\s+\w+){0,6}?\s+(?:dating|sleeping with|"
        r"going out with|seeing anyone|seeing someone|married to|in a relationship)\b"
    ),
)
# "is priya in the race equality network", "is sam from hr a member of the pride group"
_NAMED = re.compile(
    rf"^(?:so\s+)?is\s+([a-z]+)(?:\s+from\s+[a-z]+)?\s+(?:a\s+|an\s+|"
    rf"(?:in|on|part of|a member of)\s+(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?)?"
    rf"(?:{_IDENTITY}|network|group)\b"
)


def asks_about_someone(question: str) -> bool:
    """True when the question asks who is LGBT+, disabled, or in a network or session.
    It reads the folded text, where "signed up" has become "signup"."""
    text = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(question)).split())
    if any(rule.search(text) for rule in _RULES):
        return True
    named = _NAMED.search(text)
    return named is not None and named.group(1) not in _NOT_A_NAME
