"""The knowledge base answers questions written by someone else, and declines the rest.

Two evaluation sets, both in chat style (typos, slang, indirect and emotional phrasing):
tests/handlers/knowledge/eval_questions.toml is the TUNING set, the only one the ranking,
the synonyms and the entries were tuned on; tests/handlers/knowledge/eval_heldout.toml was
written before tuning and never tuned on, so its figures say how the bot does on wording
nobody tuned it for. `expect` is the entry to answer (`also` lists other right answers)
or "not-sure" for an ask the bot must decline. A question counts as answered right when
the bot answers a right entry first (with or without offering a runner-up).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.content import load
from handlers.awareness.dates import parse_calendar
from handlers.knowledge.confidence import SITUATION_LEAD, SITUATION_SCORE, Hit, verdict
from handlers.knowledge.entries import Entry, parse_entries
from handlers.knowledge.guard import asks_about_someone
from handlers.knowledge.ranking import KnowledgeIndex, Verdict
from handlers.knowledge.text import terms, words

TUNING = Path(__file__).with_name("eval_questions.toml")
HELD_OUT = Path(__file__).with_name("eval_heldout.toml")
NOT_SURE = "not-sure"
SHIPPED = parse_entries(load("knowledge.toml"))
INDEX = KnowledgeIndex.build(SHIPPED)
NEW_ENTRIES = (
    "race-and-ethnicity",
    "anti-racism",
    "systemic-racism",
    "inclusive-everyday-language",
    "gender-options-on-forms",
    "setting-up-an-allies-network",
    "captions-and-interpreters",
    "supporting-autistic-colleagues",
    "after-freezing",
    "coming-out-confidentiality",
    "world-aids-day",
    "international-day-of-sign-languages",
)


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expect: str
    also: tuple[str, ...]

    @property
    def on_topic(self) -> bool:
        return self.expect != NOT_SURE

    def accepts(self, got: str) -> bool:
        return got == self.expect or got in self.also


@dataclass(frozen=True, slots=True)
class Score:
    on_right: int
    on_total: int
    off_right: int
    off_total: int
    misses: tuple[str, ...]

    @property
    def on_rate(self) -> float:
        return self.on_right / self.on_total

    @property
    def off_rate(self) -> float:
        return self.off_right / self.off_total

    def summary(self, name: str) -> str:
        return (
            f"{name}: on-topic answered right {self.on_right}/{self.on_total} = "
            f"{self.on_rate:.1%}; off-topic declined {self.off_right}/{self.off_total} = "
            f"{self.off_rate:.1%}"
        )


def _cases(path: Path) -> list[Case]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Case(item["text"], item["expect"], tuple(item.get("also", ())))
        for item in document["question"]
    ]


def answered(question: str) -> str:
    """What `ask` does with the question: the entry it answers with, or "not-sure"."""
    if asks_about_someone(question):
        return NOT_SURE
    best = INDEX.search(question).best
    return best.id if best else NOT_SURE


def _score(path: Path) -> Score:
    on_right = on_total = off_right = off_total = 0
    misses: list[str] = []
    for case in _cases(path):
        got = answered(case.text)
        if case.on_topic:
            on_total += 1
            on_right += case.accepts(got)
        else:
            off_total += 1
            off_right += got == NOT_SURE
        if not case.accepts(got):
            misses.append(f"{case.text!r}: expected {case.expect}, got {got}")
    return Score(on_right, on_total, off_right, off_total, tuple(misses))


def test_the_sets_are_big_and_name_real_entries_and_do_not_overlap() -> None:
    ids = {entry.id for entry in SHIPPED}
    tuning, held_out = _cases(TUNING), _cases(HELD_OUT)
    both = tuning + held_out
    assert sum(case.on_topic for case in both) >= 300
    assert sum(not case.on_topic for case in both) >= 60
    assert sum(case.on_topic for case in held_out) >= 150
    assert sum(not case.on_topic for case in held_out) >= 30
    for case in both:
        if case.on_topic:
            assert case.expect in ids and set(case.also) <= ids, case.text
    # A held-out question copied into the tuning set would be tuned on after all; so would
    # one that reads the same once chat spellings are read ("wat can u do").
    tuned = {" ".join(words(case.text)) for case in tuning}
    assert not [case.text for case in held_out if " ".join(words(case.text)) in tuned]


def test_held_out_questions_get_right_answers_and_off_topic_ones_are_declined() -> None:
    score = _score(HELD_OUT)
    print("\n" + score.summary("held-out"))
    # Misses are not printed: reading them would be tuning on the held-out set. The aim
    # is 95% of each; the ranking answers 164 of 172 on-topic questions right (95.3%) and
    # declines 34 of 35 off-topic ones (97.1%).
    assert score.on_rate >= 0.95, score.summary("held-out")
    assert score.off_rate >= 0.95, score.summary("held-out")


def test_tuning_questions_stay_answered() -> None:
    score = _score(TUNING)
    print("\n" + score.summary("tuning"))
    print("\n".join(score.misses))
    # Each round added fresh batches, each scored before any change was made for it; the
    # fifth added V10-V13 (433 on-topic, 91 off-topic), of which 72% to 79% of the
    # on-topic questions were answered right when written. The whole set now stands at
    # 92.0% on-topic answered right and 97.0% off-topic declined.
    assert score.on_rate >= 0.915, score.misses
    assert score.off_rate >= 0.965, score.misses


def test_words_are_stemmed_the_same_way_for_questions_and_entries() -> None:
    assert terms("Microaggressions?") == terms("microaggression")
    assert terms("apologize") == terms("apologising")
    assert terms("harassed", expand=False) == terms("harassment", expand=False)
    assert "lgbt" in terms("LGBTQ+ colleagues")
    assert terms("What's TDoR?", expand=False) == ["tdor"]
    assert terms("hi, quick question, what is it") == []


def test_a_typo_is_corrected_to_a_known_word() -> None:
    best = INDEX.search("alyship").best
    assert best is not None and "allyship" in best.id


@pytest.mark.parametrize(
    ("question", "right"),
    [
        # Two letters swapped in a short word are one slip, not two.
        ("when is pirde month", "pride-month"),
        ("tarns awareness week dates", "trans-awareness-week"),
        # A typo is corrected to a word the entries have only inside a phrase.
        ("non binairy meaning", "non-binary"),
    ],
)
def test_swapped_letters_are_a_typo(question: str, right: str) -> None:
    best = INDEX.search(question).best
    assert best is not None and best.id == right


@pytest.mark.parametrize(
    ("question", "right"),
    [
        # One entry far ahead, though "feminism" is in no entry.
        ("intersectional feminism what is it", {"intersectionality"}),
        # One word naming a keyword only one entry has.
        ("features", {"bot-help"}),
        # A corrected spelling still makes it about the network.
        ("pride netwrok", {"pride-network"}),
        # Years are not search words: the bot works out the dates.
        ("bhm 2027 dates", {"black-history-month"}),
        # Someone coming out, though nobody said "coming out".
        ("my mate told me hes bi, what do i say", {"coming-out", "coming-out-confidentiality"}),
        ("what does it mean to out someone", {"being-outed"}),
        # Joining a network is how networks work, not what the network is.
        ("how do i join the race equality network", {"how-to-join"}),
        ("explain neurodiversity to me like im five", {"neurodiversity"}),
        ("how can i support my trans coworker day to day", {"ally-at-work"}),
        # A long situation reads like no short phrasing: a clear lead is enough.
        ("our interview panel is always the same three white men", {"unconscious-bias"}),
        # Leaving one network is how leaving works for every network.
        ("how do i get out of the race equality network", {"leaving-and-forget-me"}),
        ("how do i sign myself up to the disability network", {"how-to-join"}),
        # Forms of chatter ("keeps", "getting") are chatter; the question is the rest.
        ("i keep getting asked where im really from", {"microaggressions"}),
        # Learning something about a colleague is not them coming out.
        (
            "just found out my new colleague is autistic, any advice on working together",
            {"supporting-autistic-colleagues"},
        ),
        # Everyday words of a situation point at the entry.
        ("a colleague keeps calling my trans friend sir", {"misgendering"}),
        # "Called them she" is a wrong pronoun, not calling someone out.
        ("oops called them she instead of they", {"pronouns-getting-it-wrong", "misgendering"}),
        # However many words name the person, and with the pronoun in quotes.
        ('my manager keeps calling our new nonbinary colleague "she"', {"misgendering"}),
        # Someone coming out to you is about keeping it to yourself.
        (
            "someone came out as trans to me at work, should i tell our manager",
            {"coming-out-confidentiality"},
        ),
        (
            "i said something dumb in a meeting, how do i make it right",
            {"mistakes-and-apologising"},
        ),
        ("we hired three people who all went to the same school as the boss", {"unconscious-bias"}),
        # Telling others what a colleague is, is outing them.
        ("should i let the team know that my coworker is trans", {"being-outed"}),
        # Calling someone by a former name is not calling them a pronoun.
        (
            "im so embarrassed, i called my colleague by her old name in front of everyone",
            {"deadnaming"},
        ),
        # A typo of a word people type for an entry's word.
        ("i keep mixing up my cowrokers pronouns, how do i stop", {"pronouns-getting-it-wrong"}),
        # Whether others will see that the asker took part is about privacy, not sessions.
        (
            "will anyone in my team see that i registered for the disability session",
            {"will-my-manager-know", "what-the-bot-stores"},
        ),
        # Words that came out wrong are a mistake, not someone coming out.
        (
            "something i said came out really racist, how do i apologise",
            {"microaggression-if-you-did-it", "mistakes-and-apologising"},
        ),
        # Someone came out, however the sentence goes on.
        ("my colleague came out so i want to support her, what should i do", {"coming-out"}),
        ("he came out really recently, how do i support him", {"coming-out"}),
        # "Racial" and "hiv" are ordinary words, not the names of awareness days.
        ("how do i report racial discrimination at work", {"reporting-discrimination"}),
        # The office and its badge come up in questions about deadnaming and adjustments.
        ("my email address still shows my deadname", {"deadnaming"}),
        (
            "the heating is too cold for my disability, can i ask for adjustments",
            {"access-needs", "reasonable-adjustments"},
        ),
        # Whether others will know is about privacy, not about a visibility day.
        ("will people know i joined as a lesbian", {"will-my-manager-know"}),
        # A phrase across a double space or a line break.
        ("im not  ok at the moment and dont know where to turn", {"mental-health-support"}),
        # One meaningful word: the question words say which entry it is about.
        ("who can join", {"who-can-join"}),
        ("how do i join", {"how-to-join"}),
        # Saying you are not ok asks for support, though each word is chatter.
        ("im really not ok at the moment and dont know where to turn", {"mental-health-support"}),
        # A date named by a name only it has needs no "when".
        (
            "what's TDOV and how is it different from the remembrance one",
            {"trans-day-of-visibility"},
        ),
    ],
)
def test_ways_of_asking_are_read_for_what_they_mean(question: str, right: set[str]) -> None:
    best = INDEX.search(question).best
    assert best is not None and best.id in right, question


def test_a_one_word_question_on_a_keyword_several_entries_share_is_not_answered() -> None:
    assert INDEX.search("tell me a joke").best is None


def test_a_two_word_question_mostly_about_a_word_no_entry_has_is_not_answered() -> None:
    # "scores" is a word of the feedback entry, but the question is about football.
    assert INDEX.search("football scores today").best is None


def _entry(entry_id: str, title: str, answer: str = "An answer.") -> Entry:
    return Entry(id=entry_id, kind="answer", title=title, answer=answer)


def test_one_clear_lead_is_answered_alone_and_two_close_ones_together() -> None:
    index = KnowledgeIndex.build(
        (
            *SHIPPED,
            _entry("buddy-new", "Buddy scheme for new starters"),
            _entry("buddy-returning", "Buddy scheme for returners"),
            _entry("menopause", "Menopause support at work"),
        )
    )
    clear = index.search("is there menopause support")
    assert clear.verdict is Verdict.ANSWER and clear.best is not None
    assert clear.best.id == "menopause" and clear.runner_up is None

    close = index.search("tell me about the buddy scheme")
    assert close.verdict is Verdict.ANSWER_WITH_RUNNER_UP
    assert {close.best.id, close.runner_up.id} == {"buddy-new", "buddy-returning"}  # type: ignore[union-attr]

    nothing = index.search("what is the wifi password")
    assert nothing.verdict is Verdict.NOT_SURE and nothing.best is None


def test_a_long_situation_far_ahead_on_one_entry_is_answered_though_its_keywords_miss() -> None:
    """"Nobody in my team ever admits mistakes, how do i change that as their manager":
    the words of what happened, none of them the entry's own."""
    best = Hit(_entry("safety", "Psychological safety"), 8.5, 36.0, 0.7, 0.1)
    far_behind = Hit(_entry("coming-out", "Coming out"), 6.0, 39.0, 0.3, 0.2)
    close_behind = Hit(_entry("coming-out", "Coming out"), 8.0, 39.0, 0.6, 0.2)
    assert verdict([best, far_behind], words=8) is Verdict.ANSWER
    # Only when far ahead, and only in a long question...
    assert verdict([best, close_behind], words=8) is Verdict.NOT_SURE
    assert verdict([best, far_behind], words=3) is Verdict.NOT_SURE
    # ...unless the score is very high (SITUATION_SCORE): then a little ahead is enough,
    # and the runner-up is offered beside it.
    stronger = dataclasses.replace(best, score=SITUATION_SCORE)
    assert stronger.rank >= close_behind.rank * SITUATION_LEAD
    assert verdict([stronger, close_behind], words=8) is Verdict.ANSWER_WITH_RUNNER_UP
    weaker = dataclasses.replace(best, score=SITUATION_SCORE - 0.1)
    assert weaker.rank >= close_behind.rank * SITUATION_LEAD
    assert verdict([weaker, close_behind], words=8) is Verdict.NOT_SURE


