"""Configuration: where it comes from, what overrides what, and how problems are reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config_loading import load_settings, resolve_config_path
from bot.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file_use_london_time_and_embedded_sqlite() -> None:
    settings = load_settings(None, environ={})
    assert settings.timezone.key == "Europe/London"
    assert settings.database.url == "sqlite+aiosqlite:///allybot.db"
    assert settings.served_platforms() == []
    assert settings.warnings == ()


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path / "nope.toml", environ={})
    assert "nope.toml" in str(raised.value)
    assert "does not exist" in str(raised.value)


def test_bad_toml_is_one_clear_line_with_the_position(tmp_path: Path) -> None:
    path = write(tmp_path, 'timezone = "Europe/London\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path, environ={})
    message = str(raised.value)
    assert str(path) in message and "not valid TOML" in message and "line 1" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('[server]\nport = "eighty"\n', "server.port", "whole number"),
        ("[server]\nport = 70000\n", "server.port", "between 0 and 65535"),
        (
            '[teams]\nallow_unauthenticated = "yes"\n',
            "teams.allow_unauthenticated",
            "true or false",
        ),
        ('timezone = "Mars/Olympus"\n', "timezone", "IANA zone"),
        ('[slack]\nmode = "carrier-pigeon"\n', "slack.mode", "one of http, socket"),
        ('[database]\nurl = "mysql://x"\n', "database.url", "sqlite:///"),
        ('admins = ["alex"]\n', "admins", "platform:id"),
        ('[[networks]]\nslug = "pride"\n', "networks[0].name", "is missing"),
        ("server = 3\n", "server", "must be a table"),
    ],
)
def test_wrong_types_name_the_key_and_what_is_expected(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text), environ={})
    assert raised.value.key == key
    assert expected in raised.value.expected
    assert raised.value.source == str(tmp_path / "config.toml")


def test_unknown_keys_start_but_warn_with_the_dotted_key(tmp_path: Path) -> None:
    path = write(tmp_path, 'timezon = "Europe/Paris"\n[slack]\nbot_tokn = "x"\n')
    settings = load_settings(path, environ={})
    assert any("`timezon`" in warning for warning in settings.warnings)
    assert any("`slack.bot_tokn`" in warning for warning in settings.warnings)


def test_the_slack_workspace_url_is_read_and_ends_with_a_slash(tmp_path: Path) -> None:
    path = write(tmp_path, '[slack]\nworkspace_url = "https://acme.slack-gov.com"\n')
    assert load_settings(path, environ={}).slack.workspace_url == "https://acme.slack-gov.com/"
    bad = write(tmp_path, '[slack]\nworkspace_url = "acme.slack.com"\n')
    with pytest.raises(ConfigError, match="workspace_url"):
        load_settings(bad, environ={})


def test_environment_overrides_secrets_and_database_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[slack]\nbot_token = "xoxb-from-file"\nsigning_secret = "file"\n'
        '[database]\nurl = "sqlite:///file.db"\n',
    )
    settings = load_settings(
        path,
        environ={
            "SLACK_BOT_TOKEN": "xoxb-from-env",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "MicrosoftAppId": "app-id",
            "MicrosoftAppPassword": "secret",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
        },
    )
    assert settings.slack.bot_token == "xoxb-from-env"
    assert settings.slack.signing_secret == "file"
    # A base URL with a path must end with "/" or slack-sdk drops its last segment.
    assert settings.slack.api_url == "http://127.0.0.1:9999/api/"
    assert settings.teams.app_id == "app-id"
    assert settings.database.url == "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    assert settings.served_platforms() == ["slack", "teams"]


def test_config_path_order_flag_then_env_then_local_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path(None, {}) is None
    (tmp_path / "config.toml").write_text("")
    assert resolve_config_path(None, {}) == Path("config.toml")
    assert resolve_config_path(None, {"ALLYBOT_CONFIG": "/etc/ally.toml"}) == Path("/etc/ally.toml")
    assert resolve_config_path("mine.toml", {"ALLYBOT_CONFIG": "/etc/ally.toml"}) == Path(
        "mine.toml"
    )


def test_networks_with_leads_and_channels_are_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[networks]]
slug = "pride"
name = "Pride Network"
leads = ["slack:U0LEAD"]
[networks.channels.slack]
members = "C0MEMBERS"
allies = "C0ALLIES"
""",
    )
    (network,) = load_settings(path, environ={}).networks
    assert network.leads == ("slack:U0LEAD",)
    assert network.channels["slack"].members == "C0MEMBERS"
    assert network.channels["slack"].announcements == ""


def test_teams_without_app_id_is_refused_unless_explicitly_unauthenticated(
    tmp_path: Path,
) -> None:
    refused = load_settings(write(tmp_path, "[teams]\nenabled = true\n"), environ={})
    with pytest.raises(ConfigError) as raised:
        refused.check_platforms()
    assert raised.value.key == "teams.app_id"
    assert "allow_unauthenticated" in raised.value.expected

    allowed = load_settings(
        write(tmp_path, "[teams]\nenabled = true\nallow_unauthenticated = true\n"), environ={}
    )
    allowed.check_platforms()


def test_slack_http_mode_needs_a_signing_secret() -> None:
    settings = load_settings(None, environ={"SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(ConfigError) as raised:
        settings.check_platforms()
    assert raised.value.key == "slack.signing_secret"


def test_the_example_config_is_valid_and_documents_only_real_keys(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    assert load_settings(example, environ={}).warnings == ()
    # The commented-out examples are real configuration too, once uncommented.
    commented_setting = re.compile(r"^# (\[|\w+ = )")
    uncommented = "\n".join(
        line[2:] if commented_setting.match(line) else line
        for line in example.read_text(encoding="utf-8").splitlines()
    )
    settings = load_settings(write(tmp_path, uncommented), environ={})
    assert settings.warnings == ()
    assert settings.demo_content is False
    assert settings.networks[0].leads == ("slack:U0123ABCD", "teams:29:1AbCdEf")
    assert settings.networks[0].channels["teams"].announcements.startswith("19:")


def test_the_public_url_gets_its_slash_and_links_need_it(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, '[server]\npublic_url = "https://allybot.example.org/bot"\n'), environ={}
    )
    assert settings.public_link("/calendar/pride/t.ics") == (
        "https://allybot.example.org/bot/calendar/pride/t.ics"
    )
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, '[server]\npublic_url = "allybot.example.org"\n'), environ={})
    assert raised.value.key == "server.public_url"
    with pytest.raises(ConfigError) as missing:
        load_settings(None, environ={}).public_link("/calendar/pride/t.ics")
    assert missing.value.key == "server.public_url"
    assert "is not set" in missing.value.expected
