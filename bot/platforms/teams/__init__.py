"""Microsoft Teams: botbuilder's CloudAdapter on /api/messages. The only package that
imports botbuilder, so a move to the Microsoft 365 Agents SDK touches only this one."""

from __future__ import annotations

from bot.app import Application
from bot.config import Settings
from bot.platforms.teams.adapter import TeamsAdapter


def build_adapter(settings: Settings, application: Application) -> TeamsAdapter:
    return TeamsAdapter(settings, application)


__all__ = ["TeamsAdapter", "build_adapter"]
