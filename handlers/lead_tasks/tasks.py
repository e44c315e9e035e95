"""`lead [<network>]`: a lead's tasks as buttons, per network they lead (every network, for
an admin), with the counts that say what is waiting.

Each task opens a form where there is anything to fill in, with sessions and questions
chosen from lists; the rest call their command with the network (`network=<slug>`) as
their only value. Nothing here needs the typed grammar, which stays as a shortcut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.arguments import Arguments
from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Call, Reply, Section
from bot.outbox_lease import stuck_since
from bot.outbox_plans import PlannedPostStatus, planned_post_status
from bot.router import HandlerContext
from handlers.announcements.scheduling import schedule_button
from handlers.leading import require_lead, take_network
from handlers.pages import BUTTONS_PER_SET, button_sets
from handlers.questions.answer_form import answer_form, waiting_questions
from handlers.sessions.forms import create_form
from handlers.sessions.lead_forms import (
    attendance_form,
    invite_form,
    recording_form,
    started_sessions,
    upcoming_sessions,
)
from storage.models import AnonymousQuestion, Network
from storage.repositories import NetworkRepository, OutboxRepository

# Networks shown whole at once; the others get a button each (an admin sees every network).
SHOWN_NETWORKS = 4
PROBLEM_STATUSES = frozenset({PlannedPostStatus.FAILED, PlannedPostStatus.RETRYING})
OUTBOX_DAYS = 7


@dataclass(frozen=True, slots=True)
class LeadTasks(Arguments):
    """`lead [<network>]`, or a "Tasks: <network>" button's network."""

    network: str = ""

    @classmethod
    def parse(cls, words: str) -> LeadTasks:
        return cls(network=words.strip())

    def words(self) -> str:
        return self.network


def _sentence(parts: Sequence[str]) -> str:
    text = ", ".join(parts) + "."
    return text[0].upper() + text[1:]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


async def outbox_problems(context: HandlerContext, network: Network) -> int:
    """Posts that failed, are being retried or are stuck: what a lead has to look at."""
    since = context.now - timedelta(days=OUTBOX_DAYS)
    posts = await OutboxRepository(context.session).of_network(network.id, since, limit=500)
    lease = timedelta(seconds=context.services.settings.scheduler.lease_seconds)
    return sum(
        1
        for post in posts
        if planned_post_status(post) in PROBLEM_STATUSES
        or stuck_since(post, context.now, lease) is not None
    )


async def network_tasks(
    context: HandlerContext, network: Network, waiting: Sequence[AnonymousQuestion]
) -> tuple[Section, ...]:
    """One network's tasks: a line of what is waiting, then its buttons in small sets."""
    zone = context.services.settings.timezone
    upcoming = await upcoming_sessions(context, [network])
    started = await started_sessions(context, [network], context.now)
    problems = await outbox_problems(context, network)
    slug = network.slug
    buttons: list[Button] = [
        Button("Create session", style=ButtonStyle.PRIMARY, form=create_form([network], slug))
    ]
    if upcoming:
        buttons.append(Button("Invite", form=invite_form(upcoming, started, zone, slug)))
    if started:
        buttons.append(Button("Mark attendance", form=attendance_form(started, zone, slug)))
        buttons.append(Button("Add a recording", form=recording_form(started, zone, slug)))
    buttons.append(schedule_button(network))
    buttons.append(Button("Awareness calendar", call=Call.of("calendar posts", network=slug)))
    if waiting:
        buttons.append(
            Button(
                f"Answer questions ({len(waiting)} waiting)",
                style=ButtonStyle.PRIMARY,
                call=Call("questions"),
                form=answer_form(waiting, slug),
            )
        )
    else:
        buttons.append(Button("Questions (none waiting)", call=Call("questions")))
    outbox = f"Outbox: {_plural(problems, 'problem')}" if problems else "Outbox"
    buttons.append(Button(outbox, call=Call.of("outbox", network=slug)))
    buttons.append(Button("Report", call=Call.of("report", network=slug)))
    summary = [
        f"{_plural(len(upcoming), 'session')} coming up" if upcoming else "no sessions coming up",
        f"{_plural(len(waiting), 'question')} waiting" if waiting else "no questions waiting",
    ]
    if problems:
        summary.append(f"outbox: {_plural(problems, 'problem')}")
    first, *rest = button_sets(buttons)
    return (
        Section(heading=network.name, text=_sentence(summary), buttons=first.buttons),
        *rest,
    )


async def _led(context: HandlerContext, typed: str) -> list[Network]:
    if typed:
        network, _ = await take_network(context, typed)
        require_lead(context, network, "see its lead tasks")
        return [network]
    return [
        network
        for network in await NetworkRepository(context.session).active()
        if context.roles.leads(network.id)
    ]


async def lead_tasks(context: HandlerContext) -> Reply:
    networks = await _led(context, context.given(LeadTasks).network)
    if not networks:
        raise UserError("Lead tasks are for network leads.")
    shown, others = networks[:SHOWN_NETWORKS], networks[SHOWN_NETWORKS:]
    waiting = await waiting_questions(context, shown)
    sections: list[Section] = []
    for network in shown:
        mine = [item for item in waiting if item.network_id == network.id]
        sections.extend(await network_tasks(context, network, mine))
    lines = [f"{section.heading}: {section.text}" for section in sections if section.heading]
    if others:
        note = f"{len(shown)} of {len(networks)} networks shown; choose another:"
        lines.append(note)
        more = [
            Button(f"Tasks: {item.name}", call=Call.of("lead", network=item.slug))
            for item in others
        ]
        sets = button_sets(more[: BUTTONS_PER_SET * 4])
        sections.append(Section(text=note, buttons=sets[0].buttons))
        sections.extend(sets[1:])
    return Reply(
        text="Your lead tasks:\n" + "\n".join(lines),
        heading="Your lead tasks",
        sections=tuple(sections),
        context="Each button opens a form or the list it names. Typed commands still work.",
    )
