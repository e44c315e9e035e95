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

from handlers.knowledge.text import plain, word_set

_IDENTITY = (
    r"(?:gay|lesbian|lesbians|bi|bisexual|pan|pansexual|queer|trans|transgender|straight|"
    r"non ?binary|nonbinary|enby|intersex|asexual|ace|lgbt\w*|homosexual|in the closet|"
    r"closeted|disabled|autistic|adhd|dyslexic|neurodivergent|deaf|blind|hiv positive|"
    r"mentally ill|pregnant|muslim|jewish|christian|hindu|sikh|buddhist|catholic|atheist|"
    r"religious)"
)
_CONDITION = (
    r"(?:adhd|autism|hiv|aids|dyslexia|a disability|disability|depression|cancer|"
    r"a mental health condition|mental health problems?)"
)
_PERSON = (
    r"(?:manager|boss|colleague|colleagues|coworker|coworkers|co worker|teammate|teammates|"
    r"team leader|team lead|line manager|director|ceo|cfo|cto|chair|supervisor|friend|"
    r"employee|staff|people|person|guy|girl|man|woman|lady|bloke|receptionist|intern|"
    r"cleaner|new starter|new hire|head of \w+|he|she|they|him|her|them)"
)
# "my manager", "the new guy in marketing": a determiner makes it someone in particular,
# where "trans people" or "allies" is a group.
_DET = r"(?:my|our|the|his|her|their|that|this)"
_SOMEONE = rf"(?:{_DET}\s+(?:\w+\s+){{0,2}}?{_PERSON})"
_NOT_A_NAME = word_set(
    """
    it this that there being saying calling using asking intersex adhd autism trans bi
    gay lesbian queer pride dyslexia neurodiversity someone anyone everyone allyship
    ethnicity race sexuality gender the a an disability disabled ally allies lgbt staff
    my our your there here everybody anybody somebody nobody equality womens i we you me
    he she they people men women managers
    january february march april may june july august september october november december
    today tomorrow tonight monday tuesday wednesday thursday friday saturday sunday
    ramadan eid diwali christmas hanukkah passover vaisakhi easter islam judaism sikhism
    """
)
# A first name: one word that is none of the words above ("tom", "priya").
_NAME = rf"(?:(?!(?:{'|'.join(sorted(_NOT_A_NAME))})\b)[a-z]+)"
# What "which ..." or "who is ..." can ask about that is not a person: a date, a word.
_NOT_PEOPLE = (
    r"(?:month|day|week|date|year|time|word|term|flag|colour|color|network|group|event|"
    r"session|entry|one)s?"
)
# "who is bi visibility day for", "who is disabled under the law": the day or the law.
_NOT_A_PERSON_AFTER = r"(?!\s+(?:visibility|awareness|history|pride|day|week|month|under|by law))"
_NETWORK = r"(?:network|netw\w+|group|pride)s?"
_GATHERING = (
    r"(?:network|netw\w+|group|session|training|webinar|social|event|talk|workshop|course)s?"
)
_MEMBERS = (
    r"(?:in|on|joined|members? of|part of|belongs? to|(?:signed up|signup) (?:to|for)|"
    r"registered (?:for|on|to)|going to|coming to|attending|booked (?:on|onto|for))"
)
# Whether people may join or come is how a network works, not who is in it.
_MAY = r"(?:allowed|able|welcome|meant|supposed|permitted|eligible|free)"
_WORKPLACE = (
    r"(?:team|department|office|floor|company|organisation|workplace|building|division|unit|"
    r"branch)"
)
_RULES = (
    # "is my manager gay", "is the new guy in marketing gay", "is the new starter hiv positive"
    re.compile(rf"\b(?:is|are)\s+{_SOMEONE}\s+(?:a\s+|an\s+)?{_IDENTITY}\b"),
    re.compile(
        rf"\b(?:is|are)\s+{_SOMEONE}\s+(?:in|from|on|at)\s+(?:the\s+|our\s+|my\s+)?\w+\s+(?:a\s+|an\s+)?"
        rf"{_IDENTITY}\b"
    ),
    # "is my new manager in the race equality network"
    re.compile(
        rf"\b(?:is|are)\s+{_SOMEONE}\s+(?:in|on|a member of|part of)\s+(?:the\s+|a\s+)?"
        rf"(?:\w+\s+){{0,3}}?{_NETWORK}\b"
    ),
    # "tell me if my manager is in the pride network", "check if tom is in the pride group"
    re.compile(
        rf"\b(?:tell|know|check|find out|see|ask)(?:\s+(?:me|us))?\s+(?:if|whether)\s+"
        rf"(?:(?:{_SOMEONE}|{_PERSON}|{_NAME})\s+(?:is|are|s|has joined|joined)|hes|shes|theyre)"
        rf"\s+(?:in|on|a member of|part of)?\s*(?:the\s+|a\s+)?(?:\w+\s+){{0,3}}?{_NETWORK}\b"
    ),
    # "someone said tom is hiv positive, is that true", "is it true that my boss is gay":
    # a rumour about someone, to be confirmed.
    re.compile(
        rf"\b(?:{_NAME}|{_SOMEONE})(?:\s+(?:from|in|on)\s+(?:the\s+)?\w+)?\s+(?:(?:is|s)\s+"
        rf"(?:a\s+|an\s+)?{_IDENTITY}|has\s+{_CONDITION})\b(?:\s+\w+){{0,3}}?"
        rf"\s*(?:is (?:that|it|this) true|true|confirm)\b"
    ),
    re.compile(
        rf"\b(?:is it true|is it right)\s+(?:that\s+)?(?:{_NAME}|{_SOMEONE})\s+(?:(?:is|s)\s+"
        rf"(?:a\s+|an\s+)?{_IDENTITY}|(?:has|got)\s+{_CONDITION})\b"
    ),
    # "is my team lead off sick because of depression"; "is the woman who sits by the window
    # muslim"
    re.compile(
        rf"^(?:so\s+)?(?:is|are)\s+{_SOMEONE}\s+(?:\w+\s+){{0,5}}?(?:because of|due to|with)\s+"
        rf"(?:a\s+|an\s+|his\s+|her\s+|their\s+)?{_CONDITION}\b"
    ),
    re.compile(
        rf"^(?:so\s+)?(?!.*\b(?:told (?:me|us)|came out|protected|covered|under the)\b)"
        rf"(?:is|are)\s+{_SOMEONE}\s+(?:who|that)\s+(?:\w+\s+){{1,5}}?(?:a\s+|an\s+)?{_IDENTITY}\b"
    ),
    # "what religion is priya on my team"
    re.compile(
        rf"\bwhat\s+(?:religion|faith|sexuality|ethnicity|disability|condition)\s+(?:is|are)\s+"
        rf"(?:{_SOMEONE}|{_NAME})\b"
    ),
    # "was it mark who sent the anonymous question", "who asked the anonymous question":
    # an anonymous question stays anonymous.
    re.compile(
        r"^(?:tell me\s+|i want to know\s+)?(?:who|whos|was it \w+ (?:who|that)|"
        r"did (?!i\b|we\b)\w+)\s+(?:sent|send|asked|ask|wrote|write|posted|submitted)"
        r"\s+(?:the|that|this|an|those)?\s*(?:anonymous|anon)\b"
    ),
    # "whats the old name of the trans person in accounts"
    re.compile(
        r"\b(?:old|previous|former|birth|dead|real|original)\s*name\s+of\s+(?:the|my|our|that|this|"
        r"his|her|their)\b"
    ),
    # "did james put any access needs down for the session"
    re.compile(
        r"^(?:did|has|have)\s+(?!i\b|we\b|you\b|anyone\b|people\b)\w+(?:\s+\w+)?\s+(?:put|"
        r"ask for|asked for|request|requested|list|listed|give|given|need|needed)\s+"
        r"(?:down\s+)?(?:any\s+|an?\s+|their\s+|his\s+|her\s+)?(?:access needs|adjustments|"
        r"reasonable adjustments|needs|requirements)\b"
    ),
    # "send me the list of people who went to the pride social"
    re.compile(
        r"^(?:send|list|give|get|email|share|export|download|forward|post)\s+(?:me\s+|us\s+)?"
        r"(?:the\s+|a\s+)?(?:full\s+|whole\s+|complete\s+)?(?:list|names)\s+of\s+(?:the\s+|all\s+)?"
        r"(?:people|everyone|members|attendees|staff|colleagues|allies|who)\b"
    ),
    # "who gave the session a 1 star rating": feedback is anonymous.
    re.compile(
        r"^(?!.*\banonymous)(?:who|whos|which \w+)\s+(?:gave|left|wrote|put|rated|submitted|sent)\b"
        r"(?:\s+\w+){0,6}?"
        r"\s+(?:rating|ratings|star|stars|feedback|review|score|comment|comments)\b"
    ),
    # "tell me if dave joined as a member or an ally", "check whether my boss has signed up"
    re.compile(
        rf"\b(?:tell|know|check|find out|see)(?:\s+(?:me|us))?\s+(?:if|whether)\s+"
        rf"(?:{_SOMEONE}|{_NAME})(?:\s+(?:from|in|on)\s+(?:the\s+)?\w+)?\s+(?:has\s+|is\s+)?"
        rf"(?:joined|registered|signup|booked|"
        rf"a member|an ally|a lead)\b"
    ),
    # "whats tom's name from before he transitioned", "what was her old name": a trans
    # colleague's former name is theirs alone (deadnaming).
    re.compile(
        rf"\bwhat(?:s|\s+(?:is|was|were))?\s+(?:{_SOMEONE}s?|{_NAME}s|his|her|their)\s+"
        rf"(?:old|previous|former|birth|original|real|dead|real life)\s*name\b"
    ),
    re.compile(
        r"\bname\s+(?:from\s+|(?:did\s+)?(?:he|she|they)\s+(?:had|have|use|used)\s+)?before\s+(?:\w+\s+){0,2}?"
        r"(?:transitioned|transitioning|came out)\b"
    ),
    re.compile(
        r"\bwhat\s+(?:was|were|is)\s+(?:\w+\s+){1,3}?(?:called|named)\s+before\s+"
        r"(?:\w+\s+){0,2}?(?:transitioned|transitioning|came out)\b"
    ),
    # "send me the member list for the disability network", "export the attendee names"
    re.compile(
        r"^(?:send|show|list|give|get|email|share|export|download|forward|post)\s+(?:me\s+|us\s+)?"
        r"(?:the\s+|a\s+|our\s+)?(?:full\s+|whole\s+|complete\s+)?(?:\w+\s+){0,3}?"
        r"(?:member|members|membership|attendee|attendees|attendance|registration|signup|"
        r"ally|allies)\s+(?:list|lists|names|roster|details|emails|spreadsheet)\b"
    ),
    # "is anyone in my department autistic"; not "are any of the sessions for trans people"
    re.compile(
        rf"\b(?:is|are)\s+(?:anyone|anybody|someone|somebody|any of)\s+"
        rf"(?:(?!for\b|to\b|about\b|support\b|on hand\b)\w+\s+){{0,4}}?{_IDENTITY}\b"
    ),
    # "is there anyone gay in my team", "are there any trans people in our office"
    re.compile(
        rf"\b(?:is|are)\s+there\s+(?:any|anyone|anybody|someone)\s+(?:\w+\s+){{0,2}}?"
        rf"(?:{_IDENTITY})\s+(?:\w+\s+)?(?:in|on|at)\s+{_DET}\s+{_WORKPLACE}\b"
    ),
    # "did tom register for the webinar"; not "did my manager register me" or "are allies
    # allowed to join the pride network"
    re.compile(
        rf"^(?:did|has|have|is|are)\s+(?!i\b|we\b|you\b|it\b|there\b|this\b)"
        rf"(?:(?!{_MAY}\b)\w+\s+){{1,3}}?(?:actually\s+|ever\s+|already\s+)?(?:register|"
        rf"registered|signup|book|booked|join|joined|attend|attended|going to|coming to)\b"
        rf"(?!\s+(?:me|us)\b)(?:\s+\w+){{0,5}}?\s+{_GATHERING}\b"
    ),
    # "did jess sign up as a member or an ally"
    re.compile(
        r"^(?:did|has|have|is)\s+(?!i\b|we\b|you\b|anyone\b|anybody\b|people\b|allies\b)"
        r"(?:\w+\s+){1,3}?(?:ever\s+)?(?:signup|join|"
        r"joined|registered)\s+as\s+(?:a|an)\s+(?:member|ally)\b"
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
        rf"(?:does|did|has)\s+(?:{_SOMEONE}|{_NAME})\s+(?:have|got|has)\b"
    ),
    # "does tom have adhd", "has my manager got depression"
    re.compile(
        rf"^(?:does|has|did)\s+(?:{_SOMEONE}|{_NAME})(?:\s+(?:from|in|on)\s+(?:the\s+)?\w+)?\s+"
        rf"(?:have|got|has)\s+{_CONDITION}\b"
    ),
    # "she is off sick a lot, does she have a disability"
    # Not a manager asking what the law says ("does she have a disability under the act").
    re.compile(
        rf"^(?!.*\btold (?:me|us)\b).*\b(?:does|has|did)\s+(?:he|she|they)\s+(?:have|got)\s+"
        rf"(?:an?\s+|(?:some|any)\s+(?:kind|sort|type)\s+of\s+)?{_CONDITION}\b"
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
    re.compile(rf"\b(?:is|are)\s+(?:he|she|they)\s+(?:\w+\s+)?(?:{_IDENTITY}|ill|sick|unwell)\b"),
    # "how can i tell if my coworker is gay", "do you know if sarah is gay", "i think my
    # boss is trans"; telling others that a colleague is trans is being outed, a question
    # the knowledge base answers.
    re.compile(
        rf"\b(?:(?:tell|know|find out|work out|guess|sure|check|asked you|ask you)"
        rf"(?:\s+(?:me|us))?\s+(?:if|whether)|(?:know|sure|think|suspect|wonder)(?:\s+(?:if|whether|that))?)\s+"
        rf"(?:(?:(?:{_DET}|a|an|any)\s+)?(?:\w+\s+){{0,2}}?{_PERSON}|{_NAME})\s+"
        rf"(?:(?:in|on|at|from)\s+(?:the\s+)?\w+\s+)?(?:is|are|might be|could be)\s+(?:a\s+)?"
        rf"{_IDENTITY}\b(?!\s+(?:friendly|inclusive|allies|ally|allied|supportive))"
    ),
    # "who in my team is trans", "which of my colleagues are gay"; not "which month is lgbt
    # history month" or "who is disabled under the law"
    re.compile(
        rf"^(?:so\s+)?(?:who|which)\b(?!\s+{_NOT_PEOPLE}\b)(?:\s+\w+){{0,5}}?\s+"
        rf"(?:is|are|s)\s+(?:a\s+|an\s+)?{_IDENTITY}\b{_NOT_A_PERSON_AFTER}"
    ),
    # "does anyone in hr have adhd", "has anyone on my team got hiv"
    re.compile(
        rf"\b(?:anyone|anybody|someone|who|which)\b(?:\s+\w+){{0,4}}?\s+(?:have|has|got)"
        rf"\s+(?:a\s+)?{_CONDITION}\b"
    ),
    # "which colleagues are in the pride network", "who is coming to the pride social",
    # "list everyone in the disability network", "names of the people in ..."
    re.compile(
        rf"^(?:so\s+)?(?:which|who|whos|list|show|tell me|give me|names?|how many)\b"
        rf"(?:\s+\w+){{0,6}}?\s+(?:people|colleagues|members|staff|everyone|who|names|"
        rf"anyone|persons?|of my|are|is|has|have|whos)\s+(?:\w+\s+){{0,2}}?{_MEMBERS}\s+"
        rf"(?:the\s+|our\s+|a\s+)?(?:\w+\s+){{0,3}}?{_GATHERING}\b"
    ),
    re.compile(
        r"^(?:which|who|whos)\s+(?:(?!i\b|me\b|we\b)\w+\s+){0,4}?(?:joined|registered|"
        r"signed up|signup|has asked|"
        r"asked|is a member|are members|attending|coming to|going to)\b"
    ),
    # "who's the trans person in the london office", "which of my reports have joined the
    # nd group"
    re.compile(
        rf"^(?:who|whos|which)\s+(?:is\s+)?(?:the|a)?\s*(?:\w+\s+)?{_IDENTITY}\s+(?:person|"
        rf"people|guy|woman|man|one|colleague|colleagues)\s+(?:in|on|at)\b"
    ),
    re.compile(
        r"\bwhich\s+of\s+(?:my|our|the)\s+(?:\w+\s+){0,3}?(?:have|has|are|is)\s+(?:joined|"
        r"registered|signup|members?|in|asked for|requested|put down|reasonable adjustments|"
        r"adjustments|access needs|an? disability|a condition)\b"
    ),
    # "who is in the pride network", "who in pride network list"
    re.compile(
        rf"^(?:who|whos|which people|which colleagues)\s+(?:is\s+|are\s+)?(?:in|on)\s+"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{_NETWORK}(?:\s+list)?"
        rf"(?:\s+(?:from|in|at)\s+(?:the\s+|my\s+|our\s+)?\w+(?:\s+\w+)?)?$"
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
    # "is priya in the race equality network", "is alex a member of pride"
    re.compile(
        rf"^(?:so\s+)?is\s+{_NAME}(?:\s+from\s+[a-z]+)?\s+(?:a\s+|an\s+|"
        rf"(?:in|on|part of|a member of)\s+(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?)?"
        rf"(?:{_IDENTITY}|{_NETWORK})\b"
    ),
)

# "how many trans people work here", "what percentage of our staff are from an ethnic
# minority": figures about who the people here are, which the bot does not give. Figures
# about everyone ("what percentage of people are lgbt in the uk") are another matter.
_COUNTING = re.compile(
    r"\b(?:how many|percentage|proportion|number of)\b(?!\s+(?:sessions|events|networks))"
)
_WHO_PEOPLE_ARE = re.compile(
    rf"\b(?:{_IDENTITY}|ethnic|ethnically|black|asian|minority|minorities|muslims?|jewish)\b"
)
_HERE = re.compile(
    rf"\b(?:here|our|we|us|(?:my|this|the)\s+{_WORKPLACE})\b"
)
_ASKED_OF_ME = re.compile(r"\b(?:asking|askin|asked|asks|ask|quizzing|pressing)\s+me\b")
_WHAT_DO_I = re.compile(
    r"\b(?:(?:how|what) (?:do|should|can|could) i|should i|what do i say|handle it|"
    r"what now|help me)\b"
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
    if any(rule.search(text) for rule in _RULES):
        return True
    return all(rule.search(text) for rule in (_COUNTING, _WHO_PEOPLE_ARE, _HERE))
