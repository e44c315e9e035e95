"""Networks: what they are, how they meet and whom to contact.

Nothing here reveals who belongs to a network; the replies may be shown in a channel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Call, Field, Reply, Section, Visibility
from bot.parser import closest, fold, straight_quotes
from bot.router import Command, HandlerContext, Router
from bot.wall_clock import when
from handlers.calendar_link import CALENDAR_LINK, subscribe_button
from handlers.pages import item_label
from storage.models import Network
from storage.repositories import (
    MembershipRepository,
    NetworkRepository,
    SessionRepository,
    UserRepository,
)

_FILLER = re.compile(r"\b(the|staff|employee|network|group)\b", re.IGNORECASE)

# A network's page shows its next few sessions; `sessions <network>` has the rest.
COMING_UP_SHOWN = 5
# Counted up to this many, so the page can say "5 of 12 shown" without reading everything.
COMING_UP_COUNTED = 1000


@dataclass(frozen=True, slots=True)
class NetworkName(Arguments):
    """`network <name>`: a network by its name or short id (empty: the reply asks which)."""

    network: str = ""

    @classmethod
    def parse(cls, words: str) -> NetworkName:
        return cls(network=fold(words))

    def words(self) -> str:
        return self.network


def _plain(name: str) -> str:
    return " ".join(_FILLER.sub(" ", name.lower()).replace("'", "").split())


def match_network(networks: Sequence[Network], typed: str) -> Network | None:
    """The network someone meant: by slug, by name, or by name without words like 'network'."""
    # Typed names may come padded, and with a phone's smart apostrophe.
    wanted = fold(straight_quotes(typed)).lower()
    wanted_plain = _plain(straight_quotes(typed))
    for network in networks:
        if wanted in (network.slug, network.name.lower()) or (
            wanted_plain and wanted_plain in (_plain(network.name), network.slug)
        ):
            return network
    return None


async def find_network(
    context: HandlerContext, typed: str, *, include_archived: bool = False
) -> Network:
    """The active network named `typed`, or a UserError that suggests the closest names.

    With `include_archived`, archived networks are found too (to leave one, or to say
    that it was archived rather than that it does not exist).
    """
    repository = NetworkRepository(context.session)
    networks = await (repository.every() if include_archived else repository.active())
    if not typed.strip():
        names = ", ".join(network.name for network in networks if network.archived_at is None)
        raise UserError(f"Which network? Try one of: {names}.")
    network = match_network(networks, typed)
    if network is not None:
        return network
    raise UserError(_not_found(networks, typed))


def _not_found(networks: Sequence[Network], typed: str) -> str:
    # Compare with each network's name, slug and name without filler words, then name it.
    by_spelling: dict[str, Network] = {}
    for network in networks:
        for spelling in (network.name, network.slug, _plain(network.name)):
            by_spelling.setdefault(spelling.lower(), network)
    suggested: list[Network] = []
    for spelling in closest(typed, list(by_spelling)) + closest(_plain(typed), list(by_spelling)):
        if by_spelling[spelling] not in suggested:
            suggested.append(by_spelling[spelling])
    if suggested:
        options = " or ".join(f"{network.name} (`{network.slug}`)" for network in suggested[:2])
        return f"I couldn't find that network. Did you mean {options}?"
    return "I couldn't find that network. Type `networks` to see them all."


async def split_network(
    context: HandlerContext, typed: str, *, include_archived: bool = False
) -> tuple[Network, str]:
    """The network named at the start of `typed` and the words after it.

    Names can have spaces ("race equality"), so the longest leading run of words that
    names a network wins: `edit network race equality meets Thursdays` finds Race Equality.
    """
    repository = NetworkRepository(context.session)
    networks = await (repository.every() if include_archived else repository.active())
    words = typed.split()
    if not words:
        raise UserError("Which network? Type `networks` to see them all.")
    for length in range(len(words), 0, -1):
        network = match_network(networks, " ".join(words[:length]))
        if network is not None:
            return network, " ".join(words[length:])
    raise UserError(_not_found(networks, words[0]))


async def list_networks(context: HandlerContext) -> Reply:
    networks = await NetworkRepository(context.session).active()
    if not networks:
        return Reply(text="There are no networks yet. An admin can add them in the configuration.")
    sections = []
    lines = []
    for network in networks:
        details = tuple(
            item
            for item in (
                Field("Meets", network.meets) if network.meets else None,
                Field("Contact", network.contact) if network.contact else None,
            )
            if item is not None
        )
        sections.append(
            Section(
                heading=network.name,
                text=network.description,
                fields=details,
                buttons=(
                    Button(
                        item_label("Details", network.name),
                        call=Call.of("network", network=network.slug),
                    ),
                ),
            )
        )
        lines.append(f"{network.name} (`network {network.slug}`): {network.description}")
    return Reply(
        text="Our staff networks:\n" + "\n".join(lines),
        heading="Staff networks",
        sections=tuple(sections),
        context="Every network is open to any colleague, as a member or as an ally.",
        visibility=Visibility.CONVERSATION,
    )


async def show_network(context: HandlerContext) -> Reply:
    network = await find_network(context, context.given(NetworkName).network)
    repository = NetworkRepository(context.session)
    zone = context.services.settings.timezone
    coming = await SessionRepository(context.session).upcoming(
        context.now, network_id=network.id, limit=COMING_UP_COUNTED
    )
    sessions = coming[:COMING_UP_SHOWN]
    fields = [
        Field(label, value)
        for label, value in (("Meets", network.meets), ("Contact", network.contact))
        if value
    ]
    leads = await lead_names(context, await repository.leads(network.id))
    if leads:
        fields.append(Field("Leads", ", ".join(leads)))
    counts = await MembershipRepository(context.session).counts(network.id)
    shown = context.services.settings.small_numbers
    fields.append(Field("Members", shown.count(counts.get("member", 0))))
    fields.append(Field("Allies", shown.count(counts.get("ally", 0))))
    upcoming = "\n".join(
        f"• {item.title} — {when(item.starts_at, zone)} (`session {item.id}`)" for item in sessions
    )
    cut = _cut_note(context, network, len(sessions), len(coming))
    sections = [Section(text=network.description, fields=tuple(fields))]
    sections.append(Section(heading="Coming up", text=upcoming or "Nothing scheduled yet."))
    if cut is not None:
        sections.append(cut)
    text_lines = [network.name, network.description]
    text_lines += [f"{item.label}: {item.value}" for item in fields]
    text_lines.append("Coming up:\n" + (upcoming or "Nothing scheduled yet."))
    if cut is not None:
        text_lines.append(cut.text)
    return Reply(
        text="\n".join(line for line in text_lines if line),
        heading=network.name,
        sections=tuple(sections),
        buttons=(*_join_buttons(context, network), *_calendar_button(context, network)),
        visibility=Visibility.CONVERSATION,
    )


async def lead_names(context: HandlerContext, keys: Sequence[str]) -> list[str]:
    """Leads' display names: the one they came with, else their platform directory's, else
    their platform id."""
    users = UserRepository(context.session)
    names = []
    for key in keys:
        platform, _, external_id = key.partition(":")
        user = await users.get_by_key(platform, external_id)
        stored = user.display_name if user is not None else ""
        names.append(await context.services.names.name(key, stored))
    return names


def _cut_note(
    context: HandlerContext, network: Network, shown: int, total: int
) -> Section | None:
    """`5 of 12 shown`, with a button to the network's whole list; None when all are shown."""
    if total <= shown:
        return None
    counted = f"{total:,}" if total < COMING_UP_COUNTED else f"more than {total - 1:,}"
    text = f"{shown} of {counted} shown. `sessions {network.slug}` lists them all."
    if context.router.command_for("sessions") is None:
        return Section(text=text)
    more = Button(
        item_label("All sessions", network.name),
        call=Call.of("sessions", network=network.slug),
    )
    return Section(text=text, buttons=(more,))


def _join_buttons(context: HandlerContext, network: Network) -> tuple[Button, ...]:
    if context.router.command_for("join") is None:
        return ()
    return (
        Button(
            item_label("Join", network.name),
            call=Call.of("join", network=network.slug),
            style=ButtonStyle.PRIMARY,
        ),
        Button(
            item_label("Join as an ally", network.name),
            call=Call.of("join", network=network.slug, role="ally"),
        ),
    )


def _calendar_button(context: HandlerContext, network: Network) -> tuple[Button, ...]:
    # Pressed in a channel, it still answers only the person who pressed it.
    if context.router.command_for(CALENDAR_LINK) is None:
        return ()
    return (subscribe_button(network, "Subscribe to its calendar"),)


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="networks",
            handler=list_networks,
            summary="the staff networks, how they meet and whom to contact",
        ),
        Command(
            phrase="network",
            handler=show_network,
            summary="one network's details and what's coming up",
            usage="network <name>",
            arguments=NetworkName,
        ),
    ):
        router.add(command)
