"""Questions the bot must not answer: guesses about a person, or who belongs to a network.

"Is my manager gay?", "who in my team is trans?" and "which colleagues are in the pride
network?" ask the bot to out someone. No entry answers them, however well the words
match one, so they are caught before the knowledge base is searched.

A false decline is a dead end ("that's theirs to share"), and the worst of them would meet
someone who has just been outed ("has she told anyone i'm gay?"), someone asking whether
they may join ("are allies allowed to join the pride network?") or someone asking about a
group rather than a person ("what adjustments do autistic people need?"). So each rule
names a person, a name or a place people work, and steps aside for those questions.
"""

from __future__ import annotations

import re

from handlers.knowledge.guard_details import DETAIL_RULES
from handlers.knowledge.guard_words import (
    CONDITION,
    DET,
    GATHERING,
    IDENTITY,
    MAY,
    MEMBERS,
    NAME,
    NETWORK,
    NOT_A_PERSON_AFTER,
    NOT_PEOPLE,
    NOT_THE_LAW,
    PERSON,
    SOMEONE,
    WORKPLACE,
)
from handlers.knowledge.text import plain

_RULES = (
    # "is my manager gay", "is the new guy in marketing gay", "is the new starter hiv positive"
    re.compile(
        rf"\b(?:is|are)\s+{SOMEONE}\s+(?:a\s+|an\s+)?{IDENTITY}\b(?!\s+(?:friendly|inclusive|"
        rf"allies|ally|allied|supportive|champions?|talking|under|in law|legally))"
    ),
    re.compile(
        rf"\b(?:is|are)\s+{SOMEONE}\s+(?:in|from|on|at)\s+(?:the\s+|our\s+|my\s+)?\w+\s+(?:a\s+|"
        rf"an\s+)?"
        rf"{IDENTITY}\b(?!\s+(?:friendly|inclusive|allies|ally|allied|supportive))"
    ),
    # "is my new manager in the race equality network"
    re.compile(
        rf"\b(?:is|are)\s+{SOMEONE}\s+(?:in|on|a member of|part of)\s+(?:the\s+|a\s+)?"
        rf"(?:\w+\s+){{0,3}}?{NETWORK}\b"
    ),
    # "tell me if my manager is in the pride network", "check if tom is in the pride group"
    re.compile(
        rf"\b(?:tell|know|check|find out|see|ask)(?:\s+(?:me|us))?\s+(?:if|whether)\s+"
        rf"(?:(?:{SOMEONE}|{PERSON}|{NAME})\s+(?:is|are|s|has joined|joined)|hes|shes|theyre)"
        rf"\s+(?:in|on|a member of|part of)?\s*(?:the\s+|a\s+)?(?:\w+\s+){{0,3}}?{NETWORK}\b"
    ),
    # "is anyone in my department autistic"; not "are any of the sessions for trans people"
    re.compile(
        rf"\b(?:is|are)\s+(?:anyone|anybody|someone|somebody|any of)\s+"
        rf"(?!(?:else\s+)?who\b)(?:(?!for\b|to\b|about\b|support\b|on hand\b|who\b)\w+\s+)"
        rf"{{0,4}}?{IDENTITY}\b(?!\s+(?:themed|friendly|inclusive|covered|protected|entitled|"
        rf"allowed))"
    ),
    # "is there anyone gay in my team", "are there any trans people in our office"
    re.compile(
        rf"\b(?:is|are)\s+there\s+(?:any|anyone|anybody|someone)\s+(?:\w+\s+){{0,2}}?"
        rf"(?:{IDENTITY})\s+(?!(?:support|network|networks|group|groups|guidance|training|"
        rf"access|parking|policy|policies|resources|events?|toilets?|friendly|inclusive|"
        rf"spaces?)\b)(?:\w+\s+)?(?:in|on|at)\s+{DET}\s+{WORKPLACE}\b"
    ),
    # "did tom register for the webinar"; not "did my manager register me" or "are allies
    # allowed to join the pride network"
    re.compile(
        rf"^(?:did|has|have|is|are)\s+(?!i\b|we\b|you\b|it\b|there\b|this\b)"
        rf"(?:(?!{MAY}\b)\w+\s+){{1,3}}?(?:actually\s+|ever\s+|already\s+)?(?:register|"
        rf"registered|signup|book|booked|join|joined|attend|attended|going to|coming to)\b"
        rf"(?!\s+(?:me|us|be)\b)(?:\s+\w+){{0,5}}?\s+{GATHERING}\b"
    ),
    # "has she told anyone she has a mental health condition", "has alex told the bot
    # they're non binary"; not "has she told anyone i'm gay", which is being outed
    re.compile(
        r"\bhas\s+(?!anyone|anybody)(?:\w+\s+){0,2}?told\s+(?:anyone|anybody|the bot|you|"
        r"people|hr|everyone|the team)(?:\s+(?:else|here))?\s+(?:that\s+)?(?:he|she|they|"
        r"theyre|hes|shes)\b"
    ),
    re.compile(r"\b(?:has|have|did)\s+(?:he|she|they)\s+(?:joined|registered|signup)\b"),
    # "what access needs did mark put down"; not "what adjustments do autistic people need"
    re.compile(
        r"\bwhat\s+(?:access needs|needs|adjustments|reasonable adjustments)\s+(?:did|has)\s+"
        r"(?!i\b|we\b|you\b|the\b|disabled\b|autistic\b|deaf\b|people\b|staff\b)\w+"
    ),
    # "what did tom put for his access needs", "what disability does sam have"
    re.compile(
        r"\bwhat\s+did\s+\w+\s+(?:put|ask for|say|write|need)\s+(?:\w+\s+){0,2}?(?:his|her|"
        r"their)\s+(?:access needs|adjustments|needs)\b"
    ),
    re.compile(
        rf"\bwhat\s+(?:disability|condition|illness|diagnosis|religion|sexuality|gender)\s+"
        rf"(?:does|did|has)\s+(?:{SOMEONE}|{NAME})\s+(?:have|got|has)\b"
    ),
    # "does tom have adhd", "has my manager got depression"
    re.compile(
        rf"^{NOT_THE_LAW}(?:does|has|did)\s+(?:{SOMEONE}|{NAME})(?:\s+(?:from|in|on)\s+(?:the\s+)?\w+)?\s+"
        rf"(?:have|got|has)\s+{CONDITION}\b"
    ),
    # "she is off sick a lot, does she have a disability"
    # Not a manager asking what the law says ("does she have a disability under the act").
    re.compile(
        rf"^(?!.*\btold (?:me|us)\b).*\b(?:does|has|did)\s+(?:he|she|they)\s+(?:have|got)\s+"
        rf"(?:an?\s+|(?:some|any)\s+(?:kind|sort|type)\s+of\s+)?{CONDITION}\b"
        rf"(?!\s+(?:under|in law|legally|for|according))"
    ),
    # "has anyone in my team come out", "who has come out in finance"; not "who can i talk
    # to about coming out" or "what do i say if anyone comes out to me"
    re.compile(
        r"^(?:so\s+)?(?:has|have|did)\s+(?:anyone|anybody)\s+(?:in|on|from)\s+(?:my|our|the)?\s*"
        r"\w+(?:\s+\w+)?\s+comingout out\b(?!\s+to\s+(?:me|us|you)\b)"
    ),
    re.compile(
        r"^(?:so\s+)?(?:who|whos)\s+(?:(?:in|on|from)\s+(?:my|our|the)?\s*\w+\s+)?"
        r"(?:has|have|just)\s+comingout out\b(?!\s+to\s+(?:me|us|you)\b)"
    ),
    # "our new director uses a walking stick, is she disabled", "is he seriously ill"
    re.compile(rf"\b(?:is|are)\s+(?:he|she|they)\s+(?:\w+\s+)?{IDENTITY}\b"),
    # "how can i tell if my coworker is gay", "do you know if sarah is gay", "i think my
    # boss is trans"; telling others that a colleague is trans is being outed, a question
    # the knowledge base answers.
    re.compile(
        rf"\b(?:(?:tell|know|find out|work out|guess|sure|check|asked you|ask you)"
        rf"(?:\s+(?:me|us))?\s+(?:if|whether)|(?<!\bwants to )(?<!\bwant to )(?:sure|think|"
        rf"suspect|wonder|reckon|bet)(?:\s+(?:if|whether|that))?)\s+"
        rf"(?:(?:(?:{DET}|a|an|any)\s+)?(?:\w+\s+){{0,2}}?{PERSON}|{NAME})\s+"
        rf"(?:(?:in|on|at|from)\s+(?:the\s+)?\w+\s+)?(?:is|are|might be|could be)\s+(?:a\s+)?"
        rf"{IDENTITY}\b(?!\s+(?:friendly|inclusive|allies|ally|allied|supportive))"
    ),
    # "who in my team is trans", "which of my colleagues are gay"; not "which month is lgbt
    # history month" or "who is disabled under the law"
    re.compile(
        rf"^(?:so\s+)?(?:who|which)\b(?!\s+{NOT_PEOPLE}\b)(?:\s+(?!who\b|whose\b|if\b|when\b)"
        rf"\w+){{0,5}}?\s+"
        rf"(?:is|are|s)\s+(?:a\s+|an\s+)?{IDENTITY}\b{NOT_A_PERSON_AFTER}"
    ),
    # "does anyone in hr have adhd", "has anyone on my team got hiv"
    re.compile(
        rf"(?<!\bpeople )(?<!\bstaff )(?<!\bcolleagues )(?<!\bcolleague )(?<!\bsomeone )"
        rf"(?<!\banyone )(?<!\bemployees )(?<!\bthose )(?<!\bmanagers )\b(?:anyone|anybody|"
        rf"someone|who|which)\b(?!\s+else\b)(?:\s+(?!who\b)\w+){{0,4}}?\s+(?:have|has|got)"
        rf"\s+(?:a\s+)?{CONDITION}\b"
    ),
    # "which colleagues are in the pride network", "who is coming to the pride social",
    # "list everyone in the disability network", "names of the people in ..."
    re.compile(
        rf"^(?:so\s+)?(?!.*\b(?:committee|steering group|leadership team|chair|co chair)\b)"
        rf"(?:which|who|whos|list|show|tell me|give me|names?|how many)\b"
        rf"(?:\s+\w+){{0,6}}?\s+(?:people|colleagues|members|staff|everyone|who|names|"
        rf"anyone|persons?|of my|are|is|has|have|whos)\s+(?:\w+\s+){{0,2}}?{MEMBERS}\s+"
        rf"(?:the\s+|our\s+|a\s+)?(?:\w+\s+){{0,3}}?{GATHERING}\b"
    ),
    re.compile(
        r"^(?:which|who|whos)\s+(?:(?!i\b|me\b|we\b)\w+\s+){0,4}?(?:joined|registered|"
        r"signed up|signup|has asked|"
        r"asked|is a member|are members|attending|coming to|going to)\b(?!\s+(?:me|us|my|"
        r"see|know|read|be told|run|lead|help|find out|host|give)\b)"
    ),
    # "who's the trans person in the london office", "which of my reports have joined the
    # nd group"
    re.compile(
        rf"^(?:who|whos|which)\s+(?:is\s+)?(?:the|a)?\s*(?:\w+\s+)?{IDENTITY}\s+(?:person|"
        rf"people|guy|woman|man|one|colleague|colleagues)\s+(?:in|on|at)\b"
    ),
    re.compile(
        r"\bwhich\s+of\s+(?:my|our|the)\s+(?:\w+\s+){0,3}?(?:have|has|are|is)\s+(?:joined|"
        r"registered|signup|members?|in)\b"
    ),
    # "who is in the pride network", "who in pride network list"
    re.compile(
        r"^(?!.*\b(?:committee|steering group|leadership team|chair|co chair)\b)"
        rf"^(?:who|whos|which people|which colleagues)\s+(?:is\s+|are\s+)?(?:in|on)\s+"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{NETWORK}(?:\s+list)?"
        rf"(?:\s+(?:from|in|at)\s+(?:the\s+|my\s+|our\s+)?\w+(?:\s+\w+)?)?$"
    ),
    re.compile(
        r"^(?:list|show|tell me|give me)\s+(?:(?:me\s+)?(?:the\s+|a\s+)?(?:full\s+)?(?:list\s+)"
        r"?of\s+)?(?:the\s+|all\s+(?:the\s+)?)?(?:members|everyone|names|"
        r"people|who)\s+(?:of\s+(?:the\s+)?(?:people|members|staff)\s+)?(?:in|on|from|of|"
        r"(?:who|whos)(?:\s+(?:are|is|have|has))?\s+(?:joined|went|signup|registered|put|"
        r"attended|going|coming|members?)|who (?:are|is|have|has) (?:in|on|a member)|"
        r"joined|attending|going to|registered|signup|put|asked for|attended|went|is going|"
        r"are going)\b(?!\s+(?:the\s+)?(?:staff\s+)?networks?\b)"
    ),
    # "who is the pride network lead dating", "is my boss seeing anyone"
    re.compile(
        r"\b(?:who|whether|if|is|are)\b(?:\s+\w+){0,6}?\s+(?:dating|sleeping with|"
        r"going out with|seeing anyone|seeing someone|married to|in a relationship|in a same sex "
        r"relationship|in a gay relationship|a boyfriend or (?:a )?girlfriend)\b"
    ),
    # "is priya in the race equality network", "is alex a member of pride"
    re.compile(
        rf"^(?:so\s+)?is\s+{NAME}(?:\s+from\s+[a-z]+)?\s+(?:a\s+|an\s+|"
        rf"(?:in|on|part of|a member of)\s+(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?)?"
        rf"(?:{IDENTITY}|{NETWORK})\b"
    ),
)

