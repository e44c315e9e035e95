"""A local fake of the Slack Web API (and of response_url webhooks) for tests.

It listens on 127.0.0.1 on a free port, records every call with its parsed body, and
can be told to answer a method with an error, a 429 with Retry-After, or a 500. The
messages it accepted are served back by `conversations.history`
(`tests/fakes/slack_history.py`). Also here: signing a
request body exactly as Slack does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

from tests.fakes.slack_files import FakeFileUploads, UploadedFile
from tests.fakes.slack_history import BOT_ID, ChannelHistory

BOT_USER_ID = "UBOT0001"


@dataclass(slots=True)
class Call:
    method: str
    body: dict[str, Any]
    # When it arrived (time.monotonic), to see pacing and pauses.
    at: float = field(default_factory=time.monotonic)
    # The HTTP status it was answered with.
    status: int = 200
    # The bearer token the call came with: tells apart processes sharing this fake.
    token: str = ""


# Called with each call Slack has accepted, before it answers (a test can kill the caller).
BeforeAnswer = Callable[[Call], Awaitable[None]]


@dataclass(slots=True)
class _Planned:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlackApi:
    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self.calls: list[Call] = []
        # What conversations.history serves; message timestamps are taken from `now`.
        self.history = ChannelHistory(now)
        self.before_answer: BeforeAnswer | None = None
        self._planned: dict[str, list[_Planned]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._sockets: list[web.WebSocketResponse] = []
        # channel id -> what conversations.info says about it; unknown ids are not found.
        self.channels: dict[str, dict[str, Any]] = {}
        # What files_upload_v2 calls (tests/fakes/slack_files.py).
        self.files = FakeFileUploads()
        # user id -> what users.info says about them; unknown ids are not found.
        self.users: dict[str, dict[str, Any]] = {}

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        # slack-sdk sends some read methods (conversations.info) as GET with a query string.
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.close_sockets()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- telling it how to answer -------------------------------------------------------

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer `method` with ok=false and `error`, `times` times."""
        self._plan(method, times, _Planned(200, {"ok": False, "error": error}))

    def channel(self, channel_id: str, *, is_private: bool, name: str = "network") -> None:
        """Make `channel_id` a channel that `conversations.info` describes."""
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_private": is_private,
        }

    def user(self, user_id: str, display_name: str = "", real_name: str = "") -> None:
        """Make `user_id` someone `users.info` describes (Slack's display name may be empty)."""
        self.users[user_id] = {
            "id": user_id,
            "name": user_id.lower(),  # the legacy handle, never shown
            "real_name": real_name,
            "profile": {"display_name": display_name, "real_name": real_name},
        }

    def rate_limit(self, method: str, retry_after: int = 0, times: int = 1) -> None:
        self._plan(
            method,
            times,
            _Planned(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}),
        )

    def server_error(self, method: str, times: int = 1) -> None:
        self._plan(method, times, _Planned(500, {"ok": False, "error": "internal_error"}))

    def _plan(self, method: str, times: int, planned: _Planned) -> None:
        self._planned.setdefault(method, []).extend([planned] * times)

    # -- reading what happened ----------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def everything_sent(self) -> str:
        """Every recorded body as one string, to search for text that must never appear."""
        return "\n".join(json.dumps(call.body, ensure_ascii=False) for call in self.calls)

    async def wait_for(
        self, condition: Callable[[FakeSlackApi], bool], within: float = 5.0
    ) -> None:
        """Wait (bounded) until `condition` holds for the recorded calls."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: condition(self)), within)

    async def wait_for_calls(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        await self.wait_for(lambda api: len(api.of(method)) >= count, within)
        return self.of(method)

    # -- the server ---------------------------------------------------------------------

    async def _record(self, method: str, body: dict[str, Any], token: str = "") -> Call:
        call = Call(method, body, token=token)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return call

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await _parsed(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        call = await self._record(method, body, token or str(body.get("token", "")))
        planned = self._planned.get(method)
        if planned:
            answer = planned.pop(0)
            self.calls[-1].status = answer.status
            return web.json_response(answer.payload, status=answer.status, headers=answer.headers)
        success = self._success(method, body)
        if self.before_answer is not None:
            await self.before_answer(call)
        return web.json_response(success)

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal handed out (files.slack.com/upload/v1)."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        await self._record("upload", {"file_id": file_id, "size": len(data)})
        return self.files.receive(file_id, data)

    @property
    def uploaded(self) -> list[UploadedFile]:
        """Every file that went all the way through files_upload_v2, in order."""
        return self.files.uploaded

    @property
    def upload_statuses(self) -> list[int]:
        return self.files.upload_statuses

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await _parsed(request)
        body["_url"] = request.match_info["name"]
        await self._record("response_url", body)
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: every message the app sends back (acknowledgements) is recorded."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self._record("socket_ack", json.loads(message.data))
        return socket

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Deliver a Socket Mode envelope to the connected app."""
        await self.wait_for(lambda api: bool(api._sockets))
        await self._sockets[-1].send_json(envelope)

    async def close_sockets(self) -> None:
        for socket in self._sockets:
            await socket.close()

    def _success(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        ts = self.history.next_ts()
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": "T0001",
                "user": "allybot",
                "url": "https://example.slack.com/",
            }
        if method == "conversations.info":
            found = self.channels.get(str(body.get("channel", "")))
            if found is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": found}
        if method == "users.info":
            user = self.users.get(str(body.get("user", "")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": user}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "X"))}}
        if method in ("chat.postMessage",):
            self.history.keep(body, ts, BOT_USER_ID)
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "conversations.history":
            return self.history.page(body, known=str(body.get("channel", "")) in self.channels)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "files.getUploadURLExternal":
            file_id = "F" + ts.replace(".", "")
            return self.files.issue(self.api_url.removesuffix("api/"), file_id, body)
        if method == "files.completeUploadExternal":
            return self.files.complete(body)
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        if method in ("views.publish", "views.open"):
            return {"ok": True, "view": {"id": "V" + ts}}
        return {"ok": True}


async def _parsed(request: web.Request) -> dict[str, Any]:
    raw = await request.text()
    body: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json" and raw:
        body.update(json.loads(raw))
    elif raw:
        body.update(dict(parse_qsl(raw, keep_blank_values=True)))
    for key in ("blocks", "view", "metadata"):
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


def signed_headers(
    secret: str, body: str, timestamp: int | None = None, content_type: str = ""
) -> dict[str, str]:
    """Headers Slack sends: `v0=` HMAC-SHA256 of `v0:timestamp:body` with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


SIGNING_SECRET = "test-signing-secret"


class SlackHarness:
    """The real adapter (real AsyncApp, real AsyncWebClient) served over HTTP, talking
    to the fake Web API; helpers post signed requests the way Slack does."""

    def __init__(self, api: FakeSlackApi, adapter: Any, events_url: str) -> None:
        self.api = api
        self.adapter = adapter
        self.events_url = events_url
        self._session = aiohttp.ClientSession()
        self._trigger = 0

    async def close(self) -> None:
        await self._session.close()

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        retry_num: int | None = None,
        timestamp: int | None = None,
        sign_with: str = SIGNING_SECRET,
        signed_body: str | None = None,
        unsigned: bool = False,
    ) -> tuple[int, str, float]:
        """POST to /slack/events; returns the status, the body and the seconds it took."""
        headers = {"Content-Type": content_type}
        if not unsigned:
            headers.update(signed_headers(sign_with, signed_body or body, timestamp))
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        started = time.perf_counter()
        async with self._session.post(self.events_url, data=body.encode(), headers=headers) as r:
            text = await r.text()
            return r.status, text, time.perf_counter() - started

    def command_body(
        self,
        text: str,
        *,
        user: str = "U100",
        user_name: str = "robin",
        channel: str = "C200",
        response_url: str = "",
    ) -> str:
        self._trigger += 1
        return urlencode(
            {
                "token": "legacy",
                "team_id": "T0001",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "general",
                "user_id": user,
                "user_name": user_name,
                "command": "/ally",
                "text": text,
                "response_url": response_url or self.api.response_url(f"cmd{self._trigger}"),
                "trigger_id": f"trigger.{self._trigger}",
                "api_app_id": "A0001",
            }
        )

    async def command(self, text: str, **kwargs: Any) -> tuple[int, str, float]:
        body = self.command_body(text, **kwargs)
        return await self.post(body, "application/x-www-form-urlencoded")

    def event_body(self, event: dict[str, Any], event_id: str) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": "T0001",
                "api_app_id": "A0001",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"team_id": "T0001", "user_id": BOT_USER_ID, "is_bot": True}],
                "event": event,
            }
        )

    async def event(
        self, event: dict[str, Any], event_id: str, retry_num: int | None = None
    ) -> tuple[int, str, float]:
        return await self.post(
            self.event_body(event, event_id), "application/json", retry_num=retry_num
        )

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str, float]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")


@contextlib.asynccontextmanager
async def slack_harness(application: Any, **adapter_options: Any) -> AsyncIterator[SlackHarness]:
    """Start the fake API, the adapter and a web server on free ports; stop them after."""
    from bot.config import SlackSettings
    from bot.platforms.slack.app import SlackAdapter
    from bot.platforms.slack.sender import Pacer
    from bot.web import WebServer, build_web_app

    api = FakeSlackApi()
    await api.start()
    settings = replace(
        application.settings,
        slack=SlackSettings(
            bot_token="xoxb-test", signing_secret=SIGNING_SECRET, api_url=api.api_url
        ),
    )
    adapter_options.setdefault("pacer", Pacer(interval=0.0))
    adapter_options.setdefault("home_refresh_delay", 0.0)
    adapter = SlackAdapter(settings, application, **adapter_options)
    routes = adapter.routes()
    web_app = build_web_app(application.database, routes, application.services.metrics)
    server = WebServer(web_app, shutdown_timeout=1)
    port = await server.start("127.0.0.1", 0)
    await adapter.start()
    harness = SlackHarness(api, adapter, f"http://127.0.0.1:{port}/slack/events")
    try:
        yield harness
    finally:
        await adapter.drain()
        await harness.close()
        await server.stop()
        await adapter.stop()
        await api.stop()
