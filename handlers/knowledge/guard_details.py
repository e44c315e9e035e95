"""More asks about a particular person: what they gave or hold, and rumours about them.

A trans colleague's former name, what someone put down as access needs, who sent an
anonymous question or a rating, lists of who went or joined, and a rumour to be
confirmed ("someone said tom is hiv positive, is that true?"). Each rule asks about
someone else: the asker's own name, needs or data ("can i change my name before
transitioning", "send me my membership details"), a group or the law ("is my colleague
with adhd covered by the equality act") and reports of abuse ("who left that racist
comment") are questions the knowledge base answers. Read with `handlers.knowledge.guard`,
on the same folded text.
"""

from __future__ import annotations

import re

from handlers.knowledge.guard_words import (
    CONDITION,
    GATHERING,
    IDENTITY,
    NAME,
    NAMES,
    NETWORK,
    NOT_THE_LAW,
    PERSON,
    PLACED,
    SOMEONE,
)

# Someone else, by role or by name, wherever they sit: "my manager", "tom from it", "my
# colleague sam".
_OTHER = rf"(?:(?:{SOMEONE}(?:\s+{NAME})?|{NAME}){PLACED})"
# "tom's" is "toms" once apostrophes are gone.
_OTHERS = rf"(?:{SOMEONE}s?|{NAMES}|his|her|their)"
_TRANSITIONED = r"(?:transitioned|transitioning|comingout out)"
_NEEDS = r"(?:access needs|reasonable adjustments?|adjustments?|needs|requirements)"
# Session feedback, not abuse to report: "who left that racist comment" is reporting.
_RATING = r"(?:rating|ratings|star|stars|score|scores|feedback|review|reviews)"
_ABUSE = r"(?:racist|homophobic|transphobic|biphobic|sexist|ableist|abusive|offensive|slur|hate)"

