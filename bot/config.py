"""Typed settings: one frozen dataclass per section of the configuration.

`bot.config_loading` reads them from a TOML file, the environment and built-in defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.errors import ConfigError
from bot.retention_settings import RetentionSettings
from bot.small_numbers import SmallNumbers

DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///allybot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
PLATFORMS = ("slack", "teams", "console")
CHANNEL_PURPOSES = ("members", "allies", "announcements")

# The environment names each ecosystem already uses, mapped to the key they override.
ENVIRONMENT_OVERRIDES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "slack.bot_token",
    "SLACK_SIGNING_SECRET": "slack.signing_secret",
    "SLACK_APP_TOKEN": "slack.app_token",
    "SLACK_API_URL": "slack.api_url",
    "MicrosoftAppId": "teams.app_id",
    "MicrosoftAppPassword": "teams.app_password",
    "MicrosoftAppTenantId": "teams.tenant_id",
    "MicrosoftAppType": "teams.app_type",
    "DATABASE_URL": "database.url",
    "ALLYBOT_LOG_PSEUDONYM_KEY": "privacy.log_pseudonym_key",
}
# A shorter key would make pseudonyms in logs guessable by trying keys.
MIN_PSEUDONYM_KEY_CHARS = 32


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str = DEFAULT_DATABASE_URL
    # Where the URL came from, for messages about it: the key and the file, or the variable.
    url_key: str = "database.url"
    # SQLite only: how long a writer waits its turn for the file's one write lock.
    busy_timeout_seconds: float = 30.0

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class ServerSettings:
    host: str = "0.0.0.0"
    port: int = 3000
    shutdown_timeout_seconds: float = 20.0
    # The address people reach `allybot serve` at (behind its proxy), ending in `/`; links the
    # bot hands out (a network's calendar feed) start with it. Empty: no such links.
    public_url: str = ""


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    # Posts that fell due while the bot was down are sent if less late than this.
    grace_hours: float = 6.0
    # Scheduled posts per second across all channels (each channel: one a second).
    posts_per_second: float = 20.0
    # A claimed batch is another replica's to take over this long after its last renewal.
    lease_seconds: float = 60.0
    batch_size: int = 20
    dispatch_every_seconds: float = 10.0
    plan_every_minutes: float = 15.0


@dataclass(frozen=True, slots=True)
class SessionSettings:
    # Access needs people give when registering are deleted this many days after the session.
    access_needs_kept_days: int = 7


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    mode: str = "http"
    api_url: str = DEFAULT_SLACK_API_URL
    # The workspace's own address (`https://acme.slack.com/`; GovSlack:
    # `https://acme.slack-gov.com/`), for channel links; empty: slack.com's redirect,
    # which only commercial Slack serves.
    workspace_url: str = ""
    # Whether a scheduled post taken over after a crash is first looked for in its
    # channel's history (which needs channels:history and groups:history); off, it is sent
    # again, and may show twice.
    history_lookup: bool = True

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token)


@dataclass(frozen=True, slots=True)
class TeamsSettings:
    enabled: bool = False
    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    app_type: str = "MultiTenant"
    allow_unauthenticated: bool = False

    @property
    def serve(self) -> bool:
        return self.enabled or bool(self.app_id)


@dataclass(frozen=True, slots=True)
class NetworkChannels:
    """Channel references of one network on one platform (ids, never names)."""

    members: str = ""
    allies: str = ""
    announcements: str = ""


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    slug: str
    name: str
    description: str = ""
    meets: str = ""
    contact: str = ""
    leads: tuple[str, ...] = ()
    channels: Mapping[str, NetworkChannels] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    # Empty: a random key is made once and kept in the database (bot/pseudonyms.py).
    log_pseudonym_key: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    source: str = "built-in defaults"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    log_level: str = "INFO"
    # None means: the demo content in `allybot chat`, none in `allybot serve`.
    demo_content: bool | None = None
    admins: tuple[str, ...] = ()
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    teams: TeamsSettings = field(default_factory=TeamsSettings)
    sessions: SessionSettings = field(default_factory=SessionSettings)
    networks: tuple[NetworkSettings, ...] = ()
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    small_numbers: SmallNumbers = field(default_factory=SmallNumbers)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    warnings: tuple[str, ...] = ()

    def public_link(self, path: str) -> str:
        """The address people reach `path` of `allybot serve` at, from `[server] public_url`."""
        if not self.server.public_url:
            raise ConfigError(
                "server.public_url",
                self.source,
                "is not set: links to `allybot serve` (calendar feeds) need the address people "
                'reach it at, like public_url = "https://allybot.example.org/"',
            )
        return self.server.public_url + path.lstrip("/")

    def served_platforms(self) -> list[str]:
        served = []
        if self.slack.enabled:
            served.append("slack")
        if self.teams.serve:
            served.append("teams")
        return served

    def check_platforms(self) -> None:
        """Refuse a platform set-up that would run insecurely or not at all."""
        if self.slack.enabled:
            if self.slack.mode == "http" and not self.slack.signing_secret:
                raise ConfigError(
                    "slack.signing_secret",
                    self.source,
                    "is empty: Slack HTTP mode needs it to verify requests "
                    '(set SLACK_SIGNING_SECRET, or use slack.mode = "socket" with an app token)',
                )
            if self.slack.mode == "socket" and not self.slack.app_token:
                raise ConfigError(
                    "slack.app_token",
                    self.source,
                    "is empty: Socket Mode needs an app-level token (set SLACK_APP_TOKEN)",
                )
        if self.teams.serve and not self.teams.app_id and not self.teams.allow_unauthenticated:
            raise ConfigError(
                "teams.app_id",
                self.source,
                "is empty: without MicrosoftAppId anyone could post to /api/messages; set it, "
                "or set [teams] allow_unauthenticated = true for local development only",
            )
