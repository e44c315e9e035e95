"""The words people type for what entries are about, read the same way everywhere.

US spellings mapped to UK ones, and the words a word stands for (abbreviations such as
TDoR, and everyday words such as "homophobic" or "boss"); phrases are in
`handlers.knowledge.phrases`. `handlers.knowledge.text` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping


def _pairs(text: str) -> dict[str, str]:
    """Pairs written "typed:read", for writing long lists of single words readably."""
    return {key: value for key, _, value in (pair.partition(":") for pair in text.split())}


# US and other spellings people type, mapped to the UK spelling the content uses.
SPELLINGS: Mapping[str, str] = {
    **_pairs(
        """
        color:colour behavior:behaviour behaviors:behaviours center:centre
        centering:centring centered:centred apologize:apologise apologizing:apologising
        recognize:recognise organize:organise organization:organisation
        organizations:organisations organizer:organiser organizers:organisers
        program:programme programs:programmes favor:favour honor:honour labor:labour
        neighbor:neighbour license:licence defense:defence offense:offence
        judgment:judgement minoritized:minoritised racialized:racialised
        marginalized:marginalised normalized:normalised prioritize:prioritise
        signaling:signalling traveling:travelling enroll:enrol enrollment:enrolment
        captioned:captions captioning:captions
        """
    ),
    # One guy is just a person; "guys" for a group is the phrase entries talk about.
    "guy": "someone",
}

# Chat spellings of everyday words, and slips in words that begin a phrase ("sighn up"),
# read as the word before phrases are matched.
CHAT_SPELLINGS: Mapping[str, str] = _pairs(
    """
    u:you r:are ur:your wat:what wot:what wht:what enuf:enough shud:should shld:should
    cud:could wud:would abt:about coz:because cuz:because bcos:because plz:please
    pls:please thx:thanks ppl:people wrk:work smth:something sth:something some1:someone
    any1:anyone thru:through b4:before mgr:manager
    sighn:sign sgin:sign singup:signup sighnup:signup regsiter:register
    """
)

# The key adds these words, in questions and entries alike. Abbreviations first, then
# everyday words for what entries are about.
SYNONYMS: Mapping[str, str] = {
    "tdor": "transgender day remembrance",
    "taw": "trans awareness week",
    "tdov": "trans day visibility",
    "idahobit": "international day against homophobia biphobia transphobia",
    "idahobt": "international day against homophobia biphobia transphobia",
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
    "neurodivergence": "neurodiversity",
    "nt": "neurotypical",
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
    "genderqueer": "non binary",
    "webinar": "session",
    "video": "recording",
    "gdpr": "privacy data",
    "privacy": "data",
    "hr": "human resources",
    "wheelchair": "disability",
    "bsl": "british sign language",
    "hiv": "aids",
    "aids": "hiv",
    "subtitles": "captions",
    "homophobic": "homophobia discrimination",
    "homophobia": "discrimination",
    "transphobic": "transphobia discrimination",
    "biphobic": "biphobia discrimination",
    "racist": "racism discrimination",
    "sexist": "sexism discrimination",
    "ableist": "ableism discrimination",
    "bullied": "harassment",
    "bullying": "harassment",
    "harassed": "harassment",
    "complaint": "report",
    "implicit": "unconscious",
    "sorry": "apologise",
    "apology": "apologise",
    "closeted": "comingout out",
    "straight": "ally",
    "supporter": "ally",
    "confidence": "confidential",
    "secret": "confidential private",
    "coworker": "colleague",
    "coworkers": "colleagues",
    "teammate": "colleague",
    "teammates": "colleagues",
    "boss": "manager",
    "rude": "offensive",
    "hurtful": "offensive",
    "inappropriate": "offensive",
    "insult": "offensive",
    "insulting": "offensive",
    "insults": "offensive",
    "slur": "offensive",
    "slurs": "offensive",
    "mocking": "harassment",
    "mocked": "harassment",
    "teasing": "harassment",
    "banter": "harassment",
    "illegal": "law rights",
    "legally": "law rights",
    "sue": "tribunal rights",
    "dummies": "beginner basics",
    "newbie": "beginner basics",
    "noob": "beginner basics",
    "forgetting": "forget mistake wrong",
    "forgot": "forget mistake wrong",
    "mimic": "mocking harassment",
    "mimicking": "mocking harassment",
    "mimics": "mocking harassment",
    "imitating": "mocking harassment",
    "impersonating": "mocking harassment",
    "overhear": "witness bystander",
    "overheard": "witness bystander",
    "quit": "leave",
    "unsubscribe": "leave",
    "bipolar": "mental health",
    "depression": "mental health",
    "ptsd": "mental health",
    "schizophrenia": "mental health",
    "dyslexic": "dyslexia",
    "dyspraxic": "dyspraxia",
    "begin": "start",
    "beginning": "start",
    "demisexual": "lgbt",
    "asexual": "lgbt",
    "aromantic": "lgbt",
    "pansexual": "lgbt",
    "bisexual": "lgbt",
    "transitioning": "transition trans",
    "transition": "trans",
    "neurotypical": "neurodiversity",
    "islamophobic": "islamophobia discrimination",
    "islamophobia": "discrimination religion",
    "antisemitic": "antisemitism discrimination",
    "antisemitism": "discrimination religion",
    "muslim": "religion",
    "muslims": "religion",
    "jewish": "religion",
    "freeze": "froze",
    "frozen": "froze",
    "froze": "froze",
    # Everyday words in a described situation that point at an entry's topic.
    "mate": "friend colleague",
    "mates": "friends colleagues",
    "deaf": "hearing captions",
    "remark": "comment",
    "remarks": "comments",
    "info": "information",
    "blind": "disability",
    "sir": "misgendering",
    "madam": "misgendering",
    "maam": "misgendering",
    "hiring": "recruitment bias",
    "hired": "recruitment bias",
    "recruiting": "recruitment bias",
    "favouritism": "bias",
    "reallyfrom": "microaggression",
    "diff": "difference",
    "ceo": "senior manager",
    "folks": "people",
    "transsexual": "trans",
    "spectrum": "autism",
    "stammer": "disability",
    "stutter": "disability",
    "hijab": "religion",
    "turban": "religion",
    "incident": "report",
    "white": "race",
    "racialised": "ethnically minoritised",
    "foreigners": "racism",
    "foreign": "race",
    "foreigner": "racism",
    "immigrants": "racism",
    "dumb": "mistake",
    "stupid": "mistake",
    "clumsy": "mistake",
    "careless": "mistake",
    "thoughtless": "mistake",
    "changes": "adjustments",
    "adaptations": "adjustments",
    "adapted": "adjustments",
    "accommodations": "adjustments",
    "accommodation": "adjustments",
    "favourites": "bias",
    # Pet names from a colleague are a common everyday slight aimed at the asker.
    "sweetheart": "petnames sexism",
    "darling": "petnames sexism",
    "sweetie": "petnames sexism",
    "babe": "petnames sexism",
    # Hate symbols and slurs are harassment to report, wherever they are found.
    "swastika": "hatesymbol offensive antisemitism discrimination",
    "nazi": "hatesymbol offensive antisemitism discrimination",
    "supervisor": "manager",
    "workmate": "colleague",
    "transwoman": "trans woman",
    "transman": "trans man",
    "mansplaining": "microaggression sexism",
    "homophobe": "homophobia discrimination",
    "bigot": "discrimination offensive",
    "bigotry": "discrimination offensive",
    "prejudice": "bias discrimination",
    "stereotyping": "stereotypes bias",
    "fired": "dismissed",
    "terrorist": "racist slur offensive discrimination namecalling",
    "graffiti": "offensive",
    "drew": "graffiti",
    "drawn": "graffiti",
    "scrawled": "graffiti",
    "digs": "microaggression",
    "backhanded": "microaggression",
}