DETAIL_RULES = (
    # "whats tom's name from before he transitioned", "what was her old name"; not "can i
    # change my name before transitioning" or "my manager keeps using my name from before
    # i transitioned".
    re.compile(
        rf"\bwhat(?:s|\s+(?:is|was|were))?\s+{_OTHERS}\s+(?:old|previous|former|birth|original|"
        rf"real|dead|real life)\s*name\b"
    ),
    re.compile(
        rf"^(?:what|whats|tell me|do you know)\b.*(?<!\bmy )\bname\s+(?:from\s+|(?:did\s+)?"
        rf"(?:he|she|they)\s+(?:had|have|use|used)\s+)?before\s+(?:he|she|they|{NAME})\s+"
        rf"{_TRANSITIONED}\b"
    ),
    re.compile(
        rf"^what\s+(?:was|were|is)\s+(?!i\b|my\b)(?:\w+\s+){{1,3}}?(?:called|named)\s+before\s+"
        rf"(?:he|she|they|{NAME})\s+{_TRANSITIONED}\b"
    ),
    # "whats the old name of the trans person in accounts"; not "how do i remove the old
    # name of my colleague from our systems" or "the old name of the pride network".
    re.compile(
        rf"^(?:what|whats|tell me|do you know)\b.*\b(?:old|previous|former|birth|dead|real|"
        rf"original)\s*name\s+of\s+(?:the|my|our|that|this|his|her|their)\s+(?:\w+\s+){{0,2}}?"
        rf"{PERSON}\b(?!\s+(?:network|group))"
    ),
    # "did james put any access needs down", "what adjustments does tom have", "does priya
    # have any adjustments"; not "did my manager request adjustments for me" or "has my
    # employer given any adjustments".
    re.compile(
        rf"^(?!.*\b(?:for|on|at)\s+(?:me|us|my|our)\b)(?!.*\bon my behalf\b)(?:did|has|"
        rf"have)\s+{_OTHER}\s+(?:put|ask for|asked for|"
        rf"request|requested|list|listed|need|needed)\s+(?:down\s+)?(?:any\s+|an?\s+|their\s+|"
        rf"his\s+|her\s+)?{_NEEDS}\b"
    ),
    re.compile(
        rf"^what\s+{_NEEDS}\s+(?:does|did|has)\s+{_OTHER}\s+(?:have|got|need|needs)\b(?!\s+to\b)"
    ),
    re.compile(
        rf"^(?:does|has|did)\s+{_OTHER}\s+(?:have|got|need)\s+(?:any\s+|an?\s+)?{_NEEDS}\b"
        rf"(?!\s+(?:training|policy|process|to)\b)(?!.*\b(?:support|help)\s+me\b)"
    ),
    # "which of my direct reports have reasonable adjustments"; not "which of the venues
    # have adjustments for wheelchair users".
    re.compile(
        r"\bwhich\s+of\s+(?:my|our|the)\s+(?:\w+\s+){0,2}?(?:reports?|team|colleagues|staff|"
        r"employees|people|members|team members|teammates)\s+(?:have|has|are|is)\s+(?:(?:asked for|"
        r"requested|put down|got)\s+)?(?:reasonable adjustments|adjustments|access needs|an? "
        r"disability|a condition)\b"
    ),
    # "was it mark who sent the anonymous question", "who sent the question anonymously";
    # not "can the leads see who sent an anonymous question" or "did you send it".
    re.compile(
        rf"^(?:tell me\s+|i want to know\s+)?(?:who|whos|which person|who was it that|"
        rf"was it \w+ (?:who|that)|did\s+(?:{SOMEONE}|(?!i\b|we\b|you\b|it\b|they\b|the\b)"
        rf"{NAME}))\s+(?:sent|send|asked|ask|wrote|write|posted|submitted)\s+(?:the|that|this|"
        rf"an|those)?\s*(?:anonymous|anon)\s+(?:question|questions|q|ask)\b"
    ),
    re.compile(
        r"^(?:tell me\s+)?(?:who|whos)\s+(?:sent|asked|wrote|posted)\s+(?:the|that|this)"
        r"\s+question\s+"
        r"anonymously\b|^(?:who|whos)\s+(?:is\s+)?behind\s+(?:the|that|this)\s+anonymous\b"
    ),
    # "who gave the session a 1 star rating": feedback is anonymous; asking whether it is
    # is another question.
    re.compile(
        rf"^(?!.*\b(?:is|are)\s+(?:it|that|this|feedback|ratings?)\s+anonymous)"
        rf"(?!.*\b(?:{_ABUSE}|survey|form|request|performance|appraisal|because|me)\b)(?=.*\b(?:{GATHERING}"
        rf")\b)"
        rf"(?:who|whos|which \w+)\s+(?:gave|left|"
        rf"wrote|put|rated|submitted|sent)\b(?:\s+\w+){{0,6}}?\s+{_RATING}\b"
    ),
    # "send me the list of people who went to the pride social"; not "give me a list of
    # staff networks" or "send me the list of people i can talk to".
    re.compile(
        r"^(?:send|list|give|get|email|share|export|download|forward|post)\s+(?:me\s+|us\s+)?"
        r"(?:the\s+|a\s+)?(?:full\s+|whole\s+|complete\s+)?(?:list|names)\s+of\s+(?:the\s+|"
        r"all\s+)?(?:people|everyone|members|attendees|staff|colleagues|allies|who)\b"
        r"(?!\s+(?:networks?|groups?|support|services|i can|we can|i could|to talk|to contact|"
        r"to follow|to ask|who are (?:mental health|first aiders|mentors|champions|allies)))"
    ),
    # "send me the member list for the disability network"; not "send me my membership
    # details" or "the registration details for the session".
    re.compile(
        r"^(?:send|list|give|get|email|share|export|download|forward|post)\s+(?:me\s+|us\s+)?"
        r"(?:the\s+|a\s+|our\s+)?(?:full\s+|whole\s+|complete\s+)?(?:(?!my\b|mine\b|own\b)\w+\s+)"
        r"{0,3}?(?:member|members|membership|attendee|attendees|attendance|registration|signup|"
        r"ally|allies)\s+(?:list|lists|names|roster|emails|emailaddress|emailaddresses|"
        r"spreadsheet)\b"
    ),
    # "who went to the pride social", "did tom go to the neurodiversity session", "list the
    # attendees of the pride social"
    re.compile(
        rf"^(?!.*\bwas it\b)(?:who|whos)\s+(?:went|attended|came(?!\s+up\b)|turned up|showed up)\s+"
        rf"(?:to\s+|at\s+)?"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{GATHERING}\b"
    ),
    re.compile(
        rf"^(?:did|was|were|will)\s+(?!(?:food|drinks|snacks|parking|captions|subtitles|"
        rf"ramps?|lunch|mine|folks|lots|many|leads|interpreters?|bsl|recordings?|slides)"
        rf"\b){_OTHER}\s+(?:go|going|come|be|at|attend)\s+(?:to\s+|at\s+)?"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{GATHERING}\b"
    ),
    re.compile(r"^(?:list|give me|tell me)\s+(?:the\s+|all\s+)?attendees\b"),
    # "send me the email addresses of the pride network members"
    re.compile(
        r"^(?:send|give|get|share|list|email|export)\s+(?:me\s+|us\s+)?(?:the\s+|all\s+)?"
        r"(?:emailaddress|emailaddresses|emails|names|contact details|phone numbers)\s+of\s+"
        r"(?:the\s+|all\s+)?(?:\w+\s+){0,4}?(?:members|attendees|people|allies|everyone)\b"
    ),
    # "tell me if dave in finance joined the neurodiversity network", "check whether my
    # boss has signed up"; not "tell me if the webinar is booked up".
    re.compile(
        rf"\b(?:tell|know|check|find out|see|confirm)(?:\s+(?:me|us))?\s+(?:if|whether)\s+"
        rf"{_OTHER}\s+(?:has\s+|is\s+)?(?:joined|registered|signup|a member|an ally|a lead)\b"
    ),
    # "did jess sign up as a member or an ally"; not "is it ok to join as an ally".
    re.compile(
        r"^(?:did|has|have|is)\s+(?!i\b|we\b|you\b|it\b|there\b|this\b|everyone\b|anyone\b|"
        r"anybody\b|people\b|allies\b)(?:(?!allowed\b|able\b|welcome\b|ok\b|okay\b|possible\b|"
        r"better\b|best\b|free\b)\w+\s+){1,3}?(?:ever\s+)?(?:signup|join|joined|registered)\s+"
        r"as\s+(?:a|an)\s+(?:member|ally)\b"
    ),
    # "someone said tom is hiv positive, is that true", "is it true that my boss is gay",
    # "can you confirm whether tom is gay", "is tom really gay"; not "is it true that
    # nonbinary is trans".
    re.compile(
        rf"\b{_OTHER}\s+(?:(?:is|s)\s+(?:a\s+|an\s+)?{IDENTITY}|has\s+{CONDITION})\b"
        rf"(?:\s+\w+){{0,3}}?\s*(?:is (?:that|it|this) (?:true|right)|(?:true|right)\s*$|"
        rf"can you confirm|(?:please\s+)?confirm(?:\s+(?:that|this|it))?\s*$|am i right)"
    ),
    re.compile(
        rf"\b(?:is it true|is it right|confirm)\s+(?:that\s+|if\s+|whether\s+)?(?:{NAME}s\s+"
        rf"(?:a\s+|an\s+)?{IDENTITY}|{_OTHER}\s+(?:(?:is|s)\s+(?:a\s+|an\s+)?{IDENTITY}|"
        rf"(?:has|got)\s+{CONDITION}|(?:has\s+)?"
        rf"joined\s+(?:the\s+)?(?:\w+\s+){{0,3}}?{NETWORK}))\b"
    ),
    # "is my colleague sam gay", "is sam from the london office trans", "does tom at work
    # have adhd", "is tom really gay".
    re.compile(
        rf"^{NOT_THE_LAW}is\s+{_OTHER}\s+(?:really\s+|actually\s+|definitely\s+)?(?:a\s+|"
        rf"an\s+)?"
        rf"{IDENTITY}\b(?!\s+(?:friendly|inclusive|allies|ally|allied|supportive))"
    ),
    re.compile(rf"^{NOT_THE_LAW}(?:does|has|did)\s+{_OTHER}\s+(?:have|got|has)\s+{CONDITION}\b"),
    # "is my team lead off sick because of depression"; not "is my colleague with adhd
    # covered by the equality act".
    re.compile(
        rf"^(?:so\s+)?(?!.*\b(?:treated|bullied|harassed|discriminated|allowed|protected|"
        rf"entitled|sacked|dismissed|fired|targeted|excluded|picked on)\b)(?:is|are)\s+{SOMEONE}\s+"
        rf"(?:\w+\s+){{0,5}}?(?:because of|due to|off\s+"
        rf"(?:sick\s+)?with)\s+(?:a\s+|an\s+|his\s+|her\s+|their\s+)?{CONDITION}\b"
    ),
    # "is the woman who sits by the window muslim"; not "is my colleague who is autistic
    # entitled to adjustments".
    re.compile(
        r"^(?:so\s+)?(?!.*\b(?:told (?:me|us)|comingout|protected|covered|under the|entitled|"
        r"allowed|eligible|able|ok|okay|welcome|supposed|being|getting|treated|bullied|"
        r"harassed|discriminated|supported|support)\b)"
        rf"(?:is|are)\s+{SOMEONE}\s+(?:who|that)\s+(?:\w+\s+){{1,5}}?(?:a\s+|an\s+)?{IDENTITY}\b"
    ),
    # "what religion is priya on my team"; not "what sexuality is pansexual".
    re.compile(
        rf"\bwhat\s+(?:religion|faith|ethnicity|race|nationality)\s+(?:is|are)\s+{_OTHER}(?:\s|$)"
    ),
    re.compile(
        rf"\bwhat\s+(?:sexuality|disability|condition)\s+(?:is|are)\s+(?:{SOMEONE}|{NAME}\s+"
        rf"(?:from|in|on|at)\s+(?:my|our|the)?\s*\w+)"
    ),
    # A trans colleague's body and history: "was sarah born male", "has my colleague had the
    # surgery", "is my manager on hormones", "what gender was sarah born as".
    re.compile(
        rf"^(?:was|is|did|has|have)\s+{_OTHER}\s+(?:born\s+(?:a\s+)?(?:man|woman|male|female|"
        rf"boy|girl)|assigned|biologically|(?:had|having|getting)\s+(?:the\s+|any\s+)?(?:surgery|"
        rf"op|operation)|transitioned|transitioning|on\s+(?:hormones|hrt|t|oestrogen|estrogen|"
        rf"testosterone)|taking\s+(?:hormones|hrt))\b"
    ),
    re.compile(rf"\bwhat\s+(?:sex|gender)\s+(?:was|were|is)\s+{_OTHER}\s+(?:born|assigned)\b"),
    # "my manager is gay isnt he", "could my colleague be trans", "has tom joined pride"
    re.compile(
        rf"\b{_OTHER}\s+(?:is|s)\s+(?:a\s+|an\s+)?{IDENTITY}\s+(?:isnt|aint|yes or no|"
        rf"or not|or what)\b"
    ),
    re.compile(rf"^(?:could|might|would|can)\s+{_OTHER}\s+be\s+(?:a\s+|an\s+)?{IDENTITY}\b"),
    re.compile(
        rf"^(?:has|did|is)\s+{_OTHER}\s+(?:joined|join|signup to|signup for|in|a member of)\s+"
        rf"(?:the\s+)?pride\b"
    ),
    # "everyone keeps asking me if tom is gay, help me find out"
    re.compile(
        rf"^(?=.*\b(?:find out|work out|confirm|tell me)\b).*\b(?:asking|asked|asks)\s+me\s+"
        rf"(?:if|whether)\s+{_OTHER}\s+(?:is|s)\s+(?:a\s+|an\s+)?{IDENTITY}\b"
    ),
    # "who booked the menopause talk", "who rsvped to the pride social"
    re.compile(
        rf"^(?:who|whos)\s+(?:has\s+)?(?:booked|rsvpd|rsvped|said yes)\s+(?:to\s+|onto\s+|"
        rf"on\s+|for\s+)?(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{GATHERING}\b"
    ),
    # "is the lead of the pride network gay": a network's lead is someone in particular.
    re.compile(
        rf"^is\s+(?:the\s+)?(?:lead|leads|chair|co chair|cochair|head|leader|organiser)\s+of\s+"
        rf"(?:the\s+|our\s+)?(?:\w+\s+){{0,3}}?{NETWORK}\s+(?:a\s+|an\s+)?{IDENTITY}\b"
    ),
)
