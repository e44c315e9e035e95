"""Members host or propose topics (with a co-host, in a round), rename and withdraw them;
with approval on, the leads approve or decline them."""

from __future__ import annotations

from bot.app import Application
from bot.messages import Visibility, without_mentions
from tests.conftest import say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.breakouts import LEAD, breakout_session, topic_number


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
    assert "you host it with Sam" in without_mentions(reply.text)
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
    [approve_call] = [b.call for b in asked.all_buttons if b.label.startswith("Approve: ")]
    approve = app.router.words_for(approve_call)
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
