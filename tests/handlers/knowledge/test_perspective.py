"""Who did what in a situation is read the same way for questions and entries."""

from __future__ import annotations

import pytest

from handlers.knowledge.perspective import Side, side


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("i made a joke about her accent and she went quiet", Side.ACTOR),
        ("someone pulled me up on a comment i made", Side.ACTOR),
        ("i got their pronouns wrong", Side.ACTOR),
        ("kept misgendering my new teammate all week", Side.ACTOR),
        ("a guy in finance posted a nasty joke about muslims in the group chat", Side.WITNESS),
        ("my boss made a comment about my hair again", Side.TARGET),
        ("what do i do if i overhear a homophobic joke", Side.WITNESS),
        ("my colleague is being bullied for being gay", Side.WITNESS),
        ("my boss keeps making digs about my accent", Side.TARGET),
        ("i'm being harassed at work", Side.TARGET),
        ("i accidentally deadnamed her in a meeting", Side.ACTOR),
        ("i stood up for a colleague and now im getting grief", Side.WITNESS),
        ("i was bullied at my last job", Side.TARGET),
        # Forgetting is the asker's own doing, however "keep" reads.
        ("i keep forgetting my colleagues new pronouns", Side.ACTOR),
        ("my team lead keeps calling our colleague she", Side.WITNESS),
        ("a colleague keeps calling my trans friend sir", Side.WITNESS),
        # Calling out, complaining, asking for help or calling hr is not doing the harm.
        ("i called out a racist joke and now my team is ignoring me", Side.WITNESS),
        ("i made a complaint about my manager", None),
        ("i asked my manager for adjustments and she laughed at me", Side.TARGET),
        ("i called hr about being harassed", Side.TARGET),
        ("i don't want anyone to know i asked", None),
        # The harmful act itself is the asker's doing.
        ("i called my colleague a slur without thinking", Side.ACTOR),
        ("i made an offensive joke in the team chat", Side.ACTOR),
        ("i asked a coworker where she was 'really' from", Side.ACTOR),
        ("i keep getting his pronouns wrong", Side.ACTOR),
        # Seeing or hearing needs a person or an act after it.
        ("i watched a webinar on allyship", None),
        ("has anyone heard of the disability network", None),
        ("i heard someone make a racist joke", Side.WITNESS),
        ("i just watched, how do i help next time", Side.WITNESS),
        # Being called something, and getting things that are not done to anyone.
        ("someone called me a slur", Side.TARGET),
        ("they keep calling me he", Side.TARGET),
        ("i keep getting transphobic comments from a coworker", Side.TARGET),
        ("im getting married", None),
        ("what is a microaggression", None),
        ("should i say disabled person or person with a disability", None),
    ],
)
def test_the_askers_side_of_a_situation_is_read(question: str, expected: Side | None) -> None:
    assert side(question) is expected
