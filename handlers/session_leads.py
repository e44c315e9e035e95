"""Sessions for network leads: create, edit, postpone, cancel, invite, attendance, reports.

A session is described in one line of `key: value` parts separated by `|`:

    create session pride | title: Inclusive spaces | when: 13 Dec 2026 15:45 |
        duration: 75m | where: https://teams.example/meet | capacity: 20 | kind: webinar

Creating first echoes the session back (the date written out with its zone) and only
saves it when confirmed, by the button or by adding `| confirm: yes`. Everything that
names people (registrations, access needs, attendance) is a private reply to a lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from bot.config import PLATFORMS
from bot.errors import UserError
from bot.inbound import known_person_key
from bot.messages import Button, ButtonStyle, Field, Form, FormField, FormFieldKind, Reply, Section
from bot.numbers import is_number, parse_id
from bot.router import Audience, Command, HandlerContext, Router
from handlers.breakout_posts import ONCE as ANY_TIME
from handlers.breakout_posts import prefix as breakout_prefix
from handlers.formatting import when
from handlers.networks import find_network
from handlers.places import fill_freed_places
from handlers.session_common import (
    calendar_cancellation,
    calendar_invite,
    load_session,
    session_buttons,
)
from handlers.session_dates import parse_duration, parse_end, parse_future, parse_when
from handlers.session_forms import MAX_TEXT, MAX_TITLE, edit_button
from handlers.session_lists import needs, registrations_list
from handlers.sessions import ends_at, keep_needs, kind_name, split_session_id
from storage.models import Network, NetworkSession
from storage.repositories import (
    AuditRepository,
    NetworkRepository,
    OutboxRepository,
    RegistrationRepository,
    SessionRepository,
    UserRepository,
)
from storage.statuses import RegistrationStatus, SessionStatus

LARGEST_CAPACITY = 5000
DEFAULT_MINUTES = 60
# Slack refuses a button value over 2,000 characters; a longer draft is confirmed by typing.
MAX_BUTTON_COMMAND = 1900
KINDS = {
    "webinar": "webinar",
    "talk": "webinar",
    "training": "training",
    "workshop": "training",
    "social": "social",
    "train-the-trainer": "train-the-trainer",
    "train the trainer": "train-the-trainer",
    "ttt": "train-the-trainer",
    "other": "other",
}
# What people may call each part, mapped to the part.
_KEY_NAMES = {
    "title": "title",
    "name": "title",
    "when": "when",
    "starts": "when",
    "start": "when",
    "date": "when",
    "duration": "duration",
    "length": "duration",
    "ends": "ends",
    "end": "ends",
    "until": "ends",
    "where": "where",
    "location": "where",
    "link": "where",
    "capacity": "capacity",
    "places": "capacity",
    "kind": "kind",
    "type": "kind",
    "invite only": "invite_only",
    "invitation only": "invite_only",
    "by invitation": "invite_only",
    "description": "description",
    "agenda": "description",
    "facilitators": "facilitators",
    "facilitator": "facilitators",
    "deadline": "deadline",
    "register by": "deadline",
    "confirm": "confirm",
}
_KEY = re.compile(
    r"(?:^|\s)("
    + "|".join(re.escape(name) for name in sorted(_KEY_NAMES, key=len, reverse=True))
    + r")\s*:",
    re.IGNORECASE,
)
_KEY_AT_START = re.compile(
    r"^("
    + "|".join(re.escape(name) for name in sorted(_KEY_NAMES, key=len, reverse=True))
    + r")\s*:\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_YES = frozenset({"yes", "y", "true", "on"})
_NO = frozenset({"no", "n", "false", "off"})
_MENTION = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$")
SHORT_USAGE = "create session <network> | title: … | when: … | duration: … | …"
USAGE = (
    "create session <network> | title: … | when: 13 Dec 2026 15:45 | duration: 75m | "
    "where: … | capacity: 20 | kind: webinar | invite only: no"
)


@dataclass(slots=True)
class Parts:
    """The `key: value` parts someone typed, unchecked."""

    title: str | None = None
    when: str | None = None
    duration: str | None = None
    ends: str | None = None
    where: str | None = None
    capacity: str | None = None
    kind: str | None = None
    invite_only: str | None = None
    description: str | None = None
    facilitators: str | None = None
    deadline: str | None = None
    confirm: str | None = None
    given: list[str] = field(default_factory=list)


def parse_parts(text: str) -> tuple[str, Parts]:
    """What comes before the first `key:` (a network name, say) and the parts after it."""
    found = _KEY.search(text)
    if found is None:
        return text.strip(" |"), Parts()
    before = text[: found.start()].strip(" |")
    parts = Parts()
    for chunk in filter(None, (piece.strip() for piece in text[found.start() :].split("|"))):
        match = _KEY_AT_START.match(chunk)
        if match is None:
            raise UserError(
                f"I couldn't tell which part “{chunk[:40]}” is. Start each part with a name "
                "and a colon, like `title: …` or `when: …`, separated by `|`."
            )
        name = _KEY_NAMES[" ".join(match.group(1).lower().split())]
        setattr(parts, name, match.group(2).strip())
        parts.given.append(name)
    return before, parts


@dataclass(frozen=True, slots=True)
class Changes:
    """Checked values; None means 'not given'."""

    title: str | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    location: str | None = None
    capacity: int | None = None
    capacity_given: bool = False
    kind: str | None = None
    invite_only: bool | None = None
    description: str | None = None
    facilitators: str | None = None
    deadline: datetime | None = None


def check_parts(
    context: HandlerContext, parts: Parts, current: NetworkSession | None = None
) -> Changes:
    zone = context.services.settings.timezone
    now = context.now
    title = _text(parts.title, "title", MAX_TITLE)
    starts_at = parse_future(parts.when, now, zone) if parts.when is not None else None
    start_for_end = starts_at or (current.starts_at if current else None)
    minutes: int | None = None
    if parts.duration is not None:
        minutes = parse_duration(parts.duration)
    if parts.ends is not None:
        if start_for_end is None:
            raise UserError("Please give `when:` as well as when it ends.", field="when")
        end = parse_end(parts.ends, start_for_end, zone)
        minutes = parse_duration(str(int((end - start_for_end).total_seconds() // 60)))
    capacity = _capacity(parts.capacity) if parts.capacity is not None else None
    kind = None
    if parts.kind is not None:
        kind = KINDS.get(parts.kind.strip().lower())
        if kind is None:
            raise UserError(
                "The kind can be webinar, training, social, train-the-trainer or other.",
                field="kind",
            )
    invite_only = _yes_no(parts.invite_only, "invite_only") if parts.invite_only else None
    deadline = None
    if parts.deadline:
        deadline = parse_when(parts.deadline, now, zone, field="deadline")
        start = start_for_end
        if deadline <= now or (start is not None and deadline > start):
            raise UserError(
                "The registration deadline should be in the future and no later than the start.",
                field="deadline",
            )
    return Changes(
        title=title,
        starts_at=starts_at,
        duration_minutes=minutes,
        location=_text(parts.where, "where", MAX_TEXT, allow_empty=True),
        capacity=capacity,
        capacity_given=parts.capacity is not None,
        kind=kind,
        invite_only=invite_only,
        description=_text(parts.description, "description", MAX_TEXT, allow_empty=True),
        facilitators=_facilitators(context, parts.facilitators),
        deadline=deadline,
    )


def _text(value: str | None, name: str, limit: int, *, allow_empty: bool = False) -> str | None:
    if value is None:
        return None
    if not value and not allow_empty:
        raise UserError(f"The {name} can't be empty.", field=name)
    if len(value) > limit:
        raise UserError(f"Please keep the {name} under {limit} characters.", field=name)
    return value


def _capacity(value: str) -> int | None:
    cleaned = value.strip().lower()
    if cleaned in ("", "none", "no limit", "unlimited", "any"):
        return None
    if not is_number(cleaned) or not 1 <= int(cleaned) <= LARGEST_CAPACITY:
        raise UserError(
            f"The capacity should be a number of places from 1 to {LARGEST_CAPACITY:,}, "
            "or `none` for no limit.",
            field="capacity",
        )
    return int(cleaned)


def _yes_no(value: str, name: str) -> bool:
    cleaned = value.strip().lower()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise UserError("Please answer `yes` or `no` there.", field=name)


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def person_key(context: HandlerContext, typed: str) -> str:
    """`console:alex`, `slack:U0123` or a Slack mention `<@U0123>` -> a person key."""
    mention = _MENTION.match(typed)
    if mention is not None:
        return known_person_key(f"{context.request.person.platform}:{mention.group(1)}")
    platform, _, external_id = typed.partition(":")
    if platform not in PLATFORMS or not external_id:
        raise UserError(
            f"“{typed[:40]}” isn't a person I can find. Name people as platform:id, like "
            "`slack:U0123ABCD` or `console:alex`."
        )
    return known_person_key(typed)


def _facilitators(context: HandlerContext, value: str | None) -> str | None:
    if value is None:
        return None
    keys = [person_key(context, item.strip()) for item in re.split(r"[,\s]+", value) if item]
    return ",".join(dict.fromkeys(keys))


def _preview_fields(
    context: HandlerContext, network: Network, changes: Changes, minutes: int
) -> list[Field]:
    zone = context.services.settings.timezone
    assert changes.starts_at is not None
    found = [
        Field("Network", network.name),
        Field("When", f"{when(changes.starts_at, zone)}, {minutes} minutes"),
        Field("Ends", when(changes.starts_at + timedelta(minutes=minutes), zone)),
        Field("Where", changes.location or "to be confirmed"),
        Field("Kind", kind_name(changes.kind or "other")),
        Field("Places", "no limit" if changes.capacity is None else str(changes.capacity)),
        Field("Open to", "invited people only" if changes.invite_only else "everyone"),
    ]
    if changes.deadline is not None:
        found.append(Field("Register by", when(changes.deadline, zone)))
    return found


def _canonical(network: Network, parts: Parts) -> str:
    pieces = [f"create session {network.slug}"]
    for name in (item.name for item in fields(Parts)):
        value = getattr(parts, name)
        if name in ("given", "confirm") or value is None:
            continue
        label = "invite only" if name == "invite_only" else name
        pieces.append(f"{label}: {value}")
    pieces.append("confirm: yes")
    return " | ".join(pieces)


def create_form(networks: list[Network]) -> Form:
    return Form(
        id="create-session",
        title="Create a session",
        fields=(
            FormField(
                "network",
                "Network",
                FormFieldKind.CHOICE,
                choices=tuple((item.name, item.slug) for item in networks),
            ),
            FormField("title", "Title", max_length=MAX_TITLE),
            FormField("when", "When", placeholder="13 Dec 2026 15:45, or next Tuesday 3pm"),
            FormField("duration", "How long", placeholder="75m, or 3 hours", initial="60m"),
            FormField("where", "Where (a meeting link or a place)", required=False),
            FormField("capacity", "Places", FormFieldKind.NUMBER, required=False),
            FormField(
                "kind",
                "Kind",
                FormFieldKind.CHOICE,
                choices=tuple((kind_name(kind), kind) for kind in dict.fromkeys(KINDS.values())),
                initial="webinar",
            ),
            FormField(
                "invite_only",
                "Open to",
                FormFieldKind.CHOICE,
                choices=(("Everyone", "no"), ("Invited people only", "yes")),
                initial="no",
            ),
            FormField(
                "description",
                "Description or agenda",
                FormFieldKind.MULTILINE,
                required=False,
                max_length=MAX_TEXT,
            ),
        ),
        command=(
            "create session {network} | title: {title} | when: {when} | duration: {duration} "
            "| kind: {kind} | invite only: {invite_only}[ | where: {where}]"
            "[ | capacity: {capacity}][ | description: {description}]"
        ),
        submit_label="Check it",
    )


async def create_session(context: HandlerContext) -> Reply:
    typed_network, parts = parse_parts(context.args)
    if not typed_network and not parts.given:
        led = [
            network
            for network in await NetworkRepository(context.session).active()
            if context.roles.leads(network.id)
        ]
        return Reply(
            text=f"Describe the session in one line, for example:\n`{USAGE}`\n"
            "or press the button to fill in a form.",
            buttons=(Button("Create session", "create session", form=create_form(led)),),
        )
    network = await find_network(context, typed_network)
    if not context.roles.leads(network.id):
        raise UserError(f"Only {network.name}'s leads can create its sessions.")
    if parts.title is None or parts.when is None:
        raise UserError(
            f"Please give at least a title and when it starts, like:\n`{USAGE}`",
            field="title" if parts.title is None else "when",
        )
    changes = check_parts(context, parts)
    assert changes.starts_at is not None
    minutes = changes.duration_minutes or DEFAULT_MINUTES
    if parts.confirm is None or not _yes_no(parts.confirm, "confirm"):
        shown = _preview_fields(context, network, changes, minutes)
        command = _canonical(network, parts)
        confirm_hint = (
            "Press Create to save it"
            if len(command) <= MAX_BUTTON_COMMAND
            else "Send the same command again"
        )
        return Reply(
            text="Please check this before I save it:\n"
            + "\n".join(f"{item.label}: {item.value}" for item in shown)
            + f"\n{confirm_hint}, or add `| confirm: yes` to your command.",
            heading=f"New session: {changes.title}",
            sections=(Section(text=changes.description or "", fields=tuple(shown)),),
            buttons=(Button("Create", command, ButtonStyle.PRIMARY),)
            if len(command) <= MAX_BUTTON_COMMAND
            else (),
        )
    item = NetworkSession(
        network_id=network.id,
        title=changes.title or "",
        kind=changes.kind or "other",
        starts_at=changes.starts_at,
        duration_minutes=minutes,
        location=changes.location or "",
        description=changes.description or "",
        capacity=changes.capacity,
        status=SessionStatus.SCHEDULED,
        facilitators=changes.facilitators or "",
        registration_deadline=changes.deadline,
        invite_only=bool(changes.invite_only),
        recording_url="",
        created_at=context.now,
    )
    context.session.add(item)
    await context.session.flush()
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, "session_created", network.id, f"session:{item.id}"
    )
    zone = context.services.settings.timezone
    invite = f" Invite people with `invite {item.id} <person…>`." if item.invite_only else ""
    return Reply(
        text=f"Created session {item.id}: {item.title}, {when(item.starts_at, zone)}. "
        f"People can register with `register {item.id}`.{invite}",
        buttons=(Button("See it", f"session {item.id}"),),
    )


async def led_session(
    context: HandlerContext, args: str, command: str
) -> tuple[NetworkSession, str]:
    session_id, rest = split_session_id(args, command)
    item = await load_session(context, session_id)
    if not context.roles.leads(item.network_id):
        network = await context.session.get(Network, item.network_id)
        name = network.name if network else "its network"
        raise UserError(f"Only {name}'s leads can do that to session {item.id}.")
    return item, rest


async def edit_session(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "edit session")
    item = await SessionRepository(context.session).lock_session(item.id) or item
    before, parts = parse_parts(rest)
    if not before and not parts.given:
        return Reply(
            text=(
                f"Say what to change with `key: value` parts, like `edit session {item.id} "
                "capacity: 30 | where: Room 4`, or press the button to change it in a form."
            ),
            buttons=(edit_button(item, context.services.settings.timezone),),
        )
    if before or not parts.given:
        raise UserError(
            f"Say what to change with `key: value` parts, like `edit session {item.id} "
            "capacity: 30 | where: Room 4`."
        )
    return await _apply(context, item, check_parts(context, parts, item))


async def postpone_session(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "postpone session")
    rest = re.sub(r"^(?:to|until)\s+", "", rest, flags=re.IGNORECASE)
    if not rest:
        raise UserError(f"To when? For example `postpone session {item.id} to 20 Jan 2027 15:00`.")
    locked = await SessionRepository(context.session).lock_session(item.id) or item
    zone = context.services.settings.timezone
    return await _apply(context, locked, Changes(starts_at=parse_future(rest, context.now, zone)))


async def _apply(context: HandlerContext, item: NetworkSession, changes: Changes) -> Reply:
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"Session {item.id} was cancelled, so it can't be changed.")
    registrations = RegistrationRepository(context.session)
    zone = context.services.settings.timezone
    said: list[str] = []
    moved = False
    if changes.capacity_given and changes.capacity != item.capacity:
        taken = await registrations.count(item.id, RegistrationStatus.REGISTERED)
        if changes.capacity is not None and changes.capacity < taken:
            raise UserError(
                f"{taken} people already have places, so the capacity can't go below {taken}.",
                field="capacity",
            )
        item.capacity = changes.capacity
        said.append(f"places: {'no limit' if item.capacity is None else item.capacity}")
    for name, label in (("title", "title"), ("location", "where"), ("kind", "kind")):
        value = getattr(changes, name)
        if value is not None and value != getattr(item, name):
            setattr(item, name, value)
            said.append(f"{label}: {value or 'to be confirmed'}")
            moved = moved or name != "kind"
    if changes.starts_at is not None and changes.starts_at != item.starts_at:
        item.starts_at = changes.starts_at
        said.append(f"when: {when(item.starts_at, zone)}")
        moved = True
    if changes.duration_minutes is not None and changes.duration_minutes != item.duration_minutes:
        item.duration_minutes = changes.duration_minutes
        said.append(f"length: {item.duration_minutes} minutes")
        moved = True
    if changes.description is not None and changes.description != item.description:
        item.description = changes.description
        said.append("description")
    if changes.invite_only is not None:
        item.invite_only = changes.invite_only
        said.append("open to: " + ("invited people only" if item.invite_only else "everyone"))
    if changes.facilitators is not None:
        item.facilitators = changes.facilitators
        said.append("facilitators")
    if changes.deadline is not None:
        item.registration_deadline = changes.deadline
        said.append(f"register by: {when(changes.deadline, zone)}")
    if item.registration_deadline is not None and item.registration_deadline > item.starts_at:
        raise UserError(
            "The registration deadline would then be after the start; change it too, like "
            f"`edit session {item.id} deadline: …`.",
            field="deadline",
        )
    if not said:
        return Reply(text=f"Nothing changed: session {item.id} already looks like that.")
    told = 0
    if moved:
        told = await _tell_about_change(context, item)
    promoted = await fill_freed_places(context, item)
    await AuditRepository(context.session).record(
        context.now,
        context.request.person.key,
        "session_edited",
        item.network_id,
        f"session:{item.id}",
    )
    extra = f" I've sent {people(told)} an updated calendar file." if told else ""
    if promoted:
        extra += f" {people(promoted)} moved from the waitlist into places and were told."
    return Reply(text=f"Session {item.id} updated ({'; '.join(said)}).{extra}")


async def _tell_about_change(context: HandlerContext, item: NetworkSession) -> int:
    """Send everyone with a place the new details and a calendar file that replaces the old."""
    zone = context.services.settings.timezone
    registrations = RegistrationRepository(context.session)
    affected = await registrations.people(
        item.id, (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    )
    for user, registration in affected:
        if registration.access_needs:
            # The needs are kept until a week after the session's new end, not the old one.
            keep_needs(context, registration, item, registration.access_needs)
        if registration.status == RegistrationStatus.REGISTERED:
            context.notify(
                user.key,
                Reply(
                    text=f"{item.title} has changed: it's now {when(item.starts_at, zone)}, "
                    f"{item.duration_minutes} minutes, {item.location or 'place to be confirmed'}."
                    " Here's an updated calendar file.",
                    buttons=session_buttons(item, RegistrationStatus.REGISTERED),
                    attachments=(calendar_invite(context, item, registration),),
                ),
            )
        else:
            context.notify(
                user.key,
                Reply(
                    text=f"{item.title}, which you're waiting for a place at, has changed: it's "
                    f"now {when(item.starts_at, zone)}. You keep your place in the queue."
                ),
            )
    return len(affected)


async def cancel_session(context: HandlerContext) -> Reply:
    item, reason = await led_session(context, context.args, "cancel session")
    registrations = RegistrationRepository(context.session)
    item = await SessionRepository(context.session).lock_session(item.id) or item
    if item.status != SessionStatus.SCHEDULED:
        raise UserError(f"Session {item.id} is already cancelled.")
    item.status = SessionStatus.CANCELLED
    # Reminders and breakout posts for a cancelled session must not go out.
    outbox = OutboxRepository(context.session)
    for key_prefix in (f"session:{item.id}:", breakout_prefix(item.id)):
        await outbox.unplan(key_prefix, set(), due_from=ANY_TIME)
    because = f" The organisers said: {reason}" if reason else ""
    affected = await registrations.people(
        item.id, (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
    )
    zone = context.services.settings.timezone
    for user, registration in affected:
        attachments = ()
        if registration.status == RegistrationStatus.REGISTERED:
            attachments = (calendar_cancellation(context, item, registration),)
        context.notify(
            user.key,
            Reply(
                text=f"Sorry: {item.title} on {when(item.starts_at, zone)} has been cancelled."
                f"{because} `sessions` shows what else is coming up.",
                attachments=attachments,
            ),
        )
    await AuditRepository(context.session).record(
        context.now,
        context.request.person.key,
        "session_cancelled",
        item.network_id,
        f"session:{item.id}",
    )
    return Reply(
        text=f"Cancelled session {item.id} ({item.title}). I've told the "
        f"{people(len(affected))} who had a place or were waiting, privately."
    )


async def invite(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "invite")
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more, so I can't invite to it.")
    registrations = RegistrationRepository(context.session)
    attendees_of = re.fullmatch(r"(?:everyone who )?(?:attendees of|attended)\s+(#?[0-9]+)", rest)
    if attendees_of is not None:
        earlier = await load_session(context, parse_id(attendees_of.group(1), what="session"))
        if not context.roles.leads(earlier.network_id):
            raise UserError(f"Only that network's leads can see who attended session {earlier.id}.")
        invitees = list(await registrations.attendees(earlier.id))
    elif rest:
        users = UserRepository(context.session)
        invitees = [
            await users.for_key(person_key(context, word), context.now) for word in rest.split()
        ]
    else:
        raise UserError(
            f"Whom should I invite? For example `invite {item.id} slack:U0123 slack:U0456`, "
            f"or `invite {item.id} attendees of 7` for everyone who attended session 7."
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
    return Reply(
        text=f"Invited {people(invited)} to session {item.id}; each was told privately.{also}"
    )


async def attended(context: HandlerContext) -> Reply:
    item, rest = await led_session(context, context.args, "attended")
    if context.now < item.starts_at:
        raise UserError(f"Session {item.id} hasn't started yet; mark attendance afterwards.")
    registrations = RegistrationRepository(context.session)
    holders = await registrations.people(item.id)
    if rest.strip().lower() in ("all", "everyone"):
        chosen = list(holders)
    else:
        wanted = {person_key(context, word) for word in rest.split()}
        if not wanted:
            raise UserError(
                f"Who attended? For example `attended {item.id} slack:U0123 slack:U0456`, or "
                f"`attended {item.id} all`. `registrations {item.id}` lists who had a place."
            )
        chosen = [(user, registration) for user, registration in holders if user.key in wanted]
        missing = len(wanted) - len(chosen)
        if missing:
            raise UserError(
                f"{missing} of those people didn't have a place at session {item.id}. "
                f"`registrations {item.id}` lists who did."
            )
    for _, registration in chosen:
        registration.attended = True
    await context.session.flush()
    text = f"Marked {people(len(chosen))} as attending session {item.id}."
    if item.kind == "training":
        trained = await registrations.trained_count(item.network_id)
        shown = context.services.settings.small_numbers
        text += f" People trained so far in this network: {shown.count(trained)}."
    return Reply(text=text)


async def recording(context: HandlerContext) -> Reply:
    item, link = await led_session(context, context.args, "recording")
    if not link.startswith(("https://", "http://")):
        raise UserError(f"Please give the recording's link, like `recording {item.id} https://…`.")
    item.recording_url = link
    if context.now < ends_at(item):
        return Reply(
            text=f"Saved. After the session, people who had a place will see the recording "
            f"link with `session {item.id}` and when they give feedback."
        )
    keys = await RegistrationRepository(context.session).registrants(item.id)
    for key in keys:
        context.notify(
            key,
            Reply(
                text=f"The recording of {item.title} is ready: {link}\nHow was it? "
                f"`feedback {item.id} <1-5> [comment]` (anonymous unless you add `named`)."
            ),
        )
    return Reply(text=f"Saved, and sent privately to the {people(len(keys))} who had a place.")


async def report(context: HandlerContext) -> Reply:
    network = await find_network(context, context.args)
    if not context.roles.leads(network.id):
        raise UserError(f"Only {network.name}'s leads can see its report.")
    registrations = RegistrationRepository(context.session)
    sessions = await SessionRepository(context.session).network_sessions(network.id)
    ids = [item.id for item in sessions]
    counts = await registrations.place_counts(ids)
    feedback = await registrations.feedback_summaries(ids)
    trained = await registrations.trained_count(network.id)
    zone = context.services.settings.timezone
    # A report is a summary a lead may forward, so its counts follow the rule for everyone;
    # `registrations <n>` is the lead's exact, private working list.
    shown = context.services.settings.small_numbers
    lines = []
    for item in sessions:
        count = counts.get(item.id)
        rated = feedback.get(item.id)
        score = shown.ratings(rated.average, rated.count) if rated else shown.ratings(None, 0)
        cancelled = " (cancelled)" if item.status != SessionStatus.SCHEDULED else ""
        lines.append(
            f"• {item.id} {item.title}{cancelled} — {when(item.starts_at, zone)}: "
            f"{shown.count(count.registered if count else 0)} registered, "
            f"{shown.count(count.attended if count else 0)} attended, "
            f"{shown.count(count.waitlisted if count else 0)} waiting; feedback: {score}"
        )
    body = "\n".join(lines) or "No sessions yet."
    return Reply(
        text=f"{network.name} report\nPeople trained so far: {shown.count(trained)}\n{body}",
        heading=f"{network.name} report",
        sections=(
            Section(fields=(Field("People trained so far", shown.count(trained)),)),
            Section(heading="Sessions, latest first", text=body),
        ),
        context="Private to you.",
    )


def register(router: Router) -> None:
    lead_commands = (
        (
            "create session",
            create_session,
            "create a session (checked before it's saved)",
            SHORT_USAGE,
        ),
        ("edit session", edit_session, "change a session", "edit session <number> key: value | …"),
        (
            "postpone session",
            postpone_session,
            "move a session; registrants get a new calendar file",
            "postpone session <number> to <when>",
        ),
        (
            "cancel session",
            cancel_session,
            "cancel a session and tell everyone privately",
            "cancel session <number> [reason]",
        ),
        (
            "invite",
            invite,
            "invite people to a session",
            "invite <number> <person…> | invite <number> attendees of <number>",
        ),
        ("attended", attended, "mark attendance", "attended <number> <person…> | all"),
        ("recording", recording, "add a session's recording link", "recording <number> <link>"),
        (
            "report",
            report,
            "a network's sessions, attendance and people trained",
            "report <network>",
        ),
        (
            "registrations",
            registrations_list,
            "who has a place at a session, a page at a time (private)",
            "registrations <number> [page <n>]",
        ),
    )
    for phrase, handler, summary, usage in lead_commands:
        router.add(
            Command(
                phrase=phrase, handler=handler, summary=summary, usage=usage, audience=Audience.LEAD
            )
        )
    # Facilitators who are not leads see access needs too, so this one checks for itself.
    router.add(
        Command(
            phrase="needs",
            handler=needs,
            summary="access needs for a session you organise, a page at a time (private)",
            usage="needs <number> [page <n>]",
        )
    )
