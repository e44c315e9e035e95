"""The words the guard's rules are made of: identities, conditions, people, names, places.

Shared by `handlers.knowledge.guard` and `handlers.knowledge.guard_rules`, so that "a
person" or "a first name" means the same in every rule.
"""

from __future__ import annotations

from handlers.knowledge.text import word_set

IDENTITY = (
    r"(?:gay|lesbian|lesbians|bi|bisexual|pan|pansexual|queer|trans|transgender|straight|"
    r"non ?binary|nonbinary|enby|intersex|asexual|ace|lgbt\w*|homosexual|in the closet|"
    r"closeted|disabled|autistic|adhd|dyslexic|neurodivergent|neurodiverse|deaf|blind|"
    r"hiv positive|hiv|bipolar|on the spectrum|"
    r"mentally ill|pregnant|muslim|jewish|christian|hindu|sikh|buddhist|catholic|atheist|"
    r"religious)"
)
CONDITION = (
    r"(?:adhd|autism|hiv|aids|dyslexia|a disability|disability|depression|cancer|bipolar|ocd|"
    r"epilepsy|anxiety|ms|a diagnosis|a mental health condition|mental health problems?)"
)
PERSON = (
    r"(?:manager|boss|colleague|colleagues|coworker|coworkers|co worker|teammate|teammates|"
    r"team leader|team lead|line manager|director|ceo|cfo|cto|chair|supervisor|friend|"
    r"employee|staff|people|person|guy|girl|man|woman|lady|bloke|receptionist|intern|"
    r"cleaner|new starter|new hire|head of \w+|report|reports|team member|team members|he|she|"
    r"they|him|her|them)"
)
# "my manager", "the new guy in marketing": a determiner makes it someone in particular,
# where "trans people" or "allies" is a group.
DET = r"(?:my|our|the|his|her|their|that|this)"
SOMEONE = rf"(?:{DET}\s+(?:\w+\s+){{0,2}}?{PERSON})"
NOT_A_NAME = word_set(
    """
    it this that there being saying calling using asking intersex adhd autism trans bi
    gay lesbian queer pride dyslexia neurodiversity someone anyone everyone allyship
    ethnicity race sexuality gender the a an disability disabled ally allies lgbt staff
    my our your there here everybody anybody somebody nobody equality womens i we you me
    he she they people men women managers
    january february march april may june july august september october november december
    today tomorrow tonight monday tuesday wednesday thursday friday saturday sunday
    ramadan eid diwali christmas hanukkah passover vaisakhi easter islam judaism sikhism
    holi navratri lent yom kippur hinduism buddhism christianity atheism paganism
    bisexual pansexual demisexual asexual asexuality aromantic aro ace nonbinary enby
    transgender cisgender cis homosexual homosexuality bisexuality heterosexual straight
    intersectionality neurodivergent neurodivergence neurotypical autistic dyslexic
    dyspraxia dyspraxic dyscalculia dysgraphia tourettes tourette epilepsy ocd bipolar
    depression anxiety hiv aids cancer diabetes deafness blindness menopause stammer
    session sessions webinar webinars zoom teams room rooms booking event events training
    course workshop social network networks group groups everything nothing something
    bot allybot hr it data feedback question questions list entry calendar
    with without from in on at of for to about by into who whos which what when where why
    how and or but so not no just really actually also very still always never ever been
    was were is are be do does did has have had can could should would will might must
    genderfluid agender genderqueer questioning bicurious aspergers asperger add ptsd bpd
    stuttering polyamory polyamorous pansexuality demisexuality transsexual crossdressing
    veganism yoga stonewall im ive id ill myself mine u ur folks lots many food drinks
    snacks parking captions subtitles ramps ramp leads lead interpreters bsl recordings
    recording slides lunch
    """
)
# Where a person is placed: "tom from it", "sam in the london office".
PLACED = r"(?:\s+(?:from|in|on|at)\s+(?:the\s+|my\s+|our\s+)?\w+(?:\s+office)?)?"
# A first name: one word that is none of the words above ("tom", "priya").
NAME = rf"(?:(?!(?:{'|'.join(sorted(NOT_A_NAME))})\b)[a-z]+)"
# What "which ..." or "who is ..." can ask about that is not a person: a date, a word.
NOT_PEOPLE = (
    r"(?:month|day|week|date|year|time|word|term|flag|colour|color|network|group|event|"
    r"session|entry|one)s?"
)
# "who is bi visibility day for", "who is disabled under the law": the day or the law.
NOT_A_PERSON_AFTER = r"(?!\s+(?:visibility|awareness|history|pride|day|week|month|under|by law))"
NETWORK = r"(?:network|netw\w+|group|pride)s?"
GATHERING = (
    r"(?:network|netw\w+|group|session|training|webinar|social|event|talk|workshop|course)s?"
)
MEMBERS = (
    r"(?:in|on|joined|members? of|part of|belongs? to|(?:signed up|signup) (?:to|for)|"
    r"registered (?:for|on|to)|going to|coming to|attending|booked (?:on|onto|for))"
)
# Whether people may join or come is how a network works, not who is in it.
MAY = r"(?:allowed|able|welcome|meant|supposed|permitted|eligible|free)"
WORKPLACE = (
    r"(?:team|department|office|floor|company|organisation|workplace|building|division|unit|"
    r"branch)"
)
# "toms", "priyas" once apostrophes are gone: a name and its "s", where the name is none of
# the words above ("prides" is the pride network's).
NAMES = rf"(?:(?!(?:{'|'.join(sorted(NOT_A_NAME))})s?\b)[a-z]+s)"
# What the law says about someone ("is she disabled under the equality act") asks about the
# law, not the person.
NOT_THE_LAW = r"(?!.*\b(?:under the|equality act|in law|legally|classed as|counts? as)\b)"
