"""What `forget me` does besides deleting rows: the words a person wrote into breakouts and
announcements, the posts that already went out naming them, and networks they leave without
a lead."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from bot.messages import Reply
from bot.outbox_codec import encode_reply, replaced_message
from bot.router import HandlerContext
from handlers.announcements.planner import announcement_prefix
from handlers.breakouts.common import names_of, topic_people
from handlers.breakouts.post_keys import HOST, ROOMS, SIGNUP, UPDATE, BreakoutPostKey, prefix
from handlers.breakouts.posts import host_reply, rooms_reply, signup_reply
from storage.erasure import announcements_written_by, delete_posts_under
from storage.models import BreakoutPick, BreakoutTopic, Network, NetworkSession, OutboxPost
from storage.repositories import BreakoutRepository, NetworkRepository, OutboxRepository
from storage.statuses import OutboxStatus


async def withdraw_proposals(context: HandlerContext) -> int:
    """Remove the breakout topics the person proposed that nobody else has taken up: their
    titles are the person's words.

    A topic someone else picked, hosts or takes notes for is the room's by now: it stays,
    without the person (as the schema's SET NULL leaves it), so nobody loses their room.
    """
    mine = context.user.id
    topics = (
        await context.session.scalars(
            select(BreakoutTopic).where(BreakoutTopic.proposer_user_id == mine)
        )
    ).all()
    removed = 0
    for topic in topics:
        others = {topic.host_user_id, topic.cohost_user_id, topic.notes_user_id} - {None, mine}
        picked = await context.session.scalar(
            select(func.count())
            .select_from(BreakoutPick)
            .where(BreakoutPick.topic_id == topic.id, BreakoutPick.user_id != mine)
        )
        if others or picked:
            continue
        await context.session.delete(topic)
        removed += 1
    await context.session.flush()
    return removed


async def erase_announcement_posts(context: HandlerContext) -> None:
    """Delete the posts of announcements the person wrote, sent or not: their words (the
    announcements themselves go with the rows held by the person's key)."""
    written = await announcements_written_by(context.session, context.user.key)
    await delete_posts_under(context.session, [announcement_prefix(item) for item in written])


async def rewrite_breakout_history(context: HandlerContext, session_ids: list[int]) -> None:
    """Write the breakout posts already made (and those due at a closed signup) again from
    what is stored now, so no stored copy names the person any more.

    Run after the erasure. What is still to be planned is re-planned as usual.
    """
    repository = BreakoutRepository(context.session)
    zone = context.services.settings.timezone
    shown = context.services.settings.small_numbers
    for session_id in session_ids:
        item = await context.session.get(NetworkSession, session_id)
        settings = await repository.settings_of(session_id)
        if item is None or settings is None:
            continue
        topics = {
            topic.id: topic
            for topic in await context.session.scalars(
                select(BreakoutTopic)
                .where(BreakoutTopic.session_id == session_id)
                .execution_options(populate_existing=True)
            )
        }
        approved = list(await repository.topics(session_id))
        counts = await repository.pick_counts(session_id)
        names = await names_of(context.session, topic_people(approved))
        rows = await OutboxRepository(context.session).with_prefix(prefix(session_id))
        for row in rows:
            if row.status == OutboxStatus.PENDING and context.now < settings.closes_at:
                continue
            key = BreakoutPostKey.parse(row.schedule_key)
            if key.post in (SIGNUP, UPDATE):
                reply = signup_reply(item, settings, approved, counts, names, zone, shown)
                row.message = encode_reply(reply, replaces=replaced_message(row.message))
            elif key.post == ROOMS:
                row.message = encode_reply(
                    rooms_reply(item, settings, approved, counts, names, shown)
                )
            elif key.post == HOST and key.topic_id is not None:
                await _rewrite_host_list(context, row, topics.get(key.topic_id))
        await context.session.flush()


async def _rewrite_host_list(
    context: HandlerContext, row: OutboxPost, topic: BreakoutTopic | None
) -> None:
    if topic is None:
        await context.session.execute(delete(OutboxPost).where(OutboxPost.id == row.id))
        return
    item = await context.session.get(NetworkSession, topic.session_id)
    settings = await BreakoutRepository(context.session).settings_of(topic.session_id)
    if item is None or settings is None:
        return
    people = [user for user, _ in await BreakoutRepository(context.session).room(topic.id)]
    names = await names_of(context.session, [topic.notes_user_id])
    notes = names.get(topic.notes_user_id or 0, "nobody yet")
    zone = context.services.settings.timezone
    row.message = encode_reply(host_reply(item, settings, topic, people, notes, zone))


async def networks_left_without_a_lead(context: HandlerContext) -> list[Network]:
    """The networks whose only lead is this person: forgetting them leaves these unled."""
    repository = NetworkRepository(context.session)
    key = context.user.key
    return [
        network
        for network in await repository.led_by(key)
        if list(await repository.leads(network.id)) == [key]
    ]


def only_lead_warning(networks: list[Network]) -> str:
    if not networks:
        return ""
    names = ", ".join(network.name for network in networks)
    return (
        f"You're the only lead of {names}: it would have no lead until an admin adds one "
        "(`add lead`). I'll tell the admins, without your name. "
    )


def tell_admins(context: HandlerContext, networks: list[Network]) -> None:
    """Tell every admin which networks now have no lead (and not who asked to be forgotten)."""
    for network in networks:
        for admin in sorted(context.services.admins - {context.user.key}):
            context.notify(
                admin,
                Reply(
                    text=f"{network.name} has no lead now: its only lead asked me to forget "
                    f"them. Add one with `add lead {network.slug} <person>`."
                ),
            )


def forget_in_memory(context: HandlerContext) -> None:
    """Once the erasure is committed (not before: a rollback keeps the person), the
    platforms drop what they hold of them in memory, so no cached name or offered file
    outlives it."""
    key = context.user.key

    async def forget() -> None:
        context.services.forgotten(key)

    context.after_commit(forget)
