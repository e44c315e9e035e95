"""Phrases from described situations, read as what they mean.

Kept apart from `handlers.knowledge.phrases` (which reads them last, after its own
phrases) so that neither module grows past what one reader can hold.
"""

from __future__ import annotations

from collections.abc import Mapping

SITUATION_PHRASES: Mapping[str, str] = {
    # Being told off or pulled up is being criticised, not called out (and not "out").
    "told off": "criticised",
    "pulled me up": "criticised",
    "pulled up on": "criticised",
    "pulled up for": "criticised",
    # One word each, so a pet name or hate symbol is not read as any "name" or "symbol".
    "pet names": "petnames",
    "pet name": "petnames",
    "hate symbol": "hatesymbol",
    "called me names": "called me namecalling",
    "calling me names": "calling me namecalling",
    "name calling": "namecalling",
    "name-calling": "namecalling",
    # Being called a name is name-calling; "called me he" is left to misgendering. The
    # "me" stays, so the asker is still read as the one it happened to.
    # Calling someone a lot, or a few times, is phoning them.
    "called me a lot": "phoned me often",
    "called me a few": "phoned me few",
    "called me a couple": "phoned me couple",
    "called me a ": "called me namecalling ",
    "calls me a ": "calls me namecalling ",
    # An out-of-office message is everyday admin (`everyday.py`), not being out.
    "out of office": "outofoffice",
    "out of the office": "outofoffice",
    # Wondering whether you are gay or trans is questioning, not someone else's secret.
    "think i might be": "questioning",
    "think i may be": "questioning",
    "wondering if im": "questioning",
    "not sure if im": "questioning",
    # The entry is about what to call the toilet, not about toilets.
    "accessible toilet": "accessibletoilet",
    "disabled toilet": "accessibletoilet",
}
