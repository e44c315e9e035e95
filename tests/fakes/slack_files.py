"""The file-upload side of the fake Slack Web API: what `files_upload_v2` calls.

files.getUploadURLExternal hands out an upload URL on the fake server, the client POSTs the
bytes there, and files.completeUploadExternal shares the file into a channel. Each file
that went all the way through is recorded with its name, bytes and channel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(slots=True)
class UploadedFile:
    """A file whose bytes arrived at the upload URL and that files.completeUploadExternal
    shared into `channel`."""

    file_id: str
    name: str
    data: bytes
    channel: str
    title: str = ""


@dataclass
class FakeFileUploads:
    uploaded: list[UploadedFile] = field(default_factory=list)
    # Statuses the upload URL answers with next, like a failing files.slack.com.
    upload_statuses: list[int] = field(default_factory=list)
    # Ids files.getUploadURLExternal issued (with their names), and the bytes POSTed for them.
    _issued: dict[str, str] = field(default_factory=dict)
    _received: dict[str, bytes] = field(default_factory=dict)

    def issue(self, base_url: str, file_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """files.getUploadURLExternal."""
        self._issued[file_id] = str(body.get("filename"))
        return {"ok": True, "upload_url": f"{base_url}upload/{file_id}", "file_id": file_id}

    def receive(self, file_id: str, data: bytes) -> web.Response:
        """The POST to the upload URL."""
        if self.upload_statuses:
            return web.Response(status=self.upload_statuses.pop(0), text="refused")
        if file_id not in self._issued:
            return web.Response(status=404, text="unknown upload")
        self._received[file_id] = data
        return web.Response(text=f"OK - {len(data)}")

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """files.completeUploadExternal: only files whose bytes arrived can be shared."""
        files = json.loads(body.get("files") or "[]")
        channel = str(body.get("channel_id") or "")
        if any(item.get("id", "") not in self._received for item in files):
            return {"ok": False, "error": "file_not_found"}
        done = []
        for item in files:
            file_id, title = item["id"], item.get("title", "")
            name = self._issued.pop(file_id)
            self.uploaded.append(
                UploadedFile(file_id, name, self._received.pop(file_id), channel, title)
            )
            done.append({"id": file_id, "name": name, "title": title})
        return {"ok": True, "files": done}
