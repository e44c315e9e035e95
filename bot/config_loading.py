"""Reading the configuration: a TOML file and the environment, into typed `Settings`.

Where the file comes from: `--config PATH`, else `ALLYBOT_CONFIG`, else `./config.toml`,
else nothing (built-in defaults). Secrets and the database URL may come from the
environment under the names each ecosystem uses; the environment wins over the file.

Every problem becomes one `ConfigError` naming the key, the file and what is expected.
Unknown keys are not errors (a newer config on an older bot still starts) but are
reported as warnings, because a typo in a key name otherwise fails silently.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import (
    CHANNEL_PURPOSES,
    DEFAULT_DATABASE_URL,
    DEFAULT_SLACK_API_URL,
    DEFAULT_TIMEZONE,
    ENVIRONMENT_OVERRIDES,
    MIN_PSEUDONYM_KEY_CHARS,
    PLATFORMS,
    DatabaseSettings,
    NetworkChannels,
    NetworkSettings,
    PrivacySettings,
    SchedulerSettings,
    ServerSettings,
    SessionSettings,
    Settings,
    SlackSettings,
    TeamsSettings,
)
from bot.errors import ConfigError
from bot.retention_settings import read_retention
from bot.small_numbers import SMALLEST_COUNT_SHOWN, SmallNumbers


def resolve_config_path(explicit: str | None, environ: Mapping[str, str]) -> Path | None:
    """Which file to read: `--config`, else ALLYBOT_CONFIG, else ./config.toml if it exists."""
    if explicit:
        return Path(explicit)
    from_env = environ.get("ALLYBOT_CONFIG")
    if from_env:
        return Path(from_env)
    default = Path("config.toml")
    return default if default.exists() else None


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read, merge and validate the configuration. Raises ConfigError on the first problem."""
    env = os.environ if environ is None else environ
    source = str(path) if path is not None else "built-in defaults"
    data: dict[str, Any] = {}
    if path is not None:
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError("--config", source, "names a file that does not exist") from None
        except IsADirectoryError:
            raise ConfigError("--config", source, "names a folder, not a TOML file") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError("(file)", source, f"is not valid TOML: {error}") from None
    for variable, dotted in ENVIRONMENT_OVERRIDES.items():
        value = env.get(variable)
        if value:
            section, key = dotted.split(".")
            data.setdefault(section, {})
            if not isinstance(data[section], dict):
                raise ConfigError(section, source, "must be a table, like [" + section + "]")
            data[section][key] = value
    settings = _SettingsReader(data, source).read()
    if env.get("DATABASE_URL"):
        settings = replace(settings, database=replace(settings.database, url_key="DATABASE_URL"))
    return settings


