"""Questions and answers through the router: what people see, and what the database keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from handlers.questions import purge_question_links
from storage.models import AnonymousQuestion, User
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger

PRIDE_LEADS = ["console:alex"]


async def _questions(app: Application) -> list[AnonymousQuestion]:
    async with app.database.transaction() as session:
        return list((await session.scalars(select(AnonymousQuestion))).all())


def _commands(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [button.command for button in reply.all_buttons]


# ----- answering ---------------------------------------------------------------


async def test_ask_answers_from_the_knowledge_base_and_names_its_source(app: Application) -> None:
    reply = await say_one(app, "ask what is allyship?")

    assert reply.heading == "What is allyship?"
    assert "supports colleagues from a group they don't belong to" in reply.text
    assert "`kb what-is-allyship`" in (reply.context or "")
    related = _commands(reply)
    assert 1 <= len(reply.buttons) <= 3
    assert all(command.startswith("kb ") for command in related)
    assert len(set(related)) == len(related)
    assert reply.visibility is Visibility.PRIVATE


async def test_free_text_with_typos_and_chatter_is_taken_as_a_question(app: Application) -> None:
    reply = await say_one(app, "hi, quick question — what's intersectionalty?")

    assert reply.heading == "Intersectionality"


async def test_related_buttons_open_the_related_entry(app: Application) -> None:
    first = await say_one(app, "what is TDoR")
    assert first.heading == "Transgender Day of Remembrance (TDoR)"

    follow = await say_one(app, first.all_buttons[0].command)
    assert follow.heading == "Trans Awareness Week (TAW)"


async def test_plain_commands_still_run_as_commands(app: Application) -> None:
    reply = await say_one(app, "networks")

    assert reply.heading == "Staff networks"


async def test_a_question_in_a_channel_is_answered_privately(app: Application) -> None:
    reply = await say_one(app, "what is masking", shared=True)

    assert reply.heading == "Masking"
    assert reply.visibility is Visibility.PRIVATE


async def test_awareness_dates_are_computed_from_today(app: Application, clock: FixedClock) -> None:
    # 21 November 2026: this year's week is over, so the answer is next year's.
    after = await say_one(app, "when is trans awareness week")
    assert "Trans Awareness Week is next 13–19 November 2027." in after.text

    clock.set(datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    during = await say_one(app, "when is TAW")
    assert "Trans Awareness Week is on now: 13–19 November 2026." in during.text

    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    today = await say_one(app, "when is tdor")
    assert "Transgender Day of Remembrance is today, 20 November 2026." in today.text


async def test_calendar_lists_the_coming_dates(app: Application) -> None:
    reply = await say_one(app, "calendar")

    assert "UK Disability History Month: 16 November – 16 December 2026 (on now)" in reply.text
    assert "International Day of Persons with Disabilities: 3 December 2026" in reply.text
    assert "Trans Awareness Week" not in reply.text  # just ended


async def test_kb_shows_one_entry_and_says_when_there_is_none(app: Application) -> None:
    shown = await say_one(app, "kb privilege")
    assert shown.heading == "Privilege"

    missing = await say_one(app, "kb no-such-entry-xyz")
    assert "couldn't find that entry" in missing.text


# ----- not sure ---------------------------------------------------------------------


async def test_off_topic_question_gets_not_sure_with_suggestions_and_an_offer(
    app: Application,
) -> None:
    reply = await say_one(app, "book me a meeting room")

    assert reply.heading == "Not sure"
    assert "rather not guess" in reply.text
    commands = _commands(reply)
    assert any(command.startswith("kb ") for command in commands)
    # Only networks with leads to receive it are offered.
    assert "ask leads pride book me a meeting room" in commands
    assert "anonymously" in reply.text


# ----- bad input --------------------------------------------------------------------


async def test_bad_input_gets_short_kind_replies_and_is_never_echoed(app: Application) -> None:
    cases = {
        "ask": "What would you like to know?",
        "ask    ": "What would you like to know?",
        # The router answers a bare `<!channel>` itself (it looks like a mistyped command).
        "<!channel>": "",
        "ask <!channel>": "can't notify a channel",
        "<!here> <@U123> <!channel>": "can't notify a channel",
        "😀🎉🏳️‍🌈": "only read words",
        ":wave: :tada:": "only read words",
        "¿Dónde está la sala de reuniones para la reunión?": "only read questions in English",
        "Что такое союзничество?": "only read questions in English",
        "what is " + "allyship " * 70: "longer than I can search well",
        "x" * 10_000: "characters long",
    }
    for text, expected in cases.items():
        reply = await say_one(app, text)
        assert expected in reply.text, (text[:40], reply.text)
        assert len(reply.text) < 400
        for odd in ("<!channel>", "<!here>", "<@U123>", "xxxxxxxxxx", "allyship allyship"):
            assert odd not in reply.text


async def test_a_channel_ping_inside_a_real_question_is_dropped(app: Application) -> None:
    reply = await say_one(app, "<!channel> what is privilege")

    assert reply.heading == "Privilege"
    assert "<!channel>" not in reply.text


# ----- anonymous questions ------------------------------------------------------------


async def test_the_asker_is_told_what_happens_before_anything_is_sent(
    app: Application, messenger: RecordingMessenger
) -> None:
    reply = await say_one(app, "ask leads pride is there a trans support group?", user="robin")

    assert "without your name" in reply.text
    assert "30 days" in reply.text
    assert "until the answer reaches you" in reply.text
    assert _commands(reply) == ["send question 1", "discard question 1"]
    assert messenger.sent == []
    [draft] = await _questions(app)
    assert draft.status == "draft"


async def test_anonymous_question_reaches_leads_without_a_name_and_the_answer_comes_back(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride is there a trans support group?", user="robin")
    sent = await say_one(app, "send question 1", user="robin")
    assert "without your name" in sent.text

    assert [notice.recipient_key for notice in messenger.sent] == PRIDE_LEADS
    to_lead = messenger.sent[0].reply
    assert "is there a trans support group?" in to_lead.text
    assert "answer 1" in to_lead.text
    assert "robin" not in to_lead.text.lower()

    answered = await say_one(app, "answer 1 Yes: the Pride network runs one monthly.", user="alex")
    assert "on its way" in answered.text
    assert "kb publish 1" in _commands(answered)

    to_asker = messenger.sent[-1]
    assert to_asker.recipient_key == "console:robin"
    assert "the Pride network runs one monthly" in to_asker.reply.text
    assert "alex" not in to_asker.reply.text.lower()
    [question] = await _questions(app)
    assert question.asker_user_id is None
    assert question.status == "answered"

    again = await say_one(app, "answer 1 one more thing", user="alex")
    assert "already been answered" in again.text


async def test_only_that_networks_leads_may_answer(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride a question for pride", user="robin")
    await say_one(app, "send question 1", user="robin")

    stranger = await say_one(app, "answer 1 hello", user="kim")
    assert "is for network leads" in stranger.text
    other_lead = await say_one(app, "answer 1 hello", user="priya")
    assert "couldn't find question 1" in other_lead.text
    listed = await say_one(app, "questions", user="alex")
    assert "a question for pride" in listed.text
    assert "a question for pride" not in (await say_one(app, "questions", user="priya")).text
    [question] = await _questions(app)
    assert question.asker_user_id is not None


async def test_someone_else_cannot_send_or_see_your_draft(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "ask leads pride private thing", user="robin")

    other = await say_one(app, "send question 1", user="kim")
    assert "couldn't find that question" in other.text
    assert messenger.sent == []
    # A lead cannot answer a draft that was never sent either.
    lead = await say_one(app, "answer 1 hello", user="alex")
    assert "couldn't find question 1" in lead.text

    discarded = await say_one(app, "discard question 1", user="robin")
    assert "nobody saw it" in discarded.text
    assert await _questions(app) == []


async def test_ask_leads_needs_a_known_network_and_a_question(app: Application) -> None:
    unknown = await say_one(app, "ask leads knitting how do i purl")
    assert "Which network's leads" in unknown.text
    empty = await say_one(app, "ask leads race equality")
    assert "What would you like to ask the Race Equality Network leads?" in empty.text


async def test_links_are_purged_after_30_days_and_unsent_drafts_after_a_day(
    app: Application, clock: FixedClock
) -> None:
    await say_one(app, "ask leads pride old question", user="robin")
    await say_one(app, "send question 1", user="robin")
    await say_one(app, "ask leads pride never sent", user="robin")
    clock.set(clock.now() + timedelta(days=10))
    await say_one(app, "ask leads pride newer question", user="robin")
    await say_one(app, "send question 3", user="robin")

    assert await purge_question_links(app.database, clock.now()) == 1  # the old draft
    clock.set(clock.now() + timedelta(days=21))
    assert await purge_question_links(app.database, clock.now()) == 1  # question 1, 31 days

    by_id = {question.id: question for question in await _questions(app)}
    assert sorted(by_id) == [1, 3]
    assert by_id[1].asker_user_id is None and by_id[1].status == "expired"
    assert by_id[3].asker_user_id is not None

    late = await say_one(app, "answer 1 sorry for the wait", user="alex")
    assert "can't deliver it" in late.text


async def test_deleting_the_person_deletes_their_linked_questions(app: Application) -> None:
    await say_one(app, "ask leads pride a question", user="robin")
    await say_one(app, "send question 1", user="robin")

    async with app.database.transaction() as session:
        robin = await session.scalar(select(User).where(User.external_id == "robin"))
        await session.delete(robin)

    assert await _questions(app) == []


# ----- leads maintain the knowledge base ---------------------------------------------


async def test_a_lead_adds_an_entry_and_people_find_it(app: Application) -> None:
    added = await say_one(
        app,
        "kb add What is the buddy scheme? | New starters are paired with a colleague for "
        "their first three months.",
        user="alex",
    )
    assert "kb what-is-the-buddy-scheme" in added.text

    reply = await say_one(app, "whats the buddy scheme")
    assert reply.heading == "What is the buddy scheme?"
    assert "added by a network lead" in (reply.context or "")


async def test_an_entry_a_lead_adds_answers_paraphrases_of_its_title(app: Application) -> None:
    await say_one(
        app,
        "kb add Menopause support at work | The Menopause Cafe meets monthly, and your manager "
        "can agree adjustments such as a desk fan or flexible hours.",
        user="alex",
    )

    for question in (
        "is there any help at work for menopause",
        "going through the menopause and struggling at work",
        "im menopausal and finding work hard, is there support",
        "menopuase support",
    ):
        reply = await say_one(app, question)
        assert reply.heading == "Menopause support at work", question


async def test_when_two_entries_are_close_the_runner_up_is_offered(app: Application) -> None:
    reply = await say_one(app, "how do i join the pride network")

    assert reply.heading == "How to join a network"
    assert "This may fit better: Who can join a network? (`kb who-can-join`)" in reply.text
    commands = _commands(reply)
    assert commands.count("kb who-can-join") == 1


async def test_guesses_about_someone_and_who_is_in_a_network_are_declined(
    app: Application,
) -> None:
    for question in (
        "is my manager gay",
        "which colleagues are in the pride network",
        "ask who in my team is trans?",
    ):
        reply = await say_one(app, question)
        assert reply.heading == "That's theirs to share", question
        assert "I can't say whether anyone is LGBT+" in reply.text
        assert _commands(reply) == ["kb being-outed"]


async def test_a_new_entry_names_its_source_and_when_it_was_checked(app: Application) -> None:
    reply = await say_one(app, "when's world aids day?")

    assert reply.heading == "World AIDS Day"
    assert "World AIDS Day is next on 1 December 2026." in reply.text
    assert "Based on National AIDS Trust" in (reply.context or "")
    assert "checked 1 December 2026" in (reply.context or "")


async def test_a_lead_edits_and_retires_shipped_entries(app: Application) -> None:
    await say_one(app, "kb edit privilege answer Privilege, in our words.", user="jo")
    edited = await say_one(app, "what is privilege")
    assert "Privilege, in our words." in edited.text

    await say_one(app, "kb retire privilege", user="jo")
    gone = await say_one(app, "kb privilege")
    assert gone.heading != "Privilege"


async def test_network_entries_are_for_that_networks_leads(app: Application) -> None:
    refused = await say_one(app, "kb retire pride-network", user="priya")
    assert "its leads look after it" in refused.text
    not_a_lead = await say_one(app, "kb add A | B", user="kim")
    assert "is for network leads" in not_a_lead.text


async def test_a_lead_publishes_an_answer_as_a_new_entry(app: Application) -> None:
    await say_one(app, "ask leads pride is there a trans support group?", user="robin")
    await say_one(app, "send question 1", user="robin")
    await say_one(app, "answer 1 Yes, it meets on the first Tuesday of each month.", user="alex")

    published = await say_one(app, "kb publish 1", user="alex")
    assert "kb is-there-a-trans-support-group" in published.text

    found = await say_one(app, "is there a support group for trans people", user="kim")
    assert "first Tuesday of each month" in found.text
