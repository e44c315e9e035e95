"""The Teams adapter: botbuilder's CloudAdapter behind `POST /api/messages`.

Authentication is on whenever MicrosoftAppId is set. The request is authenticated here,
before the turn runs, so that every failure of it (no token, a malformed one, a wrong
signature, another bot's audience) is a 401, and a request without a token is refused
before botbuilder would fetch any signing keys.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
import requests
from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot.app import Application
from bot.config import Settings
from bot.errors import ConfigError
from bot.logs import log_event
from bot.outbound import Messenger
from bot.platforms.teams.bot import INVOKE_BUDGET_SECONDS, AllyTeamsBot
from bot.platforms.teams.connectors import ReusingAuthentication
from bot.platforms.teams.messenger import TeamsMessenger
from bot.platforms.teams.publisher import TeamsPublisher
from bot.platforms.teams.references import ReferenceStore
from bot.platforms.teams.requests import PLATFORM, unusable
from bot.platforms.teams.retries import Pacer, RetryPolicy
from bot.platforms.teams.sender import TeamsSender
from bot.tasks import InFlight
from bot.web import Route

_log = logging.getLogger("allybot.teams")

MESSAGES_PATH = "/api/messages"


@dataclass(frozen=True, slots=True)
class BotFrameworkConfiguration:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TENANTID: str
    APP_TYPE: str


def build_authentication(settings: Settings) -> BotFrameworkAuthentication:
    teams = settings.teams
    configuration = BotFrameworkConfiguration(
        APP_ID=teams.app_id,
        APP_PASSWORD=teams.app_password,
        APP_TENANTID=teams.tenant_id,
        APP_TYPE=teams.app_type,
    )
    try:
        # Connector clients are kept per service URL: botbuilder makes new ones every turn.
        return ReusingAuthentication(ConfigurationBotFrameworkAuthentication(configuration))
    except Exception as error:  # noqa: BLE001 - botbuilder raises bare Exception for bad settings
        raise ConfigError("teams.app_type", settings.source, f"cannot be used: {error}") from None


class TeamsAdapter:
    name = PLATFORM

    def __init__(
        self,
        settings: Settings,
        application: Application,
        *,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        invoke_budget: float = INVOKE_BUDGET_SECONDS,
    ) -> None:
        # Refuses an empty MicrosoftAppId unless allow_unauthenticated is set.
        settings.check_platforms()
        self.settings = settings
        self.application = application
        self.authenticated = bool(settings.teams.app_id)
        self.authentication = build_authentication(settings)
        self.cloud = CloudAdapter(self.authentication)
        self.references = ReferenceStore(application.database, application.services.clock)
        self.sender = TeamsSender(
            self.cloud, settings.teams.app_id, self.references, pacer=pacer, retry=retry
        )
        self.sender.calls = application.services.metrics.calls(PLATFORM)
        self._messenger = TeamsMessenger(self.sender)
        self.tasks = InFlight(application.services.funnel)
        self.bot = AllyTeamsBot(
            application, self.sender, self.references, self.tasks, invoke_budget=invoke_budget
        )

    # -- the PlatformAdapter protocol ---------------------------------------------------

    def routes(self) -> list[Route]:
        return [Route("POST", MESSAGES_PATH, self.handle_http, PLATFORM)]

    def messenger(self) -> Messenger:
        return self._messenger

    def publisher(self) -> TeamsPublisher:
        """Scheduled posts (calendar, announcements, reminders) for the outbox dispatcher."""
        return TeamsPublisher(self.sender)

    async def start(self) -> None:
        if not self.authenticated:
            log_event(
                _log,
                logging.WARNING,
                "teams_unauthenticated",
                detail="MicrosoftAppId is empty: anyone can post to /api/messages (dev only)",
            )

    async def stop(self) -> None:
        await self.drain()

    async def drain(self) -> None:
        """Wait for work already answered to finish (for shutdown, and for tests)."""
        await self.tasks.drain()

    # -- HTTP ----------------------------------------------------------------------------

    async def handle_http(self, request: web.Request) -> web.Response:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.Response(status=415)
        try:
            body = await request.json()
            activity = Activity().deserialize(body)
        except ValueError:
            return web.Response(status=400)
        problem = unusable(activity)
        if problem:
            # A client's mistake, not ours: one line, no traceback, and nothing of the body.
            log_event(_log, logging.WARNING, "teams_bad_activity", reason=problem)
            return web.Response(status=400)
        auth_header = request.headers.get("Authorization", "")
        result = await self._authenticate(activity, auth_header)
        if result is None:
            return web.Response(status=401)
        invoke_response = await self.cloud.process_activity(result, activity, self.bot.on_turn)
        if invoke_response is not None:
            return web.json_response(
                serializer_helper(invoke_response.body), status=int(invoke_response.status)
            )
        return web.Response(status=201)

    async def _authenticate(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult | None:
        if self.authenticated and not auth_header.startswith("Bearer "):
            log_event(_log, logging.WARNING, "teams_unauthorised", reason="no_bearer_token")
            return None
        try:
            return await self.authentication.authenticate_request(activity, auth_header)
        except requests.RequestException as error:
            # The Bot Framework's signing keys could not be fetched: not the caller's fault,
            # and Teams retries a 503.
            log_event(
                _log, logging.ERROR, "teams_signing_keys_unavailable", error=type(error).__name__
            )
            raise web.HTTPServiceUnavailable() from None
        except (PermissionError, jwt.PyJWTError) as error:
            reason = type(error).__name__
        except Exception as error:  # noqa: BLE001 - botbuilder raises bare Exception for bad keys
            reason = type(error).__name__
        log_event(_log, logging.WARNING, "teams_unauthorised", reason=reason)
        return None
