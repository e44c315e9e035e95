"""Connector clients reused across turns, one per (bot, service URL, audience).

botbuilder 4.17.1 builds, for every turn (an incoming activity, and again for every
proactive send), a new ConnectorClient with new credentials and a new TokenApiClient,
each with its own requests.Session. That costs most of a turn's CPU, opens a new TCP
(and TLS) connection to the connector for every reply instead of keeping one alive, and,
with a real MicrosoftAppId, a new MSAL application whose empty token cache asks Azure AD
for a token on every send. Here the clients are made once and kept: credentials refresh
their own token, and a requests.Session is safe to share between the executor threads
msrest sends from.

Both caches are bounded, so an unauthenticated development endpoint that is sent
made-up service URLs cannot grow them without end; an evicted client is only dropped
(a turn still using it finishes with it).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth.authentication_constants import AuthenticationConstants
from botframework.connector.skills import BotFrameworkClient

# Teams uses a handful of service URLs (one per region); the rest is headroom.
MAX_CLIENTS = 32

K = TypeVar("K")
V = TypeVar("V")


class _Bounded(Generic[K, V]):
    """A small least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


class ReusingConnectorFactory(ConnectorFactory):
    """botbuilder's factory for one bot, keeping each client it makes."""

    def __init__(
        self, inner: ConnectorFactory, default_audience: str, size: int = MAX_CLIENTS
    ) -> None:
        self.inner = inner
        # A proactive turn asks with no audience, an incoming one with the default spelt
        # out: both get the same client.
        self.default_audience = default_audience
        self._clients: _Bounded[tuple[str, str], ConnectorClient] = _Bounded(size)

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        audience = audience or self.default_audience
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            client = self._clients.put(key, await self.inner.create(service_url, audience))
        return client


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """Whose clients these are: the bot's app id, as botbuilder's own factory takes it."""
    if claims_identity is None:
        return ""
    claims = claims_identity.claims or {}
    return str(
        claims.get(AuthenticationConstants.AUDIENCE_CLAIM)
        or claims.get(AuthenticationConstants.APP_ID_CLAIM)
        or ""
    )


class ReusingAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, with its connector and token clients made once per bot
    and service URL rather than once per turn. Everything else is the inner one's."""

    def __init__(self, inner: BotFrameworkAuthentication, size: int = MAX_CLIENTS) -> None:
        super().__init__()
        self.inner = inner
        self.size = size
        self._factories: _Bounded[str, ReusingConnectorFactory] = _Bounded(size)
        self._token_clients: _Bounded[str, UserTokenClient] = _Bounded(size)

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self.inner.authenticate_request(activity, auth_header)
        inner_factory = result.connector_factory
        if inner_factory is not None:
            result.connector_factory = self._factory(result.claims_identity, lambda: inner_factory)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._factory(
            claims_identity, lambda: self.inner.create_connector_factory(claims_identity)
        )

    def _factory(
        self, claims_identity: ClaimsIdentity, make: Callable[[], ConnectorFactory]
    ) -> ReusingConnectorFactory:
        key = _app_id(claims_identity)
        factory = self._factories.get(key)
        if factory is None:
            factory = self._factories.put(
                key,
                ReusingConnectorFactory(make(), self.inner.get_originating_audience(), self.size),
            )
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = _app_id(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            made: Awaitable[UserTokenClient] = self.inner.create_user_token_client(claims_identity)
            client = self._token_clients.put(key, await made)
        return client

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)
