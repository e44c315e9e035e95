"""A reply's files in Teams, through the file consent flow of a personal chat.

A bot cannot attach a file to a message in Teams. It sends a FileConsentCard naming the
file and its size; when the person accepts, Teams invokes the bot (`fileConsent/invoke`)
with an upload URL in their OneDrive, the bot PUTs the bytes there and then sends a
FileInfoCard that opens the file. The consent only works in a personal chat, so files
only ever go there (never into a channel or group chat).

The card carries a short id, not the file: the bytes wait here, in memory, for an hour
(`KEEP_FOR`). That is one process's memory: with several replicas behind one address, an
accept that reaches another replica (or arrives after a restart) finds nothing, and the
person is asked to ask again (docs/teams.md).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.logs import log_event
from bot.messages import Attachment as File
from bot.platforms.teams.requests import PLATFORM
from bot.services import Services
from storage.repositories import UserRepository

_log = logging.getLogger("allybot.teams")

FILE_CONSENT_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.info"
FILE_CONSENT_INVOKE = "fileConsent/invoke"
# How long a file offered waits for the person to accept it.
KEEP_FOR = 3600.0
# Files waiting at once; the oldest go first beyond this, so memory stays bounded.
MAX_WAITING = 500
UPLOAD_TIMEOUT_SECONDS = 30.0

DECLINED = "No problem: I won't send {name}. Ask again whenever you'd like it."
EXPIRED = (
    "That file isn't waiting any more (I keep files for an hour, and only until I restart). "
    "Ask again and I'll offer it afresh."
)
UPLOAD_FAILED = (
    "I couldn't put {name} in your OneDrive just now. Please ask again in a few minutes."
)


@dataclass(slots=True)
class _Waiting:
    file: File
    person_id: str
    until: float


@dataclass(slots=True)
class PendingFiles:
    """Files offered and not yet accepted or declined, by the short id in their card."""

    monotonic: Callable[[], float] = time.monotonic
    keep_for: float = KEEP_FOR
    limit: int = MAX_WAITING
    _waiting: dict[str, _Waiting] = field(default_factory=dict)

    def add(self, person_id: str, file: File) -> str:
        now = self.monotonic()
        for key in [k for k, item in self._waiting.items() if item.until <= now]:
            del self._waiting[key]
        while len(self._waiting) >= self.limit:
            del self._waiting[next(iter(self._waiting))]
        file_id = secrets.token_urlsafe(9)
        self._waiting[file_id] = _Waiting(file, person_id, now + self.keep_for)
        return file_id

    def take(self, file_id: str, person_id: str) -> File | None:
        """The file, once, for the person it was offered to, if it has not expired."""
        waiting = self._waiting.get(file_id)
        if waiting is None or waiting.person_id != person_id:
            return None
        del self._waiting[file_id]
        return waiting.file if waiting.until > self.monotonic() else None

    def forget(self, person_id: str) -> int:
        """Drop every file waiting for the person (they asked to be forgotten); how many."""
        theirs = [key for key, item in self._waiting.items() if item.person_id == person_id]
        for key in theirs:
            del self._waiting[key]
        return len(theirs)

    def __len__(self) -> int:
        return len(self._waiting)


def consent_activity(file: File, file_id: str) -> Activity:
    """A FileConsentCard for one file; the consent context holds only its short id."""
    context = {"file": file_id}
    return Activity(
        type=ActivityTypes.message,
        attachments=[
            Attachment(
                content_type=FILE_CONSENT_CONTENT_TYPE,
                name=file.filename,
                content={
                    "description": f"{file.filename}, from allybot, for you only.",
                    "sizeInBytes": len(file.data),
                    "acceptContext": context,
                    "declineContext": context,
                },
            )
        ],
    )


def info_activity(upload_info: dict[str, Any]) -> Activity:
    """A FileInfoCard: the uploaded file, which opens from the chat."""
    return Activity(
        type=ActivityTypes.message,
        attachments=[
            Attachment(
                content_type=FILE_INFO_CONTENT_TYPE,
                content_url=upload_info.get("contentUrl"),
                name=upload_info.get("name"),
                content={
                    "uniqueId": upload_info.get("uniqueId"),
                    "fileType": upload_info.get("fileType"),
                },
            )
        ],
    )


async def put_file(url: str, data: bytes) -> int:
    """Upload the bytes to the OneDrive upload session Teams made, in one range."""
    if not data:
        raise ValueError("an empty file has no byte range to upload")
    headers = {
        "Content-Length": str(len(data)),
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}",
    }
    timeout = aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_SECONDS)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.put(url, data=data, headers=headers) as response,
    ):
        return response.status


def _ok() -> InvokeResponse:
    return InvokeResponse(status=200)


class FileConsents:
    """Answers `fileConsent/invoke`: uploads on accept, says so kindly on decline."""

    def __init__(self, pending: PendingFiles, services: Services) -> None:
        self.pending = pending
        self.services = services
        services.forget_watchers.append(self.forget)

    def forget(self, person_key: str) -> None:
        """`forget me` committed: the files offered to them go, so no card of theirs still
        delivers one."""
        platform, _, person_id = person_key.partition(":")
        if platform == PLATFORM:
            dropped = self.pending.forget(person_id)
            log_event(_log, logging.INFO, "teams_files_forgotten", files=dropped)

    async def _still_known(self, person_id: str) -> bool:
        # `forget me` handled by another replica never reached this one's memory: an
        # offer to someone the bot no longer holds is not kept.
        async with self.services.database.reading() as session:
            return await UserRepository(session).get_by_key(PLATFORM, person_id) is not None

    async def answer(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        context = value.get("context") if isinstance(value.get("context"), dict) else {}
        file_id = str((context or {}).get("file", ""))
        person_id = (activity.from_property.id if activity.from_property else "") or ""
        file = self.pending.take(file_id, person_id)
        if file is not None and not await self._still_known(person_id):
            file = None
        if file is None:
            await turn_context.send_activity(_plain(EXPIRED))
            return _ok()
        if value.get("action") != "accept":
            log_event(_log, logging.INFO, "teams_file_declined")
            await turn_context.send_activity(_plain(DECLINED.format(name=file.filename)))
            return _ok()
        info = value.get("uploadInfo") if isinstance(value.get("uploadInfo"), dict) else None
        url = str((info or {}).get("uploadUrl") or "")
        status = 0
        if url:
            try:
                status = await put_file(url, file.data)
            except (aiohttp.ClientError, TimeoutError) as error:
                log_event(_log, logging.WARNING, "teams_upload_failed", error=type(error).__name__)
        if info is None or status not in (200, 201):
            log_event(_log, logging.WARNING, "teams_upload_refused", status=status)
            await turn_context.send_activity(_plain(UPLOAD_FAILED.format(name=file.filename)))
            return _ok()
        log_event(_log, logging.INFO, "teams_file_uploaded", size=len(file.data))
        await turn_context.send_activity(info_activity(info))
        return _ok()


def _plain(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="plain")
