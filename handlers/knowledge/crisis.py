"""Words of someone who may be in crisis: answered with where to get help now, every time.

"i dont want to be here anymore" shares no word with the entry on mental health support,
and the ranking would answer it with whatever its few words match, or say it isn't sure.
So these are read before anything else, and always answered with that entry, whose answer
names Samaritans and 999. Matching a few words too many costs someone a helpline number;
missing one costs far more.
"""

from __future__ import annotations

import re

from handlers.knowledge.text import plain

CRISIS_ENTRY = "mental-health-support"
# Said in the entry itself too; used only if a lead has retired the entry.
CRISIS_TEXT = (
    "I'm sorry you're going through this. If you need to talk to someone now, Samaritans "
    "answer free, at any time, on 116 123. In an emergency, or if you feel you can't keep "
    "yourself safe, call 999 or go to A&E."
)

_CRISIS = re.compile(
    r"\b(?:kill(?:ing)?\s+myself|end(?:ing)?\s+(?:it\s+all|my\s+life|things)|"
    r"take\s+my\s+(?:own\s+)?life|suicid\w*|self\s*harm\w*|(?:hurt|hurting|harm|harming|cut|"
    r"cutting)\s+myself|(?:want|wanna|going)\s+to\s+die(?!\s+(?:of\s+(?:boredom|embarrassment|shame|laughter)|"
    r"laughing))|wish\s+i\s+(?:was|were)\s+dead|"
    r"better\s+off\s+(?:dead|without\s+me)|no\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|"
    r"going\s+on)|(?:cant|cannot)\s+go\s+on|(?:dont|do\s+not)\s+want\s+to\s+(?:be\s+here|live|"
    r"wake\s+up)|not\s+worth\s+living|overdose)\b"
)


def in_crisis(question: str) -> bool:
    """True when the words say the asker may be thinking of harming themselves."""
    return _CRISIS.search(plain(question)) is not None