# "how many trans people work here", "what percentage of our staff are from an ethnic
# minority": figures about who the people here are, which the bot does not give. Figures
# about everyone ("what percentage of people are lgbt in the uk") are another matter.
_COUNTING = re.compile(
    r"^(?!.*\b(?:target|targets|improve|increase|action plan|representation|gap|benchmark)\b)"
    r".*\b(?:how many|percentage|proportion|number of)\b(?!\s+(?:sessions|events|networks))"
)
_WHO_PEOPLE_ARE = re.compile(
    rf"\b(?:{IDENTITY}|ethnic|ethnically|black|asian|minority|minorities|muslims?|jewish)\b"
)
_HERE = re.compile(rf"\b(?:here|our|we|us|(?:my|this|the)\s+{WORKPLACE})\b")
_ASKED_OF_ME = re.compile(
    r"\b(?:(?:asking|askin|asked|asks|quizzing|pressing)\s+me\s+(?:if|whether|about|why|what|"
    r"who)|wants?\s+to\s+know\s+(?:if|whether))\b"
)
# How to handle being asked, not how to find out: "help me find out" is still a guess.
_WHAT_DO_I = re.compile(
    r"^(?!.*\b(?:find out|work out|confirm|tell me if|tell me whether)\b).*\b(?:(?:how|what) "
    r"(?:do|should|can|could) i|should i|what do i say|handle it|deal with it|respond|"
    r"shut it down)\b"
)
_POLITE = re.compile(r"^(?:(?:so|hey|hi|hello|please|pls|can you|could you|would you)\s+)+")


def asks_about_someone(question: str) -> bool:
    """True when the question asks who is LGBT+, disabled, or in a network or session.
    It reads the folded text, where "signed up" has become "signup"."""
    text = plain(question)
    # "can you give me a list of ..." asks what "give me a list of ..." asks.
    text = _POLITE.sub("", text)
    # "someone keeps asking me if shes seeing anyone, how do i handle it": the asker is
    # the one being asked, and wants to keep a confidence.
    if _ASKED_OF_ME.search(text) and _WHAT_DO_I.search(text):
        return False
    if any(rule.search(text) for rule in _RULES) or any(rule.search(text) for rule in DETAIL_RULES):
        return True
    return all(rule.search(text) for rule in (_COUNTING, _WHO_PEOPLE_ARE, _HERE))
