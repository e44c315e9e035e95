"""Situations a review found answered wrongly or unkindly, kept so they cannot come back.

Each is a real person's wording: the entry it must answer, or "not-sure" for an everyday
question that is not about the knowledge base at all.
"""

from __future__ import annotations

import pytest

from bot.content import load
from handlers.knowledge.entries import parse_entries
from handlers.knowledge.ranking import KnowledgeIndex

NOT_SURE = "not-sure"
INDEX = KnowledgeIndex.build(parse_entries(load("knowledge.toml")))


def _answer(question: str) -> str:
    best = INDEX.search(question).best
    return best.id if best else NOT_SURE


# A manager's "reports" are people, but a report of abuse must still read as reporting.
REPORTS = [
    ("my direct report told me she is being harassed", "reporting-discrimination"),
    ("my reports about racism to hr were ignored", "reporting-discrimination"),
    ("nobody acted on my reports of homophobic abuse", "reporting-discrimination"),
    ("one of my direct reports says she is being bullied", "reporting-discrimination"),
]


@pytest.mark.parametrize(("question", "right"), REPORTS)
def test_a_report_is_still_a_report_when_a_manager_asks(question: str, right: str) -> None:
    assert _answer(question) == right


# Someone on the receiving end of abuse is not the one who made a microaggression.
TARGETS = [
    ("my manager pulled me up for my accent", "microaggressions"),
    ("i was told off for wearing a hijab", "reporting-discrimination"),
    ("my manager keeps calling me sweetheart", "microaggressions"),
    ("a colleague called me a terrorist", "reporting-discrimination"),
    ("someone drew a swastika in the toilets", "reporting-discrimination"),
]


@pytest.mark.parametrize(("question", "right"), TARGETS)
def test_slurs_and_hate_symbols_aimed_at_you_are_not_your_mistake(
    question: str, right: str
) -> None:
    assert _answer(question) == right


# Everyday work questions that only shared a single generic word with an entry.
EVERYDAY = [
    "is there parking at the office",
    "that was boring",
    "whats your opinion on remote work",
    "i grew up in leeds",
    "i have a poor connection",
    "how do i join video calls from my phone",
    "do a background check",
    "where do i begin with the new expenses system",
    "i feel lost, i'm new and dont know anyone",
    "how do i complete my performance review",
    pytest.param(
        "what time is the standup",
        marks=pytest.mark.xfail(reason="captions keeps 'standups': tuning needs it", strict=True),
    ),
    pytest.param(
        "can i skip team meetings",
        marks=pytest.mark.xfail(reason="captions keeps 'team meetings'", strict=True),
    ),
]


@pytest.mark.parametrize("question", EVERYDAY)
def test_everyday_work_questions_are_not_answered(question: str) -> None:
    assert _answer(question) == NOT_SURE


# Someone wondering about themselves needs the entry about who they may be, and someone
# who was outed needs to hear what they can do, not "never do it".
ABOUT_YOURSELF = [
    ("i think i might be trans, who can i talk to", "trans"),
    ("my manager outed me to the team what can i do", "being-outed"),
]


@pytest.mark.parametrize(("question", "right"), ABOUT_YOURSELF)
def test_questioning_and_being_outed_are_about_you(question: str, right: str) -> None:
    assert _answer(question) == right


def test_the_outing_entry_speaks_to_the_person_who_was_outed() -> None:
    (entry,) = (entry for entry in INDEX.entries if entry.id == "being-outed")
    assert "If someone outed you" in entry.answer
    assert "Acas" in entry.answer and "HR" in entry.answer
