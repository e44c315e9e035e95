"""The file consent side of the fake Teams: OneDrive's upload URL, the cards the bot sends,
and the `fileConsent/invoke` Teams sends when someone presses Allow or Decline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


@dataclass(slots=True)
class Upload:
    """Bytes PUT to an upload URL, as OneDrive's upload session takes them."""

    name: str
    data: bytes
    content_range: str
    status: int


@dataclass
class FakeUploadUrl:
    """Upload sessions like OneDrive's: a PUT of the whole file with its byte range."""

    uploads: list[Upload] = field(default_factory=list)
    # Statuses the upload URL answers with next, like a failing OneDrive.
    upload_statuses: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        data = await request.read()
        content_range = request.headers.get("Content-Range", "")
        status = self.upload_statuses.pop(0) if self.upload_statuses else 201
        expected = f"bytes 0-{len(data) - 1}/{len(data)}"
        if content_range != expected or request.headers.get("Content-Length") != str(len(data)):
            # OneDrive refuses a range that does not describe the bytes sent.
            status = 416
        self.uploads.append(Upload(request.match_info["name"], data, content_range, status))
        if status >= 300:
            return web.json_response({"error": {"code": "refused"}}, status=status)
        return web.json_response({"id": "onedrive-item-1", "size": len(data)}, status=status)


def attachments_of(calls: Sequence[Any], content_type: str) -> list[dict[str, Any]]:
    """The attachments of one content type in the activities sent (the connector's records)."""
    return [
        attachment
        for call in calls
        for attachment in call.body.get("attachments") or []
        if attachment.get("contentType") == content_type
    ]


def file_consent(
    base: Callable[..., dict[str, Any]],
    service_url: str,
    card: dict[str, Any],
    *,
    action: str,
    upload_url: str,
    user: str,
) -> dict[str, Any]:
    """The `fileConsent/invoke` for `card` (a FileConsentCard attachment the bot sent), with
    the upload session on Allow. `base` builds the activity around it."""
    activity = base("invoke", service_url, user=user, name="Robin", scope="personal")
    content = card["content"]
    context = content["acceptContext" if action == "accept" else "declineContext"]
    activity["name"] = "fileConsent/invoke"
    activity["value"] = {"type": "fileUpload", "action": action, "context": context}
    if action == "accept":
        activity["value"]["uploadInfo"] = {
            "contentUrl": f"https://contoso-my.sharepoint.example/personal/{card['name']}",
            "fileType": card["name"].rpartition(".")[2],
            "name": card["name"],
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "uploadUrl": upload_url,
        }
    return activity
