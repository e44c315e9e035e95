"""Asks about a person are declined before any entry is searched; support questions are not.

A false decline is a dead end for the person asking ("That's theirs to share"), and the
worst of them meet someone who has just been outed, so both lists matter equally.
"""

from __future__ import annotations

import pytest

from handlers.knowledge.guard import asks_about_someone

ABOUT_SOMEONE = [
    "is my manager gay",
    # A guess about someone's health, after what was seen of them.
    "hes been off work a lot lately, does he have a disability",
    "i suspect the guy in accounts might be dyslexic",
    # Who has come out, which is theirs to tell.
    "has anybody in finance come out",
    "who has come out in the sales team",
    "which colleagues are in the pride network",
    "who in my team is trans?",
    "Is Sam from payroll bisexual",
    "how can I tell if my co-worker is a lesbian",
    "list the members of the disability network",
    "who registered for the allyship training",
    "can you tell me who the pride network leads are dating",
    "is my colleague pregnant",
    "is the new guy in marketing gay",
    "is priya in the race equality network",
    "who has signed up to the trans awareness session",
    "which colleagues signed up for the pride social",
    "is sam from hr a member of the pride network",
    "could you tell me whether my line manager is in the lgbt network",
    "is anybody on my team neurodivergent",
    "did my boss sign up for the race equality webinar",
    "has he told anyone he is gay",
    "what adjustments did kim ask for",
    "is the new finance director jewish",
    "is the head of marketing a lesbian",
    "can you check if shes in the disability group",
    "she walks with a cane, is she disabled",
    "how many muslim colleagues work here",
    "can you give me a list of everyone in the pride group",
    "who's registered for the menopause talk",
    "is alex a member of pride",
    "can you check if tom is in the pride network",
    "who is coming to the pride social",
    "who's attending the menopause talk",
    "tell me whether my manager is gay",
    "do you know if sarah is gay",
    "is there anyone gay in my team",
    "are there any trans people in my team",
    "does tom have adhd",
    "what disability does sam have",
    "what did tom put for his access needs",
    "is the new starter hiv positive",
    "how can i tell if a coworker is gay",
    "whos the gay guy in accounts",
    "im planning an event, which of my direct reports have joined the pride network",
    # Someone's membership, however it is asked.
    "can u tell me if dave joined as a member or an ally",
    "did jess sign up as a member or an ally",
    "has my line manager ever joined the disability group",
    "send me the member list for the disability network",
    "show me the member list",
    # A trans colleague's former name is theirs alone.
    "whats tom's name from before he transitioned",
    "what was her name before she transitioned",
    "what name did they use before they transitioned",
    # A rumour to be confirmed.
    "someone said tom is hiv positive, is that true",
    "is it true that my boss is gay",
    "my friend says Dave from IT has ADHD, can you confirm that",
    # Guesses about a person, however they are placed or described.
    "does Tom from IT have ADHD? he always seems distracted",
    "does sam in IT have adhd? he never sits still lol",
    "is the new guy on our team muslim? wondering about the lunch order",
    "is the woman who sits by the window muslim? she never comes to the pub with us",
    "is my team lead off on long-term sick because of depression?",
    "what religion is priya on my team, i want to know if she'll be fasting",
    "would it be weird if I asked you whether Sarah in HR is trans",
    "who's in the pride network from the finance team?",
    # An anonymous question stays anonymous; adjustments are the asker's own.
    "was it mark who sent the anonymous question to the leads",
    "can you tell me who sent the anonymous question",
    "which of my reports have asked for adjustments",
    "which of my direct reports have reasonable adjustments",
    "did james put any access needs down for the session",
    "can u tell me if dave in finance joined the neurodiversity network",
    "send me the list of people who went to the pride social",
    "whats the old name of the trans person in accounts",
    # Feedback is anonymous.
    "who gave the session a 1 star rating",
]