class _Table:
    """One TOML table being read: typed getters that name the dotted key on error."""

    def __init__(self, data: Mapping[str, Any], prefix: str, source: str) -> None:
        self._data = data
        self._prefix = prefix
        self._source = source
        self._seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def fail(self, name: str, expected: str) -> ConfigError:
        return ConfigError(self.key(name), self._source, expected)

    def _get(self, name: str) -> Any:
        self._seen.add(name)
        return self._data.get(name)

    def string(self, name: str, default: str = "") -> str:
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(name, f"must be a string, got {type(value).__name__}")
        return value.strip()

    def required_string(self, name: str) -> str:
        value = self.string(name)
        if not value:
            raise self.fail(name, "is missing: it is required here")
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise self.fail(name, f"must be one of {', '.join(choices)}, got {value!r}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {value!r}")
        return value

    def optional_boolean(self, name: str) -> bool | None:
        if self._data.get(name) is None:
            self._seen.add(name)
            return None
        return self.boolean(name, False)

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self._get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(name, f"must be between {low} and {high}, got {value}")
        return value

    def number(self, name: str, default: float, low: float, high: float) -> float:
        value = self._get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(name, f"must be between {low} and {high}, got {value}")
        return float(value)

    def strings(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(name, 'must be a list of strings, like ["slack:U0123"]')
        return tuple(item.strip() for item in value)

    def table(self, name: str) -> _Table:
        value = self._get(name)
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.fail(name, f"must be a table, like [{self.key(name)}]")
        return _Table(value, f"{self.key(name)}.", self._source)

    def tables(self, name: str) -> list[_Table]:
        value = self._get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(name, f"must be an array of tables, like [[{self.key(name)}]]")
        return [
            _Table(item, f"{self.key(name)}[{index}].", self._source)
            for index, item in enumerate(value)
        ]

    def names(self) -> list[str]:
        return list(self._data)

    def unknown_keys(self) -> list[str]:
        return [self.key(name) for name in self._data if name not in self._seen]


class _SettingsReader:
    def __init__(self, data: dict[str, Any], source: str) -> None:
        self._root = _Table(data, "", source)
        self._source = source
        self._tables: list[_Table] = [self._root]

    def _track(self, table: _Table) -> _Table:
        self._tables.append(table)
        return table

    def read(self) -> Settings:
        root = self._root
        timezone_name = root.string("timezone", DEFAULT_TIMEZONE)
        try:
            timezone = ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise root.fail(
                "timezone", f"must be an IANA zone such as Europe/London, got {timezone_name!r}"
            ) from None
        log_level = root.choice("log_level", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
        content = self._track(root.table("content"))
        scheduler = self._scheduler(self._track(root.table("scheduler")))
        # Two settings live under [privacy]: read the table once so neither calls the
        # other's keys unknown.
        privacy = self._track(root.table("privacy"))
        settings = Settings(
            source=self._source,
            timezone=timezone,
            log_level=log_level,
            demo_content=content.optional_boolean("demo"),
            admins=self._identities(root, "admins"),
            database=self._database(self._track(root.table("database"))),
            server=self._server(self._track(root.table("server"))),
            scheduler=scheduler,
            retention=read_retention(self._track(root.table("retention")), scheduler.grace_hours),
            slack=self._slack(self._track(root.table("slack"))),
            teams=self._teams(self._track(root.table("teams"))),
            sessions=self._sessions(self._track(root.table("sessions"))),
            networks=self._networks(root),
            small_numbers=self._small_numbers(privacy),
            privacy=self._privacy(privacy),
        )
        warnings = [
            f"{self._source}: unknown key `{key}` is ignored (check its spelling)"
            for table in self._tables
            for key in table.unknown_keys()
        ]
        return replace(settings, warnings=tuple(warnings))

    def _identities(self, table: _Table, name: str) -> tuple[str, ...]:
        identities = table.strings(name)
        for identity in identities:
            platform, _, user_id = identity.partition(":")
            if platform not in PLATFORMS or not user_id:
                raise table.fail(
                    name,
                    'must list people as platform:id, like "slack:U0123ABCD", '
                    f'"teams:29:1abc..." or "console:alex"; got {identity!r}',
                )
        return identities

    def _database(self, table: _Table) -> DatabaseSettings:
        url = table.string("url", DEFAULT_DATABASE_URL)
        return DatabaseSettings(
            url=normalise_database_url(url, table),
            busy_timeout_seconds=table.number("busy_timeout_seconds", 30.0, 0.0, 600.0),
        )

    def _server(self, table: _Table) -> ServerSettings:
        public_url = table.string("public_url")
        if public_url and not public_url.startswith(("http://", "https://")):
            raise table.fail(
                "public_url",
                f"must be an http(s) URL, like https://allybot.example.org/, got {public_url!r}",
            )
        if public_url and not public_url.endswith("/"):
            public_url += "/"
        return ServerSettings(
            host=table.string("host", "0.0.0.0"),
            port=table.integer("port", 3000, 0, 65535),
            shutdown_timeout_seconds=table.number("shutdown_timeout_seconds", 20.0, 0, 600),
            public_url=public_url,
        )

    def _scheduler(self, table: _Table) -> SchedulerSettings:
        return SchedulerSettings(
            grace_hours=table.number("grace_hours", 6.0, 0.0, 24.0 * 14),
            posts_per_second=table.number("posts_per_second", 20.0, 0.1, 1000.0),
            lease_seconds=table.number("lease_seconds", 60.0, 1.0, 3600.0),
            batch_size=table.integer("batch_size", 20, 1, 500),
            dispatch_every_seconds=table.number("dispatch_every_seconds", 10.0, 0.1, 3600.0),
            plan_every_minutes=table.number("plan_every_minutes", 15.0, 0.05, 24.0 * 60),
        )

    def _slack(self, table: _Table) -> SlackSettings:
        api_url = table.string("api_url", DEFAULT_SLACK_API_URL)
        if not api_url.startswith(("http://", "https://")):
            raise table.fail("api_url", f"must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            # slack-sdk joins method names onto the base URL: without the slash the
            # last path segment would be replaced.
            api_url += "/"
        workspace_url = table.string("workspace_url")
        if workspace_url and not workspace_url.startswith(("http://", "https://")):
            raise table.fail("workspace_url", f"must be an http(s) URL, got {workspace_url!r}")
        if workspace_url and not workspace_url.endswith("/"):
            workspace_url += "/"
        return SlackSettings(
            bot_token=table.string("bot_token"),
            signing_secret=table.string("signing_secret"),
            app_token=table.string("app_token"),
            mode=table.choice("mode", "http", ("http", "socket")),
            api_url=api_url,
            workspace_url=workspace_url,
            history_lookup=table.boolean("history_lookup", True),
        )

    def _sessions(self, table: _Table) -> SessionSettings:
        return SessionSettings(
            access_needs_kept_days=table.integer("access_needs_kept_days", 7, 0, 365),
        )

    def _small_numbers(self, table: _Table) -> SmallNumbers:
        return SmallNumbers(table.integer("smallest_count_shown", *SMALLEST_COUNT_SHOWN))

    def _privacy(self, table: _Table) -> PrivacySettings:
        key = table.string("log_pseudonym_key")
        if key and len(key) < MIN_PSEUDONYM_KEY_CHARS:
            raise table.fail(
                "log_pseudonym_key",
                f"must be at least {MIN_PSEUDONYM_KEY_CHARS} characters (make one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`), or unset",
            )
        return PrivacySettings(log_pseudonym_key=key)

    def _teams(self, table: _Table) -> TeamsSettings:
        return TeamsSettings(
            enabled=table.boolean("enabled", False),
            app_id=table.string("app_id"),
            app_password=table.string("app_password"),
            tenant_id=table.string("tenant_id"),
            app_type=table.choice(
                "app_type", "MultiTenant", ("MultiTenant", "SingleTenant", "UserAssignedMSI")
            ),
            allow_unauthenticated=table.boolean("allow_unauthenticated", False),
        )

    def _networks(self, root: _Table) -> tuple[NetworkSettings, ...]:
        networks: list[NetworkSettings] = []
        seen: set[str] = set()
        for table in root.tables("networks"):
            self._track(table)
            slug = table.required_string("slug")
            if not slug.replace("-", "").isalnum() or slug != slug.lower():
                raise table.fail("slug", f"must be lower-case letters, digits and -, got {slug!r}")
            if slug in seen:
                raise table.fail("slug", f"must be unique; {slug!r} appears twice")
            seen.add(slug)
            channels_table = self._track(table.table("channels"))
            channels: dict[str, NetworkChannels] = {}
            for platform in channels_table.names():
                if platform not in PLATFORMS:
                    continue  # reported as an unknown key
                per_platform = self._track(channels_table.table(platform))
                channels[platform] = NetworkChannels(
                    **{purpose: per_platform.string(purpose) for purpose in CHANNEL_PURPOSES}
                )
            networks.append(
                NetworkSettings(
                    slug=slug,
                    name=table.required_string("name"),
                    description=table.string("description"),
                    meets=table.string("meets"),
                    contact=table.string("contact"),
                    leads=self._identities(table, "leads"),
                    channels=channels,
                )
            )
        return tuple(networks)


def normalise_database_url(url: str, table: _Table | None = None) -> str:
    """Accept the URLs people copy from elsewhere and pick the async driver for them."""
    for plain, with_driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return with_driver + url[len(plain) :]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite:///")):
        return url
    expected = (
        "must start with sqlite:/// (a file) or postgresql:// (a server), "
        f"got {url.split(':', 1)[0]!r}"
    )
    if table is None:
        raise ConfigError("database.url", "DATABASE_URL", expected)
    raise table.fail("url", expected)
