"""Breakout topics: leads turn them on and approve; members host, rename, withdraw, take notes,
list and pick rooms; `my` shows it all."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import Application
from bot.clock import FixedClock
from bot.messages import Visibility
from storage.models import BreakoutPick, BreakoutTopic
from tests.conftest import NOW, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.breakouts import LEAD, breakout_session, topic_number


async def test_only_the_networks_leads_can_turn_breakouts_on(app: Application) -> None:
    session_id = await breakout_session(app)
    refused = await say_one(app, f"breakouts {session_id} rounds: 2", user="robin")
    assert "for network leads" in refused.text
    updated = await say_one(
        app, f"breakouts {session_id} rounds: 2 | size: 8 | closes: now", user=LEAD
    )
    assert "would close (Sat 21 Nov 2026, 10:00 GMT) before it opens" in updated.text
    updated = await say_one(app, f"breakouts {session_id} rounds: 2 | size: none", user=LEAD)
    assert "Updated. Breakouts for Online social" in updated.text
    assert "2 rounds, no limit, topics appear at once" in updated.text
    assert "Pride Network has no announcements channel yet, so nothing will be posted" in (
        updated.text
    )


async def test_signup_opens_seven_days_before_by_default(app: Application) -> None:
    session_id = await breakout_session(app, settings="")
    shown = await say_one(app, f"topics {session_id}")
    # The session starts on 1 Dec 2026 at 10:00; the signup opens a week earlier.
    assert "Picking opens Tue 24 Nov 2026, 10:00 GMT" in shown.text


async def test_hosting_without_approval_lists_the_topic_with_its_host(app: Application) -> None:
    session_id = await breakout_session(app)
    reply = await say_one(app, f"host {session_id} Finding the words to speak up", user="vanessa")
    assert "“Finding the words to speak up”" in reply.text
    assert "is on the list" in reply.text
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert listed.visibility is Visibility.PRIVATE
    assert "Finding the words to speak up" in listed.text
    assert "Hosted by Vanessa" in listed.text
    assert "Hosted by Vanessa · places available" in listed.text


async def test_co_host_and_titles_with_the_word_with(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await breakout_session(app)
    await say_one(app, "help", user="sam")
    reply = await say_one(
        app,
        f"host {session_id} Self-care for empaths & change-makers with console:sam",
        user="keli",
    )
    assert "you host it with Sam" in reply.text
    assert messenger.sent[-1].recipient_key == "console:sam"
    assert "co-host" in messenger.sent[-1].reply.text
    await say_one(app, f"host {session_id} Living with ADHD", user="ana")
    balance = await say_one(app, f"host {session_id} Coping with work:life balance", user="li")
    assert "“Coping with work:life balance”" in balance.text
    listed = await say_one(app, f"topics {session_id}")
    assert "Self-care for empaths & change-makers (topic" in listed.text
    assert "Hosted by Keli & Sam" in listed.text
    assert "Living with ADHD (topic" in listed.text


async def test_approval_on_leads_approve_or_decline_with_a_private_reason(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await breakout_session(app, settings="opens: now | approval: yes")
    first = await say_one(app, f"host {session_id} What is privilege?", user="sage")
    assert "waiting for the leads to approve it" in first.text
    assert messenger.sent[-1].recipient_key == "console:alex"
    asked = messenger.sent[-1].reply
    approve = next(b.command for b in asked.all_buttons if b.label == "Approve")
    hidden = await say_one(app, f"topics {session_id}", user="kim")
    assert "What is privilege?" not in hidden.text
    own = await say_one(app, f"topics {session_id}", user="sage")
    assert "waiting for approval" in own.text

    refused = await say_one(app, approve, user="sage")
    assert "for network leads" in refused.text
    approved = await say_one(app, approve, user=LEAD)
    assert "Approved topic" in approved.text
    assert messenger.sent[-1].recipient_key == "console:sage"
    assert "is approved" in messenger.sent[-1].reply.text
    assert "What is privilege?" in (await say_one(app, f"topics {session_id}", user="kim")).text

    second = await say_one(app, f"host {session_id} Something off-topic", user="drew")
    topic_id = topic_number(second.text)
    declined = await say_one(app, f"decline topic {topic_id} It overlaps with round 2", user=LEAD)
    assert declined.visibility is Visibility.PRIVATE
    assert messenger.sent[-1].recipient_key == "console:drew"
    assert "It overlaps with round 2" in messenger.sent[-1].reply.text
    assert "Something off-topic" not in (await say_one(app, f"topics {session_id}")).text
    again = await say_one(app, f"approve topic {topic_id}", user=LEAD)
    assert "is declined, not waiting for approval" in again.text


async def test_rename_and_withdraw_only_by_hosts_and_pickers_are_told(
    app: Application, messenger: RecordingMessenger
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    topic_id = topic_number((await say_one(app, f"host {session_id} Alyship 101", user="jo")).text)
    refused = await say_one(app, f"rename topic {topic_id} Hijacked", user="kim")
    assert "Only the hosts" in refused.text
    renamed = await say_one(app, f"rename topic {topic_id} Allyship 101", user="jo")
    assert "now called “Allyship 101”" in renamed.text
    await say_one(app, f"pick {session_id} {topic_id}", user="kim")
    withdrawn = await say_one(app, f"withdraw topic {topic_id}", user="jo")
    assert "is withdrawn" in withdrawn.text
    assert messenger.sent[-1].recipient_key == "console:kim"
    assert "please pick another room" in messenger.sent[-1].reply.text
    assert "Allyship 101" not in (await say_one(app, f"topics {session_id}")).text
    assert "breakout" not in (await say_one(app, "my", user="kim")).text.lower()


async def test_a_hostless_topic_gets_a_host_and_a_note_taker(app: Application) -> None:
    session_id = await breakout_session(app)
    proposed = await say_one(app, f"propose {session_id} Intersectionality at work", user="kim")
    topic_id = topic_number(proposed.text)
    assert "no host yet" in (await say_one(app, f"topics {session_id}")).text
    assert "You're the host" in (await say_one(app, f"host topic {topic_id}", user="jo")).text
    assert "You're the co-host" in (await say_one(app, f"host topic {topic_id}", user="li")).text
    full = await say_one(app, f"host topic {topic_id}", user="max")
    assert "already has two hosts" in full.text
    assert "taking notes" in (await say_one(app, f"notes {topic_id}", user="max")).text
    taken = await say_one(app, f"notes {topic_id}", user="ana")
    assert "Someone is already taking notes" in taken.text
    listed = await say_one(app, f"topics {session_id}")
    assert "Hosted by Jo & Li · notes: Max" in listed.text
    mine = await say_one(app, "my", user="max")
    assert "Online social: taking notes for “Intersectionality at work”" in mine.text


async def test_picking_needs_a_place_one_room_a_round_and_switching_while_open(
    app: Application, clock: FixedClock
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    words = topic_number(
        (await say_one(app, f"host {session_id} Finding the words", user="jo")).text
    )
    care = topic_number((await say_one(app, f"host {session_id} Self-care", user="li")).text)
    stranger = await say_one(app, f"pick {session_id} {words}", user="robin")
    assert "Register first with `register" in stranger.text

    picked = await say_one(app, f"pick {session_id} finding the words", user="kim")
    assert "You're in “Finding the words”" in picked.text
    switched = await say_one(app, f"pick {session_id} {care}", user="kim")
    assert "You're in “Self-care” (instead of “Finding the words”)" in switched.text
    listed = await say_one(app, f"topics {session_id}", user="kim")
    assert "Self-care (topic" in listed.text and "your pick" in listed.text
    assert "places available" in listed.text
    assert "Kim" not in listed.text
    mine = await say_one(app, "my", user="kim")
    assert "Online social: “Self-care”, round 1" in mine.text

    clock.set(NOW + timedelta(days=9, hours=23, minutes=30))
    closed = await say_one(app, f"pick {session_id} {words}", user="kim")
    assert "has closed" in closed.text


async def test_a_full_room_says_so_and_suggests_others(app: Application) -> None:
    people = ("p1", "p2", "p3", "p4")
    session_id = await breakout_session(app, people=people)
    full_one = topic_number((await say_one(app, f"host {session_id} Popular", user="jo")).text)
    await say_one(app, f"host {session_id} Quieter", user="li")
    for person in people[:3]:
        await say_one(app, f"pick {session_id} {full_one}", user=person)
    refused = await say_one(app, f"pick {session_id} {full_one}", user="p4")
    assert "Sorry, “Popular” is full" in refused.text
    assert "These still have places: “Quieter”" in refused.text


async def test_signup_not_open_yet_and_rounds(app: Application) -> None:
    session_id = await breakout_session(
        app, settings="rounds: 2 | opens: 28 Nov 2026 09:00", people=("kim",)
    )
    one = topic_number((await say_one(app, f"host {session_id} First talk", user="jo")).text)
    two = await say_one(app, f"host {session_id} round 2 Second talk", user="jo")
    assert "is on the list" in two.text
    bad = await say_one(app, f"host {session_id} round 3 Third", user="jo")
    assert "no round 3" in bad.text
    early = await say_one(app, f"pick {session_id} {one}", user="kim")
    assert "opens Sat 28 Nov 2026, 09:00 GMT" in early.text


async def test_forget_me_removes_picks_and_leaves_a_forgotten_hosts_topic_without_them(
    app: Application,
) -> None:
    session_id = await breakout_session(app, people=("kim",))
    topic_id = topic_number((await say_one(app, f"host {session_id} Allyship 101", user="jo")).text)
    await say_one(app, f"notes {topic_id}", user="max")
    await say_one(app, f"pick {session_id} {topic_id}", user="kim")
    for person in ("kim", "jo"):
        done = await say_one(app, "forget me confirm", user=person)
        assert done.visibility is Visibility.PRIVATE
    async with app.database.transaction() as session:
        topic = await session.get(BreakoutTopic, topic_id)
        assert topic is not None
        assert (topic.proposer_user_id, topic.host_user_id) == (None, None)
        assert topic.notes_user_id is not None
        assert await session.scalar(select(func.count()).select_from(BreakoutPick)) == 0
    listed = await say_one(app, f"topics {session_id}")
    assert "Allyship 101 (topic" in listed.text
    assert "Hosted by no host yet · notes: Max · places available" in listed.text
    assert "You're the host" in (await say_one(app, f"host topic {topic_id}", user="li")).text


async def test_topics_offers_a_form_to_propose_and_host_a_topic(app: Application) -> None:
    session_id = await breakout_session(app, people=("kim",))
    listed = await say_one(app, f"topics {session_id}", user="kim")
    (form,) = [button.form for button in listed.all_buttons if button.form is not None]
    with_cohost = form.command_for({"title": "Allyship at work", "cohost": "console:lee"})
    assert with_cohost == f"host {session_id} Allyship at work with console:lee"
    alone = form.command_for({"title": "Self-care", "cohost": ""})
    hosted = await say_one(app, alone, user="kim")
    assert "Self-care" in hosted.text