NOT_ABOUT_SOMEONE = [
    "my colleague is trans, how can i support her",
    "is being bi the same as being pan",
    "who can join the pride network",
    "which networks are there",
    "is it ok to ask someone if they're gay",
    "my new manager is autistic, what helps",
    "is october adhd month",
    "is disability network open to allies",
    "is there a network for carers",
    "which month is lgbt history month in the uk",
    "which week is trans awareness week",
    "is it ok to join the pride network if i'm straight",
    "did i register for the allyship webinar",
    "how many sessions can i book",
    "my colleague is muslim, how can i support her during ramadan",
    "should i tell my manager our new starter is trans",
    "my colleague told me she is bi, should i tell anyone",
    # Someone who has just been outed asks what to do.
    "has she told anyone i'm gay, what can i do",
    "my manager outed me, has she told anyone else",
    "has he told everyone i'm trans",
    "has my colleague told hr about my condition",
    "has my manager told hr i'm disabled",
    # Who may join or come.
    "are allies allowed to join the pride network",
    "is everyone allowed to attend the pride social",
    "are managers allowed to join the disability network",
    "is anyone allowed to join the pride network",
    "did my manager register me for the training",
    "are bi people in the lgbt network",
    "are trans people in the lgbt network",
    "if my manager is in the pride network will they see my name",
    "are any of the sessions for trans people",
    "is anyone on hand to support disabled staff",
    # Groups, not a person.
    "what adjustments do disabled people usually need",
    "what reasonable adjustments do autistic people need",
    "what needs do deaf staff have",
    "what access needs does the building have",
    "how many people are autistic",
    "what percentage of people are lgbt in the uk",
    "what proportion of disabled people are in work",
    "how many sessions are there for disabled staff",
    "who is bi visibility day for",
    "who is disabled under the law",
    "which people are disabled under the equality act",
    "who can see that i signed up for the pride social",
    # Coming out oneself, or someone coming out to the asker.
    "who can i talk to about coming out",
    "what do i say if someone comes out to me",
    "who should i come out to first",
    "does she have to tell hr about her disability",
    # Groups, the law, and people thinking of coming out themselves.
    "can staff who have any kind of disability get adjustments",
    "my employee has long covid, does she have a disability under the equality act",
    "has anyone come out at work? how did it go",
    "which network helps staff who have come out",
    "i think my manager in finance is lgbt friendly",
    # How joining works, one's own name and rumours about a group.
    "has anyone ever joined as an ally",
    "can i sign up as a member or an ally",
    "did i sign up as a member or an ally",
    "is it ok to ask someone their old name",
    "my colleague transitioned, what if i use her old name by mistake",
    "send me the link to join",
    "is it true that trans people are more likely to be harassed",
    "people say hiv is a death sentence, is that true",
    "is it true that she is the network lead",
    "my colleague told me she is gay, what should i say",
    "my colleague is off with depression, how can i support him",
    "is a colleague with adhd covered by the equality act",
    "is the colleague who told me she is trans protected",
    "what religion celebrates diwali",
    "is it ok to ask my colleague with depression how she is",
    "can the leads see who sent an anonymous question",
    "how do i send an anonymous question",
    # Being asked about someone, by someone else, and wanting to keep a confidence.
    "a coworker told me she's a lesbian and only i know. now someone keeps askin me if "
    "shes seeing anyone. how do i handle it",
    "my manager keeps asking me if my colleague is gay, what do i say",
    "did i put any access needs down",
    "send me the list of networks",
    "show me the list of sessions",
    "who gave the talk at the pride social",
    "how do i give the session a rating",
    "who left feedback, is it anonymous",
]


@pytest.mark.parametrize("question", ABOUT_SOMEONE)
def test_asks_about_someone_else_are_declined(question: str) -> None:
    assert asks_about_someone(question)


@pytest.mark.parametrize("question", NOT_ABOUT_SOMEONE)
def test_questions_about_supporting_people_are_not_mistaken_for_outing(question: str) -> None:
    assert not asks_about_someone(question)


def test_long_and_odd_input_is_read_quickly() -> None:
    # The rules run on every question: a long message must not make a regex backtrack.
    import time

    started = time.perf_counter()
    for text in ("is my " * 2000, "who " + "a " * 5000 + "gay", "\x00" * 10_000):
        asks_about_someone(text)
    assert time.perf_counter() - started < 2.0
