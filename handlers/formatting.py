"""Wording shared by handlers: times and dates as people in the configured zone read them."""

from __future__ import annotations

from datetime import datetime, tzinfo


def when(moment: datetime, zone: tzinfo) -> str:
    """`Sun 13 Dec 2026, 15:45 GMT`: unambiguous, with the zone's abbreviation."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M %Z}"
