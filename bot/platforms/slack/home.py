"""The App Home tab: the person's home (bot.home) rendered as a Block Kit view."""

from __future__ import annotations

from bot.app import Application
from bot.home import home_replies
from bot.messages import Person
from bot.platforms.slack.render import Block, view_blocks


async def home_view(application: Application, person: Person) -> dict[str, object]:
    """The whole tab for one person."""
    blocks: list[Block] = view_blocks(await home_replies(application.router, person))
    return {"type": "home", "blocks": blocks}
