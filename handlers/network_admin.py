"""What leads and admins change in chat: leads, a network's details, networks and channels.

Leads may change their own network's leads and details; admins may do that for any
network and also create, rename and archive networks and set their channels. Every
change is written to the audit log with ids and action names only, never the new text.
"""

from __future__ import annotations

import asyncio
import re

from bot.errors import UserError
from bot.inbound import known_channel_id, known_person_key
from bot.messages import Mention, Reply
from bot.parser import fold
from bot.router import Audience, Command, HandlerContext, Router
from handlers.leading import require_lead_to_change
from handlers.network_admin_arguments import (
    EDITABLE,
    LeadChange,
    NetworkChannel,
    NetworkDetail,
    NewNetwork,
    RenameNetwork,
)
from handlers.networks import NetworkName, lead_names, split_network
from storage.models import Network
from storage.repositories import AuditRepository, NetworkRepository

PLATFORMS = ("slack", "teams", "console")
PURPOSES = ("members", "allies", "announcements")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_LIMITS = {"description": 1000, "meets": 500, "contact": 255}


async def _audit(context: HandlerContext, action: str, network: Network, subject: str = "") -> None:
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, action, network_id=network.id, subject=subject
    )


def _person_key(context: HandlerContext, typed: str) -> str:
    """`console:alex`, `alex`, `@alex` or a Slack mention `<@U123>` -> a person key."""
    cleaned = typed.strip().strip("<>").lstrip("@").strip()
    if not cleaned or " " in cleaned:
        raise UserError(
            "Who? Give their id, for example `add lead pride alex` or `add lead pride slack:U0123`."
        )
    if ":" in cleaned:
        platform, _, external_id = cleaned.partition(":")
        if platform not in PLATFORMS or not external_id:
            raise UserError(f"I don't recognise `{cleaned[:60]}` as someone's id.")
        return known_person_key(cleaned)
    return known_person_key(f"{context.request.person.platform}:{cleaned}")


async def _mention(context: HandlerContext, key: str) -> Mention:
    """The person named in a lead's private answer: a mention where the platform has them."""
    return Mention(key, (await lead_names(context, [key]))[0])


async def _lead_change(context: HandlerContext) -> tuple[Network, str]:
    given = context.given(LeadChange)
    network, rest = await split_network(context, given.network, include_archived=True)
    require_lead_to_change(context, network)
    return network, _person_key(context, given.person or rest)


async def add_lead(context: HandlerContext) -> Reply:
    network, key = await _lead_change(context)
    if not await NetworkRepository(context.session).add_lead(network.id, key, context.now):
        raise UserError(f"{await _mention(context, key)} is already a lead of {network.name}.")
    await _audit(context, "lead_added", network, key)
    context.notify(
        key,
        Reply(
            text=(
                f"You're now a lead of {network.name}. `help` shows what leads can do, "
                f"for example `members {network.slug}`."
            )
        ),
    )
    return Reply(text=f"Done: {await _mention(context, key)} is now a lead of {network.name}.")


async def remove_lead(context: HandlerContext) -> Reply:
    network, key = await _lead_change(context)
    repository = NetworkRepository(context.session)
    leads = await repository.leads(network.id)
    if key not in leads:
        raise UserError(f"{await _mention(context, key)} isn't a lead of {network.name}.")
    if len(leads) == 1:
        raise UserError(
            f"{network.name} would have no leads left. Add another lead first "
            f"(`add lead {network.slug} <id>`)."
        )
    await repository.remove_lead(network.id, key)
    await _audit(context, "lead_removed", network, key)
    # Not told (nothing for them to do), but their lead shortcuts go.
    context.changed_for(key)
    return Reply(
        text=f"Done: {await _mention(context, key)} is no longer a lead of {network.name}."
    )


async def edit_network(context: HandlerContext) -> Reply:
    given = context.given(NetworkDetail)
    network, rest = await split_network(context, given.network, include_archived=True)
    require_lead_to_change(context, network)
    field_word, value = given.detail, given.text
    attribute = None if rest else EDITABLE.get(field_word.lower())
    if attribute is None:
        raise UserError(
            "Which detail? Use `edit network <network> description|meets|contact <new text>`."
        )
    if not value.strip():
        raise UserError(f"What should the {attribute} say? Put the new text after `{field_word}`.")
    if len(value) > _LIMITS[attribute]:
        raise UserError(
            f"That's too long for the {attribute} (up to {_LIMITS[attribute]} characters)."
        )
    setattr(network, attribute, value)
    await _audit(context, "network_edited", network, attribute)
    return Reply(
        text=f"Done: {network.name}'s {attribute} is updated. `network {network.slug}` shows it."
    )


async def create_network(context: HandlerContext) -> Reply:
    given = context.given(NewNetwork)
    slug, name = given.slug.strip().lower(), fold(given.name)
    if not _SLUG.match(slug) or not name:
        raise UserError(
            "Use `create network <short-id> <name>`, for example "
            "`create network carers Carers Network`. The short id is lower-case letters, "
            "digits and dashes."
        )
    if len(name) > 120:
        raise UserError("That name is too long (up to 120 characters).")
    repository = NetworkRepository(context.session)
    if await repository.by_slug(slug) is not None:
        raise UserError(f"There is already a network with the id `{slug}`. Pick another.")
    network = await repository.add(Network(slug=slug, name=name, created_at=context.now))
    await _audit(context, "network_created", network)
    return Reply(
        text=(
            f"Created {name} (`{slug}`). Next: `edit network {slug} description <text>`, "
            f"`add lead {slug} <id>` and `channel {slug} <platform> members <channel id>`."
        )
    )


