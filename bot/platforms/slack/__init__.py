"""Slack: Bolt's AsyncApp over HTTP or Socket Mode. The only package that imports
slack_bolt and slack_sdk."""

from __future__ import annotations

from bot.app import Application
from bot.config import Settings
from bot.platforms.slack.app import SlackAdapter


def build_adapter(settings: Settings, application: Application) -> SlackAdapter:
    return SlackAdapter(settings, application)


__all__ = ["SlackAdapter", "build_adapter"]
