"""Breakout topics for members: propose and host a topic, take notes, list topics, pick a room.

Lead commands (turning breakouts on, approving topics, the room list and placing people)
are in `handlers.breakout_leads`; the channel posts in `handlers.breakout_posts`.
"""

from __future__ import annotations

import re

from bot.config import PLATFORMS
from bot.errors import UserError
from bot.messages import Button, ButtonStyle, Form, FormField, Reply, Section
from bot.router import Command, HandlerContext, Router
from handlers import breakout_leads
from handlers.breakout_common import (
    CLOSED,
    MAX_TITLE_CHARS,
    NOT_OPEN,
    OPEN,
    breakout_session,
    clean_title,
    find_topic,
    has_space,
    hosts_text,
    is_host,
    may_change,
    names_of,
    places_text,
    round_label,
    signup_state,
    still_changeable,
    topic_in_its_session,
    topic_people,
    user_for_key,
)
from handlers.breakout_posts import replan_for
from handlers.formatting import when
from handlers.membership import MyPage
from handlers.pages import more_section, paginate, split_page
from handlers.session_leads import person_key
from handlers.sessions import split_session_id
from storage.models import BreakoutPick, BreakoutSettings, BreakoutTopic, NetworkSession
from storage.repositories import BreakoutRepository, NetworkRepository, RegistrationRepository
from storage.statuses import RegistrationStatus, TopicStatus

_ROUND = re.compile(r"^round\s+([0-9]{1,2})\s+(.*)$", re.IGNORECASE | re.DOTALL)
# A co-host is named the way leads name people; "Living with ADHD" stays a title.
_COHOST = re.compile(r"\s+with\s+(<@[A-Za-z0-9]+(?:\|[^>]*)?>|[a-z]+:[^\s:]+)\s*$", re.IGNORECASE)


def _names_a_person(typed: str) -> bool:
    """`slack:U0123` or a mention, not a title ending “with work:life balance”."""
    return typed.startswith("<@") or typed.partition(":")[0].lower() in PLATFORMS


def _round_and_title(settings: BreakoutSettings, text: str) -> tuple[int, str]:
    found = _ROUND.match(text.strip())
    if found is None:
        return 1, text
    number = int(found.group(1))
    if not 1 <= number <= settings.rounds:
        rounds = "1 round" if settings.rounds == 1 else f"{settings.rounds} rounds"
        raise UserError(f"That session has {rounds} of breakouts, so there's no round {number}.")
    return number, found.group(2)


async def _propose(context: HandlerContext, command: str, hosting: bool) -> Reply:
    session_id, rest = split_session_id(context.args, command)
    item, settings = await breakout_session(context, session_id)
    still_changeable(context, item, settings)
    cohost = None
    found = _COHOST.search(rest) if hosting else None
    if found is not None and not _names_a_person(found.group(1)):
        found = None
    if found is not None:
        cohost = await user_for_key(context, person_key(context, found.group(1)))
        rest = rest[: found.start()]
        if cohost.id == context.user.id:
            raise UserError("You're already the host, so you can't be your own co-host.")
    round_number, title = _round_and_title(settings, rest)
    title = clean_title(title)
    repository = BreakoutRepository(context.session)
    taken = await repository.topics(item.id, (TopicStatus.PROPOSED, TopicStatus.APPROVED))
    if any(t.title.lower() == title.lower() and t.round == round_number for t in taken):
        raise UserError(
            f"There's already a topic called “{title}” for session {item.id}. "
            f"`topics {item.id}` lists them; `host topic <number>` offers to host one."
        )
    topic = BreakoutTopic(
        session_id=item.id,
        round=round_number,
        title=title,
        status=TopicStatus.PROPOSED if settings.approval else TopicStatus.APPROVED,
        proposer_user_id=context.user.id,
        host_user_id=context.user.id if hosting else None,
        cohost_user_id=cohost.id if cohost is not None else None,
        created_at=context.now,
        updated_at=context.now,
    )
    await repository.add(topic)
    await replan_for(context, item, settings)
    who = "you host it" if hosting else "nobody hosts it yet"
    if cohost is not None:
        context.notify(
            cohost.key,
            Reply(
                text=f"{context.request.person.name} put you forward to co-host “{title}” at "
                f"{item.title}. If that's not right, tell them, or `withdraw topic {topic.id}`."
            ),
        )
        who = f"you host it with {cohost.display_name or cohost.external_id}"
    if settings.approval:
        await _ask_leads(context, item, topic)
        return Reply(
            text=f"Thank you! “{title}” (topic {topic.id}, {who}) is waiting for the leads to "
            "approve it; I'll tell you when they do."
        )
    return Reply(
        text=f"Thank you! “{title}” (topic {topic.id}) is on the list for {item.title}, and "
        f"{who}. Change the title with `rename topic {topic.id} <new title>`.",
        buttons=(Button("See the topics", f"topics {item.id}"),),
    )


