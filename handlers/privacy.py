"""`my data` and `forget me`: the person's own copy of what the bot holds, and its erasure.

Both work from the models, not from a list kept by hand: every table with a column
pointing at users.id is part of a person's data (see storage.repositories.person_tables),
so what later features store is shown and erased without changes here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.arguments import Arguments
from bot.messages import Attachment, Button, ButtonStyle, Call, Reply
from bot.router import Command, HandlerContext, Router
from handlers.breakouts.posts import replan_for
from handlers.erasure import (
    erase_announcement_posts,
    forget_in_memory,
    networks_left_without_a_lead,
    only_lead_warning,
    rewrite_breakout_history,
    tell_admins,
    withdraw_proposals,
)
from handlers.sessions.places import give_up_places
from storage.erasure import erase_traces
from storage.models import NetworkSession
from storage.repositories import (
    FACILITATED,
    BreakoutRepository,
    MembershipRepository,
    PersonDataRepository,
    WelcomeRepository,
)

# How each table's rows read to a person; other tables fall back to their own name.
_LABELS = {
    "users": "your profile (name and platform id)",
    "memberships": "network memberships",
    "consents": "your consent record",
    "pending_joins": "an unfinished join",
    "network_leads": "lead roles",
    "anonymous_questions": "questions you asked leads (the link to you)",
    "session_registrations": "session places (with any access needs)",
    "session_invitations": "session invitations",
    "session_feedback": "feedback you gave with your name",
    "teams_conversation_references": "your Teams chat with me",
    "outbox": "scheduled private messages to you",
    FACILITATED: "sessions naming you as a facilitator",
    "announcements": "announcements you scheduled (removed, with their posts)",
    "knowledge_entries": "knowledge-base entries you last edited (removed)",
    "breakout_topics": "breakout topics you proposed, host or take notes for",
}
_CONFIRM_WORDS = frozenset({"confirm", "yes", "now"})


@dataclass(frozen=True, slots=True)
class ForgetMe(Arguments):
    """`forget me` asks first; `forget me confirm` (or `yes`, `now`), or its button, goes ahead."""

    confirm: bool = False

    @classmethod
    def parse(cls, words: str) -> ForgetMe:
        return cls(confirm=words.strip().lower() in _CONFIRM_WORDS)

    def words(self) -> str:
        return "confirm" if self.confirm else ""


def _label(table: str) -> str:
    return _LABELS.get(table, table.replace("_", " "))


def _summary(counts: dict[str, int]) -> str:
    return "\n".join(f"• {_label(table)}: {count}" for table, count in sorted(counts.items()))


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


async def my_data(context: HandlerContext) -> Reply:
    data = await PersonDataRepository(context.session).export(context.user)
    held = await MembershipRepository(context.session).of_user(context.user.id)
    lines = [
        f"Name: {context.user.display_name or '(none)'}",
        f"Platform id: {context.user.key}",
        f"First seen: {context.user.created_at:%d %b %Y}",
    ]
    lines += [f"Network: {network.name} ({role})" for network, role in held]
    counts = {table: len(rows) for table, rows in data.items() if table != "users"}
    if counts:
        lines.append("Records I hold about you:\n" + _summary(counts))
    content = json.dumps(
        {
            table: [{key: _json_value(value) for key, value in row.items()} for row in rows]
            for table, rows in data.items()
        },
        indent=2,
        ensure_ascii=False,
    )
    return Reply(
        text="Everything I hold about you:\n" + "\n".join(lines),
        heading="Your data",
        context="Only you can see this. `forget me` removes all of it.",
        attachments=(Attachment("my-data.json", "application/json", content),),
    )


def _handover(counts: dict[str, int]) -> str:
    if not (counts.get("announcements") or counts.get("knowledge_entries")):
        return ""
    return (
        "What you wrote as a lead goes too: if your network should keep an entry, another "
        "lead's `kb edit` makes it theirs first; announcements need scheduling again. "
    )


def _what_you_give_up(counts: dict[str, int]) -> str:
    parts = []
    if counts.get("memberships"):
        parts.append("leave every network you're in")
    if counts.get("session_registrations"):
        parts.append("give up your places at sessions")
    return f"You'd {' and '.join(parts)}. " if parts else ""


async def forget_me(context: HandlerContext) -> Reply:
    repository = PersonDataRepository(context.session)
    unled = await networks_left_without_a_lead(context)
    if not context.given(ForgetMe).confirm:
        counts = {"users": 1, **await repository.counts(context.user)}
        return Reply(
            text=(
                "This removes everything I hold about you, and it can't be undone:\n"
                f"{_summary(counts)}\n"
                f"{only_lead_warning(unled)}{_handover(counts)}"
                f"{_what_you_give_up(counts)}"
                "Press “Yes, forget me” or type `forget me confirm` to go ahead."
            ),
            heading="Forget me?",
            buttons=(
                Button(
                    "Yes, forget me",
                    call=Call.of("forget me", confirm="yes"),
                    style=ButtonStyle.DANGER,
                ),
            ),
        )
    breakouts = BreakoutRepository(context.session)
    mentioned_in = await breakouts.sessions_involving(context.user.id)
    # Their places go to the first people waiting before the registrations themselves go.
    await give_up_places(context, context.user.id)
    await withdraw_proposals(context)
    await erase_announcement_posts(context)
    await erase_traces(context.session, context.user.external_id, context.user.key)
    # Noted as greeted, under their pseudonym only: opening the bot's tab again must not
    # welcome them, which would start keeping them again unasked.
    pseudonym = context.services.pseudonyms.of(context.user.key)
    await WelcomeRepository(context.session).note(pseudonym, context.now)
    removed = {"users": 1, **await repository.erase(context.user, context.now)}
    # Hosts' room lists waiting to go out may name the person: write them again without.
    for session_id in mentioned_in:
        item = await context.session.get(NetworkSession, session_id)
        settings = await breakouts.settings_of(session_id)
        if item is not None and settings is not None:
            await replan_for(context, item, settings)
    # And those already out, kept in the outbox: written again too.
    await rewrite_breakout_history(context, mentioned_in)
    tell_admins(context, unled)
    forget_in_memory(context)
    return Reply(
        text=(
            "Done. I've removed everything I held about you:\n"
            f"{_summary(removed)}\n"
            "The audit log notes that an erasure happened, without your name or details. "
            "If you talk to me again I'll start afresh."
        )
    )


def register(router: Router) -> None:
    for command in (
        Command(
            phrase="my data", handler=my_data, summary="everything I hold about you, privately"
        ),
        Command(
            phrase="forget me",
            handler=forget_me,
            summary="remove everything I hold about you (asks first)",
            arguments=ForgetMe,
        ),
    ):
        router.add(command)
