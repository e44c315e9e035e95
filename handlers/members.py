"""A network's leads see who is in it: `members <network>`, a page at a time, with a CSV.

Only the network's leads (and admins) may; each look is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Attachment, Call, Reply, Section
from bot.router import Audience, Command, HandlerContext, Router
from handlers.membership import ALLY, MEMBER, role_word
from handlers.networks import find_network
from handlers.pages import csv_file, more_section, page_number, page_words, paginate, typed_page
from storage.listings import ListingRepository, MemberRow
from storage.models import Network
from storage.repositories import AuditRepository


@dataclass(frozen=True, slots=True)
class MembersPage(Arguments):
    """`members <network> [page <n>]`, or its More button's network and page."""

    network: str = ""
    page: int | None = None

    @classmethod
    def parse(cls, words: str) -> MembersPage:
        typed, page = typed_page(words)
        return cls(network=typed, page=page)

    def words(self) -> str:
        return f"{self.network}{page_words(self.page)}"


# Taken out of the reply by a platform that could not deliver the file.
_ATTACHED = "The attached CSV has everyone in it."


async def members(context: HandlerContext) -> Reply:
    given = context.given(MembersPage)
    network = await find_network(context, given.network, include_archived=True)
    if not context.roles.leads(network.id):
        raise UserError(
            f"Only {network.name}'s leads (and admins) can see who is in it. "
            f"You can reach the leads at {network.contact or 'the contact in `networks`'}."
        )
    roster = await ListingRepository(context.session).members(network.id)
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, "members_exported", network_id=network.id
    )
    counts: dict[str, int] = {MEMBER: 0, ALLY: 0}
    lines = []
    for row in roster:
        counts[row.role] = counts.get(row.role, 0) + 1
        lines.append(f"• {row.name} — {role_word(row.role)}")
    summary = f"{counts[MEMBER]} members and {counts[ALLY]} allies"
    command = f"members {network.slug}"
    number = page_number(given.page)
    page = paginate(lines, number)
    body = page.text or "Nobody has joined yet."
    # The file is the whole list; it comes once, with the first page, not with every More.
    whole = number == 1 and bool(roster)
    attachments = (replace(_roster_csv(network, roster), mention=_ATTACHED),) if whole else ()
    more = more_section(page, command, call=Call.of("members", network=network.slug))
    return Reply(
        text="\n".join(filter(None, (f"{network.name}: {summary}.", body, page.note(command)))),
        heading=f"{network.name} members",
        sections=(Section(text=body), *((more,) if more else ())),
        context="Private to you. Please keep this list to yourself."
        + (f" {_ATTACHED}" if attachments else ""),
        attachments=attachments,
    )


def _roster_csv(network: Network, roster: Sequence[MemberRow]) -> Attachment:
    return csv_file(
        f"members-{network.slug}.csv",
        ["name", "platform", "id", "role", "joined_at"],
        (
            [row.name, row.platform, row.external_id, row.role, row.joined_at.isoformat()]
            for row in roster
        ),
    )


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="members",
            handler=members,
            summary="who is in a network, a page at a time, with a CSV of everyone (private)",
            usage="members <network> [page <n>]",
            audience=Audience.LEAD,
            arguments=MembersPage,
        ),
    ):
        router.add(command)
