"""The breakout posts, planned through the outbox whenever topics or places change.

- When the signup opens: one post in each of the network's announcement channels,
  listing the topics with their hosts, places left and a Pick button.
- Once that post is out, each change plans an edit of the same message (the newest
  edit replaces any not yet sent), so the channel sees one list, kept current.
- When the signup closes: the final room list in the channel (topic, hosts, note-taker
  and how many people, never who) and, privately to each host, the names in their room.

Everything is re-planned from the database in the transaction that made the change,
so what goes out is what was committed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import TargetKind
from bot.messages import Button, ButtonStyle, Call, Reply, Section, Visibility
from bot.outbox_codec import encode_reply
from bot.outbox_plans import replan
from bot.router import HandlerContext
from bot.services import PeopleNames
from bot.small_numbers import SmallNumbers
from bot.wall_clock import when
from handlers.breakouts.common import (
    display_name,
    hosted_by,
    names_of,
    people_count,
    places_text,
    round_label,
    topic_people,
)
from handlers.breakouts.post_keys import host_key, prefix, rooms_key, signup_key, update_key
from handlers.pages import item_label
from storage.models import BreakoutSettings, BreakoutTopic, NetworkSession, OutboxPost, User
from storage.repositories import BreakoutRepository, OutboxRepository, PlannedPost
from storage.statuses import OutboxStatus

# Each post happens once per session, whenever it is due: a fixed occurrence keeps its
# identity when a lead moves the opening or closing time.
ONCE = datetime(2000, 1, 1, tzinfo=UTC)
# Platforms whose publisher can edit a post (`update`). Elsewhere the list stays as
# first posted, and `topics <session>` always shows the current one.
EDITS_IN_PLACE = frozenset({"slack", "teams"})
# Block Kit allows 50 blocks a message; keep the list well inside it.
MOST_TOPICS_SHOWN = 40


def signup_reply(
    item: NetworkSession,
    settings: BreakoutSettings,
    topics: list[BreakoutTopic],
    counts: dict[int, int],
    names: dict[int, str],
    zone: ZoneInfo,
    shown: SmallNumbers,
) -> Reply:
    intro = (
        f"Pick the discussion you'd like to join at {item.title} ({when(item.starts_at, zone)}): "
        f"press Pick or type `pick {item.id} <topic number>`. Only people registered for the "
        f"session can pick, and you can switch until {when(settings.closes_at, zone)}."
    )
    sections = []
    for topic in topics[:MOST_TOPICS_SHOWN]:
        heading = f"{topic.title} (topic {topic.id})"
        if settings.rounds > 1:
            heading = f"Round {topic.round}: {heading}"
        sections.append(
            Section(
                heading=heading,
                text=f"{hosted_by(topic, names)} · "
                f"{places_text(settings, counts.get(topic.id, 0), shown)}",
                buttons=(
                    Button(
                        item_label("Pick", topic.title),
                        call=Call.of("pick", session=item.id, topic=topic.id),
                        style=ButtonStyle.PRIMARY,
                    ),
                ),
            )
        )
    more = len(topics) - MOST_TOPICS_SHOWN
    if not topics:
        sections.append(Section(text="No topics yet: be the first to host one!"))
    elif more > 0:
        all_topics = Button(
            item_label("All topics", item.title), call=Call.of("topics", session=item.id)
        )
        sections.append(
            Section(
                text=f"{MOST_TOPICS_SHOWN} of {len(topics)} topics shown. "
                f"`topics {item.id}` shows them all.",
                buttons=(all_topics,),
            )
        )
    footer = (
        f"Want to host a discussion? `host {item.id} <your topic>`. "
        "Happy to take notes for a room? `notes <topic number>`."
    )
    lines = [
        f"• {section.heading}: {section.text}" if section.heading else section.text
        for section in sections
    ]
    return Reply(
        heading=f"Breakout rooms: {item.title}",
        text="\n".join([intro, *lines, footer]),
        sections=(Section(text=intro), *sections),
        context=footer,
        visibility=Visibility.CONVERSATION,
    )


def rooms_reply(
    item: NetworkSession,
    settings: BreakoutSettings,
    topics: list[BreakoutTopic],
    counts: dict[int, int],
    names: dict[int, str],
    shown: SmallNumbers,
) -> Reply:
    """The final list for the channel: how many people in each room (under the small-numbers
    rule), never who."""
    sections = []
    for topic in topics[:MOST_TOPICS_SHOWN]:
        notes = names.get(topic.notes_user_id or 0, "nobody yet")
        heading = topic.title if settings.rounds == 1 else f"Round {topic.round}: {topic.title}"
        sections.append(
            Section(
                heading=heading,
                text=f"{hosted_by(topic, names)} · notes: {notes} · "
                f"{shown.people(counts.get(topic.id, 0))}",
            )
        )
    intro = (
        "The breakout signup has closed. Here are the rooms; your hosts have the lists. "
        "`my` shows the room you picked."
    )
    if not topics:
        intro = "The breakout signup has closed, with no topics this time."
    lines = [f"• {section.heading}: {section.text}" for section in sections]
    return Reply(
        heading=f"Breakout rooms: {item.title}",
        text="\n".join([intro, *lines]),
        sections=(Section(text=intro), *sections),
        visibility=Visibility.CONVERSATION,
    )


def host_reply(
    item: NetworkSession,
    settings: BreakoutSettings,
    topic: BreakoutTopic,
    people: list[User],
    notes: str,
    zone: ZoneInfo,
) -> Reply:
    names = "\n".join(f"• {display_name(user)}" for user in people) or "Nobody picked it yet."
    return Reply(
        heading=f"Your breakout room: {topic.title}",
        text=f"The signup for {item.title} ({when(item.starts_at, zone)}) has closed. "
        f"In your room for {round_label(settings, topic.round)}, “{topic.title}”: "
        f"{people_count(len(people))}, with notes by {notes}.\n{names}",
        context="Private to you: please don't share the list in a channel.",
    )


def _latest(rows: list[OutboxPost]) -> OutboxPost | None:
    return max(rows, key=lambda row: row.id) if rows else None


async def replan_breakout_posts(
    session: AsyncSession,
    item: NetworkSession,
    settings: BreakoutSettings,
    zone: ZoneInfo,
    now: datetime,
    *,
    small_numbers: SmallNumbers,
    directory: PeopleNames | None = None,
) -> None:
    """Plan (or re-plan) every breakout post for one session from what is stored now."""
    if now >= settings.closes_at:
        # The close-time posts are out (or going out): what happens after is told privately.
        return
    repository = BreakoutRepository(session)
    outbox = OutboxRepository(session)
    topics = list(await repository.topics(item.id))
    counts = await repository.pick_counts(item.id)
    names = await names_of(session, topic_people(topics), directory)
    signup = encode_reply(signup_reply(item, settings, topics, counts, names, zone, small_numbers))
    rooms = encode_reply(rooms_reply(item, settings, topics, counts, names, small_numbers))
    existing = list(await outbox.with_prefix(prefix(item.id)))
    posts: list[PlannedPost] = []

    def channel_post(
        key: str, occurrence: datetime, due: datetime, platform: str, ref: str, message: str
    ) -> None:
        posts.append(
            PlannedPost(
                schedule_key=key,
                occurrence_at=occurrence,
                due_at=due,
                network_id=item.network_id,
                platform=platform,
                target_kind=TargetKind.CHANNEL.value,
                target_ref=ref,
                message=message,
            )
        )

    for platform, ref in (await outbox.channels_for(item.network_id, "announcements")).items():
        channel_post(signup_key(item.id, platform), ONCE, settings.opens_at, platform, ref, signup)
        channel_post(rooms_key(item.id, platform), ONCE, settings.closes_at, platform, ref, rooms)
        posted = next(
            (
                row
                for row in existing
                if row.schedule_key == signup_key(item.id, platform)
                and row.status == OutboxStatus.SENT
                and row.platform_message_id
            ),
            None,
        )
        if posted is None or platform not in EDITS_IN_PLACE:
            continue
        # The list is out: edit it in place, unless the latest version already says this.
        shown = _latest(
            [
                row
                for row in existing
                if row.schedule_key
                in (signup_key(item.id, platform), update_key(item.id, platform))
            ]
        )
        edit = encode_reply(
            signup_reply(item, settings, topics, counts, names, zone, small_numbers),
            replaces=posted.platform_message_id,
        )
        if shown is not None and shown.message in (signup, edit):
            if shown.status == OutboxStatus.PENDING and shown.schedule_key == update_key(
                item.id, platform
            ):
                channel_post(
                    shown.schedule_key, shown.occurrence_at, shown.due_at, platform, ref, edit
                )
            continue
        # Each edit is a new occurrence, later than any before it (even within one clock tick).
        edits = [
            row.occurrence_at
            for row in existing
            if row.schedule_key == update_key(item.id, platform)
        ]
        occurrence = max([now, *(at + timedelta(microseconds=1) for at in edits)])
        channel_post(update_key(item.id, platform), occurrence, now, platform, ref, edit)

    for topic in topics:
        hosts = [key for key in (topic.host_user_id, topic.cohost_user_id) if key is not None]
        if not hosts:
            continue
        people = [user for user, _ in await repository.room(topic.id)]
        notes = names.get(topic.notes_user_id or 0, "nobody yet")
        for host_id in hosts:
            host = await session.get(User, host_id)
            if host is None:
                continue
            posts.append(
                PlannedPost(
                    schedule_key=host_key(item.id, topic.id, host_id),
                    occurrence_at=ONCE,
                    due_at=settings.closes_at,
                    network_id=item.network_id,
                    platform=host.platform,
                    target_kind=TargetKind.PERSON.value,
                    target_ref=host.key,
                    message=encode_reply(host_reply(item, settings, topic, people, notes, zone)),
                )
            )
    # Anything planned before and not planned now (an older edit, a withdrawn host's list)
    # is removed before it goes out.
    await replan(session, prefix(item.id), posts, due_from=ONCE, now=now)


async def replan_for(
    context: HandlerContext, item: NetworkSession, settings: BreakoutSettings
) -> None:
    """`replan_breakout_posts` for a request: its session, zone, time and counting rule."""
    await replan_breakout_posts(
        context.session,
        item,
        settings,
        context.services.settings.timezone,
        context.now,
        small_numbers=context.services.settings.small_numbers,
        directory=context.services.names,
    )
