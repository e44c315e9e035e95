"""The sessions feature's part of a person's home (Slack's App Home): what is coming up."""

from __future__ import annotations

from bot.messages import Reply, Visibility
from bot.router import Command, HandlerContext, Router
from handlers.formatting import when
from storage.repositories import SessionRepository

UPCOMING_LIMIT = 10


async def coming_up(context: HandlerContext) -> Reply:
    zone = context.services.settings.timezone
    sessions = await SessionRepository(context.session).upcoming(context.now, limit=UPCOMING_LIMIT)
    lines = [
        f"• {item.title} — {when(item.starts_at, zone)} (`session {item.id}`)" for item in sessions
    ]
    text = "\n".join(lines) or "Nothing is scheduled yet."
    return Reply(text=text, heading="Coming up", visibility=Visibility.CONVERSATION)


def register(router: Router) -> None:
    router.add_home_part(
        Command(phrase="coming up", handler=coming_up, summary="upcoming sessions", listed=False)
    )
