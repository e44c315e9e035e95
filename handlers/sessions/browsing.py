"""Sessions for everyone to look through: `sessions` (10 a page) and `session <n>`.

Places are shown as a band, never a number, and never who registered.
"""

from __future__ import annotations

from bot.messages import Call, Field, Reply, Section
from bot.router import HandlerContext
from bot.small_numbers import Places, SmallNumbers
from bot.wall_clock import when
from handlers.networks import find_network, lead_names
from handlers.pages import more_section, paginate
from handlers.sessions.arguments import SessionsList, ShowSession, checked_page
from handlers.sessions.buttons import details_button, session_buttons
from handlers.sessions.common import facilitator_keys, kind_name, load_session
from handlers.sessions.dates import how_long
from handlers.sessions.forms import edit_button
from storage.models import Network, NetworkSession
from storage.repositories import NetworkRepository, RegistrationRepository, SessionRepository
from storage.statuses import RegistrationStatus, SessionStatus

LISTED = 10
# Far more than anyone pages through; the bound keeps one `sessions` from reading everything.
UPCOMING_AT_MOST = 1000


def places_text(item: NetworkSession, taken: int, shown: SmallNumbers) -> str:
    """A band, never a number: an exact "18 of 20 left" would show each registration."""
    band = shown.places(item.capacity, taken)
    return f"{band} — you can join the waitlist" if band is Places.FULL else str(band)


async def list_sessions(context: HandlerContext) -> Reply:
    given = context.given(SessionsList)
    typed, number = given.network, checked_page(given.page)
    network: Network | None = None
    if typed:
        network = await find_network(context, typed)
    every = await SessionRepository(context.session).upcoming(
        context.now, network_id=network.id if network else None, limit=UPCOMING_AT_MOST
    )
    where = f" in {network.name}" if network else ""
    if not every:
        return Reply(
            text=f"Nothing is scheduled{where} yet. Type `networks` to see how each one meets."
        )
    # Each session is a section of its own with its buttons, so a page is 10 of them.
    page = paginate([item.title for item in every], number, size=LISTED)
    upcoming = page.of(every)
    command = f"sessions {network.slug}" if network else "sessions"
    names = {item.id: item.name for item in await NetworkRepository(context.session).every()}
    registrations = RegistrationRepository(context.session)
    ids = [item.id for item in upcoming]
    taken = await registrations.registered_counts(ids)
    mine = await registrations.statuses_of(context.user.id, ids)
    zone = context.services.settings.timezone
    sections = []
    lines = []
    for item in upcoming:
        places = places_text(item, taken.get(item.id, 0), context.services.settings.small_numbers)
        status = mine.get(item.id)
        facts = [when(item.starts_at, zone), names.get(item.network_id, ""), kind_name(item.kind)]
        if item.invite_only:
            facts.append("by invitation")
        yours: dict[str, str] = {
            RegistrationStatus.REGISTERED: "you're registered",
            RegistrationStatus.WAITLISTED: "you're on the waitlist",
        }
        you = yours.get(status or "")
        summary = " · ".join(fact for fact in facts if fact)
        sections.append(
            Section(
                heading=f"{item.title} (session {item.id})",
                text=summary + f"\nPlaces: {places}" + (f"\n{you.capitalize()}." if you else ""),
                buttons=(details_button(item), *session_buttons(item, status)),
            )
        )
        lines.append(
            f"• {item.title} — {summary}; places: {places}"
            + (f"; {you}" if you else "")
            + f" (`session {item.id}`)"
        )
    listed = Call.of("sessions", network=network.slug) if network else Call.of("sessions")
    more = more_section(page, command, call=listed)
    return Reply(
        text=f"Coming up{where}:\n" + "\n".join([*lines, page.note(command)]).strip(),
        heading=f"Sessions{where}",
        sections=(*sections, *((more,) if more else ())),
        context="`register <number>` takes a place; `session <number>` shows the details.",
    )


async def show_session(context: HandlerContext) -> Reply:
    session_id = context.given(ShowSession).session
    item = await load_session(context, session_id)
    registrations = RegistrationRepository(context.session)
    network = await context.session.get(Network, item.network_id)
    zone = context.services.settings.timezone
    taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
    fields = [
        Field("When", f"{when(item.starts_at, zone)}, {how_long(item.duration_minutes)}"),
        Field("Network", network.name if network else ""),
        Field("Kind", kind_name(item.kind)),
        Field("Where", item.location or "to be confirmed"),
        Field("Places", places_text(item, taken, context.services.settings.small_numbers)),
    ]
    facilitators = await lead_names(context, facilitator_keys(item))
    if facilitators:
        fields.append(Field("Facilitators", ", ".join(facilitators)))
    if item.registration_deadline is not None:
        fields.append(Field("Register by", when(item.registration_deadline, zone)))
    if item.invite_only:
        fields.append(Field("Open to", "people invited by the network's leads"))
    mine = await registrations.of(item.id, context.user.id)
    status = mine.status if mine else None
    notes = []
    if item.status != SessionStatus.SCHEDULED:
        notes.append("This session was cancelled.")
    elif mine is not None and status == RegistrationStatus.REGISTERED:
        notes.append("You're registered.")
    elif mine is not None and status == RegistrationStatus.WAITLISTED:
        place = await registrations.waitlist_place(mine)
        notes.append(f"You're number {place} on the waitlist.")
    elif item.invite_only and await registrations.is_invited(item.id, context.user.id):
        notes.append("You're invited: `register` to take your place.")
    if item.recording_url and context.now >= item.starts_at:
        fields.append(Field("Recording", item.recording_url))
    text_lines = [item.title, item.description, *(f"{f.label}: {f.value}" for f in fields)]
    text_lines += notes
    return Reply(
        text="\n".join(line for line in text_lines if line),
        heading=f"{item.title} (session {item.id})",
        sections=(
            Section(text=item.description, fields=tuple(field for field in fields if field.value)),
            *((Section(text=" ".join(notes)),) if notes else ()),
        ),
        buttons=(
            *session_buttons(item, status),
            # The session's own leads may change it from here.
            *(
                (edit_button(item, zone),)
                if item.status == SessionStatus.SCHEDULED and context.roles.leads(item.network_id)
                else ()
            ),
        ),
    )
