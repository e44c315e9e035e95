"""Joining, consent, leaving, `my`, members' lists and the channel invitation, on both databases."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.app import Application
from bot.messages import Visibility
from bot.outbound import ChannelInvite, InviteOutcome, InviteResult, Notice
from storage.models import AuditEntry, Consent, Membership, User
from storage.repositories import NetworkRepository
from tests.conftest import NOW, say, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.pressing import typed_for


async def join_with_consent(app: Application, user: str, args: str) -> None:
    await say_one(app, f"join {args}", user=user)
    reply = await say_one(app, "agree", user=user)
    assert "Welcome" in reply.text, reply.text


async def memberships_of(app: Application, user: str) -> list[tuple[str, str]]:
    async with app.database.transaction() as session:
        rows = await session.execute(
            select(Membership.network_id, Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(User.external_id == user)
        )
        slugs = {network.id: network.slug for network in await NetworkRepository(session).every()}
        return sorted((slugs[network_id], role) for network_id, role in rows.all())


async def set_channel(app: Application, slug: str, purpose: str, ref: str) -> None:
    async with app.database.transaction() as session:
        repository = NetworkRepository(session)
        network = await repository.by_slug(slug)
        assert network is not None
        await repository.set_channel(network.id, "console", purpose, ref)


async def test_first_join_explains_what_is_stored_and_waits_for_agreement(
    app: Application,
) -> None:
    reply = await say_one(app, "join pride as ally", user="robin")
    assert "the network you join, whether as a member or an ally" in reply.text
    # Truthful about the rest of what is kept, and no "Nothing else" that isn't so.
    assert "I also keep your name and platform id" in reply.text
    assert "Nothing else" not in reply.text
    assert "an allies' channel" in reply.text
    assert "leads" in reply.text
    for command in ("`my data`", "`leave <network>`", "`forget me`"):
        assert command in reply.text
    assert [(button.label, typed_for(app, button)) for button in reply.all_buttons] == [
        ("I agree", "agree")
    ]
    assert reply.visibility is Visibility.PRIVATE
    assert await memberships_of(app, "robin") == []

    welcome = await say_one(app, "agree", user="robin")
    assert "joined Pride Network as an ally" in welcome.text
    assert await memberships_of(app, "robin") == [("pride", "ally")]
    async with app.database.transaction() as session:
        consent = await session.scalar(select(Consent))
        assert consent is not None
        assert consent.agreed_at == NOW and consent.withdrawn_at is None


async def test_the_consent_names_everyone_who_can_learn_that_someone_joined(
    app: Application,
) -> None:
    consent = await say_one(app, "join pride", user="robin")
    # The channel the bot adds them to, admins who can run `members`, database operators.
    assert "everyone in that channel can see that you're there" in consent.text
    assert "members' channel" in consent.text
    assert "admins" in consent.text
    assert "people who run the bot's database can read everything" in consent.text

    await set_channel(app, "pride", "members", "C-MEMBERS")
    welcome = await say_one(app, "agree", user="robin")
    assert "Everyone in that channel will see you there" in welcome.text
    assert "Only you and the network's leads" not in welcome.text


async def test_second_join_needs_no_new_agreement(app: Application) -> None:
    await join_with_consent(app, "robin", "pride")
    reply = await say_one(app, "join disability network as an ally", user="robin")
    assert "joined Disability Network as an ally" in reply.text
    assert await memberships_of(app, "robin") == [("disability", "ally"), ("pride", "member")]


async def test_agree_without_a_pending_join_just_records_it(app: Application) -> None:
    reply = await say_one(app, "agree", user="robin")
    assert "noted that you agree" in reply.text
    again = await say_one(app, "agree", user="robin")
    assert "already agreed" in again.text
    assert await memberships_of(app, "robin") == []


async def test_joining_twice_changes_nothing_and_says_so(app: Application) -> None:
    await join_with_consent(app, "robin", "pride")
    same = await say_one(app, "join pride", user="robin")
    assert "already in Pride Network as a member" in same.text
    other_role = await say_one(app, "join pride as ally", user="robin")
    assert "haven't changed anything" in other_role.text
    assert "`leave pride`" in other_role.text
    assert await memberships_of(app, "robin") == [("pride", "member")]


async def test_unknown_network_suggests_the_closest(app: Application) -> None:
    reply = await say_one(app, "join prid", user="robin")
    assert "Did you mean Pride Network (`pride`)" in reply.text
    assert await memberships_of(app, "robin") == []


async def test_archived_network_cannot_be_joined(app: Application) -> None:
    await say_one(app, "archive network pride", user="sam")
    reply = await say_one(app, "join pride", user="robin")
    assert "archived" in reply.text
    assert await memberships_of(app, "robin") == []


async def test_leave_removes_the_membership_and_leaving_again_changes_nothing(
    app: Application,
) -> None:
    await join_with_consent(app, "robin", "pride as ally")
    left = await say_one(app, "leave pride", user="robin")
    assert "You've left Pride Network" in left.text
    assert left.visibility is Visibility.PRIVATE
    assert await memberships_of(app, "robin") == []
    again = await say_one(app, "leave pride", user="robin")
    assert "You're not in Pride Network" in again.text


async def test_withdrawing_consent_removes_every_membership(app: Application) -> None:
    await join_with_consent(app, "robin", "pride")
    await say_one(app, "join neurodiversity as ally", user="robin")
    reply = await say_one(app, "withdraw consent", user="robin")
    assert "left Neurodiversity Network, Pride Network" in reply.text
    assert await memberships_of(app, "robin") == []
    async with app.database.transaction() as session:
        consent = await session.scalar(select(Consent))
        assert consent is not None and consent.withdrawn_at == NOW
    # Joining again asks again.
    asked = await say_one(app, "join pride", user="robin")
    assert asked.heading == "Before you join"
    nothing = await say_one(app, "withdraw consent", user="casey")
    assert "nothing to withdraw" in nothing.text


async def test_my_lists_networks_and_roles_privately(app: Application) -> None:
    empty = await say_one(app, "my", user="robin")
    assert "haven't joined any networks" in empty.text
    await join_with_consent(app, "robin", "pride as ally")
    await say_one(app, "join disability", user="robin")
    reply = await say_one(app, "my", user="robin", shared=True)
    assert "Disability Network: member" in reply.text
    assert "Pride Network: ally" in reply.text
    assert reply.visibility is Visibility.PRIVATE


async def test_members_join_the_members_channel_and_allies_the_allies_channel(
    app: Application, messenger: RecordingMessenger
) -> None:
    await set_channel(app, "pride", "members", "C-MEMBERS")
    await set_channel(app, "pride", "allies", "C-ALLIES")
    await join_with_consent(app, "robin", "pride")
    await join_with_consent(app, "casey", "pride as ally")
    assert messenger.invites == [
        ChannelInvite("console:robin", "C-MEMBERS"),
        ChannelInvite("console:casey", "C-ALLIES"),
    ]
    # Joining is never announced: no notice to anyone when the invitation works.
    assert messenger.sent == []


async def test_the_join_answer_says_the_person_was_added_to_the_channel(
    app: Application, messenger: RecordingMessenger
) -> None:
    await set_channel(app, "pride", "members", "C-MEMBERS")
    messenger.invite_result = InviteResult(InviteOutcome.INVITED, link="https://chat.example/c/m")
    await say_one(app, "join pride", user="robin")
    joined = await say_one(app, "agree", user="robin")
    assert "I've added you to its members' channel: https://chat.example/c/m." in joined.text
    assert messenger.sent == []


async def test_when_the_platform_cannot_add_people_the_person_gets_the_link_and_leads_the_fix(
    app: Application, messenger: RecordingMessenger
) -> None:
    await set_channel(app, "pride", "allies", "C-ALLIES")
    messenger.invite_result = InviteResult(
        InviteOutcome.NOT_POSSIBLE, link="https://chat.example/c/allies", fix="invite the bot"
    )
    await say_one(app, "join pride as ally", user="robin")
    joined = await say_one(app, "agree", user="robin")
    # One answer that says what happened, with the link; nothing after it contradicts it.
    assert "I couldn't add you to its allies' channel myself" in joined.text
    assert "https://chat.example/c/allies" in joined.text
    assert "adding you" not in joined.text
    recipients = [notice.recipient_key for notice in messenger.sent]
    assert recipients == ["console:alex"]
    [to_lead] = messenger.sent
    assert "invite the bot" in to_lead.reply.text
    # The lead learns what to fix, not who joined.
    assert "robin" not in to_lead.reply.text.lower()
    assert all(notice.reply.visibility is Visibility.PRIVATE for notice in messenger.sent)


class UnreachableAlex(RecordingMessenger):
    """A messenger for which one lead is on a platform that is not being served."""

    async def send_private(self, notice: Notice) -> None:
        if notice.recipient_key == "console:alex":
            raise LookupError("no platform 'console' is being served")
        await super().send_private(notice)


async def test_one_undeliverable_lead_does_not_stop_the_others_being_told(
    app: Application,
) -> None:
    await set_channel(app, "pride", "allies", "C-ALLIES")
    await say_one(app, "add lead pride slack:U0OTHER", user="sam")
    messenger = UnreachableAlex(
        invite_result=InviteResult(InviteOutcome.NOT_POSSIBLE, fix="invite the bot")
    )
    app.services.messenger = messenger
    await join_with_consent(app, "robin", "pride as ally")
    assert [notice.recipient_key for notice in messenger.sent] == ["slack:U0OTHER"]


async def test_no_channel_configured_is_said_kindly(
    app: Application, messenger: RecordingMessenger
) -> None:
    await say_one(app, "join pride", user="robin")
    reply = await say_one(app, "agree", user="robin")
    assert "It doesn't have a members' channel here yet" in reply.text
    assert "pride-network@example.org" in reply.text
    assert messenger.invites == []


async def test_every_membership_reply_is_private_even_when_asked_in_a_channel(
    app: Application,
) -> None:
    commands = [
        ("robin", "join pride"),
        ("robin", "agree"),
        ("robin", "join disability as ally"),
        ("robin", "join disability"),
        ("robin", "my"),
        ("robin", "leave disability"),
        ("robin", "leave disability"),
        ("alex", "members pride"),
        ("robin", "members pride"),
        ("robin", "withdraw consent"),
    ]
    for user, text in commands:
        for reply in await say(app, text, user=user, shared=True):
            assert reply.visibility is Visibility.PRIVATE, text


async def test_a_lead_sees_members_with_roles_and_a_csv_and_the_export_is_audited(
    app: Application,
) -> None:
    await join_with_consent(app, "robin", "pride")
    await join_with_consent(app, "casey", "pride as ally")
    await join_with_consent(app, "=evil", "pride as ally")
    reply = await say_one(app, "members pride", user="alex")
    assert reply.visibility is Visibility.PRIVATE
    assert "Robin — member" in reply.text
    assert "Casey — ally" in reply.text
    assert "1 members and 2 allies" in reply.text
    (attachment,) = reply.attachments
    assert attachment.filename == "members-pride.csv"
    rows = list(csv.DictReader(io.StringIO(attachment.content)))
    assert {(row["name"], row["role"]) for row in rows} == {
        ("Robin", "member"),
        ("Casey", "ally"),
        ("'=Evil", "ally"),
    }
    async with app.database.transaction() as session:
        entries = (await session.scalars(select(AuditEntry))).all()
    assert [(entry.actor_key, entry.action) for entry in entries] == [
        ("console:alex", "members_exported")
    ]
    # Ids and action names only: no names from the list.
    assert entries[0].subject == ""


async def test_members_is_refused_to_outsiders_and_other_networks_leads(
    app: Application,
) -> None:
    await join_with_consent(app, "robin", "pride")
    outsider = await say_one(app, "members pride", user="robin")
    assert "for network leads" in outsider.text
    assert "Robin" not in outsider.text
    other_lead = await say_one(app, "members pride", user="priya")
    assert "Only Pride Network's leads" in other_lead.text
    assert "pride-network@example.org" in other_lead.text
    # Admins may look.
    admin = await say_one(app, "members pride", user="sam")
    assert "Robin — member" in admin.text


async def test_agreeing_after_the_network_was_archived_keeps_the_agreement_only(
    app: Application,
) -> None:
    await say_one(app, "join pride", user="robin")
    await say_one(app, "archive network pride", user="sam")
    reply = await say_one(app, "agree", user="robin")
    assert "archived in the meantime" in reply.text
    assert await memberships_of(app, "robin") == []
    assert "already agreed" in (await say_one(app, "agree", user="robin")).text


async def test_the_console_notes_the_csv_export(app: Application) -> None:
    from bot.platforms.console import render

    await join_with_consent(app, "robin", "pride")
    await join_with_consent(app, "casey", "pride as ally")
    rendered = render(await say_one(app, "members pride", user="alex"))
    assert "(attached: members-pride.csv, 2 rows)" in rendered.text
