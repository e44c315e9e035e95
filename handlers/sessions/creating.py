"""`create session`: a session described in `key: value` parts, echoed back and saved only
when confirmed, by the button or by adding `| confirm: yes`.

The Create button carries the parts as given; a draft too long for a button (Slack's hold
2,000 characters) is kept as a `SessionDraft` for a day and the button carries its id.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.errors import UserError
from bot.forms import call_to_data
from bot.messages import Button, ButtonStyle, Call, Field, Reply, Section
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.networks import find_network
from handlers.sessions.arguments import CreateSession
from handlers.sessions.buttons import details_button
from handlers.sessions.common import kind_name
from handlers.sessions.dates import how_long
from handlers.sessions.forms import create_form
from handlers.sessions.parts import PART_NAMES, Changes, Parts, check_parts, yes_no
from storage.database import Database
from storage.models import Network, NetworkSession, SessionDraft
from storage.repositories import AuditRepository, NetworkRepository, SessionDraftRepository
from storage.statuses import SessionStatus

DEFAULT_MINUTES = 60
# Slack refuses a button value over 2,000 characters; a longer draft is kept in the database.
MAX_BUTTON_COMMAND = 1900
# A draft nobody confirmed within this is refused, and deleted by the daily job.
DRAFT_LIFETIME = timedelta(days=1)


SHORT_USAGE = "create session <network> | title: … | when: … | duration: … | …"
USAGE = (
    "create session <network> | title: … | when: 13 Dec 2026 15:45 | duration: 75m | "
    "where: … | capacity: 20 | kind: webinar | invite only: no"
)


def _preview_fields(
    context: HandlerContext, network: Network, changes: Changes, minutes: int
) -> list[Field]:
    zone = context.services.settings.timezone
    assert changes.starts_at is not None
    found = [
        Field("Network", network.name),
        Field("When", f"{when(changes.starts_at, zone)}, {how_long(minutes)}"),
        Field("Ends", when(changes.starts_at + timedelta(minutes=minutes), zone)),
        Field("Where", changes.location or "to be confirmed"),
        Field("Kind", kind_name(changes.kind or "other")),
        Field("Places", "no limit" if changes.capacity is None else str(changes.capacity)),
        Field("Open to", "invited people only" if changes.invite_only else "everyone"),
    ]
    if changes.deadline is not None:
        found.append(Field("Register by", when(changes.deadline, zone)))
    return found


def _confirmation(network: Network, parts: Parts) -> Call:
    """The Create button's call: the parts exactly as given, and `confirm: yes`."""
    given = {name: getattr(parts, name) for name in PART_NAMES if name != "confirm"}
    values = {name: value for name, value in given.items() if value is not None}
    return Call.of("create session", network=network.slug, **values, confirm="yes")


def _carried_size(call: Call) -> int:
    """About what the call takes in a button value (Slack's is JSON, 2,000 characters)."""
    return len(json.dumps(call_to_data(call), separators=(",", ":"), ensure_ascii=False))


async def _drafted(context: HandlerContext, network: Network, confirm: Call) -> Call:
    """The Create button's call for a draft too long to carry: a reference to it, saved."""
    parts = {name: value for name, value in confirm.values if name not in ("network", "confirm")}
    draft = await SessionDraftRepository(context.session).add(
        SessionDraft(
            user_id=context.user.id,
            network_id=network.id,
            parts=json.dumps(parts, ensure_ascii=False),
            created_at=context.now,
        )
    )
    return Call.of("create session", draft=draft.id, confirm="yes")


async def _with_draft(context: HandlerContext, given: CreateSession) -> CreateSession:
    """The arguments a Create button's draft holds, or `given` when it names none."""
    if given.draft is None:
        return given
    drafts = SessionDraftRepository(context.session)
    draft = await drafts.get(given.draft)
    # Someone else's draft is answered as a missing one: it is theirs to see.
    if (
        draft is None
        or draft.user_id != context.user.id
        or draft.created_at < context.now - DRAFT_LIFETIME
    ):
        raise UserError(
            "That draft is no longer here: the session was created already, or a day has "
            "passed. Type `create session` to start again."
        )
    network = await context.session.get(Network, draft.network_id)
    values: dict[str, str] = json.loads(draft.parts)
    slug = network.slug if network is not None else ""
    return CreateSession.fill(
        {**values, "network": slug, "confirm": given.confirm or "yes", "draft": str(draft.id)}
    )


async def purge_old_drafts(database: Database, now: datetime) -> int:
    """The daily job: drafts nobody confirmed within a day go."""
    async with database.transaction() as session:
        return await SessionDraftRepository(session).purge_older_than(now - DRAFT_LIFETIME)


async def led_networks(context: HandlerContext) -> list[Network]:
    return [
        network
        for network in await NetworkRepository(context.session).active()
        if context.roles.leads(network.id)
    ]


async def create_session(context: HandlerContext) -> Reply:
    given = await _with_draft(context, context.given(CreateSession))
    typed_network, parts = given.network, given.parts()
    if not typed_network and not parts.given:
        # The form first; the one-line grammar is a shortcut for those who type.
        ask = "Fill in the form: a title, when it starts and how long it runs."
        shortcut = f"Or type it in one line: `{USAGE}`"
        form = create_form(await led_networks(context))
        return Reply(
            text=f"{ask}\n{shortcut}",
            sections=(
                Section(
                    text=ask,
                    buttons=(Button("Create session", style=ButtonStyle.PRIMARY, form=form),),
                ),
            ),
            context=shortcut,
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
    if parts.confirm is None or not yes_no(parts.confirm, "confirm"):
        shown = _preview_fields(context, network, changes, minutes)
        confirm = _confirmation(network, parts)
        if _carried_size(confirm) > MAX_BUTTON_COMMAND:
            confirm = await _drafted(context, network, confirm)
        return Reply(
            text="Please check this before I save it:\n"
            + "\n".join(f"{item.label}: {item.value}" for item in shown)
            + "\nPress Create to save it, or add `| confirm: yes` to your command.",
            heading=f"New session: {changes.title}",
            sections=(Section(text=changes.description or "", fields=tuple(shown)),),
            buttons=(Button("Create", call=confirm, style=ButtonStyle.PRIMARY),),
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
    if given.draft is not None:
        draft = await SessionDraftRepository(context.session).get(given.draft)
        if draft is not None:
            await SessionDraftRepository(context.session).remove(draft)
    await AuditRepository(context.session).record(
        context.now, context.request.person.key, "session_created", network.id, f"session:{item.id}"
    )
    zone = context.services.settings.timezone
    invite = f" Invite people with `invite {item.id} <person…>`." if item.invite_only else ""
    return Reply(
        text=f"Created session {item.id}: {item.title}, {when(item.starts_at, zone)}. "
        f"People can register with `register {item.id}`.{invite}",
        buttons=(details_button(item),),
    )
