"""Words of someone who may be in crisis: answered with where to get help now, every time.

"i dont want to be here anymore" shares no word with the entry on mental health support,
and the ranking would answer it with whatever its few words match ("dead" finds the entry
on deadnaming), or say it isn't sure. So these are read before anything else, and always
answered with that entry, whose answer names Samaritans and 999. Matching a few words
too many costs someone a helpline number; missing one costs far more. Ordinary sentences
that share the words are left alone: "i cant go on thursday", "i want to die my hair for
pride", "cutting myself some slack", "how do i end things with my mentor".

The text is read lightly normalised, not folded as questions are for searching: a fold
written for the ranking ("dont know" is chatter) must not take away the words here.
"""

from __future__ import annotations

import re
import unicodedata

CRISIS_ENTRY = "mental-health-support"
# Said before the entry, which opens with the helplines.
CRISIS_OPENING = "I'm sorry you're going through this. You don't have to face it on your own."
# Said in the entry itself too; used only if a lead has retired the entry.
CRISIS_TEXT = (
    "I'm sorry you're going through this. If you need to talk to someone now, Samaritans "
    "answer free, at any time, on 116 123. In an emergency, or if you feel you can't keep "
    "yourself safe, call 999 or go to A&E."
)

# Someone harming themselves, the asker or a colleague they are worried about.
_SELF = r"(?:myself|my\s*self|himself|herself|themselves|themself)"
_THEIR = r"(?:my|his|her|their)"
_WAYS = (
    # Harming oneself, however it is spelt: "kill my self", "kms", "unalive".
    rf"(?:kill|killing|kil|hang|hanging|unalive|unaliving|hurt|hurting|harm|harming|burn|"
    rf"burning|end)\s+{_SELF}(?!\s+(?:laughing|off|out|some slack))",
    rf"(?:cut|cutting)\s+{_SELF}(?!\s+(?:some slack|off|out|short|a break|on|with))",
    r"kms|sewerslide|unalive\w*|s[uo]+[ia]?c+i?d\w*|suicid\w*|self\s*harm\w*",
    r"overdos\w*|too\s+many\s+pills|jump\s+(?:off|in\s+front\s+of)",
    r"(?:started|been|keep|am|im)\s+cutting(?:\s+again)?\s*$|cutting\s+again",
    # Ending a life; not ending things with a mentor, or taking life into one's own hands.
    rf"end(?:ing)?\s+(?:it\s+all|it(?:\s+(?:now|tonight|today))?\s*$|{_THEIR}\s+(?:own\s+)?life|"
    r"things(?!\s+(?:with|on|early|off|in|at|between|for|well|properly)\b))",
    rf"(?:take|taking|took)\s+{_THEIR}\s+(?:own\s+)?life(?!\s+(?:into|in\s+{_THEIR}\s+"
    r"(?:own\s+)?hands))",
    # Wanting to die; not a phone about to die, or dyeing one's hair ("die my hair").
    r"(?<!\bis )(?<!\bits )(?<!\bare )(?:want|wanna|wants|going|gonna|ready)\s+(?:to\s+|too\s+|"
    r"2\s+)?die(?!\s+(?:of\s+(?:boredom|embarrassment|shame|laughter)|laughing|my|his|her|"
    r"their|our|the)\b)",
    r"(?:want|wanna)\s+to\s+be\s+dead|wish\s+i\s+(?:was|were|wasnt|werent)\s+(?:dead|alive|"
    r"here|born)|(?:rather|might\s+as\s+well|better\s+off)\s+(?:be\s+)?dead|feel\s+like\s+dying",
    r"(?:never|not)\s+wake\s+up|(?:hope|wish)\s+i\s+(?:dont|do\s+not|never)\s+wake\s+up",
    # No reason to go on; not "i cant go on thursday" or "i dont want to live in london".
    r"(?:no|nothing|nothing\s+left|not\s+any)\s+(?:reason|point|left)?\s*(?:to|in|for)\s+"
    r"(?:live|living|go\s+on|going\s+on|keep\s+going)(?!\s+(?:the|a|an|this|that|my|to|at|"
    r"with|about)\b)",
    r"nothing\s+(?:left\s+)?to\s+live\s+for|point\s+(?:in|of)\s+living|no\s+point\s+(?:in\s+)?"
    r"(?:living|life|to\s+life|being\s+alive)|point\s+to\s+life|(?:isnt|not|aint)\s+worth\s+living",
    r"(?:cant|cannot|can\s+not)\s+(?:go\s+on|carry\s+on|keep\s+going)(?!\s+(?:the|a|an|this|"
    r"that|my|our|leave|holiday|\w*day|tomorrow|tonight|today|next|in|at|with\s+the|\d)\b)",
    r"(?:dont|do\s+not|dont\s+really|really\s+dont)\s+(?:want|wanna)\s+(?:to\s+)?(?:be\s+(?:here|"
    r"alive|around)|live|exist|wake\s+up|go\s+on|carry\s+on|keep\s+living)(?!\s+(?:in|with|at|"
    r"for|when|on|during|until|till|near|there)\b)",
    r"(?:dont|do\s+not)\s+know\s+if\s+i\s+want\s+to\s+(?:live|be\s+here)",
    r"(?:if|how\s+much\s+longer|think)\s+i\s+(?:can|could)\s+(?:go\s+on|carry\s+on|keep\s+going|"
    r"make\s+it)(?:\s+(?:anymore|any\s+more|like\s+this))?\s*$|how\s+to\s+keep\s+going\s*$|"
    r"make\s+it\s+through\s+another\s+day",
    r"(?:cant|cannot)\s+(?:do\s+this|take\s+(?:it|this)|cope|handle\s+(?:it|this))\s+(?:anymore|"
    r"any\s+more)",
    r"(?:done|finished)\s+with\s+(?:life|living|everything)|tired\s+of\s+(?:living|life|being\s+"
    r"alive)|giving\s+up\s+on\s+life",
    r"i\s+want\s+(?:it\s+all|everything|it)\s+to\s+(?:stop|end|be\s+over)|(?:just\s+)?want\s+it"
    r"\s+(?:all\s+)?to\s+end|see\s+a\s+way\s+out|want\s+out\s+of\s+life|cant\s+see\s+a\s+future",
    # Not safe, or a burden: "i cant keep myself safe", "everyone would be better off without me".
    r"(?:cant|cannot)\s+keep\s+myself\s+safe|dont\s+feel\s+safe\s+with\s+myself|"
    r"^(?:i\s+am|im)\s+not\s+safe$",
    r"(?:want\s+to|wanna|wish\s+i\s+could)\s+disappear(?!\s+(?:from|off)\b)|(?:written|wrote|"
    r"writing)\s+(?:a\s+)?"
    r"(?:note|letter)\s+(?:to|for)\s+my\s+(?:family|kids|children|partner|wife|husband|mum|mom|"
    r"dad|parents)",
    r"better\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were)\s+(?:gone|dead))|(?:better|off)\s+"
    r"without\s+me\s*$",
    r"(?:would|wouldnt)\s+(?:care|miss\s+me)\s+if\s+i\s+(?:died|was\s+gone|were\s+gone|"
    r"disappeared)",
    r"(?:a|such\s+a)\s+burden\s+(?:to|on)\s+(?:everyone|everybody|my|people)|im\s+a\s+burden",
)
_CRISIS = re.compile(r"\b(?:" + "|".join(f"(?:{way})" for way in _WAYS) + r")")
# Every kind of apostrophe people's keyboards type: "don‘t", "donʼt" and "don't" alike.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u00b4\u2032`]")
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")


def _lightly(text: str) -> str:
    """Lower case, no accents or apostrophes, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NOT_LETTERS.sub(" ", _APOSTROPHES.sub("", text)).split())


def in_crisis(question: str) -> bool:
    """True when the words say the asker, or someone they are worried about, may be
    thinking of harming themselves."""
    return _CRISIS.search(_lightly(question)) is not None
