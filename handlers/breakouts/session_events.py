"""Breakouts' answers to what happens to a session: a place given up takes its room with it;
a cancelled session's breakout posts are taken out of the outbox."""

from __future__ import annotations

from bot.router import HandlerContext
from handlers.breakouts.post_keys import prefix
from handlers.breakouts.posts import ONCE, replan_for
from handlers.sessions.events import PlaceGivenUp, SessionCancelled
from storage.erasure import leave_breakouts
from storage.repositories import BreakoutRepository, OutboxRepository


async def leave_with_place(context: HandlerContext, event: PlaceGivenUp) -> None:
    """Drop the person's room picks, host offers and note-taking at the session, and re-plan
    its breakout posts so their seat and their name are gone from them."""
    if not await leave_breakouts(context.session, event.session.id, event.user_id):
        return
    settings = await BreakoutRepository(context.session).settings_of(event.session.id)
    if settings is not None:
        await replan_for(context, event.session, settings)


async def unplan_posts(context: HandlerContext, event: SessionCancelled) -> None:
    await OutboxRepository(context.session).unplan(prefix(event.session.id), set(), due_from=ONCE)
