"""Sessions for everyone: list, details, register (with a waitlist), cancel, feedback, `my`.

Who registered and anyone's access needs are sensitive, so every reply here is private
(the default) and notices go to one person each. Places are counted with the session
row locked, so simultaneous registrations never overfill a session; when a place frees
up, exactly the first person on the waitlist gets it and is told privately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import UserError
from bot.messages import (
    Button,
    Field,
    Reply,
    Section,
)
from bot.router import Command, HandlerContext, Router
from bot.small_numbers import Places, SmallNumbers
from handlers import session_bookings
from handlers.formatting import when
from handlers.membership import MyPage
from handlers.networks import find_network, lead_names
from handlers.pages import more_section, paginate, split_page
from handlers.places import give_up_place
from handlers.session_common import (
    MAX_NEEDS_CHARS,
    calendar_cancellation,
    calendar_invite,
    load_session,
    session_buttons,
)
from handlers.session_forms import edit_button
from storage.models import Network, NetworkSession, SessionFeedback, SessionRegistration
from storage.repositories import NetworkRepository, RegistrationRepository, SessionRepository
from storage.statuses import RegistrationStatus, SessionStatus
from storage.types import to_the_hour

MAX_COMMENT_CHARS = 2000
LISTED = 10
# Far more than anyone pages through; the bound keeps one `sessions` from reading everything.
UPCOMING_AT_MOST = 1000
_SESSION_ID = re.compile(r"^#?([0-9]{1,9})(?:\s+(.*))?$", re.DOTALL)
_NEEDS = re.compile(r"\bneeds\s*:", re.IGNORECASE)
_NEUTRAL_WORDS = frozenset({"private", "neutral", "privately"})
KIND_NAMES = {
    "webinar": "Webinar",
    "training": "Training",
    "social": "Social",
    "train-the-trainer": "Train-the-trainer",
    "other": "Session",
}


def split_session_id(args: str, command: str) -> tuple[int, str]:
    """`12 needs: captions` -> (12, "needs: captions"), or a UserError showing the usage."""
    found = _SESSION_ID.match(args.strip())
    if found is None:
        raise UserError(
            f"Which session? Give its number, like `{command} 12`. `sessions` lists them "
            "with their numbers."
        )
    return int(found.group(1)), (found.group(2) or "").strip()


def ends_at(item: NetworkSession) -> datetime:
    return item.starts_at + timedelta(minutes=item.duration_minutes)


def facilitator_keys(item: NetworkSession) -> list[str]:
    return [key.strip() for key in item.facilitators.split(",") if key.strip()]


def is_organiser(context: HandlerContext, item: NetworkSession) -> bool:
    """The network's leads (and admins) and the session's facilitators."""
    return context.roles.leads(item.network_id) or (
        context.request.person.key in facilitator_keys(item)
    )


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("-", " ").capitalize())


def places_text(item: NetworkSession, taken: int, shown: SmallNumbers) -> str:
    """A band, never a number: an exact "18 of 20 left" would show each registration."""
    band = shown.places(item.capacity, taken)
    return f"{band} — you can join the waitlist" if band is Places.FULL else str(band)


async def list_sessions(context: HandlerContext) -> Reply:
    typed, number = split_page(context.args)
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
        you = {
            RegistrationStatus.REGISTERED: "you're registered",
            RegistrationStatus.WAITLISTED: "you're on the waitlist",
        }.get(status or "")
        summary = " · ".join(fact for fact in facts if fact)
        sections.append(
            Section(
                heading=f"{item.title} (session {item.id})",
                text=summary + f"\nPlaces: {places}" + (f"\n{you.capitalize()}." if you else ""),
                buttons=(Button("Details", f"session {item.id}"), *session_buttons(item, status)),
            )
        )
        lines.append(
            f"• {item.title} — {summary}; places: {places}"
            + (f"; {you}" if you else "")
            + f" (`session {item.id}`)"
        )
    more = more_section(page, command)
    return Reply(
        text=f"Coming up{where}:\n" + "\n".join([*lines, page.note(command)]).strip(),
        heading=f"Sessions{where}",
        sections=(*sections, *((more,) if more else ())),
        context="`register <number>` takes a place; `session <number>` shows the details.",
    )


async def show_session(context: HandlerContext) -> Reply:
    session_id, _ = split_session_id(context.args, "session")
    item = await load_session(context, session_id)
    registrations = RegistrationRepository(context.session)
    network = await context.session.get(Network, item.network_id)
    zone = context.services.settings.timezone
    taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
    fields = [
        Field("When", f"{when(item.starts_at, zone)}, {item.duration_minutes} minutes"),
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


@dataclass(frozen=True, slots=True)
class RegisterRequest:
    session_id: int
    neutral: bool
    needs: str | None


def parse_register(args: str) -> RegisterRequest:
    session_id, rest = split_session_id(args, "register")
    needs: str | None = None
    found = _NEEDS.search(rest)
    if found is not None:
        needs = rest[found.end() :].strip()
        rest = rest[: found.start()]
    words = rest.lower().split()
    unknown = [word for word in words if word not in _NEUTRAL_WORDS]
    if unknown:
        raise UserError(
            f"I didn't understand “{' '.join(unknown)[:40]}”. Try `register {session_id}`, "
            f"`register {session_id} private` (a neutral title in your calendar) or "
            f"`register {session_id} needs: captions please`."
        )
    if needs is not None and len(needs) > MAX_NEEDS_CHARS:
        raise UserError(
            f"Please keep access needs under {MAX_NEEDS_CHARS} characters; the organisers "
            "can follow up with you for more.",
            field="needs",
        )
    return RegisterRequest(session_id, bool(words), needs)


def needs_note(context: HandlerContext) -> str:
    days = context.services.settings.sessions.access_needs_kept_days
    later = "on the day the session ends" if days == 0 else f"{days} days after the session"
    return (
        "Only the session's organisers (its network's leads and facilitators) and the bot's "
        f"admins will see your access needs, and I'll delete them {later}."
    )


def keep_needs(
    context: HandlerContext, registration: SessionRegistration, item: NetworkSession, needs: str
) -> None:
    """Store (or with an empty text, clear) access needs, to be deleted a while after the end."""
    days = context.services.settings.sessions.access_needs_kept_days
    registration.access_needs = needs or None
    registration.needs_delete_after = ends_at(item) + timedelta(days=days) if needs else None


async def register_place(context: HandlerContext) -> Reply:
    wanted = parse_register(context.args)
    registrations = RegistrationRepository(context.session)
    # Everything below happens with the session row locked: counting places and taking one.
    item = await SessionRepository(context.session).lock_session(wanted.session_id)
    if item is None:
        raise UserError(
            f"I can't find session {wanted.session_id}. `sessions` lists what's coming up."
        )
    zone = context.services.settings.timezone
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"{item.title} was cancelled, so it isn't taking registrations.")
    existing = await registrations.of(item.id, context.user.id)
    if existing is not None and existing.status in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ):
        return await _update_place(context, item, existing, wanted)
    if item.starts_at <= context.now:
        raise UserError(f"{item.title} has already started. `sessions` shows what's coming up.")
    if item.registration_deadline is not None and context.now > item.registration_deadline:
        raise UserError(
            f"Registration for {item.title} closed on {when(item.registration_deadline, zone)}. "
            "If you'd still like to come, ask the network's contact."
        )
    if (
        item.invite_only
        and not is_organiser(context, item)
        and not await registrations.is_invited(item.id, context.user.id)
    ):
        network = await context.session.get(Network, item.network_id)
        contact = network.contact if network and network.contact else "the network's leads"
        raise UserError(
            f"{item.title} is by invitation only. If you think you should have been invited "
            f"(or would like to be), ask {contact}."
        )
    taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
    status = (
        RegistrationStatus.REGISTERED
        if item.capacity is None or taken < item.capacity
        else RegistrationStatus.WAITLISTED
    )
    position = await registrations.next_position(item.id)
    if existing is None:
        existing = await registrations.add(
            SessionRegistration(
                session_id=item.id,
                user_id=context.user.id,
                status=status,
                position=position,
                registered_at=context.now,
                attended=False,
                neutral_title=wanted.neutral,
                calendar_sequence=0,
                feedback_given=False,
                created_at=context.now,
            )
        )
    else:
        # Coming back after cancelling: to the back of the queue, like anyone new.
        existing.status = status
        existing.position = position
        existing.registered_at = context.now
        existing.neutral_title = wanted.neutral
    if wanted.needs:
        keep_needs(context, existing, item, wanted.needs)
    await context.session.flush()
    return await _place_reply(context, item, existing, wanted.needs)


async def _update_place(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    wanted: RegisterRequest,
) -> Reply:
    if wanted.neutral:
        # Asking again with `private` swaps the calendar event for one with a neutral title.
        registration.neutral_title = True
    if wanted.needs is None:
        extra = (
            ""
            if registration.status == RegistrationStatus.REGISTERED
            else " I'll tell you if a place comes up."
        )
        already = (
            "You're already registered"
            if registration.status == RegistrationStatus.REGISTERED
            else "You're already on the waitlist"
        )
        reply = await _place_reply(context, item, registration, None)
        return Reply(
            text=f"{already} for {item.title}.{extra}\n{reply.text}",
            buttons=reply.buttons,
            attachments=reply.attachments,
        )
    if not wanted.needs:
        raise UserError(
            "What do you need to take part? For example "
            f"`register {item.id} needs: captions please`.",
            field="needs",
        )
    keep_needs(context, registration, item, wanted.needs)
    return Reply(
        text=f"Thank you, I've passed your access needs for {item.title} to its organisers. "
        + needs_note(context),
        buttons=session_buttons(item, registration.status),
    )


async def _place_reply(
    context: HandlerContext,
    item: NetworkSession,
    registration: SessionRegistration,
    needs: str | None,
) -> Reply:
    zone = context.services.settings.timezone
    registrations = RegistrationRepository(context.session)
    needs_text = f" {needs_note(context)}" if needs else ""
    ask_needs = (
        ""
        if needs or registration.access_needs
        else f" Is there anything you need to take part? Let us know in advance with "
        f"`register {item.id} needs: …`."
    )
    buttons = session_buttons(item, registration.status)
    if registration.status == RegistrationStatus.WAITLISTED:
        place = await registrations.waitlist_place(registration)
        return Reply(
            text=(
                f"{item.title} ({when(item.starts_at, zone)}) is full, so you're number {place} "
                f"on the waitlist. If a place comes up I'll tell you privately and send the "
                f"calendar file.{needs_text}"
            ),
            buttons=buttons,
        )
    return Reply(
        text=(
            f"You're registered for {item.title}: {when(item.starts_at, zone)}, "
            f"{item.duration_minutes} minutes, {item.location or 'place to be confirmed'}. "
            f"Here's a calendar file for it.{needs_text}{ask_needs}"
        ),
        buttons=buttons,
        attachments=(calendar_invite(context, item, registration),),
    )


async def cancel(context: HandlerContext) -> Reply:
    session_id, _ = split_session_id(context.args, "cancel")
    registrations = RegistrationRepository(context.session)
    item = await SessionRepository(context.session).lock_session(session_id)
    registration = None if item is None else await registrations.of(item.id, context.user.id)
    if item is None or registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise UserError(
            f"You don't have a place at session {session_id}, so there's nothing to cancel. "
            "`my` shows your sessions."
        )
    was = registration.status
    await give_up_place(context, item, registration)
    if was == RegistrationStatus.WAITLISTED:
        return Reply(text=f"Done: you're off the waitlist for {item.title}.")
    return Reply(
        text=(
            f"Done: I've cancelled your place at {item.title}. Here's a calendar update that "
            "removes it from your calendar."
        ),
        attachments=(calendar_cancellation(context, item, registration),),
    )


_RATING = re.compile(r"^([1-5])(?:\s*/\s*5)?(?:\s+(.*))?$", re.DOTALL)
_NAMED = re.compile(r"(?:^|\s)\(?named\)?$", re.IGNORECASE)


async def feedback(context: HandlerContext) -> Reply:
    session_id, rest = split_session_id(context.args, "feedback")
    found = _RATING.match(rest)
    if found is None:
        raise UserError(
            f"Please give a rating from 1 (poor) to 5 (excellent), like `feedback {session_id} "
            "4 Loved the breakout rooms`. Add `named` at the end to put your name to it.",
            field="rating",
        )
    rating = int(found.group(1))
    comment = (found.group(2) or "").strip()
    named = bool(_NAMED.search(comment))
    if named:
        comment = _NAMED.sub("", comment).strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise UserError(f"Please keep comments under {MAX_COMMENT_CHARS} characters.")
    registrations = RegistrationRepository(context.session)
    item = await load_session(context, session_id)
    registration = await registrations.of(item.id, context.user.id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise UserError(
            f"Feedback on {item.title} comes from the people who had a place at it, and I "
            "don't have you down. If you went anyway, tell the organisers directly."
        )
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"{item.title} was cancelled, so there's nothing to give feedback on.")
    if context.now < item.starts_at:
        raise UserError(f"{item.title} hasn't happened yet. I'll ask for feedback afterwards.")
    if registration.feedback_given:
        raise UserError(f"You've already given feedback on {item.title}. Thank you!")
    registration.feedback_given = True
    await registrations.add_feedback(
        SessionFeedback(
            session_id=item.id,
            user_id=context.user.id if named else None,
            rating=rating,
            comment=comment,
            # To the hour: an exact time could be matched to when the author was last seen.
            created_at=to_the_hour(context.now),
        )
    )
    who = "with your name" if named else "anonymously"
    recording = f" The recording is here: {item.recording_url}" if item.recording_url else ""
    return Reply(
        text=f"Thank you! I've passed your feedback on to the organisers {who}.{recording}"
    )


def register(router: Router, my_page: MyPage) -> None:
    session_bookings.register(router, my_page)
    router.add(
        Command(
            phrase="sessions",
            handler=list_sessions,
            summary="upcoming sessions, soonest first, 10 at a time",
            usage="sessions [<network>] [page <n>]",
        )
    )
    router.add(
        Command(
            phrase="session",
            handler=show_session,
            summary="one session's details and places left",
            usage="session <number>",
        )
    )
    router.add(
        Command(
            phrase="register",
            handler=register_place,
            summary="take a place (add `private` for a neutral calendar title)",
            usage="register <number> [private] [needs: <what you need>]",
        )
    )
    router.add(
        Command(
            phrase="cancel",
            handler=cancel,
            summary="give up your place or leave the waitlist",
            usage="cancel <number>",
        )
    )
    router.add(
        Command(
            phrase="feedback",
            handler=feedback,
            summary="rate a session you went to, anonymously unless you add `named`",
            usage="feedback <number> <1-5> [comment] [named]",
            # Anonymous unless `named`: a log line naming who rated would undo that.
            anonymous=True,
        )
    )
