"""The forms a lead fills in instead of typing ids: invite, mark attendance (choose the
session, then tick who came) and add a recording. Sessions are chosen from a list of the
lead's own, by title and date, never typed as numbers.

Each form has a builder (`Router.add_form`) that checks, as the command would, that the
person leads what it offers, so a Slack modal is built again for whoever opens it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.errors import UserError
from bot.messages import CHOSEN_SEPARATOR, Call, Form, FormField, FormFieldKind
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.sessions.common import led_session_numbered
from storage.models import Network, NetworkSession, SessionRegistration, User
from storage.repositories import NetworkRepository, RegistrationRepository, SessionRepository
from storage.statuses import SessionStatus

INVITE_FORM = "session-invite"
ATTENDANCE_FORM = "session-attendance"
ATTENDEES_FORM = "session-attendees"
RECORDING_FORM = "session-recording"

# Slack shows up to 100 options in a select (one of the attendance form's is "everyone"); a
# Teams card carries each form whole, so the lists of sessions stay short.
MAX_SESSION_CHOICES = 15
MAX_PEOPLE_CHOICES = 99
# How many of a network's latest sessions are looked through for ones that have started.
RECENT_SESSIONS = 60
EVERYONE = "all"


def _label(item: NetworkSession, zone: tzinfo) -> str:
    return f"{item.title[:45]} — {when(item.starts_at, zone)}"


def _session_field(
    sessions: Sequence[NetworkSession],
    zone: tzinfo,
    *,
    name: str = "session",
    label: str = "Session",
    required: bool = True,
) -> FormField:
    return FormField(
        name,
        label,
        FormFieldKind.CHOICE,
        required=required,
        choices=tuple((_label(item, zone), str(item.id)) for item in sessions),
    )


async def forms_networks(context: HandlerContext, params: Mapping[str, str]) -> list[Network]:
    """The networks a form offers: the one in `params` when given, else all the person leads."""
    networks = await NetworkRepository(context.session).active()
    wanted = params.get("network", "")
    led = [item for item in networks if context.roles.leads(item.id)]
    if wanted:
        led = [item for item in led if item.slug == wanted]
    if not led:
        raise UserError("That form is for the leads of a network.")
    return led


async def upcoming_sessions(
    context: HandlerContext, networks: Sequence[Network]
) -> list[NetworkSession]:
    repository = SessionRepository(context.session)
    found: list[NetworkSession] = []
    for network in networks:
        found.extend(await repository.upcoming(context.now, network.id, MAX_SESSION_CHOICES))
    return sorted(found, key=lambda item: (item.starts_at, item.id))[:MAX_SESSION_CHOICES]


async def started_sessions(
    context: HandlerContext, networks: Sequence[Network], now: datetime
) -> list[NetworkSession]:
    """Sessions that have started, latest first: the ones attendance and recordings are for."""
    repository = SessionRepository(context.session)
    found: list[NetworkSession] = []
    for network in networks:
        found.extend(
            item
            for item in await repository.network_sessions(network.id, RECENT_SESSIONS)
            if item.starts_at <= now and item.status == SessionStatus.SCHEDULED
        )
    return sorted(found, key=lambda item: (item.starts_at, item.id), reverse=True)[
        :MAX_SESSION_CHOICES
    ]


def _params(network: str) -> tuple[tuple[str, str], ...]:
    return (("network", network),) if network else ()


def invite_form(
    upcoming: Sequence[NetworkSession],
    earlier: Sequence[NetworkSession],
    zone: tzinfo,
    network: str = "",
) -> Form:
    fields = [
        _session_field(upcoming, zone, label="Invite to"),
        FormField(
            "people",
            "People to invite",
            FormFieldKind.PEOPLE,
            required=False,
            placeholder="their ids, like teams:29:1a2b… or slack:U0123",
        ),
    ]
    if earlier:
        # A choice with nothing to choose is refused by Slack and Teams alike.
        fields.append(
            _session_field(
                earlier, zone, name="attendees_of", label="Or everyone who attended", required=False
            )
        )
    return Form(
        id=f"invite-{network}",
        title="Invite people",
        fields=tuple(fields),
        call=Call.of("invite"),
        kind=INVITE_FORM,
        params=_params(network),
        submit_label="Invite",
    )


def attendance_form(started: Sequence[NetworkSession], zone: tzinfo, network: str = "") -> Form:
    """The first step of marking attendance: which session. The answer ticks who came."""
    return Form(
        id=f"attendance-{network}",
        title="Mark attendance",
        fields=(_session_field(started, zone),),
        call=Call.of("attended"),
        kind=ATTENDANCE_FORM,
        params=_params(network),
        submit_label="Next",
    )


@dataclass(frozen=True, slots=True)
class Holder:
    """Someone with a place, as the attendees form lists them; `place` is their position in
    the order of arrival."""

    name: str
    key: str
    place: int
    attended: bool


def shown_holders(
    holders: Sequence[tuple[User, SessionRegistration]], through: int | None
) -> list[tuple[User, SessionRegistration]]:
    """The holders the attendees form lists, in order of arrival: at most
    MAX_PEOPLE_CHOICES, and none who arrived after `through` (the last place shown when the
    form was first built), so a form submitted later unmarks only people it showed."""
    listed = [(user, item) for user, item in holders if through is None or item.position <= through]
    return listed[:MAX_PEOPLE_CHOICES]


def attendees_form(item: NetworkSession, shown: Sequence[Holder], total: int = 0) -> Form:
    """Tick who attended `item`, among `shown` of the `total` people with a place.

    The form saves exactly what is ticked (`exactly`), so its call names the last place it
    showed: people beyond it (over the limit, or arrived since) are never unmarked by it.
    """
    through = max((holder.place for holder in shown), default=0)
    cut = f" ({len(shown)} of {total} shown)" if total > len(shown) else ""
    return Form(
        id=f"attendees-{item.id}",
        title="Who attended?",
        fields=(
            FormField(
                "people",
                f"Who attended {item.title[:60]}{cut}",
                FormFieldKind.CHOICES,
                # Unticking everyone is an answer too: nobody came.
                required=False,
                choices=(
                    ("Everyone who had a place", EVERYONE),
                    *((holder.name, holder.key) for holder in shown),
                ),
                initial=CHOSEN_SEPARATOR.join(holder.key for holder in shown if holder.attended),
            ),
        ),
        call=Call.of("attended", session=item.id, exactly="yes", shown_through=through),
        kind=ATTENDEES_FORM,
        params=(("session", str(item.id)), ("shown_through", str(through))),
        submit_label="Mark attended",
    )


def recording_form(started: Sequence[NetworkSession], zone: tzinfo, network: str = "") -> Form:
    return Form(
        id=f"recording-{network}",
        title="Add a recording",
        fields=(
            _session_field(started, zone),
            FormField("url", "The recording's link", placeholder="https://…", max_length=2000),
        ),
        call=Call.of("recording"),
        kind=RECORDING_FORM,
        params=_params(network),
        submit_label="Save",
    )


async def attendees_form_for(
    context: HandlerContext, item: NetworkSession, through: int | None = None
) -> Form:
    """The attendees form of `item`, each person named as lists name them (Slack's directory
    when they came without a name), never by their platform id where a name is known."""
    holders = await RegistrationRepository(context.session).people(item.id)
    names = context.services.names
    shown = [
        Holder(
            await names.name(user.key, user.display_name),
            user.key,
            registration.position,
            registration.attended,
        )
        for user, registration in shown_holders(holders, through)
    ]
    return attendees_form(item, shown, len(holders))


async def build_invite_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    networks = await forms_networks(context, params)
    upcoming = await upcoming_sessions(context, networks)
    if not upcoming:
        raise UserError("There are no sessions coming up to invite people to.")
    earlier = await started_sessions(context, networks, context.now)
    zone = context.services.settings.timezone
    return invite_form(upcoming, earlier, zone, params.get("network", ""))


async def build_attendance_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    networks = await forms_networks(context, params)
    started = await started_sessions(context, networks, context.now)
    if not started:
        raise UserError("None of your sessions has happened yet, so there's no attendance to mark.")
    zone = context.services.settings.timezone
    return attendance_form(started, zone, params.get("network", ""))


async def build_attendees_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    try:
        session_id = int(params["session"])
        through = int(params["shown_through"]) if "shown_through" in params else None
    except (KeyError, ValueError):
        raise UserError("That form is out of date. Ask me again and I'll send a new one.") from None
    item = await led_session_numbered(context, session_id)
    return await attendees_form_for(context, item, through)


async def build_recording_form(context: HandlerContext, params: Mapping[str, str]) -> Form:
    networks = await forms_networks(context, params)
    started = await started_sessions(context, networks, context.now)
    if not started:
        raise UserError("None of your sessions has happened yet, so there's no recording to add.")
    zone = context.services.settings.timezone
    return recording_form(started, zone, params.get("network", ""))