async def _ask_leads(context: HandlerContext, item: NetworkSession, topic: BreakoutTopic) -> None:
    for lead in await NetworkRepository(context.session).leads(item.network_id):
        context.notify(
            lead,
            Reply(
                text=f"New breakout topic for {item.title}: “{topic.title}” (topic {topic.id}). "
                f"`approve topic {topic.id}`, or `decline topic {topic.id} <reason>` (the reason "
                "goes privately to whoever proposed it).",
                buttons=(
                    Button("Approve", f"approve topic {topic.id}", ButtonStyle.PRIMARY),
                    Button("Decline", f"decline topic {topic.id}", ButtonStyle.DANGER),
                ),
            ),
        )


async def host(context: HandlerContext) -> Reply:
    return await _propose(context, "host", hosting=True)


async def propose(context: HandlerContext) -> Reply:
    return await _propose(context, "propose", hosting=False)


async def _changeable_topic(
    context: HandlerContext, command: str
) -> tuple[BreakoutTopic, NetworkSession, BreakoutSettings, str]:
    topic, item, settings, rest = await topic_in_its_session(context, command)
    still_changeable(context, item, settings)
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.APPROVED):
        raise UserError(f"Topic {topic.id} was {topic.status}, so it can't be changed.")
    return topic, item, settings, rest


async def rename(context: HandlerContext) -> Reply:
    topic, item, settings, rest = await _changeable_topic(context, "rename topic")
    if not may_change(context, item, topic):
        raise UserError(f"Only the hosts of topic {topic.id} (or the leads) can rename it.")
    title = clean_title(rest)
    topic.title = title
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    return Reply(text=f"Topic {topic.id} is now called “{title}”.")


async def withdraw(context: HandlerContext) -> Reply:
    topic, item, settings, _ = await _changeable_topic(context, "withdraw topic")
    if not may_change(context, item, topic):
        raise UserError(f"Only the hosts of topic {topic.id} (or the leads) can withdraw it.")
    topic.status = TopicStatus.WITHDRAWN
    topic.updated_at = context.now
    moved = await BreakoutRepository(context.session).remove_picks(topic.id)
    for user in moved:
        context.notify(
            user.key,
            Reply(
                text=f"“{topic.title}” has been withdrawn from {item.title}, so please pick "
                f"another room: `topics {item.id}`.",
                buttons=(Button("See the topics", f"topics {item.id}"),),
            ),
        )
    await replan_for(context, item, settings)
    told = " Everyone who had picked it has been told privately." if moved else ""
    return Reply(text=f"Topic {topic.id}, “{topic.title}”, is withdrawn.{told}")


async def offer_to_host(context: HandlerContext) -> Reply:
    topic, item, settings, _ = await _changeable_topic(context, "host topic")
    if is_host(topic, context.user.id):
        raise UserError(f"You're already hosting “{topic.title}”. Thank you!")
    if topic.host_user_id is None:
        topic.host_user_id = context.user.id
        role = "host"
    elif topic.cohost_user_id is None:
        topic.cohost_user_id = context.user.id
        role = "co-host"
    else:
        raise UserError(
            f"“{topic.title}” already has two hosts. `topics {item.id}` shows topics still "
            "looking for one."
        )
    earlier = await BreakoutRepository(context.session).pick_of(
        item.id, topic.round, context.user.id
    )
    if earlier is not None:
        # Hosts are in their own room; an earlier pick elsewhere in that round no longer applies.
        await context.session.delete(earlier)
        await context.session.flush()
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    return Reply(text=f"Thank you! You're the {role} of “{topic.title}” (topic {topic.id}).")


async def take_notes(context: HandlerContext) -> Reply:
    topic, item, settings, _ = await _changeable_topic(context, "notes")
    if topic.notes_user_id == context.user.id:
        return Reply(text=f"You're already taking notes for “{topic.title}”. Thank you!")
    if topic.notes_user_id is not None:
        raise UserError(
            f"Someone is already taking notes for “{topic.title}”. `topics {item.id}` shows "
            "rooms still looking for a note-taker."
        )
    topic.notes_user_id = context.user.id
    topic.updated_at = context.now
    await replan_for(context, item, settings)
    return Reply(
        text=f"Thank you! You're taking notes for “{topic.title}” (topic {topic.id}). "
        "Please share them with the room's hosts afterwards."
    )


