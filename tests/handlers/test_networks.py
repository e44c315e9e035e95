"""`networks`, `network <name>` (counts, leads), and what leads and admins change in chat."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from bot.messages import Visibility, without_mentions
from storage.models import AuditEntry, Network
from storage.repositories import MembershipRepository, NetworkRepository, UserRepository
from tests.conftest import NOW, say, say_one
from tests.fakes.messenger import RecordingMessenger
from tests.support.pressing import typed_for


async def add_people(app: Application, slug: str, role: str, how_many: int) -> None:
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug(slug)
        assert network is not None
        for number in range(how_many):
            user = await UserRepository(session).touch("console", f"{role}{number}", "", NOW)
            await MembershipRepository(session).add(user.id, network.id, role, NOW)


async def network_named(app: Application, slug: str) -> Network:
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug(slug)
    assert network is not None
    return network


async def audit_trail(app: Application) -> list[tuple[str, str, str]]:
    async with app.database.transaction() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    return [(entry.actor_key, entry.action, entry.subject) for entry in entries]


async def test_networks_lists_name_description_meetings_and_contact(app: Application) -> None:
    reply = await say_one(app, "networks")
    for name in ("Pride Network", "Race Equality Network", "Disability Network"):
        assert name in reply.text
    pride = next(section for section in reply.sections if section.heading == "Pride Network")
    assert {field.label for field in pride.fields} == {"Meets", "Contact"}
    assert "support, visibility" in pride.text
    # It names no one, so a channel may show it.
    assert reply.visibility is Visibility.CONVERSATION


async def test_network_shows_leads_by_name_and_offers_to_join_and_its_calendar(
    app: Application,
) -> None:
    await say_one(app, "help", user="alex")  # alex has now talked to the bot, as "Alex"
    reply = await say_one(app, "network the pride network")
    assert reply.heading == "Pride Network"
    assert "Leads: Alex" in reply.text
    assert "Creating LGBT+ inclusive spaces" in reply.text
    assert [typed_for(app, button) for button in reply.all_buttons] == [
        "join pride",
        "join pride as ally",
        "calendar link pride",
    ]
    assert reply.all_buttons[-1].label == "Subscribe to its calendar"


async def test_counts_below_five_are_never_shown_exactly(app: Application) -> None:
    reply = await say_one(app, "network pride")
    assert "Members: fewer than 5" in reply.text
    assert "Allies: fewer than 5" in reply.text
    await add_people(app, "pride", "member", 5)
    await add_people(app, "pride", "ally", 4)
    reply = await say_one(app, "network pride")
    assert "Members: 5" in reply.text
    assert "Allies: fewer than 5" in reply.text
    await add_people(app, "disability", "ally", 12)
    assert "Allies: 12" in (await say_one(app, "network disability")).text


async def test_unknown_network_gets_the_closest_names(app: Application) -> None:
    reply = await say_one(app, "network disabilty")
    assert "Did you mean Disability Network (`disability`)" in reply.text
    nothing_close = await say_one(app, "network zzzz")
    assert "Type `networks` to see them all" in nothing_close.text


async def test_a_lead_edits_their_network_and_it_is_audited_without_the_text(
    app: Application,
) -> None:
    reply = await say_one(app, "edit network pride meets Every Tuesday at noon", user="alex")
    assert "meets is updated" in reply.text
    assert "Meets: Every Tuesday at noon" in (await say_one(app, "network pride")).text
    await say_one(app, "edit network pride contact pride@example.org", user="alex")
    await say_one(app, "edit network pride description A new description.", user="alex")
    assert (await network_named(app, "pride")).description == "A new description."
    assert await audit_trail(app) == [
        ("console:alex", "network_edited", "meets"),
        ("console:alex", "network_edited", "contact"),
        ("console:alex", "network_edited", "description"),
    ]


async def test_a_lead_cannot_edit_another_network_and_outsiders_are_told_who_can(
    app: Application,
) -> None:
    other = await say_one(app, "edit network race equality meets Never", user="alex")
    assert "Only Race Equality Network's leads, or an admin" in other.text
    outsider = await say_one(app, "edit network pride meets Never", user="robin")
    assert "for network leads" in outsider.text
    assert "Never" not in (await say_one(app, "network race equality")).text
    assert await audit_trail(app) == []


async def test_leads_add_and_remove_leads_and_the_new_lead_is_told_privately(
    app: Application,
) -> None:
    from tests.fakes.messenger import RecordingMessenger

    messenger = app.services.messenger
    assert isinstance(messenger, RecordingMessenger)
    added = await say_one(app, "add lead pride robin", user="alex")
    # The answer mentions the new lead (a name in the console, `<@U…>` on Slack).
    assert "robin is now a lead of Pride Network" in without_mentions(added.text)
    assert [notice.recipient_key for notice in messenger.sent] == ["console:robin"]
    assert messenger.sent[0].reply.visibility is Visibility.PRIVATE
    # Robin can now see the members list.
    assert (await say_one(app, "members pride", user="robin")).heading == "Pride Network members"
    twice = await say_one(app, "add lead pride robin", user="alex")
    assert "already a lead" in twice.text

    removed = await say_one(app, "remove lead pride console:alex", user="robin")
    assert "Alex is no longer a lead" in without_mentions(removed.text)
    last = await say_one(app, "remove lead pride robin", user="robin")
    assert "would have no leads left" in last.text
    assert await audit_trail(app) == [
        ("console:alex", "lead_added", "console:robin"),
        ("console:robin", "members_exported", ""),
        ("console:robin", "lead_removed", "console:alex"),
    ]


async def test_admins_create_rename_archive_and_set_channels(app: Application) -> None:
    created = await say_one(app, "create network carers Carers Network", user="sam")
    assert "Created Carers Network (`carers`)" in created.text
    assert "Carers Network" in (await say_one(app, "networks")).text
    duplicate = await say_one(app, "create network carers Another", user="sam")
    assert "already a network" in duplicate.text

    renamed = await say_one(app, "rename network carers to Carers and Parents", user="sam")
    assert "now called Carers and Parents" in renamed.text
    assert (await network_named(app, "carers")).name == "Carers and Parents"

    channel = await say_one(app, "channel carers slack members C0123", user="sam")
    assert "members channel on slack is set" in channel.text
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("carers")
        assert network is not None
        assert await NetworkRepository(session).channels(network.id, "slack") == {
            "members": "C0123"
        }
    bad = await say_one(app, "channel carers myspace members C0123", user="sam")
    assert "Use `channel carers <slack|teams|console>" in bad.text

    archived = await say_one(app, "archive network carers", user="sam")
    assert "Archived Carers and Parents" in archived.text
    assert "Carers" not in (await say_one(app, "networks")).text
    carers_id = (await network_named(app, "carers")).id
    assert await audit_trail(app) == [
        ("console:sam", "network_created", ""),
        ("console:sam", "network_renamed", ""),
        ("console:sam", "channel_set", "slack:members"),
        ("console:sam", "network_archived", ""),
    ]
    async with app.database.transaction() as session:
        ids = set((await session.scalars(select(AuditEntry.network_id))).all())
    assert ids == {carers_id}


async def test_admin_commands_are_refused_to_leads_and_everyone_else(app: Application) -> None:
    for user in ("alex", "robin"):
        for text in (
            "create network carers Carers",
            "rename network pride to Something",
            "archive network pride",
            "channel pride slack members C1",
        ):
            replies = await say(app, text, user=user)
            assert len(replies) == 1
            assert "is for admins" in replies[0].text
    assert (await network_named(app, "pride")).archived_at is None
    assert await audit_trail(app) == []


async def pride_channels(app: Application, platform: str) -> dict[str, str]:
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("pride")
        assert network is not None
        return await NetworkRepository(session).channels(network.id, platform)


async def test_a_public_channel_is_refused_as_a_members_space_unless_the_admin_says_so(
    app: Application, messenger: RecordingMessenger
) -> None:
    messenger.channel_privacy.update({"C-OPEN": False, "C-CLOSED": True})
    refused = await say_one(app, "channel pride slack members C-OPEN", user="sam")
    assert "is public" in refused.text
    assert "as a member" in refused.text
    assert "`channel pride slack members C-OPEN public`" in refused.text
    assert await pride_channels(app, "slack") == {}

    accepted = await say_one(app, "channel pride slack members C-CLOSED", user="sam")
    assert accepted.text == "Done: Pride Network's members channel on slack is set."

    allowed = await say_one(app, "channel pride slack allies C-OPEN allow public", user="sam")
    assert "It is public, as you said" in allowed.text
    assert await pride_channels(app, "slack") == {"members": "C-CLOSED", "allies": "C-OPEN"}
    # Announcements are meant to be seen: no check there.
    await say_one(app, "channel pride slack announcements C-OPEN", user="sam")
    assert (await pride_channels(app, "slack"))["announcements"] == "C-OPEN"


async def test_a_channel_whose_privacy_cannot_be_checked_is_set_with_a_warning(
    app: Application,
) -> None:
    reply = await say_one(app, "channel pride teams members 19:abc@thread.tacv2", user="sam")
    assert "members channel on teams is set" in reply.text
    assert "couldn't check whether it is private" in reply.text
    assert "standard channel is open to the whole team" in reply.text
    assert await pride_channels(app, "teams") == {"members": "19:abc@thread.tacv2"}


async def test_a_network_description_typed_on_several_lines_keeps_them(app: Application) -> None:
    typed = "edit  network\tRace Equality \n description We meet monthly.\n\n  All welcome."
    reply = await say_one(app, typed, user="sam")
    assert "Race Equality" in reply.text and "description is updated" in reply.text
    async with app.database.transaction() as session:
        network = await NetworkRepository(session).by_slug("race-equality")
        assert network is not None
        assert network.description == "We meet monthly.\n\n  All welcome."
