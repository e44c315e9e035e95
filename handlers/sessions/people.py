"""The people leads name in their commands, and what leads do with them: invitations and
attendance. Each person invited is told privately; nobody else sees who was.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Reply
from bot.numbers import parse_id
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.arguments import Attended, Invite, person_refs
from handlers.sessions.buttons import session_buttons
from handlers.sessions.common import led_session_numbered, load_session, people
from handlers.sessions.lead_forms import MAX_PEOPLE_CHOICES, attendees_form_for, shown_holders
from handlers.sessions.person_keys import person_key
from storage.models import Network
from storage.repositories import (
    RegistrationRepository,
    UserRepository,
)
from storage.statuses import SessionKind, SessionStatus


async def invite(context: HandlerContext) -> Reply:
    given = context.given(Invite)
    item = await led_session_numbered(context, given.session)
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(
            f"Session {item.id} isn't coming up any more, so I can't invite to it.", field="session"
        )
    registrations = RegistrationRepository(context.session)
    if given.attendees_of is not None:
        earlier = await load_session(context, parse_id(str(given.attendees_of), what="session"))
        if not context.roles.leads(earlier.network_id):
            raise UserError(
                f"Only that network's leads can see who attended session {earlier.id}.",
                field="attendees_of",
            )
        invitees = list(await registrations.attendees(earlier.id))
    elif person_refs(given.people):
        users = UserRepository(context.session)
        invitees = [
            await users.for_key(person_key(context, ref), context.now)
            for ref in person_refs(given.people)
        ]
    else:
        raise UserError(
            f"Whom should I invite? Name them (`invite {item.id} slack:U0123 slack:U0456`), "
            f"or choose an earlier session to invite everyone who attended it.",
            field="people",
        )
    zone = context.services.settings.timezone
    network = await context.session.get(Network, item.network_id)
    invited = 0
    for user in invitees:
        if not await registrations.invite(item.id, user.id, context.now):
            continue
        invited += 1
        context.notify(
            user.key,
            Reply(
                text=f"You're invited to {item.title} ({network.name if network else ''}), "
                f"{when(item.starts_at, zone)}. Press Register or type `register {item.id}` to "
                "take your place.",
                buttons=session_buttons(item, None),
            ),
        )
    already = len(invitees) - invited
    also = f" {already} had already been invited." if already else ""
    return Reply(text=f"Invited {people(invited)} to {item.title}; each was told privately.{also}")


async def attended(context: HandlerContext) -> Reply:
    given = context.given(Attended)
    item = await led_session_numbered(context, given.session)
    if context.now < item.starts_at:
        raise UserError(
            f"Session {item.id} hasn't started yet; mark attendance afterwards.", field="session"
        )
    registrations = RegistrationRepository(context.session)
    holders = await registrations.people(item.id)
    if given.everyone:
        chosen = list(holders)
    elif not person_refs(given.people) and not given.exactly:
        form = await attendees_form_for(context, item)
        cut = (
            f" The form lists the first {MAX_PEOPLE_CHOICES} of the {len(holders):,} people "
            "with a place; type the others."
            if len(holders) > MAX_PEOPLE_CHOICES
            else ""
        )
        return Reply(
            # Ids are for those who type; the form names the people who had a place.
            text=f"Who attended {item.title}? Tick them in the form "
            f"(typed, `attended {item.id} all` marks everyone).{cut}",
            buttons=(Button("Tick who attended", style=ButtonStyle.PRIMARY, form=form),),
        )
    else:
        wanted = {person_key(context, ref) for ref in person_refs(given.people)}
        chosen = [(user, registration) for user, registration in holders if user.key in wanted]
        missing = len(wanted) - len(chosen)
        if missing:
            raise UserError(
                f"{missing} of those people didn't have a place at session {item.id}. "
                f"`registrations {item.id}` lists who did.",
                field="people",
            )
    marked = {registration.id for _, registration in chosen}
    # The form says who attended among the people it showed; nobody else is unmarked by it.
    unmarkable = (
        {registration.id for _, registration in shown_holders(holders, given.shown_through)}
        if given.exactly
        else set()
    )
    unmarked = 0
    for _, registration in holders:
        if registration.id in marked:
            registration.attended = True
        elif registration.id in unmarkable and registration.attended:
            registration.attended = False
            unmarked += 1
    await context.session.flush()
    text = (
        f"Marked {people(len(chosen))} as attending {item.title}."
        if chosen
        else f"Marked nobody as attending {item.title}."
    )
    if unmarked:
        text += f" No longer marked as attending: {people(unmarked)}."
    if item.kind == SessionKind.TRAINING:
        trained = await registrations.trained_count(item.network_id)
        shown = context.services.settings.small_numbers
        text += f" People trained so far in this network: {shown.count(trained)}."
    return Reply(text=text)
