"""Joining and leaving networks, the consent that comes first, and `my` (the leads' member
lists are in `handlers.members`).

Membership is special-category data (it can reveal orientation, gender identity,
disability or ethnicity), so every reply here is private, joining is never announced,
and nothing about it is written to logs or the audit log except a lead's export.

The first join asks for agreement. The join someone asked for is kept in the database
(`pending_joins`) so that pressing "I agree" or typing a bare `agree` later, on any
platform or after a restart, completes exactly that join.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Call, Reply, Section, sections_text
from bot.outbound import ChannelInvite, InviteOutcome
from bot.registry import MySection
from bot.router import Command, HandlerContext, Router
from handlers.membership_arguments import (
    ALLY,
    CHANNEL_FOR_ROLE,
    MEMBER,
    JoinNetwork,
    LeaveNetwork,
    as_role,
)
from handlers.networks import find_network
from handlers.pages import button_sets, item_label
from handlers.sessions.places import give_up_places
from storage.erasure import clear_needs
from storage.models import Network, User
from storage.repositories import (
    ConsentRepository,
    MembershipRepository,
    NetworkRepository,
    PendingJoinRepository,
)

# Bump when the wording of what people agree to changes, so we know who agreed to what.
CONSENT_VERSION = "2026-12"


def consent_text(network: Network, role: str) -> str:
    # Everyone who can learn that someone joined is named here: what people agree to
    # must be what happens (docs/privacy.md says the same at length).
    space = "a members'" if role == MEMBER else "an allies'"
    return (
        "Before I add you, here is exactly what I keep and who can see it.\n"
        "• What I store: the network you join, whether as a member or an ally, and that you "
        "agreed to this. Like everyone who talks to me, I also keep your name and platform id.\n"
        f"• Who can see it: you, the leads of {network.name}, and the bot's admins (they can "
        "list a network's members). I never announce it in a shared channel.\n"
        f"• If {network.name} has {space} channel, I add you to it, and everyone in that "
        "channel can see that you're there.\n"
        "• The people who run the bot's database can read everything it stores.\n"
        "• If you leave a network or withdraw your agreement, I also cancel your places at "
        "that network's sessions still to come and delete any access needs you gave for its "
        "sessions.\n"
        "• See it any time with `my data`. Remove it with `leave <network>` for one network, "
        "`withdraw consent` to leave them all, or `forget me` to remove everything about you. "
        "None of these takes you out of the channel: leave that in the channel itself.\n"
        f"If that's all right, press “I agree” or type `agree`, and I'll add you to "
        f"{network.name} as {as_role(role)}."
    )


async def _one_at_a_time(context: HandlerContext) -> None:
    """Queue this person's other joins and agreements behind this one until it commits.

    A double-clicked "I agree" or a join sent twice arrive together; on PostgreSQL each
    would see no agreement yet and insert its own (SQLite's write lock already queues them).
    """
    await context.session.execute(
        select(User.id).where(User.id == context.user.id).with_for_update()
    )


async def join(context: HandlerContext) -> Reply:
    await _one_at_a_time(context)
    given = context.given(JoinNetwork)
    role = given.role
    network = await find_network(context, given.network, include_archived=True)
    if network.archived_at is not None:
        raise UserError(
            f"{network.name} has been archived, so it isn't taking new members. "
            "Type `networks` to see the networks that are running."
        )
    existing = await MembershipRepository(context.session).get(context.user.id, network.id)
    if existing is not None:
        if existing.role == role:
            raise UserError(f"You're already in {network.name} as {as_role(role)}.")
        raise UserError(
            f"You're already in {network.name} as {as_role(existing.role)}, so I haven't "
            f"changed anything. To join as {as_role(role)} instead, `leave {network.slug}` "
            "and join again."
        )
    if not await ConsentRepository(context.session).active(context.user.id):
        await PendingJoinRepository(context.session).put(
            context.user.id, network.id, role, context.now
        )
        return Reply(
            text=consent_text(network, role),
            heading="Before you join",
            buttons=(Button("I agree", call=Call("agree"), style=ButtonStyle.PRIMARY),),
        )
    return await _complete_join(context, network, role)


async def agree(context: HandlerContext) -> Reply:
    await _one_at_a_time(context)
    consents = ConsentRepository(context.session)
    pending_joins = PendingJoinRepository(context.session)
    pending = await pending_joins.pending_of(context.user.id)
    already = await consents.active(context.user.id)
    await consents.agree(context.user.id, CONSENT_VERSION, context.now)
    if pending is None:
        if already:
            return Reply(text="You've already agreed; there's nothing more to do.")
        return Reply(
            text="Thank you, I've noted that you agree. Type `networks` to choose one to join."
        )
    network, role = pending
    await pending_joins.clear(context.user.id)
    if network.archived_at is not None:
        # A reply, not a UserError: the agreement and the cleared join should be kept.
        return Reply(
            text=f"Thank you. {network.name} was archived in the meantime, so I couldn't add you."
        )
    if await MembershipRepository(context.session).get(context.user.id, network.id) is not None:
        return Reply(text=f"Thank you. You're already in {network.name}.")
    return await _complete_join(context, network, role)


async def _complete_join(context: HandlerContext, network: Network, role: str) -> Reply:
    await MembershipRepository(context.session).add(context.user.id, network.id, role, context.now)
    purpose = CHANNEL_FOR_ROLE[role]
    platform = context.request.person.platform
    repository = NetworkRepository(context.session)
    channel_ref = (await repository.channels(network.id, platform)).get(purpose, "")
    space = "a members' channel" if role == MEMBER else "an allies' channel"
    text = f"Welcome! You've joined {network.name} as {as_role(role)}."
    seen_by = "only you, the network's leads and the bot's admins can see that you joined."
    buttons = (Button("My networks", call=Call("my")),)
    if not channel_ref:
        text += (
            f" It doesn't have {space} here yet, so there's nowhere to add you; "
            f"its leads can be reached at {network.contact or 'the contact in `networks`'}. "
            f"{seen_by[0].upper()}{seen_by[1:]}"
        )
        return Reply(text=text, buttons=buttons)
    channel = _Channel(channel_ref, network.name, space.split(" ", 1)[1])
    leads = await repository.leads(network.id)

    async def into_channel(draft: Reply) -> Reply:
        said = await _into_channel(context, channel, leads)
        joined = f"{text} {said} Everyone in that channel will see you there; beyond it, {seen_by}"
        return replace(draft, text=joined)

    # The invite waits for the commit: a platform call (and its rate-limit waits) never holds
    # the database, and nobody is put in a channel for a join that then failed to be kept.
    # Until then the reply says only what is already true.
    draft = Reply(text=f"{text} {seen_by[0].upper()}{seen_by[1:]}", buttons=buttons)
    return context.complete_after_commit(draft, into_channel)


@dataclass(frozen=True, slots=True)
class _Channel:
    """The network channel a join adds someone to, as the reply names it."""

    ref: str
    network: str
    space: str


async def _into_channel(context: HandlerContext, channel: _Channel, leads: Sequence[str]) -> str:
    """Add the person to the network's channel (the join is committed by now) and say
    truthfully what happened; the leads are told what to fix, only if it failed."""
    result = await context.services.messenger.invite(
        ChannelInvite(context.request.person.key, channel.ref)
    )
    space = channel.space
    link = f": {result.link}" if result.link else ""
    if result.outcome is InviteOutcome.INVITED:
        return f"I've added you to its {space}{link}."
    if result.outcome is InviteOutcome.ALREADY_IN:
        return f"You're already in its {space}{link}."
    fix = result.fix or "check the channel setting (`channel`) and that I'm in the channel"
    # The leads are told what to fix, not who joined: the colleague already has the link.
    to_leads = Reply(
        text=(
            f"A colleague who joined {channel.network} couldn't be added to its channel "
            f"automatically, so I sent them the link. To fix it: {fix}."
        )
    )
    for lead in leads:
        context.notify(lead, to_leads)
    if link:
        return f"I couldn't add you to its {space} myself, but you can join it here{link}."
    return f"I couldn't add you to its {space} myself; its leads can send you the link."


async def leave(context: HandlerContext) -> Reply:
    typed = context.given(LeaveNetwork).network
    network = await find_network(context, typed, include_archived=True)
    if not await MembershipRepository(context.session).remove(context.user.id, network.id):
        raise UserError(
            f"You're not in {network.name}, so there's nothing to leave. "
            "`my` shows the networks you're in."
        )
    given_up = await leave_sessions_of(context, [network])
    return Reply(
        text=(
            f"You've left {network.name} and I no longer keep that you were in it.{given_up} "
            "If you're in its channel, you can leave that from the channel itself."
        )
    )


async def withdraw_consent(context: HandlerContext) -> Reply:
    memberships = MembershipRepository(context.session)
    held = [network for network, _ in await memberships.of_user(context.user.id)]
    if not await ConsentRepository(context.session).withdraw(context.user.id, context.now):
        raise UserError("You haven't agreed to anything, so there's nothing to withdraw.")
    await memberships.remove_all(context.user.id)
    await PendingJoinRepository(context.session).clear(context.user.id)
    left = f" and left {', '.join(network.name for network in held)}" if held else ""
    given_up = await leave_sessions_of(context, held)
    return Reply(
        text=(
            f"Done: I've recorded that you withdrew your agreement{left}.{given_up} "
            "I'll ask again if you join a network later."
        )
    )


async def leave_sessions_of(context: HandlerContext, networks: Sequence[Network]) -> str:
    """Give up the person's places at these networks' sessions to come and delete the access
    needs they gave for any of them: registering was part of being in the network."""
    given_up: list[str] = []
    for network in networks:
        given_up += [
            item.title for item in await give_up_places(context, context.user.id, network.id)
        ]
        await clear_needs(context.session, context.user.id, network.id)
    if not given_up:
        return ""
    return (
        f" I've also cancelled your {_places(len(given_up))} at {', '.join(given_up)}, "
        "with any access needs you gave, so the people waiting can have them."
    )


def _places(count: int) -> str:
    return "place" if count == 1 else "places"


@dataclass(slots=True)
class MyPage:
    """What `my` shows: one part per feature. Features add theirs in their `register`."""

    sections: list[MySection] = field(default_factory=list)

    def add(self, section: MySection) -> None:
        self.sections.append(section)

    async def show(self, context: HandlerContext) -> Reply:
        shown: list[Section] = []
        for provider in self.sections:
            part = await provider(context)
            if isinstance(part, Section):
                shown.append(part)
            elif part:
                shown.extend(part)
        return Reply(
            text=sections_text(shown), heading="Your networks and sessions", sections=tuple(shown)
        )


async def my_networks(context: HandlerContext) -> tuple[Section, ...]:
    held = await MembershipRepository(context.session).of_user(context.user.id)
    # The networks someone leads, joined or not (an admin leads none of them by that alone).
    led = await NetworkRepository(context.session).led_by(context.request.person.key)
    if not held and not led:
        return (
            Section(
                heading="Your networks",
                text="You haven't joined any networks yet.",
                buttons=(Button("Networks", call=Call("networks")),),
            ),
        )
    lines = [f"• {network.name}: {role_word(role)}" for network, role in held]
    lines.extend(f"• Lead of {network.name}" for network in led)
    leave = [
        Button(
            item_label("Leave", network.name),
            call=Call.of("leave", network=network.slug),
            style=ButtonStyle.DANGER,
        )
        for network, _ in held
    ]
    if led:
        leave.append(Button("Lead tasks", style=ButtonStyle.PRIMARY, call=Call("lead")))
    # In sets a Teams card shows whole, however many networks someone is in.
    return (Section(heading="Your networks", text="\n".join(lines)), *button_sets(leave))


def role_word(role: str) -> str:
    return "ally" if role == ALLY else "member"


def register(router: Router) -> None:
    # The router's list itself: parts features add after this one show too.
    my_page = MyPage(router.registry.my_parts)
    router.add_my_part(my_networks)
    for command in (
        Command(
            phrase="join",
            handler=join,
            summary="join a network as a member (lived experience) or as an ally",
            usage="join <network> [as ally]",
            arguments=JoinNetwork,
        ),
        Command(
            phrase="leave",
            handler=leave,
            summary="leave a network",
            usage="leave <network>",
            arguments=LeaveNetwork,
        ),
        Command(
            phrase="agree",
            handler=agree,
            summary="agree to what I keep when you join a network",
            aliases=("i agree",),
        ),
        Command(
            phrase="withdraw consent",
            handler=withdraw_consent,
            summary="withdraw your agreement and leave every network",
        ),
        Command(
            phrase="my",
            handler=my_page.show,
            summary="your networks and role in each",
            alone=True,
        ),
    ):
        router.add(command)
