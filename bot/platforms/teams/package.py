"""The Teams app package: manifest.json with the bot's id and scopes, and the two icons
Teams asks for (192x192 in colour, 32x32 white outline on transparent), drawn here so
the package needs no image files or image library."""

from __future__ import annotations

import json
import math
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import ConfigError

MANIFEST_VERSION = "1.17"
MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
)
APP_VERSION = "1.0.0"
ACCENT = (0x4B, 0x2C, 0x83)
SCOPES = ["personal", "team", "groupChat"]

# Shown in Teams' command menu; the same words work typed, in every scope.
MENU_COMMANDS: list[tuple[str, str]] = [
    ("help", "What I can do for you"),
    ("networks", "The staff networks and how to join"),
    ("sessions", "Sessions coming up"),
    ("calendar", "Awareness days, weeks and months"),
    ("my", "Your networks and registrations (answered privately)"),
    ("ask", "Ask a question, e.g. ask what is allyship?"),
    ("my data", "Everything I hold about you (answered privately)"),
]

Pixel = tuple[int, int, int, int]


def png(size: int, paint: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG of `size` x `size`; `paint(x, y)` gives each pixel (centre coordinates)."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # no filter for this row
        for x in range(size):
            rows.extend(paint(x + 0.5, y + 0.5))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _ring(size: int, x: float, y: float) -> bool:
    """A plain ring: simple enough to read at 32 pixels, and no network's symbol over another's."""
    distance = math.hypot(x - size / 2, y - size / 2)
    return size * 0.22 <= distance <= size * 0.36


def colour_icon() -> bytes:
    size = 192

    def paint(x: float, y: float) -> Pixel:
        if _ring(size, x, y):
            return (255, 255, 255, 255)
        return (*ACCENT, 255)

    return png(size, paint)


def outline_icon() -> bytes:
    size = 32

    def paint(x: float, y: float) -> Pixel:
        return (255, 255, 255, 255) if _ring(size, x, y) else (0, 0, 0, 0)

    return png(size, paint)


def manifest(app_id: str, *, developer: str, website: str) -> dict[str, Any]:
    website = website.rstrip("/")
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website,
            "privacyUrl": f"{website}/privacy",
            "termsOfUseUrl": f"{website}/terms",
        },
        "name": {"short": "allybot", "full": "allybot for staff networks and allies"},
        "description": {
            "short": "Staff networks, sessions and allyship, in chat.",
            "full": (
                "allybot helps staff networks (LGBT+ Pride, race equality, disability, "
                "neurodiversity) and their allies: join a network as a member or an ally, "
                "find and register for sessions, tell organisers your access needs privately, "
                "and ask questions. Anything personal is answered only in a private chat."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": SCOPES,
                        "commands": [
                            {"title": title, "description": description}
                            for title, description in MENU_COMMANDS
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def build_package(
    settings: Settings,
    output: Path,
    *,
    developer: str = "Staff networks",
    website: str = "https://example.org/allybot",
) -> Path:
    """Write the zip Teams' "Upload a custom app" takes; returns its path."""
    app_id = settings.teams.app_id
    if not app_id:
        raise ConfigError(
            "teams.app_id",
            settings.source,
            "is empty: the Teams app package names the bot by its MicrosoftAppId "
            "(set it, or the MicrosoftAppId environment variable)",
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "manifest.json",
            json.dumps(manifest(app_id, developer=developer, website=website), indent=2),
        )
        archive.writestr("color.png", colour_icon())
        archive.writestr("outline.png", outline_icon())
    return output
