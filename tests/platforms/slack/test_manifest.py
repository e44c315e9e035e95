"""The app manifest asks Slack for what the adapter listens to, and no more than it uses."""

from __future__ import annotations

from pathlib import Path

MANIFEST = (Path(__file__).parents[3] / "slack" / "manifest.yaml").read_text()


def test_the_manifest_creates_the_slash_command_and_the_events_the_adapter_handles() -> None:
    assert "command: /ally" in MANIFEST
    for event in ("app_home_opened", "app_mention", "message.im"):
        assert f"- {event}" in MANIFEST
    assert "home_tab_enabled: true" in MANIFEST
    assert "is_enabled: true" in MANIFEST  # interactivity: buttons and forms
    assert MANIFEST.count("/slack/events") == 3


def test_the_manifest_asks_for_the_scopes_the_calls_need() -> None:
    for scope in ("chat:write", "commands", "im:write", "im:history", "channels:manage"):
        assert f"- {scope}" in MANIFEST
