"""A reply's files, uploaded into the person's direct message with the bot.

Files are only ever uploaded into that DM (never a shared channel, whatever the reply's
visibility): they hold someone's registrations, data or a network's member list. Uploads
use `files_upload_v2` (files.getUploadURLExternal, the upload itself, then
files.completeUploadExternal), which needs the `files:write` scope. If Slack refuses, the
reply says truthfully which files did not arrive (`bot.attachments.undelivered`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.attachments import undelivered
from bot.logs import log_event
from bot.messages import Attachment, Reply
from bot.platforms.slack.refusals import SlackRefusal

_log = logging.getLogger("allybot.slack")

# What a person is told when an upload fails, by Slack's error code.
_WHY: dict[str, str] = {
    "missing_scope": "the Slack app may not upload files yet (an admin needs to reinstall it)",
    "not_allowed_token_type": "the Slack app may not upload files",
    "file_uploads_disabled": "file uploads are turned off in this Slack workspace",
    "file_uploads_except_images_disabled": "this Slack workspace only allows images",
    "ratelimited": "Slack asked me to slow down for a moment",
}
_GENERIC_WHY = "Slack refused the upload"


class Calls(Protocol):
    """The sender's way of calling Slack (`SlackSender`): refusals become a `SlackRefusal`
    with its code, and a channel's turn paces calls into it (a 429 pauses the channel)."""

    client: AsyncWebClient

    async def call(self, method: str, call: Awaitable[Any]) -> Any: ...

    def paced(self, channel: str) -> AbstractAsyncContextManager[None]: ...


async def upload_files(sender: Calls, channel: str, reply: Reply) -> Reply:
    """Upload every file of `reply` into `channel` (the person's DM), in the channel's turn
    like a post; returns the reply to post, without the files, and saying so if any did not
    arrive."""
    missing: list[Attachment] = []
    why = _GENERIC_WHY
    for attachment in reply.attachments:
        try:
            async with sender.paced(channel):
                await sender.call(
                    "files.upload_v2",
                    sender.client.files_upload_v2(
                        channel=channel,
                        filename=attachment.filename,
                        title=attachment.filename,
                        content=attachment.data,
                    ),
                )
        except SlackRefusal as refused:
            # Logged by the sender (`slack_refused`), a 429 with the channel paused.
            missing.append(attachment)
            why = _WHY.get(refused.code, _GENERIC_WHY)
        except (SlackRequestError, aiohttp.ClientError, TimeoutError) as error:
            # SlackRequestError: the upload URL answered other than 200.
            log_event(_log, logging.WARNING, "slack_upload_failed", error=type(error).__name__)
            missing.append(attachment)
        else:
            log_event(_log, logging.INFO, "slack_uploaded", size=len(attachment.data))
    return replace(undelivered(reply, missing, why), attachments=())


def not_delivered(reply: Reply, why: str) -> Reply:
    """`reply` without any of its files, saying why none arrived (no DM could be opened)."""
    return replace(undelivered(reply, reply.attachments, why), attachments=())
