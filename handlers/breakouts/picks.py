"""Picking a breakout room (one a round, switching while the signup is open), and the
person's own rooms and topics in `my`. Who picked which room is shown only to that person,
the room's hosts and the network's leads."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Button, Call, Reply, Section
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.breakouts.arguments import PickRoom
from handlers.breakouts.common import (
    CLOSED,
    NOT_OPEN,
    breakout_session,
    find_topic,
    has_space,
    is_host,
    round_label,
    signup_state,
)
from handlers.breakouts.posts import replan_for
from storage.models import BreakoutPick
from storage.repositories import BreakoutRepository, RegistrationRepository
from storage.statuses import RegistrationStatus, TopicStatus


async def pick(context: HandlerContext) -> Reply:
    given = context.given(PickRoom)
    typed = given.topic
    item, settings = await breakout_session(context, given.session)
    if not typed:
        raise UserError(
            f"Which topic? Type `pick {item.id} <topic number>`; `topics {item.id}` lists them."
        )
    registration = await RegistrationRepository(context.session).of(item.id, context.user.id)
    if registration is None or registration.status not in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ):
        raise UserError(
            f"Rooms are for people registered for {item.title}. Register first with "
            f"`register {item.id}`, then pick your room.",
        )
    if registration.status == RegistrationStatus.WAITLISTED:
        raise UserError(
            f"You're on the waitlist for {item.title}; you can pick a room once you have a place."
        )
    zone = context.services.settings.timezone
    state = signup_state(settings, context.now)
    if state == NOT_OPEN:
        raise UserError(f"Picking rooms for {item.title} opens {when(settings.opens_at, zone)}.")
    if state == CLOSED or item.starts_at <= context.now:
        raise UserError(
            f"The breakout signup for {item.title} has closed. If you need a room, ask the "
            "network's leads."
        )
    repository = BreakoutRepository(context.session)
    # Taken before counting places: concurrent picks for this session queue here.
    locked = await repository.lock_settings(item.id)
    assert locked is not None
    settings = locked
    topics = list(await repository.topics(item.id))
    topic = find_topic(topics, typed)
    if topic is None:
        raise UserError(
            f"I can't find that topic for session {item.id}. `topics {item.id}` lists them "
            "with their numbers."
        )
    hosting = next(
        (t for t in topics if t.round == topic.round and is_host(t, context.user.id)), None
    )
    if hosting is not None:
        raise UserError(
            f"You're hosting “{hosting.title}” in {round_label(settings, topic.round)}, so "
            "that's your room. Thank you!"
        )
    existing = await repository.pick_of(item.id, topic.round, context.user.id)
    if existing is not None and existing.topic_id == topic.id:
        return Reply(text=f"You're already in “{topic.title}”.")
    counts = await repository.pick_counts(item.id)
    if not has_space(settings, counts.get(topic.id, 0)):
        others = [
            f"“{t.title}” (`pick {item.id} {t.id}`)"
            for t in topics
            if t.round == topic.round
            and t.id != topic.id
            and has_space(settings, counts.get(t.id, 0))
        ]
        suggestion = (
            "These still have places: " + ", ".join(others[:5]) + "."
            if others
            else "Every room is full at the moment; the leads can find you one."
        )
        raise UserError(f"Sorry, “{topic.title}” is full. {suggestion}")
    switched = ""
    if existing is not None:
        previous = next((t for t in topics if t.id == existing.topic_id), None)
        switched = f" (instead of “{previous.title}”)" if previous else ""
        existing.topic_id = topic.id
        existing.placed = False
        existing.picked_at = context.now
    else:
        await repository.add(
            BreakoutPick(
                session_id=item.id,
                round=topic.round,
                topic_id=topic.id,
                user_id=context.user.id,
                placed=False,
                picked_at=context.now,
            )
        )
    await context.session.flush()
    await replan_for(context, item, settings)
    return Reply(
        text=f"You're in “{topic.title}”{switched} for {round_label(settings, topic.round)} of "
        f"{item.title}. You can switch until {when(settings.closes_at, zone)}.",
        buttons=(Button("See the topics", call=Call.of("topics", session=item.id)),),
    )


async def my_breakouts(context: HandlerContext) -> Section | None:
    repository = BreakoutRepository(context.session)
    lines = []
    for mine in await repository.picks_of(context.user.id, context.now):
        placed = " (placed by the leads)" if mine.placed else ""
        lines.append(
            f"• {mine.session.title}: “{mine.topic.title}”, round {mine.topic.round}{placed} "
            f"(`topics {mine.session.id}`)"
        )
    for item, topic in await repository.volunteered_by(context.user.id, context.now):
        roles = []
        if is_host(topic, context.user.id):
            roles.append("hosting")
        if topic.notes_user_id == context.user.id:
            roles.append("taking notes for")
        if not roles:
            roles.append("proposed")
        waiting = " (waiting for approval)" if topic.status == TopicStatus.PROPOSED else ""
        lines.append(
            f"• {item.title}: {' and '.join(roles)} “{topic.title}” (topic {topic.id}){waiting}"
        )
    if not lines:
        return None
    return Section(heading="Your breakout rooms", text="\n".join(lines))
