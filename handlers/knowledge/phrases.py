"""Phrases read as one word or as what they mean, in questions and entries alike.

"Sign up" is one act ("signup"), "coming out" one topic ("comingout"), "show me" a request
to list; several words that are chatter alone ("where are you really from", "they/them")
are the point together. `handlers.knowledge.text` reads them, longest first where it
matters, before single words; the situations people describe come last
(`handlers.knowledge.situations`).
"""

from __future__ import annotations

from collections.abc import Mapping

from handlers.knowledge.situations import SITUATION_PHRASES

_MANNERS = ("wrong", "badly", "rude", "harsh", "weird", "awkward", "offensive", "racist", "mean")
# What the manner says beyond a mistake: "came out racist" is about racism too.
_ALSO = {"racist": " racist", "offensive": " offensive"}
_CAME_OUT_WRONG = {
    f"came out {lead}{manner}": "mistake" + _ALSO.get(manner, "")
    for lead in ("", "so ", "really ", "all ")
    for manner in _MANNERS
}

PHRASE_SYNONYMS: Mapping[str, str] = {
    "lgbtq+": "lgbt",
    "lgbt+": "lgbt",
    "lgbtqia+": "lgbt",
    "lgbtqia2s+": "lgbt",
    "2slgbtqia+": "lgbt",
    "d&i": "edi",
    "ed&i": "edi",
    "non-binary": "nonbinary",
    "non binary": "nonbinary",
    "co-worker": "coworker",
    "co worker": "coworker",
    "e-mail": "email",
    "micro aggression": "microaggression",
    "micro-aggression": "microaggression",
    "anti-racism": "antiracism",
    "anti racism": "antiracism",
    "anti-racist": "antiracist",
    "anti racist": "antiracist",
    "anti-racists": "antiracists",
    "anti racists": "antiracists",
    "the deal with": "",
    "day to day": "everyday",
    "day-to-day": "everyday",
    # Asking the bot to explain is chatter; asking a colleague to is not.
    "can someone explain": "",
    "can you explain": "",
    "could you explain": "",
    "please explain": "",
    "explain to me": "",
    # "Explain it like I'm five" asks for plain words, not for the 5 Ds of bystanders.
    "like im five": "",
    "like im 5": "",
    "get out of": "leave",
    "drop out of": "leave",
    "become a member": "join",
    "become members": "join",
    "sign me up": "join",
    "left out": "excluded exclusion",
    # Coming out is one thing, not any "come": "our colleague never comes" is not about it.
    # Words that "came out wrong" are a mistake, not someone coming out ("came out as",
    # "came out so i want to support her" still are).
    **_CAME_OUT_WRONG,
    "came out the wrong way": "mistake",
    "came out of my mouth": "mistake",
    "came out": "comingout out",
    "comes out": "comingout out",
    "come out": "comingout out",
    "coming out": "comingout out",
    "coming-out": "comingout out",
    # "Never comes" is someone left out, not someone coming out.
    "never comes": "excluded",
    "never come": "excluded",
    "doesnt come": "excluded",
    "never joins": "excluded",
    "talked over": "interrupted",
    "talking over": "interrupted",
    "keep it to myself": "confidential",
    "keep it quiet": "confidential",
    "keep it secret": "confidential",
    "keep it private": "confidential",
    "n word": "racist offensive",
    "n-word": "racist offensive",
    # "Really" and "from" are chatter, but "where are you really from" is the question.
    "really from": "reallyfrom",
    # The disability rights slogan is made of chatter words.
    "nothing about us without us": "nothingaboutus",
    # Pronoun sets are pronouns, though each word alone is chatter.
    "they/them": "pronouns",
    "she/her": "pronouns",
    "he/him": "pronouns",
    "she/they": "pronouns",
    "he/they": "pronouns",
    "talk over": "interrupted",
    "talks over": "interrupted",
    "rolls her eyes": "dismissive microaggression",
    "rolls his eyes": "dismissive microaggression",
    "rolls their eyes": "dismissive microaggression",
    "eye roll": "dismissive microaggression",
    "eye rolls": "dismissive microaggression",
    "eye rolling": "dismissive microaggression",
    "passed over": "unfair discrimination",
    "nobody says anything": "bystander",
    "no one says anything": "bystander",
    "nobody said anything": "bystander",
    "no one said anything": "bystander",
    "how many networks": "list networks",
    "how many staff networks": "list networks",
    "what networks": "list networks",
    "which networks": "list networks",
    "what staff networks": "list networks",
    "which staff networks": "list networks",
    "cant make it": "missed",
    "cant make the": "missed",
    "finish his sentences": "interrupted",
    "finish her sentences": "interrupted",
    "finish my sentences": "interrupted",
    "finish their sentences": "interrupted",
    "thats so gay": "offensive phrase",
    # A manager's reports are people in their team; "report" stays, as it may be a report.
    "of my reports": "of my team report",
    "of my direct reports": "of my team report",
    "my direct report": "my team member report",
    "my direct reports": "my team member report",
    # Microsoft Teams is the app, not a team of people.
    "microsoft teams": "msteams",
    "ms teams": "msteams",
    "teams channel": "msteams channel",
    "teams call": "msteams call",
    "teams meeting": "msteams meeting",
    # "I don't know what to do" is how a situation is asked, not a question about who knows.
    "dont know": "",
    "didnt know": "",
    # Coming back from leave is returning, not stepping back or coming out.
    "came back": "returned",
    "come back": "return",
    "comes back": "returns",
    "coming back": "returning",
    # Not wanting anyone to know who asked is asking anonymously.
    "know it was me": "anonymous",
    "without them knowing": "anonymous",
    # Putting your name down for something is registering for it.
    "put my name down": "register",
    "all hands": "meeting",
    "town hall": "meeting",
    "culture fit": "bias",
    # "Shot down" is not a typo of "short".
    "shot down": "shut down",
    # What is kept about me is my data, though "keep" and "about me" are chatter.
    "info do you keep": "my data",
    "info you keep": "my data",
    "info you have on me": "my data",
    "info about me": "my data",
    "information about me": "my data",
    "sex life": "harassment",
    "want anyone to know": "confidential",
    # Being asked not to tell is being trusted with a secret; deciding not to is not.
    "asked me not to tell": "confidential",
    "told me not to tell": "confidential",
    "promised not to tell": "confidential",
    # Asking what the bot itself does, in words that are otherwise chatter.
    "use you": "bot",
    "what can i ask you": "bot",
    "can this thing": "bot",
    "can you do": "bot",
    "make it right": "apologise",
    "put it right": "apologise",
    "make amends": "apologise",
    "make it up to": "apologise",
    "pass the mic": "amplify",
    "show me": "list",
    "sign myself up": "signup",
    # Learning something is not coming out ("just found out my colleague is autistic").
    "just found out": "",
    "sign up": "signup",
    "sign-up": "signup",
    "signed up": "signup",
    # Saying you are not ok is asking for support, though each word alone is chatter.
    "im not ok": "struggling",
    "im not okay": "struggling",
    "im really not ok": "struggling",
    "im really not okay": "struggling",
    "not doing ok": "struggling",
    "not doing okay": "struggling",
    "where to turn": "struggling",
    # "I feel like" introduces what the asker thinks; the feeling is in what follows. About
    # someone, it is a guess the guard must still read ("i feel like my boss is gay").
    "i feel like my": "i think my",
    "i feel like our": "i think our",
    "i feel like the": "i think the",
    "i feel like": "",
    "it feels like": "",
    "feels like": "",
    # Everyday admin named in two words, each of which an entry has ("meeting" and "room"
    # are in entries, a meeting room is not): read as one word for admin.
    "meeting room": "meetingroom",
    "meeting rooms": "meetingroom",
    "gender pay gap": "genderpaygap",
    "annual leave": "annualleave",
    "hot desk": "hotdesk",
    "desk booking": "deskbooking",
    "car park": "carpark",
    "car parks": "carpark",
    "bank details": "bankdetails",
    "employee number": "employeenumber",
    "email address": "emailaddress",
    "email addresses": "emailaddresses",
    "fire exit": "fireexit",
    "id badge": "idbadge",
    "maternity pay": "maternitypay",
    "meeting invite": "meetinginvite",
    "shared drive": "shareddrive",
    "lunch menu": "lunchmenu",
    # Last, so the phrases above are read first.
    **SITUATION_PHRASES,
}
