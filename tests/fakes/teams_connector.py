"""A local fake of the Bot Framework connector (the `serviceUrl` side of Teams), and
activities shaped like the Teams traffic that would make the bot call it.

Runs on 127.0.0.1 on a free port and records every activity the bot sends or edits,
with its JSON body. Failures can be scripted: a 429 with Retry-After, a 403 "bot not in
conversation roster", a 412 or a 502, for the next N calls. Like Teams, it refuses with
404 an edit of an activity it never sent or that someone deleted (`delete`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes import teams_files
from tests.fakes.teams_files import (
    FILE_CONSENT,
    FILE_INFO,
    FakeUploadUrl,
    Upload,
    attachments_of,
)


@dataclass(slots=True)
class Recorded:
    method: str
    path: str
    conversation_id: str
    body: dict[str, Any]
    status: int
    size: int
    # The activity this call made (a POST) or edited (a PUT); empty when it was refused.
    activity_id: str = ""

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return None

    @property
    def shown_text(self) -> str:
        """Everything a person would read in it: the text, or every TextBlock, RichTextBlock
        and fact."""
        card = self.card
        if card is None:
            return str(self.body.get("text") or "")
        parts: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "TextBlock":
                    parts.append(str(node.get("text", "")))
                if node.get("type") == "RichTextBlock":
                    parts.append("".join(str(run.get("text", "")) for run in node["inlines"]))
                if node.get("type") == "FactSet":
                    for fact in node.get("facts", []):
                        parts.append(f"{fact.get('title')}: {fact.get('value')}")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(card.get("body", []))
        return "\n".join(parts).replace("\\", "")


@dataclass(slots=True)
class Failure:
    status: int
    retry_after: str | None = None
    code: str = ""


@dataclass
class FakeConnector:
    calls: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Activities that exist, so an edit of anything else is refused as Teams would.
    _live: set[str] = field(default_factory=set)
    _runner: web.AppRunner | None = None
    port: int = 0
    # The OneDrive side of the file consent flow (tests/fakes/teams_files.py).
    onedrive: FakeUploadUrl = field(default_factory=FakeUploadUrl)
    # Teams refuses to open any new conversation (a person who has blocked the bot, say).
    refuse_new_chats: bool = False

    @property
    def uploads(self) -> list[Upload]:
        """Files PUT to upload URLs, in order."""
        return self.onedrive.uploads

    @property
    def upload_statuses(self) -> list[int]:
        return self.onedrive.upload_statuses

    def upload_url(self, name: str) -> str:
        return f"{self.url}upload/{name}"

    def consent_cards(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """The FileConsentCard attachments sent (each with its name and content)."""
        return attachments_of(self.sent(conversation_id), FILE_CONSENT)

    def file_info_cards(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        return attachments_of(self.sent(conversation_id), FILE_INFO)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def fail_next(
        self, status: int, *, times: int = 1, retry_after: str | None = None, code: str = ""
    ) -> None:
        self.failures.extend(Failure(status, retry_after, code) for _ in range(times))

    def sent(self, conversation_id: str | None = None) -> list[Recorded]:
        """New activities delivered (2xx), optionally to one conversation (or its threads)."""
        return self._delivered("POST", conversation_id)

    def edited(self, conversation_id: str | None = None) -> list[Recorded]:
        """Edits of existing activities that went through (2xx), like `sent`."""
        return self._delivered("PUT", conversation_id)

    def delete(self, activity_id: str) -> None:
        """Someone deleted the post in Teams: editing it now gets a 404."""
        self._live.discard(activity_id)

    def _delivered(self, method: str, conversation_id: str | None) -> list[Recorded]:
        delivered = [
            c
            for c in self.calls
            if c.method == method and c.status < 300 and "/activities" in c.path
        ]
        if conversation_id is None:
            return delivered
        return [
            c
            for c in delivered
            if c.conversation_id == conversation_id
            or c.conversation_id.startswith(conversation_id + ";")
        ]

    def created(self) -> list[Recorded]:
        return [c for c in self.calls if c.path == "/v3/conversations" and c.status < 300]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post(
            "/v3/conversations/{conversation}/activities/{reply_to}", self._activity
        )
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_put("/upload/{name}", self.onedrive.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _scripted(self, unless: Failure | None = None) -> web.Response | None:
        """The next scripted failure; else `unless`, what the request itself deserves."""
        failure = self.failures.pop(0) if self.failures else unless
        if failure is None:
            return None
        headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
        body = {
            "error": {
                "code": failure.code or f"Http{failure.status}",
                "message": "refused by the fake",
            }
        }
        return web.json_response(body, status=failure.status, headers=headers)

    async def _record(
        self,
        request: web.Request,
        conversation_id: str,
        *,
        status: int = 201,
        unless: Failure | None = None,
    ) -> tuple[dict, Recorded, web.Response | None]:
        raw = await request.read()
        body = await request.json() if raw else {}
        failure = self._scripted(unless)
        recorded = Recorded(
            method=request.method,
            path=request.path,
            conversation_id=conversation_id,
            body=body,
            status=failure.status if failure is not None else status,
            size=len(raw),
        )
        self.calls.append(recorded)
        return body, recorded, failure

    async def _activity(self, request: web.Request) -> web.Response:
        _, recorded, failure = await self._record(request, request.match_info["conversation"])
        if failure is not None:
            return failure
        recorded.activity_id = f"activity-{next(self._ids)}"
        self._live.add(recorded.activity_id)
        return web.json_response({"id": recorded.activity_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        activity_id = request.match_info["activity"]
        gone = None if activity_id in self._live else Failure(404, code="NotFound")
        _, recorded, failure = await self._record(
            request, request.match_info["conversation"], status=200, unless=gone
        )
        if failure is not None:
            return failure
        recorded.activity_id = activity_id
        return web.json_response({"id": activity_id}, status=200)

    async def _create(self, request: web.Request) -> web.Response:
        refused = Failure(403, code="ConversationBlockedByUser") if self.refuse_new_chats else None
        body, _, failure = await self._record(request, "", unless=refused)
        if failure is not None:
            return failure
        member = (body.get("members") or [{}])[0].get("id", "someone")
        return web.json_response(
            {"id": f"a:personal-{member}", "activityId": f"activity-{next(self._ids)}"},
            status=201,
        )


# -- activities shaped like Teams traffic ----------------------------------------------

BOT_ID = "28:allybot-app-id"
BOT_NAME = "allybot"
TENANT = "tenant-1"
CHANNEL = "19:general@thread.tacv2"
TEAM = "19:team@thread.tacv2"
GROUP_CHAT = "19:groupchat@thread.v2"

_ids = itertools.count(1)


def next_id() -> str:
    return f"act-{next(_ids)}"


def _base(
    kind: str,
    service_url: str,
    *,
    user: str,
    name: str,
    scope: str,
    conversation_id: str | None = None,
    activity_id: str | None = None,
) -> dict[str, Any]:
    if scope == "personal":
        conversation = {
            "id": conversation_id or f"a:personal-{user}",
            "conversationType": "personal",
        }
        channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    elif scope == "channel":
        conversation = {
            "id": conversation_id or f"{CHANNEL};messageid=1000",
            "conversationType": "channel",
            "isGroup": True,
        }
        channel_data = {
            "tenant": {"id": TENANT},
            "team": {"id": TEAM, "name": "Staff networks"},
            "channel": {"id": CHANNEL, "name": "General"},
        }
    else:
        conversation = {
            "id": conversation_id or GROUP_CHAT,
            "conversationType": "groupChat",
            "isGroup": True,
        }
        channel_data = {"tenant": {"id": TENANT}}
    conversation["tenantId"] = TENANT
    return {
        "type": kind,
        "id": activity_id or next_id(),
        "timestamp": "2026-11-21T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user, "name": name, "aadObjectId": f"aad-{user}"},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": conversation,
        "channelData": channel_data,
        "locale": "en-GB",
    }


def personal_message(
    service_url: str, text: str, *, user: str = "29:robin", name: str = "Robin", **extra: Any
) -> dict[str, Any]:
    activity = _base("message", service_url, user=user, name=name, scope="personal", **extra)
    activity["text"] = text
    activity["textFormat"] = "plain"
    return activity


def mention_message(
    service_url: str,
    text: str,
    *,
    user: str = "29:robin",
    name: str = "Robin",
    scope: str = "channel",
    **extra: Any,
) -> dict[str, Any]:
    """`@allybot <text>` in a channel (or group chat), with the mention entity Teams sends."""
    activity = _base("message", service_url, user=user, name=name, scope=scope, **extra)
    mention = f"<at>{BOT_NAME}</at>"
    activity["text"] = f"{mention} {text}"
    activity["textFormat"] = "plain"
    activity["entities"] = [
        {"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": mention},
        {"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web"},
    ]
    return activity


def submit(
    service_url: str, value: dict[str, Any], *, scope: str = "personal", user: str = "29:robin"
) -> dict[str, Any]:
    """An Action.Submit press: a message with `value` and no text."""
    activity = _base("message", service_url, user=user, name="Robin", scope=scope)
    activity["value"] = value
    return activity


def execute(
    service_url: str,
    data: dict[str, Any],
    *,
    verb: str = "command",
    scope: str = "personal",
    user: str = "29:robin",
) -> dict[str, Any]:
    """An Action.Execute press: an `adaptiveCard/action` invoke."""
    activity = _base("invoke", service_url, user=user, name="Robin", scope=scope)
    activity["name"] = "adaptiveCard/action"
    activity["value"] = {
        "action": {"type": "Action.Execute", "verb": verb, "data": data},
        "trigger": "manual",
    }
    return activity


def installation_update(
    service_url: str, action: str, *, scope: str = "personal", user: str = "29:robin"
) -> dict[str, Any]:
    activity = _base("installationUpdate", service_url, user=user, name="Robin", scope=scope)
    activity["action"] = action
    if scope == "channel":
        activity["conversation"]["id"] = CHANNEL
    return activity


def conversation_update(
    service_url: str,
    *,
    added: list[str] | None = None,
    removed: list[str] | None = None,
    scope: str = "channel",
    user: str = "29:robin",
) -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url, user=user, name="Robin", scope=scope)
    if scope == "channel":
        activity["conversation"]["id"] = CHANNEL
        activity["channelData"]["eventType"] = "teamMemberAdded" if added else "teamMemberRemoved"
    if added:
        activity["membersAdded"] = [{"id": member} for member in added]
    if removed:
        activity["membersRemoved"] = [{"id": member} for member in removed]
    return activity



def file_consent(
    service_url: str,
    card: dict[str, Any],
    *,
    action: str = "accept",
    upload_url: str = "",
    user: str = "29:robin",
) -> dict[str, Any]:
    """Someone pressed Allow (`accept`) or Decline on `card`, a FileConsentCard sent."""
    return teams_files.file_consent(
        _base, service_url, card, action=action, upload_url=upload_url, user=user
    )
