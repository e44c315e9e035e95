"""What organisers see of a session's people: `registrations` and `needs`, a page at a time.

Both name people, and `needs` holds what they need to take part (often health
information), so each reply is private to the organiser who asked. A session can have
a thousand registrations, so the chat shows a page with a More button; the network's
leads also get the whole list as a CSV file with the first page. Facilitators who are
not leads page through in chat only, so fewer copies of access needs leave the bot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.errors import UserError
from bot.messages import Attachment, Call, Reply, Section
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.pages import PAGE_ITEMS, csv_file, more_section, paginate
from handlers.sessions.arguments import NeedsList, RegistrationsList, checked_page
from handlers.sessions.common import is_organiser, load_session
from storage.listings import HolderRow, ListingRepository
from storage.models import NetworkSession
from storage.repositories import AuditRepository
from storage.statuses import RegistrationStatus

# An access need may be 1,000 characters, so a page of them is cut by characters long
# before it reaches this many.
NEEDS_PAGE_ITEMS = 10


def _states(holders: Sequence[HolderRow]) -> list[str]:
    """`registered`, `attended` or `waitlist 3` for each holder, in order."""
    states = []
    place = 0
    for holder in holders:
        if holder.status == RegistrationStatus.WAITLISTED:
            place += 1
            states.append(f"waitlist {place}")
        else:
            states.append("attended" if holder.attended else "registered")
    return states


async def _holders(context: HandlerContext, item: NetworkSession) -> list[HolderRow]:
    return await ListingRepository(context.session).holders(
        item.id, (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    )


def _gets_file(
    context: HandlerContext, item: NetworkSession, number: int, holders: Sequence[HolderRow]
) -> bool:
    # Once, with the first page, when there is something in it; and to the network's leads only.
    return number == 1 and bool(holders) and context.roles.leads(item.network_id)


def _reply(
    *,
    intro: str,
    heading: str,
    lines: list[str],
    empty: str,
    number: int,
    command: str,
    call: Call,
    context_note: str,
    attachments: tuple[Attachment, ...],
    page_items: int = PAGE_ITEMS,
) -> Reply:
    page = paginate(lines, number, size=page_items)
    body = page.text or empty
    more = more_section(page, command, call=call)
    note = context_note
    if attachments:
        mention = f"The attached {attachments[0].filename} has the whole list."
        note += f" {mention}"
        # Taken out of the reply by a platform that could not deliver the file.
        attachments = (replace(attachments[0], mention=mention), *attachments[1:])
    return Reply(
        text="\n".join(filter(None, (intro, body, page.note(command)))),
        heading=heading,
        sections=(Section(text=body), *((more,) if more else ())),
        context=note,
        attachments=attachments,
    )


async def registrations_list(context: HandlerContext) -> Reply:
    given = context.given(RegistrationsList)
    session_id, number = given.session, checked_page(given.page)
    item = await load_session(context, session_id)
    if not is_organiser(context, item):
        raise UserError(f"Only the organisers of session {item.id} can see who registered.")
    holders = await _holders(context, item)
    states = _states(holders)
    lines = [
        f"• {holder.name} ({holder.key}) — {state}"
        for holder, state in zip(holders, states, strict=True)
    ]
    files: tuple[Attachment, ...] = ()
    if _gets_file(context, item, number, holders):
        files = (_registrations_csv(item, holders, states),)
    return _reply(
        intro=f"{item.title}:",
        heading=f"Registrations: {item.title}",
        lines=lines,
        empty="Nobody yet.",
        number=number,
        command=f"registrations {item.id}",
        call=Call.of("registrations", session=item.id),
        context_note="Private to you.",
        attachments=files,
    )


def _registrations_csv(
    item: NetworkSession, holders: Sequence[HolderRow], states: Sequence[str]
) -> Attachment:
    return csv_file(
        f"registrations-session-{item.id}.csv",
        ["name", "platform", "id", "status", "registered_at"],
        (
            [
                holder.name,
                holder.platform,
                holder.external_id,
                state,
                holder.registered_at.isoformat(),
            ]
            for holder, state in zip(holders, states, strict=True)
        ),
    )


async def needs(context: HandlerContext) -> Reply:
    given = context.given(NeedsList)
    session_id, number = given.session, checked_page(given.page)
    item = await load_session(context, session_id)
    if not is_organiser(context, item):
        raise UserError(
            f"Only the organisers of session {item.id} can see access needs. To tell them "
            f"yours, `register {item.id} needs: …`."
        )
    holders = [holder for holder in await _holders(context, item) if holder.access_needs]
    zone = context.services.settings.timezone
    lines = [
        f"• {holder.name}"
        + (" (waitlist)" if holder.status == RegistrationStatus.WAITLISTED else "")
        + f": {holder.access_needs}"
        for holder in holders
    ]
    await AuditRepository(context.session).record(
        context.now,
        context.request.person.key,
        "access_needs_viewed",
        item.network_id,
        f"session:{item.id}",
    )
    files = (_needs_csv(item, holders),) if _gets_file(context, item, number, holders) else ()
    return _reply(
        intro=f"Access needs for {item.title} ({when(item.starts_at, zone)}):",
        heading=f"Access needs: {item.title}",
        lines=lines,
        empty="Nobody has told me of any access needs for this session.",
        number=number,
        command=f"needs {item.id}",
        call=Call.of("needs", session=item.id),
        context_note="Private to you. I delete these a week after the session; please don't "
        "copy them elsewhere, and delete any file of them once the session is over.",
        attachments=files,
        page_items=NEEDS_PAGE_ITEMS,
    )


def _needs_csv(item: NetworkSession, holders: Sequence[HolderRow]) -> Attachment:
    return csv_file(
        f"access-needs-session-{item.id}.csv",
        ["name", "platform", "id", "status", "access_needs", "deleted_after"],
        (
            [
                holder.name,
                holder.platform,
                holder.external_id,
                "waitlist" if holder.status == RegistrationStatus.WAITLISTED else "registered",
                holder.access_needs or "",
                holder.needs_delete_after.isoformat() if holder.needs_delete_after else "",
            ]
            for holder in holders
        ),
    )
