"""Finding a scheduled post in its channel's history, so a post taken over is not sent twice.

Every scheduled post carries its outbox id in Slack message metadata (see
`SlackSender.post_to_channel`). When a process dies after Slack took a post but before
the outcome was committed, the process that takes the post over looks for it in the
channel (`conversations.history` with `include_all_metadata`, which needs the
`channels:history` and `groups:history` scopes) and records the post as sent if it is there.

Those scopes let the token read every channel the bot is in, private network channels
included, so the look reads as little as it can: only the few minutes in which the dead
attempt can have arrived (`bot.delivery.SendWindow`, `oldest` to `latest`), a small page at a
time, at most `MOST_PAGES` of them. Nothing read is kept or logged: each message is checked
for our metadata and dropped. `[slack] history_lookup = false` turns the look off.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import (
    CANNOT_TELL,
    DeliveryTarget,
    EarlierSend,
    SendWindow,
    Sighting,
    TargetKind,
)
from bot.logs import log_event
from bot.platforms.slack.sender import OUTBOX_EVENT_TYPE, SlackPublisher, SlackSender

_log = logging.getLogger("allybot.slack")

# A window is a few minutes long: one small page covers it in all but the busiest channel,
# and a look that finds nothing in two sends the post again rather than reading further.
PAGE_SIZE = 50
MOST_PAGES = 2


def carries(message: dict[str, Any], event_type: str, outbox_id: str) -> bool:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != event_type:
        return False
    payload = metadata.get("event_payload") or {}
    return str(payload.get("outbox_id", "")) == outbox_id


async def find_posted(
    client: AsyncWebClient, channel: str, event_type: str, outbox_id: int, window: SendWindow
) -> EarlierSend:
    """Whether the post of `outbox_id` is in `channel` within `window`; its first part's ts.

    Slack refusing to show the history (a missing scope), or not answering, leaves it
    unknown: the caller sends the post again, as it would with no way to look.
    """
    wanted = str(outbox_id)
    cursor: str | None = None
    found = ""
    try:
        for _ in range(MOST_PAGES):
            answer = await client.conversations_history(
                channel=channel,
                oldest=f"{window.oldest.timestamp():.6f}",
                latest=f"{window.latest.timestamp():.6f}",
                inclusive=True,
                limit=PAGE_SIZE,
                include_all_metadata=True,
                cursor=cursor,
            )
            # Newest first: the last match is the first part of a reply posted in parts.
            for message in answer.get("messages") or []:
                if carries(message, event_type, wanted):
                    found = str(message.get("ts", ""))
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if found or not answer.get("has_more") or cursor is None:
                break
    except SlackApiError as error:
        code = str(error.response.get("error", "unknown_error"))
        log_event(_log, logging.WARNING, "slack_history_refused", channel=channel, error=code)
        return CANNOT_TELL
    except (aiohttp.ClientError, TimeoutError) as error:
        log_event(
            _log,
            logging.WARNING,
            "slack_history_failed",
            channel=channel,
            error=type(error).__name__,
        )
        return CANNOT_TELL
    if found:
        return EarlierSend(Sighting.FOUND, message_id=found)
    return EarlierSend(Sighting.ABSENT)


class CheckingSlackPublisher(SlackPublisher):
    """The Slack publisher that can also tell whether a post already arrived
    (bot.delivery.CheckingPublisher), unless the look is turned off."""

    def __init__(self, sender: SlackSender, *, look: bool = True) -> None:
        super().__init__(sender)
        self.look = look

    async def already_posted(
        self, target: DeliveryTarget, outbox_id: int, window: SendWindow
    ) -> EarlierSend:
        """Only channel posts carry their outbox id; a private one cannot be recognised."""
        if not self.look or target.kind is not TargetKind.CHANNEL:
            return CANNOT_TELL
        client = self.sender.client
        return await find_posted(client, target.ref, OUTBOX_EVENT_TYPE, outbox_id, window)
