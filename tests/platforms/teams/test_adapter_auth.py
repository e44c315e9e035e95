"""Teams authentication: with MicrosoftAppId set, only requests signed by the Bot Framework
get in; without it, the bot refuses to start unless told this is local development."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from botframework.connector.auth import ChannelValidation
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.app import Application
from bot.cli import EXIT_CONFIG, main
from bot.config import Settings, TeamsSettings
from bot.errors import ConfigError
from bot.platforms.teams.adapter import TeamsAdapter
from bot.serve import BotServer, build_adapters
from bot.web import WebServer, build_web_app
from tests.fakes.teams_connector import personal_message

APP_ID = "00000000-0000-0000-0000-0000000000aa"
ISSUER = "https://api.botframework.com"
SERVICE_URL = "https://smba.example.invalid/emea/"


@dataclass
class SigningKeys:
    """Publishes Bot Framework-style OpenID metadata and signing keys on a local port.

    botbuilder fetches keys with blocking `requests`, so this serves from its own thread.
    """

    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key"
    hits: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/openid"

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=["msteams"])
        return {"keys": [jwk]}

    def token(self, *, key: rsa.RSAPrivateKey | None = None, audience: str = APP_ID) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "serviceurl": SERVICE_URL,
            "nbf": now - 60,
            "exp": now + 3600,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture
def signing_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[SigningKeys]:
    keys = SigningKeys()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            keys.hits.append(self.path)
            if self.path == "/openid":
                body = {"jwks_uri": f"http://127.0.0.1:{keys.port}/keys"}
            else:
                body = keys.jwks()
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    keys.port = server.server_address[1]
    # The one thing pointed elsewhere: where botbuilder's public-cloud validation looks for
    # the Bot Framework's signing keys. Everything else is the production code path.
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", keys.metadata_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield keys
    server.shutdown()
    server.server_close()


@dataclass
class Served:
    url: str
    session: aiohttp.ClientSession

    async def post(self, activity: dict[str, Any], authorization: str | None = None) -> int:
        headers = {"Authorization": authorization} if authorization is not None else {}
        async with self.session.post(self.url, json=activity, headers=headers) as response:
            return response.status


@pytest.fixture
async def served(app: Application, signing_keys: SigningKeys) -> AsyncIterator[Served]:
    settings = replace(
        Settings(),
        teams=TeamsSettings(app_id=APP_ID, app_password="not-a-real-secret"),
    )
    adapter = TeamsAdapter(settings, app)
    server = WebServer(build_web_app(app.database, adapter.routes()))
    port = await server.start("127.0.0.1", 0)
    async with aiohttp.ClientSession() as session:
        yield Served(f"http://127.0.0.1:{port}/api/messages", session)
    await adapter.stop()
    await server.stop()


def typing_activity() -> dict[str, Any]:
    # Typing needs no answer, so an accepted request makes no call out to Teams.
    activity = personal_message(SERVICE_URL, "")
    activity["type"] = "typing"
    return activity


async def test_an_unsigned_request_is_refused_before_any_key_is_fetched(
    served: Served, signing_keys: SigningKeys
) -> None:
    assert await served.post(personal_message(SERVICE_URL, "help")) == 401
    assert await served.post(personal_message(SERVICE_URL, "help"), "Basic abc") == 401
    assert signing_keys.hits == []


async def test_a_malformed_token_is_refused(served: Served) -> None:
    assert await served.post(personal_message(SERVICE_URL, "help"), "Bearer not.a.jwt") == 401


async def test_a_token_signed_with_another_key_is_refused(
    served: Served, signing_keys: SigningKeys
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = signing_keys.token(key=stranger)
    assert await served.post(typing_activity(), f"Bearer {token}") == 401
    assert "/keys" in signing_keys.hits  # refused on the signature, after checking the keys


async def test_a_token_for_another_bot_is_refused(
    served: Served, signing_keys: SigningKeys
) -> None:
    token = signing_keys.token(audience="someone-elses-bot")
    assert await served.post(typing_activity(), f"Bearer {token}") == 401


async def test_a_properly_signed_request_is_accepted(
    served: Served, signing_keys: SigningKeys
) -> None:
    assert await served.post(typing_activity(), f"Bearer {signing_keys.token()}") == 201


async def test_without_an_app_id_the_adapter_refuses_to_start(app: Application) -> None:
    settings = replace(Settings(), teams=TeamsSettings(enabled=True))
    with pytest.raises(ConfigError) as refused:
        TeamsAdapter(settings, app)
    assert "allow_unauthenticated" in str(refused.value)


async def test_unauthenticated_development_mode_warns_at_start(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    settings = replace(Settings(), teams=TeamsSettings(enabled=True, allow_unauthenticated=True))
    adapter = TeamsAdapter(settings, app)
    with caplog.at_level(logging.WARNING, logger="allybot.teams"):
        await adapter.start()
    assert [r.getMessage() for r in caplog.records] == ["teams_unauthenticated"]


def test_allybot_serve_refuses_teams_without_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.toml"
    config.write_text("[teams]\nenabled = true\n")
    assert main(["serve", "--config", str(config)]) == EXIT_CONFIG
    assert "allow_unauthenticated" in capsys.readouterr().err


async def test_when_the_signing_keys_cannot_be_fetched_the_answer_is_503(
    served: Served, signing_keys: SigningKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens here now
    monkeypatch.setattr(
        ChannelValidation, "open_id_metadata_endpoint", f"http://127.0.0.1:{port}/openid"
    )
    assert await served.post(typing_activity(), f"Bearer {signing_keys.token()}") == 503


async def test_allybot_serve_wiring_serves_teams_on_api_messages(
    app: Application, signing_keys: SigningKeys
) -> None:
    settings = replace(
        Settings(), teams=TeamsSettings(app_id=APP_ID, app_password="not-a-real-secret")
    )
    server = BotServer(app, build_adapters(settings, app))
    port = await server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            served = Served(f"http://127.0.0.1:{port}/api/messages", session)
            assert await served.post(typing_activity()) == 401
            assert await served.post(typing_activity(), f"Bearer {signing_keys.token()}") == 201
    finally:
        await server.web.stop()
        for adapter in server.adapters:
            await adapter.stop()
