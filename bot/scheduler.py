"""The scheduler: APScheduler runs the planners and the outbox dispatcher on a timer.

APScheduler only decides *when to look*: every few seconds the dispatcher sends what
the outbox says is due, and every quarter of an hour the planners write the coming
posts into the outbox. What is due is in the database, never in APScheduler's
memory, so a restart loses nothing and replicas on one PostgreSQL share the work.

The planners and housekeeping jobs are handed in (each feature registers its own), so
this module knows no feature. Post times come from `bot.wall_clock`, not cron triggers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.funnel import ErrorFunnel
from bot.logs import log_event
from bot.outbox import Dispatcher
from bot.registry import Housekeeping, Planner
from bot.tasks import InFlight

_log = logging.getLogger("allybot.scheduler")

DISPATCH_EVERY = timedelta(seconds=10)
PLAN_EVERY = timedelta(minutes=15)


class BotScheduler:
    """APScheduler jobs: dispatch every few seconds, plan every 15 minutes, tidy up daily.

    Each job runs through the error funnel, so one failure is logged with a reference
    and the next run goes ahead. `start` runs the planners, the dispatcher and the housekeeping at
    once, which is how posts that fell due while the bot was down are caught up.
    """

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        planners: Sequence[Planner],
        clock: Clock,
        zone: ZoneInfo,
        funnel: ErrorFunnel,
        housekeeping: Sequence[tuple[str, Housekeeping]] = (),
        dispatch_every: timedelta = DISPATCH_EVERY,
        plan_every: timedelta = PLAN_EVERY,
    ) -> None:
        self.dispatcher = dispatcher
        self.planners = list(planners)
        self.housekeeping = list(housekeeping)
        self.clock = clock
        self.funnel = funnel
        self.zone = zone
        self.scheduler = AsyncIOScheduler(timezone=zone)
        self.in_flight = InFlight(funnel)
        self._dispatching: asyncio.Task[object] | None = None
        now = datetime.now(zone)
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        # Planning first, then dispatching, so a catch-up run sees freshly planned posts.
        self.scheduler.add_job(
            self._run_planners,
            IntervalTrigger(seconds=plan_every.total_seconds(), timezone=zone),
            id="plan",
            next_run_time=now,
            **common,
        )
        self.scheduler.add_job(
            self._run_dispatcher,
            IntervalTrigger(seconds=dispatch_every.total_seconds(), timezone=zone),
            id="dispatch",
            next_run_time=now + timedelta(seconds=1),
            **common,
        )
        self.scheduler.add_job(
            self._run_housekeeping,
            CronTrigger(hour=3, minute=15, timezone=zone),
            id="housekeeping",
            **common,
        )

    async def start(self) -> None:
        self.scheduler.start()
        # Retention is enforced at start-up too: a bot restarted daily before 03:15 would
        # otherwise never purge anything.
        self.in_flight.spawn(self._run_housekeeping())
        log_event(_log, logging.INFO, "scheduler_started", claimer=self.dispatcher.claimed_by)

    async def stop(self, wait_seconds: float = 30.0) -> None:
        """Start no new runs, let the ones under way finish, then shut APScheduler down.

        APScheduler would cancel a run mid-send, leaving its posts claimed until the claim
        times out; instead the dispatcher claims nothing more, finishes the sends under
        way and hands the rest of its batch back for another replica to send at once.
        """
        if not self.scheduler.running:
            return
        self.dispatcher.stopping.set()
        self.scheduler.pause()
        await self.in_flight.wait_at_most(wait_seconds)
        if self._dispatching is not None and not self._dispatching.done():
            # A send that outlasts the wait is cut short here, not by the loop closing:
            # the rest of its batch is handed back and nothing logs a CancelledError.
            self._dispatching.cancel()
            await asyncio.wait({self._dispatching})
        self.scheduler.shutdown(wait=False)
        # APScheduler's asyncio scheduler shuts down in a callback on the loop: let it run.
        await asyncio.sleep(0)
        log_event(_log, logging.INFO, "scheduler_stopped", unfinished=len(self.in_flight))

    def next_fire_times(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    async def _run_planners(self) -> None:
        now = self.clock.now()
        with self.in_flight.current():
            for planner in self.planners:

                async def run(planner: Planner = planner) -> None:
                    planned = await planner.plan(now)
                    log_event(_log, logging.DEBUG, "planned", planner=planner.name, posts=planned)

                await self.funnel.run_job(f"plan:{planner.name}", run)

    async def _run_dispatcher(self) -> None:
        async def run() -> None:
            await self.dispatcher.run_once()

        with self.in_flight.current():
            self._dispatching = asyncio.current_task()
            try:
                await self.funnel.run_job("dispatch", run)
            except asyncio.CancelledError:
                if not self.dispatcher.stopping.is_set():
                    raise
                # Cancelled by `stop`: the post in flight is left to its lease.
                log_event(_log, logging.WARNING, "dispatch_cut_short")
            finally:
                self._dispatching = None

    async def _run_housekeeping(self) -> None:
        now = self.clock.now()
        with self.in_flight.current():
            for name, job in self.housekeeping:

                async def run(name: str = name, job: Housekeeping = job) -> None:
                    changed = await job(now)
                    log_event(_log, logging.INFO, "housekeeping", job=name, changed=changed)

                await self.funnel.run_job(f"housekeeping:{name}", run)
