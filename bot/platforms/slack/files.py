"""A reply's files, uploaded into the person's direct message with the bot.

Files are only ever uploaded into that DM (never a shared channel, whatever the reply's
visibility): they hold someone's registrations, data or a network's member list. Uploads
use `files_upload_v2` (files.getUploadURLExternal, the upload itself, then
files.completeUploadExternal), which needs the `files:write` scope. If Slack refuses, the
reply says truthfully which files did not arrive (`bot.attachments.undelivered`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.attachments import undelivered
from bot.logs import log_event
from bot.messages import Attachment, Reply

_log = logging.getLogger("allybot.slack")

# What a person is told when an upload fails, by Slack's error code.
_WHY: dict[str, str] = {
    "missing_scope": "the Slack app may not upload files yet (an admin needs to reinstall it)",
    "not_allowed_token_type": "the Slack app may not upload files",
    "file_uploads_disabled": "file uploads are turned off in this Slack workspace",
    "file_uploads_except_images_disabled": "this Slack workspace only allows images",
}
_GENERIC_WHY = "Slack refused the upload"


async def upload_files(client: AsyncWebClient, channel: str, reply: Reply) -> Reply:
    """Upload every file of `reply` into `channel` (the person's DM); returns the reply to
    post, without the files, and saying so if any did not arrive."""
    missing: list[Attachment] = []
    why = _GENERIC_WHY
    for attachment in reply.attachments:
        try:
            await client.files_upload_v2(
                channel=channel,
                filename=attachment.filename,
                title=attachment.filename,
                content=attachment.data,
            )
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            log_event(_log, logging.WARNING, "slack_upload_refused", error=code)
            missing.append(attachment)
            why = _WHY.get(code, _GENERIC_WHY)
        except (SlackRequestError, aiohttp.ClientError, TimeoutError) as error:
            # SlackRequestError: the upload URL answered other than 200.
            log_event(_log, logging.WARNING, "slack_upload_failed", error=type(error).__name__)
            missing.append(attachment)
        else:
            log_event(_log, logging.INFO, "slack_uploaded", size=len(attachment.data))
    return replace(undelivered(reply, missing, why), attachments=())
