"""Which network a lead's command names, and whether the person is one of its leads.

Every lead command starts the same way: find the network in what was typed, then refuse
anyone who does not lead it (admins lead every network). Features share these so the
refusals read alike and name who to ask instead.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.router import HandlerContext
from handlers.networks import find_network, match_network
from storage.models import Network
from storage.repositories import NetworkRepository


async def take_network(context: HandlerContext, typed: str) -> tuple[Network, str]:
    """The network named at the start of `typed` (up to three words), and the rest."""
    networks = await NetworkRepository(context.session).active()
    tokens = typed.split()
    for length in (3, 2, 1):
        if len(tokens) >= length:
            found = match_network(networks, " ".join(tokens[:length]))
            if found is not None:
                return found, " ".join(tokens[length:])
    network = await find_network(context, tokens[0] if tokens else "")
    return network, " ".join(tokens[1:])


def require_lead(
    context: HandlerContext, network: Network, doing: str = "schedule or change its announcements"
) -> None:
    if not context.roles.leads(network.id):
        raise UserError(
            f"Only the {network.name} leads can {doing}. "
            "If you'd like something posted, ask them (`network "
            f"{network.slug}` shows who to contact)."
        )


def require_lead_to_change(context: HandlerContext, network: Network) -> None:
    """For changes to the network itself (its leads, its details): the refusal names its contact."""
    if not context.roles.leads(network.id):
        raise UserError(
            f"Only {network.name}'s leads, or an admin, can change that. "
            f"You can reach its leads at {network.contact or 'the contact in `networks`'}."
        )
