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
    r"mentally ill|pregnant|muslim|jewish|christian|hindu|sikh|buddhist|catholic|atheist|"
    r"religious)"
)
_PERSON = (
    r"(?:manager|boss|colleague|colleagues|coworker|coworkers|co worker|teammate|teammates|"
    r"team leader|team lead|line manager|director|ceo|cfo|cto|chair|supervisor|friend|"
    r"employee|staff|people|person|guy|girl|man|woman|lady|bloke|receptionist|intern|"
    r"cleaner|new starter|new hire|head of \w+|he|she|they|him|her|them)"
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
_NETWORK = r"(?:network|netw\w+|group)s?"
_GATHERING = (
    r"(?:network|netw\w+|group|session|training|webinar|social|event|talk|workshop|course)s?"
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
    # "is my new manager in the race equality network", "is new guy in disability netwrk",
    # "tell me if my manager is in the pride network"
    re.compile(
        rf"\b(?:is|are)\s+(?:(?:my|our|the|his|her|their|that|this)\s+)?(?:\w+\s+){{0,2}}?"
        rf"{_PERSON}\s+(?:in|on|a member of|part of)\s+(?:the\s+|a\s+)?(?:\w+\s+){{0,3}}?"
        rf"{_NETWORK}\b"
    ),
    re.compile(
        rf"\b(?:if|whether)\s+(?:(?:my|our|the|his|her|their|that|this)\s+)?(?:\w+\s+){{0,2}}?"
        rf"(?:{_PERSON}\s+(?:is|are|s|has joined|joined)|hes|shes|theyre)\s+"
        rf"(?:in|on|a member of|part of)?\s*(?:the\s+|a\s+)?(?:\w+\s+){{0,3}}?{_NETWORK}\b"
    ),
    # "is anyone in my department autistic", "are any of my team gay"
    re.compile(
        rf"\b(?:is|are)\s+(?:anyone|anybody|someone|somebody|any of)\s+(?:\w+\s+){{0,4}}?"
        rf"{_IDENTITY}\b"
    ),
    # "did tom register for the webinar", "did my manager book onto the allyship training"
    re.compile(
        rf"^(?:did|has|have|is|are)\s+(?!i\b|we\b|you\b|it\b|there\b|this\b)(?:\w+\s+){{1,3}}?(?:actually\s+)?"
        rf"(?:register|registered|signup|book|booked|join|joined|attend|attended|going to|"
        rf"coming to)\b(?:\s+\w+){{0,5}}?\s+{_GATHERING}\b"
    ),
    # "has she told anyone she has a mental health condition", "has alex told the bot",
    # "has she joined the disability network"
    re.compile(
        r"\bhas\s+(?!anyone|anybody)(?:\w+\s+){0,2}?told\s+(?:anyone|anybody|the bot|you|"
        r"people|hr|everyone|the team)\b"
    ),
    re.compile(r"\b(?:has|have|did)\s+(?:he|she|they)\s+(?:joined|registered|signup)\b"),
    # "what access needs did mark put down", "what adjustments has she asked for"
    re.compile(
        r"\bwhat\s+(?:access needs|needs|adjustments|reasonable adjustments)\s+(?:did|has|have|"
        r"does|do)\s+(?!i\b|we\b|you\b)\w+"
    ),
    # "our new director uses a walking stick, is she disabled", "is he seriously ill"
    re.compile(
        rf"\b(?:is|are)\s+(?:he|she|they)\s+(?:\w+\s+)?(?:{_IDENTITY}|ill|sick|unwell)\b"
    ),
    # "how can i tell if my coworker is gay", "i think my boss is trans"; telling someone
    # that a colleague is trans ("tell my team our new hire is trans") is being outed, a
    # question the knowledge base answers.
    re.compile(
        rf"\b(?:(?:tell|know|find out|work out|guess|sure|check)\s+(?:if|whether)|"
        rf"(?:know|sure|think|suspect|wonder)(?:\s+(?:if|whether|that))?)\s+"
        rf"(?:my|our|the|his|her|their|this|that)?\s*"
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
        r"^(?:which|who|whos)\s+(?:\w+\s+){0,4}?(?:joined|registered|signed up|signup|has asked|"
        r"asked|is a member|are members)\b"
    ),
    # "who is in the pride network", "who in pride network list"
    re.compile(
        rf"^(?:who|whos|which people|which colleagues)\s+(?:is\s+|are\s+)?(?:in|on)\s+"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{_NETWORK}(?:\s+list)?$"
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

# "how many trans people work here", "what percentage of our staff are from an ethnic
# minority": figures about who people are, which the bot does not give.
_COUNTING = re.compile(r"\b(?:how many|percentage|proportion|number of)\b")
_WHO_PEOPLE_ARE = re.compile(
    rf"\b(?:{_IDENTITY}|ethnic|ethnically|black|asian|minority|minorities|muslims?|jewish)\b"
)
_PEOPLE = re.compile(r"\b(?:staff|people|employees|colleagues|workforce|work here|us)\b")
_POLITE = re.compile(r"^(?:(?:so|hey|hi|hello|please|pls|can you|could you|would you)\s+)+")


def asks_about_someone(question: str) -> bool:
    """True when the question asks who is LGBT+, disabled, or in a network or session.
    It reads the folded text, where "signed up" has become "signup"."""
    text = " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(question)).split())
    # "can you give me a list of ..." asks what "give me a list of ..." asks.
    text = _POLITE.sub("", text)
    if any(rule.search(text) for rule in _RULES):
        return True
    if all(rule.search(text) for rule in (_COUNTING, _WHO_PEOPLE_ARE, _PEOPLE)):
        return True
    named = _NAMED.search(text)
    return named is not None and named.group(1) not in _NOT_A_NAME
