"""Pressing a button in the neutral API: its call is dispatched with its values as they are."""

from __future__ import annotations

from bot.app import Application
from bot.messages import Button, Conversation, Person, Reply, Request


async def press(
    app: Application, button: Button, *, user: str = "you", platform: str = "console"
) -> list[Reply]:
    """Press `button` as `user` in a private chat, and return the bot's replies."""
    assert button.call is not None, f"{button.label!r} carries no call"
    request = Request(
        person=Person(platform=platform, id=user, display_name=user.title()),
        text="",
        conversation=Conversation(id="D-private"),
        call=button.call,
    )
    return await app.router.dispatch(request)


async def press_one(app: Application, button: Button, **kwargs: str) -> Reply:
    replies = await press(app, button, **kwargs)
    assert len(replies) == 1, replies
    return replies[0]


def typed_for(app: Application, button: Button) -> str:
    """What typing would do the same as pressing `button`."""
    assert button.call is not None, f"{button.label!r} carries no call"
    return app.router.words_for(button.call)