def test_a_strong_match_is_answered_with_its_runner_up_unless_the_ask_is_admin() -> None:
    """A long situation scoring very high on one entry a little ahead of the next, or a
    short question a third explained by one entry, is answered rather than "not sure",
    with the runner-up offered when it is close; a question naming admin is not."""
    story = Hit(_entry("after-freezing", "After freezing"), 12.0, 15.0, 0.26, 0.26)
    next_story = Hit(_entry("bystander", "Being an active bystander"), 10.0, 20.0, 0.26, 0.26)
    assert verdict([story, next_story], words=10) is Verdict.ANSWER_WITH_RUNNER_UP
    assert verdict([story, next_story], words=10, admin=True) is Verdict.NOT_SURE
    short = Hit(_entry("intersex", "Intersex"), 6.6, 57.0, 0.33, 0.33)
    far_behind = Hit(_entry("coming-out", "Coming out"), 3.0, 40.0, 0.2, 0.2)
    assert verdict([short, far_behind], words=3) is Verdict.ANSWER
    weak = Hit(_entry("intersex", "Intersex"), 5.0, 57.0, 0.33, 0.33)
    assert verdict([weak, far_behind], words=3) is Verdict.NOT_SURE


def test_lead_entries_merge_with_shipped_ones() -> None:
    extra = Entry(id="buddy", kind="answer", title="Buddy scheme", answer="Pairs.", local=True)
    index = KnowledgeIndex.build((*SHIPPED, extra))
    assert index.search("what is the buddy scheme").best == extra


