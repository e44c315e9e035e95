"""Networks: what they are, how they meet and whom to contact.

Nothing here reveals who belongs to a network; the replies may be shown in a channel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Field, Reply, Section, Visibility
from bot.parser import closest
from bot.router import Command, HandlerContext, Router
from handlers.formatting import when
from storage.models import Network
from storage.repositories import NetworkRepository, SessionRepository

_FILLER = re.compile(r"\b(the|staff|employee|network|group)\b", re.IGNORECASE)


def _plain(name: str) -> str:
    return " ".join(_FILLER.sub(" ", name.lower()).replace("'", "").split())


def match_network(networks: Sequence[Network], typed: str) -> Network | None:
    """The network someone meant: by slug, by name, or by name without words like 'network'."""
    wanted = typed.strip().lower()
    wanted_plain = _plain(typed)
    for network in networks:
        if wanted in (network.slug, network.name.lower()) or (
            wanted_plain and wanted_plain in (_plain(network.name), network.slug)
        ):
            return network
    return None


async def find_network(context: HandlerContext, typed: str) -> Network:
    """The active network named `typed`, or a UserError that suggests the closest names."""
    networks = await NetworkRepository(context.session).active()
    if not typed.strip():
        names = ", ".join(network.name for network in networks)
        raise UserError(f"Which network? Try one of: {names}.")
    network = match_network(networks, typed)
    if network is not None:
        return network
    suggestions = closest(typed, [network.name for network in networks]) or closest(
        _plain(typed), [network.slug for network in networks]
    )
    if suggestions:
        options = " or ".join(f"`{name}`" for name in suggestions[:2])
        raise UserError(f"I couldn't find that network. Did you mean {options}?")
    raise UserError("I couldn't find that network. Type `networks` to see them all.")


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
                buttons=(Button("Details", f"network {network.slug}"),),
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
    network = await find_network(context, context.args)
    repository = NetworkRepository(context.session)
    zone = context.services.settings.timezone
    sessions = await SessionRepository(context.session).upcoming(
        context.now, network_id=network.id, limit=5
    )
    fields = [
        Field(label, value)
        for label, value in (("Meets", network.meets), ("Contact", network.contact))
        if value
    ]
    lead_count = len(await repository.leads(network.id))
    if lead_count:
        fields.append(Field("Leads", f"{lead_count} (reach them through the contact above)"))
    upcoming = "\n".join(
        f"• {item.title} — {when(item.starts_at, zone)} (`session {item.id}`)" for item in sessions
    )
    sections = [Section(text=network.description, fields=tuple(fields))]
    sections.append(Section(heading="Coming up", text=upcoming or "Nothing scheduled yet."))
    text_lines = [network.name, network.description]
    text_lines += [f"{item.label}: {item.value}" for item in fields]
    text_lines.append("Coming up:\n" + (upcoming or "Nothing scheduled yet."))
    return Reply(
        text="\n".join(line for line in text_lines if line),
        heading=network.name,
        sections=tuple(sections),
        buttons=_join_buttons(context, network),
        visibility=Visibility.CONVERSATION,
    )


def _join_buttons(context: HandlerContext, network: Network) -> tuple[Button, ...]:
    if context.router.command_for("join") is None:
        return ()
    return (
        Button("Join", f"join {network.slug}", ButtonStyle.PRIMARY),
        Button("Join as ally", f"join {network.slug} as ally"),
    )


def register(router: Router) -> None:
    router.add(
        Command(
            phrase="networks",
            handler=list_networks,
            summary="the staff networks, how they meet and whom to contact",
        )
    )
    router.add(
        Command(
            phrase="network",
            handler=show_network,
            summary="one network's details and what's coming up",
            usage="network <name>",
        )
    )