async def list_topics(context: HandlerContext) -> Reply:
    session_id, rest = split_session_id(context.args, "topics")
    _, number = split_page(rest)
    item, settings = await breakout_session(context, session_id)
    repository = BreakoutRepository(context.session)
    lead = context.roles.leads(item.network_id)
    candidates = await repository.topics(item.id, (TopicStatus.PROPOSED, TopicStatus.APPROVED))
    # Topics waiting for approval are shown to the leads and to whoever proposed them.
    topics = [
        topic
        for topic in candidates
        if topic.status == TopicStatus.APPROVED or lead or may_change(context, item, topic)
    ]
    counts = await repository.pick_counts(item.id)
    shown = context.services.settings.small_numbers
    names = await names_of(context.session, topic_people(topics))
    state = signup_state(settings, context.now)
    zone = context.services.settings.timezone
    sections = []
    # Each topic has its own section and buttons, so a page holds 10 of them.
    page = paginate([topic.title for topic in topics], number, size=10)
    for topic in page.of(topics):
        mine = await repository.pick_of(item.id, topic.round, context.user.id)
        details = [f"Hosted by {hosts_text(topic, names)}"]
        if topic.notes_user_id in names:
            details.append(f"notes: {names[topic.notes_user_id or 0]}")
        details.append(places_text(settings, counts.get(topic.id, 0), shown))
        buttons: list[Button] = []
        if topic.status == TopicStatus.PROPOSED:
            details.append("waiting for approval")
            if lead:
                buttons += [
                    Button("Approve", f"approve topic {topic.id}", ButtonStyle.PRIMARY),
                    Button("Decline", f"decline topic {topic.id}", ButtonStyle.DANGER),
                ]
        elif mine is not None and mine.topic_id == topic.id:
            details.append("your pick")
        elif state == OPEN and has_space(settings, counts.get(topic.id, 0)):
            buttons.append(Button("Pick", f"pick {item.id} {topic.id}", ButtonStyle.PRIMARY))
        if topic.host_user_id is None and state != CLOSED:
            buttons.append(Button("Offer to host", f"host topic {topic.id}"))
        heading = f"{topic.title} (topic {topic.id})"
        if settings.rounds > 1:
            heading = f"Round {topic.round}: {heading}"
        sections.append(Section(heading=heading, text=" · ".join(details), buttons=tuple(buttons)))
    if state == NOT_OPEN:
        status = f"Picking opens {when(settings.opens_at, zone)}."
    elif state == OPEN:
        status = (
            f"Pick with `pick {item.id} <topic number>` until {when(settings.closes_at, zone)}."
        )
    else:
        status = "The signup has closed."
    empty = f"No topics yet. Host one with `host {item.id} <your topic>`."
    lines = [f"• {section.heading}: {section.text}" for section in sections] or [empty]
    if (more := more_section(page, f"topics {item.id}")) is not None:
        sections.append(more)
        lines.append(more.text)
    return Reply(
        heading=f"Breakout topics: {item.title}",
        text="\n".join([f"Breakout topics for {item.title}. {status}", *lines]),
        sections=(Section(text=status), *(sections or [Section(text=empty)])),
        buttons=propose_button(item.id) if state != CLOSED else (),
        context=f"Host a topic: `host {item.id} <title>` · take notes: `notes <topic number>`",
    )


def propose_button(session_id: int) -> tuple[Button, ...]:
    # Where forms don't exist (the console), the button types the start of the command.
    return (Button("Propose a topic", f"host {session_id}", form=topic_form(session_id)),)


def topic_form(session_id: int) -> Form:
    """Proposing a topic to host, with an optional co-host, as a form."""
    return Form(
        id=f"breakout-topic-{session_id}",
        title="Propose a topic",
        fields=(
            FormField(
                name="title",
                label="Your topic",
                placeholder="Finding the words to speak up",
                max_length=MAX_TITLE_CHARS,
            ),
            FormField(
                name="cohost",
                label="Co-host (optional)",
                required=False,
                placeholder="@name, or leave empty",
            ),
        ),
        command=f"host {session_id} {{title}}[ with {{cohost}}]",
        submit_label="Propose and host",
    )


async def pick(context: HandlerContext) -> Reply:
    session_id, typed = split_session_id(context.args, "pick")
    item, settings = await breakout_session(context, session_id)
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
        buttons=(Button("See the topics", f"topics {item.id}"),),
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


def register(router: Router, my_page: MyPage) -> None:
    my_page.add(my_breakouts)
    router.add(
        Command(
            phrase="topics",
            handler=list_topics,
            summary="a session's breakout topics, their hosts and places left, 10 at a time",
            usage="topics <session> [page <n>]",
        )
    )
    router.add(
        Command(
            phrase="host",
            handler=host,
            summary="propose a breakout topic and host it (optionally with a co-host)",
            usage="host <session> [round <n>] <topic> [with <person>]",
        )
    )
    router.add(
        Command(
            phrase="propose",
            handler=propose,
            summary="suggest a breakout topic for someone else to host",
            usage="propose <session> [round <n>] <topic>",
        )
    )
    router.add(
        Command(
            phrase="host topic",
            handler=offer_to_host,
            summary="offer to host (or co-host) a topic",
            usage="host topic <number>",
        )
    )
    router.add(
        Command(
            phrase="notes",
            handler=take_notes,
            summary="volunteer to take notes for a breakout room",
            usage="notes <topic number>",
        )
    )
    router.add(
        Command(
            phrase="rename topic",
            handler=rename,
            summary="change your topic's title",
            usage="rename topic <number> <new title>",
        )
    )
    router.add(
        Command(
            phrase="withdraw topic",
            handler=withdraw,
            summary="take your topic off the list",
            usage="withdraw topic <number>",
        )
    )
    router.add(
        Command(
            phrase="pick",
            handler=pick,
            summary="pick the breakout room you'd like to join",
            usage="pick <session> <topic number or title>",
        )
    )
    breakout_leads.register(router)
