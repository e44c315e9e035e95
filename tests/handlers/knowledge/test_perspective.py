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
        ("what is a microaggression", None),
        ("should i say disabled person or person with a disability", None),
    ],
)
def test_the_askers_side_of_a_situation_is_read(question: str, expected: Side | None) -> None:
    assert side(question) is expected
