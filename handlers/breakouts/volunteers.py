"""Volunteering for a breakout topic someone proposed: hosting (or co-hosting) it, and taking
its notes. Hosts and note-takers volunteer in public, so their names show with the topic."""

from __future__ import annotations

from bot.errors import UserError
from bot.messages import Reply
from bot.router import HandlerContext
from handlers.breakouts.arguments import OfferToHost, TakeNotes
from handlers.breakouts.common import changeable_topic, is_host
from handlers.breakouts.posts import replan_for
from storage.repositories import BreakoutRepository


async def offer_to_host(context: HandlerContext) -> Reply:
    topic, item, settings = await changeable_topic(context, context.given(OfferToHost).topic)
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
    topic, item, settings = await changeable_topic(context, context.given(TakeNotes).topic)
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
