"""`allybot teams-package`: a zip Teams accepts, with the manifest and both icons."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, EXIT_OK, main

APP_ID = "11111111-2222-3333-4444-555555555555"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_teams_package_builds_a_zip_with_manifest_and_icons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    output = tmp_path / "out" / "allybot.zip"
    config = tmp_path / "config.toml"
    config.write_text("")
    assert main(["teams-package", "--config", str(config), "--output", str(output)]) == EXIT_OK
    assert str(output) in capsys.readouterr().out

    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        colour = archive.read("color.png")
        outline = archive.read("outline.png")

    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    # Files come by the file consent flow in personal chat, which needs this.
    assert bot["supportsFiles"] is True
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert all(len(c["title"]) <= 32 for c in bot["commandLists"][0]["commands"])
    assert manifest["developer"]["websiteUrl"].startswith("https://")
    assert png_size(colour) == (192, 192)
    assert png_size(outline) == (32, 32)


def test_teams_package_needs_the_app_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    config = tmp_path / "config.toml"
    config.write_text("")
    output = tmp_path / "allybot.zip"
    assert main(["teams-package", "--config", str(config), "--output", str(output)]) == EXIT_CONFIG
    assert "MicrosoftAppId" in capsys.readouterr().err
    assert not output.exists()
