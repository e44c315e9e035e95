"""`allybot serve` runs the scheduler: publishers from the adapters, started and stopped with
the server, one per SQLite file, and the `[scheduler]` settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import Application
from bot.config import Settings
from bot.config_loading import load_settings
from bot.delivery import DeliveryTarget, PublishResult, TargetKind
from bot.errors import ConfigError
from bot.messages import Reply
from bot.outbound import Messenger
from bot.serve import BotServer, build_scheduler, collect_publishers, lock_scheduler
from bot.web import Route
from tests.fakes.messenger import RecordingMessenger
from tests.fakes.rate_limited_platform import RecordingPublisher


@dataclass(slots=True)
class FakeAdapter:
    name: str
    own_publisher: RecordingPublisher | None = None
    started: list[str] = field(default_factory=list)

    def routes(self) -> list[Route]:
        return []

    def messenger(self) -> Messenger:
        return RecordingMessenger()

    async def start(self) -> None:
        self.started.append("start")

    async def stop(self) -> None:
        self.started.append("stop")


@dataclass(slots=True)
class PublishingFakeAdapter(FakeAdapter):
    def publisher(self) -> RecordingPublisher:
        assert self.own_publisher is not None
        return self.own_publisher


async def test_each_adapter_that_can_publish_is_used_and_private_posts_fall_back() -> None:
    slack_publisher = RecordingPublisher()
    messenger = RecordingMessenger()
    publishers = collect_publishers(
        [PublishingFakeAdapter("slack", slack_publisher), FakeAdapter("teams")], messenger
    )
    assert publishers.platforms == ["slack"]
    reply = Reply(text="hello")
    result = await publishers.publish(
        DeliveryTarget("slack", TargetKind.CHANNEL, "C1"), reply, outbox_id=7
    )
    assert result == PublishResult("m7")
    # Teams has no publisher of its own here: a private post still goes, by its messenger.
    await publishers.publish(DeliveryTarget("teams", TargetKind.PERSON, "teams:29:a"), reply, 8)
    assert [notice.recipient_key for notice in messenger.sent] == ["teams:29:a"]


def test_a_second_serve_on_one_sqlite_file_is_refused_and_postgres_needs_no_lock(
    tmp_path: Path,
) -> None:
    settings = load_settings(None, {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"})
    first = lock_scheduler(settings)
    assert first is not None
    try:
        with pytest.raises(ConfigError) as refused:
            lock_scheduler(settings)
        message = str(refused.value)
        # The URL came from the environment: the refusal names the variable, not the file.
        assert message.startswith("the environment: `DATABASE_URL` cannot be served twice")
        assert "use PostgreSQL" in message
        # Set in the file instead, the refusal names the key and the file.
        config = tmp_path / "config.toml"
        config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n')
        with pytest.raises(ConfigError) as refused:
            lock_scheduler(load_settings(config, {}))
        assert str(refused.value).startswith(f"{config}: `database.url` cannot be served twice")
    finally:
        first.release()
    postgres = load_settings(None, {"DATABASE_URL": "postgresql://db.internal/allybot"})
    assert lock_scheduler(postgres) is None


def test_the_grace_period_and_overall_pace_are_configurable(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[scheduler]\ngrace_hours = 3\nposts_per_second = 10\n")
    settings = load_settings(config, {})
    assert settings.scheduler.grace_hours == 3
    assert settings.scheduler.posts_per_second == 10
    assert Settings().scheduler.grace_hours == 6

    config.write_text("[scheduler]\ngrace_hours = -1\n")
    with pytest.raises(ConfigError, match="grace_hours"):
        load_settings(config, {})


def test_lease_batch_and_intervals_are_configurable_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[scheduler]\nlease_seconds = 5\nbatch_size = 3\n"
        "dispatch_every_seconds = 0.5\nplan_every_minutes = 1\n"
    )
    scheduler = load_settings(config, {}).scheduler
    assert (scheduler.lease_seconds, scheduler.batch_size) == (5, 3)
    assert (scheduler.dispatch_every_seconds, scheduler.plan_every_minutes) == (0.5, 1)
    defaults = Settings().scheduler
    assert (defaults.lease_seconds, defaults.batch_size) == (60, 20)
    for bad, key in (
        ("batch_size = 0", "scheduler.batch_size"),
        ("lease_seconds = 0", "scheduler.lease_seconds"),
        ('dispatch_every_seconds = "often"', "scheduler.dispatch_every_seconds"),
    ):
        config.write_text(f"[scheduler]\n{bad}\n")
        with pytest.raises(ConfigError, match=key):
            load_settings(config, {})


async def test_the_server_starts_the_scheduler_after_the_adapters_and_stops_it_first(
    app: Application,
) -> None:
    adapter = PublishingFakeAdapter("slack", RecordingPublisher())
    scheduler = build_scheduler(
        app,
        collect_publishers([adapter], app.services.messenger),  # type: ignore[arg-type]
    )
    assert scheduler.dispatcher.policy.grace == timedelta(hours=6)
    # The [scheduler] settings reach the dispatcher and the triggers.
    policy = scheduler.dispatcher.policy
    assert (policy.claim_timeout, policy.batch_size) == (timedelta(seconds=60), 20)
    assert scheduler.dispatcher.zone == app.settings.timezone
    jobs = {job.id: job.trigger for job in scheduler.scheduler.get_jobs()}
    assert jobs["dispatch"].interval == timedelta(seconds=10)
    assert jobs["plan"].interval == timedelta(minutes=15)
    assert [planner.name for planner in scheduler.planners] == [
        "session-reminders",
        "announcements",
        "awareness-calendar",
    ]
    server = BotServer(app, [adapter], scheduler)  # type: ignore[list-item]
    await server.start("127.0.0.1", 0)
    try:
        assert adapter.started == ["start"]
        assert scheduler.scheduler.running
        assert set(scheduler.next_fire_times()) == {"plan", "dispatch", "housekeeping"}
    finally:
        await server.stop()
    assert not scheduler.scheduler.running
    assert adapter.started == ["start", "stop"]
