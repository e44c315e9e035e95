"""What the announcement commands share: the zone their times are in, and how they name it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.router import HandlerContext


def zone_of(context: HandlerContext) -> ZoneInfo:
    return context.services.settings.timezone


def platforms_text(channels: dict[str, str]) -> str:
    names = {"slack": "Slack", "teams": "Teams", "console": "the console"}
    return " and ".join(names.get(platform, platform) for platform in channels)


def zone_name(zone: ZoneInfo) -> str:
    return f"{zone.key} time"
