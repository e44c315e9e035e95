"""The network leads' view of the breakout rooms: who is in which room (privately, with a
CSV), and placing the people who have not picked into the rooms with space."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Attachment, Button, ButtonStyle, Call, Reply, Section
from bot.router import HandlerContext
from bot.wall_clock import when
from handlers.breakouts.arguments import Place, Rooms, session_required
from handlers.breakouts.common import (
    breakout_session,
    display_name,
    has_space,
    hosts_text,
    names_of,
    people_count,
    round_label,
    tell_users,
    topic_people,
)
from handlers.breakouts.exports import room_list, rooms_csv
from handlers.breakouts.posts import replan_for
from handlers.pages import more_section, paginate
from handlers.sessions.common import led_session_numbered
from storage.models import BreakoutPick, User
from storage.repositories import BreakoutRepository
from storage.statuses import SessionStatus


async def rooms(context: HandlerContext) -> Reply:
    given = context.given(Rooms)
    item = await led_session_numbered(context, session_required(given.session, "rooms"))
    page_number = given.page or 1
    _, settings = await breakout_session(context, item.id)
    found = await room_list(context, item, settings)
    named = topic_people([room.topic for room in found])
    names = await names_of(context.session, named, context.services.names)
    repository = BreakoutRepository(context.session)
    sections = []
    for room in found:
        people = ", ".join(
            display_name(user) + (" (placed)" if pick.placed else "") for user, pick in room.people
        )
        notes = names.get(room.topic.notes_user_id or 0, "nobody yet")
        sections.append(
            Section(
                heading=f"{room.label}: {room.topic.title}",
                text=f"Hosts: {hosts_text(room.topic, names)} · notes: {notes} · "
                f"{people_count(len(room.people))}: {people or 'nobody yet'}",
            )
        )
    # A social can have dozens of rooms: a page of them, with More; the CSV has them all.
    page = paginate([f"{section.heading}: {section.text}" for section in sections], page_number)
    sections = page.of(sections)
    waiting = [
        (round_number, len(await repository.unassigned(item.id, round_number)))
        for round_number in range(1, settings.rounds + 1)
    ]
    unassigned = sum(count for _, count in waiting)
    buttons: tuple[Button, ...] = (
        Button("CSV", call=Call.of("rooms", session=item.id, csv="yes")),
    )
    if unassigned:
        per_round = ", ".join(
            f"{count} in {round_label(settings, number)}" for number, count in waiting if count
        )
        sections.append(
            Section(
                heading="Not in a room yet",
                text=f"{people_count(unassigned)} registered without a room ({per_round}). "
                f"`place {item.id}` puts them in the rooms with the most space.",
            )
        )
        buttons = (
            Button("Place them", call=Call.of("place", session=item.id), style=ButtonStyle.PRIMARY),
            *buttons,
        )
    lines = [f"• {section.heading}: {section.text}" for section in sections]
    if (
        more := more_section(page, f"rooms {item.id}", call=Call.of("rooms", session=item.id))
    ) is not None:
        sections.append(more)
        lines.append(more.text)
    attachments: tuple[Attachment, ...] = ()
    note = "Private to you."
    if given.csv:
        attached = "The CSV (room, topic, host, person, person id) is attached."
        attachments = (
            Attachment(
                f"breakout-rooms-session-{item.id}.csv",
                "text/csv",
                rooms_csv(found, names),
                mention=attached,
            ),
        )
        note = f"Private to you. {attached}"
    return Reply(
        heading=f"Breakout rooms: {item.title}",
        text="\n".join(lines) or "No approved topics yet.",
        sections=tuple(sections),
        buttons=buttons,
        context=note,
        attachments=attachments,
    )


async def place(context: HandlerContext) -> Reply:
    item = await led_session_numbered(
        context, session_required(context.given(Place).session, "place")
    )
    _, settings = await breakout_session(context, item.id)
    if item.status != SessionStatus.SCHEDULED or item.starts_at <= context.now:
        raise UserError(f"Session {item.id} isn't coming up any more.")
    repository = BreakoutRepository(context.session)
    # The same lock as picks: nobody picks a place this is giving out.
    locked = await repository.lock_settings(item.id)
    assert locked is not None
    settings = locked
    topics = list(await repository.topics(item.id))
    counts = await repository.pick_counts(item.id)
    placed: dict[int, list[User]] = {}
    left_out = 0
    zone = context.services.settings.timezone
    for round_number in range(1, settings.rounds + 1):
        choices = [topic for topic in topics if topic.round == round_number]
        for user in await repository.unassigned(item.id, round_number):
            open_rooms = [t for t in choices if has_space(settings, counts.get(t.id, 0))]
            if not open_rooms:
                left_out += 1
                continue
            # Fewest people first keeps the rooms balanced; ties go to the older topic.
            topic = min(open_rooms, key=lambda t: (counts.get(t.id, 0), t.id))
            counts[topic.id] = counts.get(topic.id, 0) + 1
            await repository.add(
                BreakoutPick(
                    session_id=item.id,
                    round=round_number,
                    topic_id=topic.id,
                    user_id=user.id,
                    placed=True,
                    picked_at=context.now,
                )
            )
            placed.setdefault(topic.id, []).append(user)
            context.notify(
                user.key,
                Reply(
                    text=f"The organisers of {item.title} ({when(item.starts_at, zone)}) have "
                    f"put you in the breakout room “{topic.title}” for "
                    f"{round_label(settings, round_number)}.",
                    buttons=(Button("See the topics", call=Call.of("topics", session=item.id)),),
                ),
            )
    if context.now >= settings.closes_at:
        # The hosts' lists have gone out; tell them who joined since.
        for topic in topics:
            if topic.id in placed:
                await tell_users(
                    context,
                    [key for key in (topic.host_user_id, topic.cohost_user_id) if key is not None],
                    Reply(
                        text=f"Joining your breakout room “{topic.title}” at {item.title}: "
                        + ", ".join(display_name(user) for user in placed[topic.id])
                        + ".",
                        context="Private to you.",
                    ),
                )
    else:
        await replan_for(context, item, settings)
    total = sum(len(users) for users in placed.values())
    lines = [
        f"• {topic.title}: +{len(placed[topic.id])} (now {people_count(counts.get(topic.id, 0))})"
        for topic in topics
        if topic.id in placed
    ]
    missing = (
        f" {people_count(left_out)} could not be placed: every room is full." if left_out else ""
    )
    if not total and not left_out:
        return Reply(text=f"Everyone registered for session {item.id} already has a room.")
    return Reply(
        text=f"Placed {people_count(total)}, each told privately.{missing}\n" + "\n".join(lines),
        context="Private to you.",
    )