async def rename_network(context: HandlerContext) -> Reply:
    given = context.given(RenameNetwork)
    name = fold(given.name)
    if not name:
        raise UserError("Use `rename network <network> to <new name>`.")
    network, rest = await split_network(context, given.network, include_archived=True)
    if rest:
        raise UserError("Use `rename network <network> to <new name>`.")
    if len(name) > 120:
        raise UserError("That name is too long (up to 120 characters).")
    old = network.name
    network.name = name
    await _audit(context, "network_renamed", network)
    return Reply(text=f"Done: {old} is now called {name}.")


async def archive_network(context: HandlerContext) -> Reply:
    typed = context.given(NetworkName).network
    network, _ = await split_network(context, typed, include_archived=True)
    if network.archived_at is not None:
        raise UserError(f"{network.name} is already archived.")
    network.archived_at = context.now
    await _audit(context, "network_archived", network)
    return Reply(
        text=(
            f"Archived {network.name}: it no longer appears in `networks` and can't be joined. "
            "Its members' records stay until they leave or ask me to forget them."
        )
    )


# Channels people are added to when they join: whoever can see the channel sees them.
JOINERS_SPACES = frozenset({"members", "allies"})
# What an admin adds to the command to set a public channel as such a space anyway.
ALLOW_PUBLIC = (("public",), ("allow", "public"))
PRIVACY_CHECK_SECONDS = 5.0


async def set_channel(context: HandlerContext) -> Reply:
    given = context.given(NetworkChannel)
    network, rest = await split_network(context, given.network, include_archived=True)
    words = given.named(rest)
    usage = (
        f"Use `channel {network.slug} <{'|'.join(PLATFORMS)}> <{'|'.join(PURPOSES)}> "
        "<channel id> [public]`."
    )
    allow_public = tuple(word.lower() for word in words[3:]) in ALLOW_PUBLIC
    if len(words) != 3 and not (len(words) > 3 and allow_public):
        raise UserError(usage)
    platform, purpose, reference = words[0].lower(), words[1].lower(), words[2].strip("<>#")
    if platform not in PLATFORMS or purpose not in PURPOSES or not known_channel_id(reference):
        raise UserError(usage)
    note = ""
    if purpose in JOINERS_SPACES:
        note = await _privacy_note(context, network, platform, purpose, reference, allow_public)
    await NetworkRepository(context.session).set_channel(network.id, platform, purpose, reference)
    await _audit(context, "channel_set", network, f"{platform}:{purpose}")
    return Reply(text=f"Done: {network.name}'s {purpose} channel on {platform} is set.{note}")


async def _privacy_note(
    context: HandlerContext,
    network: Network,
    platform: str,
    purpose: str,
    reference: str,
    allow_public: bool,
) -> str:
    """Refuse a public channel as a joiners' space unless allowed; say what could not be checked."""
    try:
        # The request's transaction is open while the platform answers: keep that short.
        async with asyncio.timeout(PRIVACY_CHECK_SECONDS):
            private = await context.services.messenger.channel_is_private(platform, reference)
    except TimeoutError:
        private = None
    who = "member" if purpose == "members" else "ally"
    as_who = "as a member" if who == "member" else "as an ally"
    if private is True:
        return ""
    if private is None:
        return (
            f" I couldn't check whether it is private on {platform} "
            + (
                "(Teams doesn't tell bots; a standard channel is open to the whole team). "
                if platform == "teams"
                else "(the bot may not be in it yet). "
            )
            + f"Please make sure it is: everyone who can see it will see each {who} I add."
        )
    if not allow_public:
        raise UserError(
            f"That {platform} channel is public, so anyone who can see it would see everyone "
            f"who joins {network.name} {as_who}. Please choose "
            "a private channel. If you really want this public one, say so: "
            f"`channel {network.slug} {platform} {purpose} {reference} public`."
        )
    return (
        f" It is public, as you said: anyone who can see it will see each {who} I add, "
        "and the consent people give before joining tells them their channel is visible."
    )


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="add lead",
            handler=add_lead,
            summary="make someone a lead of your network",
            usage="add lead <network> <id>",
            audience=Audience.LEAD,
            arguments=LeadChange,
        ),
        Command(
            phrase="remove lead",
            handler=remove_lead,
            summary="stop someone being a lead of your network",
            usage="remove lead <network> <id>",
            audience=Audience.LEAD,
            arguments=LeadChange,
        ),
        Command(
            phrase="edit network",
            handler=edit_network,
            summary="change a network's description, meeting details or contact",
            usage="edit network <network> description|meets|contact <text>",
            audience=Audience.LEAD,
            arguments=NetworkDetail,
        ),
        Command(
            phrase="create network",
            handler=create_network,
            summary="create a network",
            usage="create network <short-id> <name>",
            audience=Audience.ADMIN,
            arguments=NewNetwork,
        ),
        Command(
            phrase="rename network",
            handler=rename_network,
            summary="rename a network",
            usage="rename network <network> to <name>",
            audience=Audience.ADMIN,
            arguments=RenameNetwork,
        ),
        Command(
            phrase="archive network",
            handler=archive_network,
            summary="archive a network so nobody new can join",
            usage="archive network <network>",
            audience=Audience.ADMIN,
            arguments=NetworkName,
        ),
        Command(
            phrase="channel",
            handler=set_channel,
            summary="set a network's channel on a platform",
            usage="channel <network> <platform> <members|allies|announcements> <channel id> "
            "[public]",
            audience=Audience.ADMIN,
            arguments=NetworkChannel,
        ),
    ):
        router.add(command)
