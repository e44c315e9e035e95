"""`GET /metrics`: what an operator graphs and alerts on, and nothing about any person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from prometheus_client.parser import text_string_to_metric_families

from bot.app import Application
from bot.clock import FixedClock
from bot.metrics import Metrics
from bot.serve import BotServer
from bot.web import WebServer, build_web_app
from storage.database import Database
from tests.conftest import NOW
from tests.core.test_outbox import dispatcher, plan, planned
from tests.fakes.rate_limited_platform import RecordingPublisher
from tests.fakes.slack_api import SlackHarness, slack_harness
from tests.fakes.teams_connector import FakeConnector, personal_message
from tests.platforms.teams.test_adapter import running_teams

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(url: str) -> tuple[str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        return response.headers["Content-Type"], await response.text()


def samples(body: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def metrics_url(slack: SlackHarness) -> str:
    return slack.events_url.replace("/slack/events", "/metrics")


def _dm_event(text: str, user: str) -> dict[str, str]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
    }


async def test_slack_requests_are_counted_by_command_and_outcome_and_timed(
    app: Application,
) -> None:
    async with slack_harness(app) as slack:
        await asyncio.gather(
            slack.command("help"),
            slack.command("help", user="U101"),
            slack.command("networks", user="U102"),
            slack.command("netwroks", user="U103"),
        )
        await slack.api.wait_for_calls("response_url", count=4)
        await slack.adapter.drain()
        content_type, body = await scrape(metrics_url(slack))
    assert content_type.startswith("text/plain; version=")
    found = samples(body)
    assert value(found, "allybot_requests_total", platform="slack", command="help", outcome="ok")
    assert (
        value(found, "allybot_requests_total", platform="slack", command="help", outcome="ok") == 2
    )
    assert (
        value(found, "allybot_requests_total", platform="slack", command="networks", outcome="ok")
        == 1
    )
    # A mistyped command is refused, and counted without echoing what was typed.
    assert value(found, "allybot_requests_total", platform="slack", command="-", outcome="refused")
    assert value(found, "allybot_acknowledge_seconds_count", platform="slack") == 4
    assert value(found, "allybot_answer_seconds_count", platform="slack") == 4


async def test_no_label_carries_a_person_or_what_they_typed(app: Application) -> None:
    markers = [f"zebramarker{n}" for n in range(6)]
    people = [f"UPERSONX{n}" for n in range(6)]
    async with slack_harness(app) as slack:
        await asyncio.gather(
            slack.command(f"what is {markers[0]}?", user=people[0], user_name="quillmarker"),
            slack.command(f"{markers[1]}", user=people[1], channel="CCHANMARK"),
            slack.command(f"join {markers[2]}", user=people[2]),
            slack.command("join pride", user=people[3]),
            slack.event(_dm_event(f"tell me about {markers[3]}", people[4]), "Ev-m-1"),
            slack.event(_dm_event(markers[4], people[5]), "Ev-m-2"),
        )
        await slack.api.wait_for_calls("response_url", count=4)
        await slack.api.wait_for_calls("chat.postMessage", count=2)
        await slack.adapter.drain()
        _, body = await scrape(metrics_url(slack))
    lowered = body.lower()
    assert "allybot_requests_total" in body
    for secret in [*markers[:5], *people, "quillmarker", "cchanmark", "pride network"]:
        assert secret.lower() not in lowered, secret
    for person in people:
        assert app.services.pseudonyms.of(f"slack:{person}").lower() not in lowered
    # Only the closed set of command labels appears.
    commands = {
        dict(labels)["command"]
        for (name, labels) in samples(body)
        if name == "allybot_requests_total"
    }
    registered = {command.phrase for command in app.router.commands}
    assert commands <= registered | {"(fallback)", "-"}


async def test_slack_rate_limits_and_retries_are_counted(app: Application) -> None:
    async with slack_harness(app) as slack:
        slack.api.rate_limit("chat.postMessage", retry_after=0)
        await slack.event(_dm_event("help", "U100"), "Ev-429")
        await slack.api.wait_for_calls("chat.postMessage")
        await slack.adapter.drain()
        _, body = await scrape(metrics_url(slack))
    found = samples(body)
    assert value(found, "allybot_platform_rate_limited_total", platform="slack") == 1
    assert (
        value(found, "allybot_platform_retries_total", platform="slack", reason="rate_limited") == 1
    )


async def test_teams_turns_are_counted_timed_and_their_429s_seen(
    app: Application, connector: FakeConnector
) -> None:
    async with running_teams(app, connector) as teams:
        teams.connector.fail_next(429, retry_after="3")
        status, _ = await teams.post(personal_message(teams.connector.url, "help"))
        assert status == 201
        _, body = await scrape(teams.url.replace("/api/messages", "/metrics"))
    found = samples(body)
    assert value(found, "allybot_requests_total", platform="teams", command="help", outcome="ok")
    assert value(found, "allybot_acknowledge_seconds_count", platform="teams") == 1
    assert value(found, "allybot_answer_seconds_count", platform="teams") == 1
    assert value(found, "allybot_platform_rate_limited_total", platform="teams") == 1
    assert (
        value(found, "allybot_platform_retries_total", platform="teams", reason="rate_limited") == 1
    )


async def test_the_outbox_is_shown_by_state_and_how_late_posts_went(database: Database) -> None:
    clock = FixedClock(NOW + timedelta(minutes=3))
    metrics = Metrics()
    metrics.watch_database(database, clock.now)
    server = WebServer(build_web_app(database, [], metrics), shutdown_timeout=1)
    port = await server.start("127.0.0.1", 0)
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        await plan(database, planned("m:due", timedelta(0)), planned("m:later", timedelta(hours=1)))
        sender = dispatcher(database, RecordingPublisher(), clock)
        sender.metrics = metrics
        await sender.run_once()
        found = samples((await scrape(url))[1])
        assert value(found, "allybot_outbox_posts", platform="console", state="sent") == 1
        assert value(found, "allybot_outbox_posts", platform="console", state="pending") == 1
        assert value(found, "allybot_outbox_send_delay_seconds_count", platform="console") == 1
        assert value(found, "allybot_outbox_send_delay_seconds_sum", platform="console") == 180
        assert value(found, "allybot_outbox_oldest_waiting_seconds") == 0
        # Nothing dispatches any more (a stuck outbox): the due post's wait grows.
        clock.set(NOW + timedelta(hours=1, minutes=20))
        found = samples((await scrape(url))[1])
        assert value(found, "allybot_outbox_oldest_waiting_seconds") == 20 * 60
    finally:
        await server.stop()


async def test_database_pool_use_is_shown(database: Database) -> None:
    metrics = Metrics()
    metrics.watch_database(database, lambda: NOW)
    async with database.engine.connect():
        held = samples((await metrics.render()).decode())
    idle = samples((await metrics.render()).decode())
    assert value(held, "allybot_db_pool_checked_out") >= 1
    assert value(idle, "allybot_db_pool_checked_out") == 0


async def test_scheduler_lag_is_how_late_a_job_started() -> None:
    metrics = Metrics()
    scheduler = AsyncIOScheduler(timezone=UTC)
    metrics.watch_scheduler(scheduler)
    ran = asyncio.Event()

    async def tick() -> None:
        ran.set()

    planned_at = datetime.now(UTC) - timedelta(seconds=90)
    scheduler.add_job(tick, "date", run_date=planned_at, id="dispatch", misfire_grace_time=None)
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), timeout=5)
    finally:
        scheduler.shutdown(wait=False)
    lag = value(
        samples((await metrics.render()).decode()), "allybot_scheduler_lag_seconds", task="dispatch"
    )
    assert 90 <= lag < 100


async def test_allybot_serve_answers_metrics_beside_healthz(app: Application) -> None:
    server = BotServer(app, adapters=[])
    port = await server.start("127.0.0.1", 0)
    try:
        content_type, body = await scrape(f"http://127.0.0.1:{port}/metrics")
    finally:
        await server.web.stop()
    assert content_type.startswith("text/plain")
    assert "allybot_outbox_oldest_waiting_seconds" in body
