"""Prometheus metrics for `GET /metrics`: one registry per application.

Labels are a closed set on purpose: a platform name, a registered command phrase (or
"(fallback)" / "-"), an outcome, an outbox state, a retry reason. Never a person, a
channel, a network's members or anything typed: a label value is kept for the life of
the process and shown to whoever can reach the endpoint, so free text there would be a
leak that cannot be taken back.

Time to answer is measured from when the request reached the bot: the web layer notes
that moment in a context variable (tasks a platform spawns for the work inherit it),
and the router notes it for requests that did not come over HTTP (Socket Mode).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST as _CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

from storage.database import Database
from storage.models import OutboxPost
from storage.statuses import OutboxStatus

CONTENT_TYPE = _CONTENT_TYPE

# When the request being worked on reached the bot (perf_counter seconds).
_received_at: ContextVar[float | None] = ContextVar("allybot_received_at", default=None)

# Acknowledgements must stay under Slack's 3 s; answers may take longer.
_ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
_ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0)
# Scheduled posts: on time is seconds late, catch-up after downtime is hours.
_DELAY_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 21600.0)

# Outbox states that are still waiting to go out.
_WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class RetryReason(StrEnum):
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    CONNECTION = "connection"
    OTHER = "other"


def reason_for_status(status: int | None) -> RetryReason:
    if status == 429:
        return RetryReason.RATE_LIMITED
    if status is None:
        return RetryReason.CONNECTION
    if status >= 500:
        return RetryReason.SERVER_ERROR
    return RetryReason.OTHER


class PlatformCalls:
    """What a platform's sender reports about its calls out: retries and 429s."""

    def __init__(self, metrics: Metrics, platform: str) -> None:
        self._metrics = metrics
        self.platform = platform

    def retried(self, reason: RetryReason) -> None:
        self._metrics.retries.labels(self.platform, reason.value).inc()

    def rate_limited(self) -> None:
        self._metrics.rate_limited.labels(self.platform).inc()

    def refused(self, status: int | None, *, retrying: bool) -> None:
        """One refused call: counted as a 429 if it was one, and as a retry if retried."""
        if status == 429:
            self.rate_limited()
        if retrying:
            self.retried(reason_for_status(status))


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "allybot_requests",
            "Requests dispatched, by platform, command phrase and outcome.",
            ["platform", "command", "outcome"],
            registry=r,
        )
        self.acknowledge_seconds = Histogram(
            "allybot_acknowledge_seconds",
            "From a platform request reaching the bot to its HTTP response.",
            ["platform"],
            buckets=_ACK_BUCKETS,
            registry=r,
        )
        self.answer_seconds = Histogram(
            "allybot_answer_seconds",
            "From a request reaching the bot to its answer having been sent.",
            ["platform"],
            buckets=_ANSWER_BUCKETS,
            registry=r,
        )
        self.outbox_posts = Gauge(
            "allybot_outbox_posts",
            "Scheduled posts in the outbox, by platform and state (read at each scrape).",
            ["platform", "state"],
            registry=r,
        )
        self.outbox_oldest_waiting = Gauge(
            "allybot_outbox_oldest_waiting_seconds",
            "How long the longest-waiting post has been due (pending) or claimed (sending).",
            registry=r,
        )
        self.outbox_send_delay = Histogram(
            "allybot_outbox_send_delay_seconds",
            "How late a scheduled post went out, against its due time.",
            ["platform"],
            buckets=_DELAY_BUCKETS,
            registry=r,
        )
        self.retries = Counter(
            "allybot_platform_retries",
            "Calls to a platform retried, by reason.",
            ["platform", "reason"],
            registry=r,
        )
        self.rate_limited = Counter(
            "allybot_platform_rate_limited",
            "HTTP 429 answers from a platform (retried or not).",
            ["platform"],
            registry=r,
        )
        self.scheduler_lag = Gauge(
            "allybot_scheduler_lag_seconds",
            "How late the scheduler's last run of a task started against its planned time.",
            # Not "job": Prometheus keeps that label name for the scrape job.
            ["task"],
            registry=r,
        )
        self.db_pool_checked_out = Gauge(
            "allybot_db_pool_checked_out",
            "Database connections checked out of the pool right now.",
            registry=r,
        )
        self._database: Database | None = None
        self._now: Callable[[], datetime] | None = None

    # -- wiring -------------------------------------------------------------------------

    def watch_database(self, database: Database, now: Callable[[], datetime]) -> None:
        """Read the outbox and the pool from this database at each scrape."""
        self._database = database
        self._now = now
        pool = database.engine.sync_engine.pool
        checkedout = getattr(pool, "checkedout", None)
        if callable(checkedout):
            self.db_pool_checked_out.set_function(lambda: float(checkedout()))

    def watch_scheduler(self, scheduler: Any) -> None:
        """Keep `allybot_scheduler_lag_seconds` from an APScheduler scheduler's runs."""
        # Imported only here, by the one caller that runs a scheduler: the router and every
        # feature import this module, and `allybot chat` should not load APScheduler.
        from apscheduler.events import EVENT_JOB_SUBMITTED

        scheduler.add_listener(self.on_scheduler_event, EVENT_JOB_SUBMITTED)

    def calls(self, platform: str) -> PlatformCalls:
        return PlatformCalls(self, platform)

    # -- requests -----------------------------------------------------------------------

    @staticmethod
    def mark_received() -> None:
        """Note that a request reached the bot now, unless the web layer already did."""
        if _received_at.get() is None:
            _received_at.set(time.perf_counter())

    def request_handled(self, platform: str, command: str, outcome: str) -> None:
        self.requests.labels(platform, command, outcome).inc()

    def acknowledged(self, platform: str, seconds: float) -> None:
        self.acknowledge_seconds.labels(platform).observe(seconds)

    def answered(self, platform: str) -> None:
        """The answer to the current request has been sent."""
        received = _received_at.get()
        if received is not None:
            self.answer_seconds.labels(platform).observe(time.perf_counter() - received)

    # -- the outbox and the scheduler ----------------------------------------------------

    def outbox_sent(self, platform: str, late_by: timedelta) -> None:
        self.outbox_send_delay.labels(platform).observe(max(0.0, late_by.total_seconds()))

    def scheduler_ran(self, task: str, late_by: timedelta) -> None:
        self.scheduler_lag.labels(task).set(max(0.0, late_by.total_seconds()))

    def on_scheduler_event(self, event: Any) -> None:
        """An APScheduler EVENT_JOB_SUBMITTED listener: how late the job started."""
        planned = getattr(event, "scheduled_run_times", None) or []
        if planned:
            latest = max(planned)
            self.scheduler_ran(str(event.job_id), datetime.now(latest.tzinfo) - latest)

    async def refresh(self) -> None:
        """Read what is only known to the database (the outbox) just before a scrape."""
        if self._database is None or self._now is None:
            return
        async with self._database.sessions() as session:
            counts = (
                await session.execute(
                    select(OutboxPost.platform, OutboxPost.status, func.count()).group_by(
                        OutboxPost.platform, OutboxPost.status
                    )
                )
            ).all()
            oldest_due = await session.scalar(
                select(func.min(OutboxPost.next_attempt_at)).where(OutboxPost.status == _WAITING[0])
            )
            oldest_claim = await session.scalar(
                select(func.min(OutboxPost.claimed_at)).where(OutboxPost.status == _WAITING[1])
            )
        self.outbox_posts.clear()
        for platform, state, count in counts:
            self.outbox_posts.labels(platform, state).set(count)
        now = self._now()
        waited = [now - moment for moment in (oldest_due, oldest_claim) if moment is not None]
        self.outbox_oldest_waiting.set(max([0.0, *(w.total_seconds() for w in waited)]))

    async def render(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)