def test_shipped_entries_point_at_real_entries_and_calendar_dates() -> None:
    ids = {entry.id for entry in SHIPPED}
    dates = {rule.id for rule in parse_calendar(load("calendar.toml"))}
    assert len(SHIPPED) >= 40
    for entry in SHIPPED:
        assert set(entry.related) <= ids, entry.id
        assert not entry.calendar or entry.calendar in dates, entry.id


def test_every_awareness_date_has_an_entry() -> None:
    dates = {rule.id for rule in parse_calendar(load("calendar.toml"))}
    covered = {entry.calendar for entry in SHIPPED if entry.calendar}
    assert dates - covered == set()


def test_no_phrasing_belongs_to_two_entries() -> None:
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for entry in SHIPPED:
        for phrasing in dict.fromkeys((entry.title, *entry.questions)):
            key = " ".join(words(phrasing))
            if key in owner and owner[key] != entry.id:
                clashes.append(f"{phrasing!r}: {owner[key]} and {entry.id}")
            owner.setdefault(key, entry.id)
    assert clashes == []


def test_every_entry_names_its_source_and_when_it_was_checked() -> None:
    by_id = {entry.id: entry for entry in SHIPPED}
    assert set(NEW_ENTRIES) <= set(by_id)
    for entry in SHIPPED:
        assert entry.source, entry.id
        assert entry.checked is not None and entry.checked <= dt.date(2026, 12, 1), entry.id


@pytest.mark.parametrize(
    "question",
    [
        "how much holiday allowance have i got left",
        "my pension statement",
        "where do i get my p60",
        "hotel for the leeds offsite",
        "whats on the canteen menu today",
        "parking at the new office?",
        # A train to catch is not training; out of office is not coming out.
        "how do i book a train to the glasgow office",
        "how do i set an out of office reply",
        # A corrected word is no strong match: "cancer" is no typo of "cancel".
        "best cure for cancer",
        "hiv symptoms",
        # A real word is no typo: "sing" is not "sign".
        "can i sing at the pride event",
        # A long ask with an admin word is not answered on a lead over weak matches.
        "what date is Eid this year? need to plan the team rota",
    ],
)
def test_everyday_admin_is_not_mistaken_for_a_typo_of_a_topic(question: str) -> None:
    # "allowance" is no typo of "allowed", nor "leeds" of "leads".
    assert answered(question) == NOT_SURE
