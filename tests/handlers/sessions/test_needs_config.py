"""How long access needs are kept is configured in [sessions]."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import Application
from bot.config import SessionSettings, Settings
from bot.config_loading import load_settings
from bot.errors import ConfigError
from storage.models import SessionRegistration
from tests.conftest import NOW, say_one
from tests.support.sessions import add_session


@pytest.fixture
def settings() -> Settings:
    return Settings(sessions=SessionSettings(access_needs_kept_days=2))


async def test_access_needs_are_kept_for_the_configured_days(app: Application) -> None:
    session_id = await add_session(app, duration_minutes=60)
    reply = await say_one(app, f"register {session_id} needs: a quiet room")
    assert "delete them 2 days after the session" in reply.text
    async with app.database.transaction() as session:
        registration = await session.scalar(select(SessionRegistration))
        assert registration is not None
        assert registration.needs_delete_after == NOW + timedelta(days=5, hours=1)


def test_the_period_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[sessions]\naccess_needs_kept_days = 14\n")
    assert load_settings(path, environ={}).sessions.access_needs_kept_days == 14
    assert Settings().sessions.access_needs_kept_days == 7
    path.write_text("[sessions]\naccess_needs_kept_days = 400\n")
    with pytest.raises(ConfigError, match="access_needs_kept_days"):
        load_settings(path, environ={})
