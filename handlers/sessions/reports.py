"""`report <network>`: a network's sessions, attendance, feedback and people trained, with
a chart of them per month as a PNG file (`report_chart`, `chart_png`)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.errors import UserError
from bot.messages import (
    Attachment,
    Field,
    Reply,
    Section,
)
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.networks import NetworkName, find_network
from handlers.sessions.chart_png import png
from handlers.sessions.report_chart import chart_data
from storage.repositories import RegistrationRepository, SessionRepository
from storage.statuses import SessionStatus

REPORT_SESSIONS = 20


async def report(context: HandlerContext) -> Reply:
    network = await find_network(context, context.given(NetworkName).network)
    if not context.roles.leads(network.id):
        raise UserError(f"Only {network.name}'s leads can see its report.")
    registrations = RegistrationRepository(context.session)
    # One more than is shown, to know whether the list is cut.
    latest = await SessionRepository(context.session).network_sessions(
        network.id, limit=REPORT_SESSIONS + 1
    )
    sessions = latest[:REPORT_SESSIONS]
    ids = [item.id for item in sessions]
    counts = await registrations.place_counts(ids)
    feedback = await registrations.feedback_summaries(ids)
    trained = await registrations.trained_count(network.id)
    firsts = await registrations.first_trainings(network.id)
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
    if len(latest) > len(sessions):
        lines.append(f"The latest {REPORT_SESSIONS} sessions are shown; older ones are left out.")
    body = "\n".join(lines) or "No sessions yet."
    chart = chart_data(f"{network.name}: per month", sessions, counts, firsts, zone, shown)
    draft = Reply(
        text=f"{network.name} report\nPeople trained so far: {shown.count(trained)}\n{body}",
        heading=f"{network.name} report",
        sections=(
            Section(fields=(Field("People trained so far", shown.count(trained)),)),
            Section(heading="Sessions, latest first", text=body),
        ),
        context="Private to you.",
    )
    if chart.empty:
        return draft

    async def with_chart(reply: Reply) -> Reply:
        # Drawing takes a good part of a second: after the commit (no database lock held)
        # and in a thread, so the loop (every other request, the scheduler) keeps going.
        image = await asyncio.to_thread(png, chart)
        attached = Attachment(
            f"report-{network.slug}.png", "image/png", image, mention=CHART_ATTACHED
        )
        return replace(reply, context=f"Private to you. {CHART_ATTACHED}", attachments=(attached,))

    return context.complete_after_commit(draft, with_chart)


# Taken out of the reply by a platform that could not deliver the chart.
CHART_ATTACHED = (
    "The attached chart shows registrations, attendance and people trained per month; "
    "small numbers are hidden there as they are here."
)
