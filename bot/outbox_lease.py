"""The dispatcher's side of outbox leases: keep a batch's claims alive, give back the rest.

A claim lasts one lease (`[scheduler] lease_seconds`, a minute by default). While a
batch is being sent its lease is renewed between sends, so a healthy process keeps its
posts however slowly a channel drains, and a process that dies loses them to another
within a minute. A post left "sending" well beyond the lease means no process took it
over: `outbox <network>` shows it as a problem and the network's leads are told, once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.delivery import Pacer, SendWindow
from bot.logs import log_event
from bot.messages import Reply, Section
from bot.outbound import Notice
from bot.outbox_plans import describe_target
from bot.wall_clock import when
from storage.database import Database
from storage.models import Network, OutboxPost
from storage.outbox_leases import STUCK_MARK, hand_back, mark_stuck, renew
from storage.repositories import NetworkRepository
from storage.statuses import OutboxStatus

if TYPE_CHECKING:
    from bot.outbox import Dispatcher

_log = logging.getLogger("allybot.outbox")

# How long past its lease a post may stay "sending" before it is a problem to report.
STUCK_MARGIN = timedelta(minutes=5)
# A send still under way after this long is hung: its lease is no longer renewed, so
# another process takes the post over rather than it staying "sending" for ever.
LONGEST_SEND = timedelta(minutes=5)


@dataclass(slots=True)
class HeldBatch:
    """The posts of one claimed batch this process still holds and has not finished."""

    database: Database
    claimed_by: str
    clock: Clock
    lease: timedelta
    held: set[int]
    renewed_at: datetime
    # Posts whose send has started, and when: never handed back, as their outcome is
    # unknown until the send ends.
    sending: dict[int, datetime] = field(default_factory=dict)
    # Posts claimed from a process whose lease ran out, with when its lease last began:
    # they may have arrived already.
    taken_over: dict[int, datetime] = field(default_factory=dict)

    @classmethod
    def of(
        cls, dispatcher: Dispatcher, posts: Sequence[OutboxPost], taken_over: dict[int, datetime]
    ) -> HeldBatch:
        return cls(
            dispatcher.database,
            dispatcher.claimed_by,
            dispatcher.clock,
            dispatcher.policy.claim_timeout,
            {post.id for post in posts},
            renewed_at=dispatcher.clock.now(),
            taken_over=taken_over,
        )

    async def start_send(self, post_id: int) -> bool:
        """Before sending `post_id`: renew the batch's lease if it is getting old.

        False when the post is no longer ours (its lease ran out while the channel waited
        and another process took it over): it must not be sent from here.
        """
        now = self.clock.now()
        # A third of the lease leaves two thirds for the send and the renewal to commit.
        if post_id not in self.held or now - self.renewed_at >= self.lease / 3:
            await self._renew(now)
        if post_id not in self.held:
            return False
        self.sending[post_id] = now
        return True

    async def _renew(self, now: datetime) -> None:
        live = {
            post_id for post_id in self.held if now - self.sending.get(post_id, now) < LONGEST_SEND
        }
        async with self.database.transaction() as session:
            kept = await renew(session, live, self.claimed_by, now)
        for lost in live - kept:
            log_event(_log, logging.WARNING, "outbox_claim_lost", outbox=lost)
        self.held -= live - kept
        self.renewed_at = now

    @asynccontextmanager
    async def kept_alive(self) -> AsyncIterator[None]:
        """Renew the lease in the background too, while a send (or a pacer wait) is long."""

        async def renew_every_third_of_the_lease() -> None:
            while True:
                await asyncio.sleep(self.lease.total_seconds() / 3)
                try:
                    await self._renew(self.clock.now())
                except Exception as error:  # noqa: BLE001 - retried; the lease has time left
                    log_event(
                        _log, logging.WARNING, "outbox_renewal_failed", error=type(error).__name__
                    )

        renewing = asyncio.create_task(renew_every_third_of_the_lease())
        try:
            yield
        finally:
            renewing.cancel()
            await asyncio.wait({renewing})

    def done(self, post_id: int) -> None:
        self.held.discard(post_id)
        self.sending.pop(post_id, None)

    async def hand_back(self) -> int:
        """Make the posts not yet tried pending again, so any process can send them now."""
        unsent = self.held - self.sending.keys()
        if not unsent:
            return 0
        async with self.database.transaction() as session:
            returned = await hand_back(session, unsent, self.claimed_by)
        self.held -= unsent
        log_event(_log, logging.INFO, "outbox_handed_back", claimer=self.claimed_by, posts=returned)
        return returned


# The platform's clock and ours may differ a little; a wider look costs nothing.
CLOCK_MARGIN = timedelta(minutes=1)


def send_window(
    post: OutboxPost, last_lease: datetime, lease: timedelta, now: datetime
) -> SendWindow:
    """When the dead claimer's attempt at `post` can have reached the platform.

    Its lease last began at `last_lease`, and a lease is renewed for at most `LONGEST_SEND`
    once a send starts, so the send began no earlier than that before it and no later than
    the lease's end; it ended within `LONGEST_SEND`. No attempt is made before the post is
    due, and none can have arrived after `now`. The look reads those few minutes, not the
    channel's past.
    """
    due = min(post.due_at, post.next_attempt_at)
    oldest = max(due, last_lease - LONGEST_SEND) - CLOCK_MARGIN
    latest = min(now, last_lease + lease + LONGEST_SEND) + CLOCK_MARGIN
    return SendWindow(oldest=oldest, latest=max(latest, oldest))


def stuck_since(post: OutboxPost, now: datetime, lease: timedelta) -> datetime | None:
    """When a post began its last lease, if it has been "sending" for too long; else None."""
    if post.status != OutboxStatus.SENDING or post.claimed_at is None:
        return None
    if now - post.claimed_at <= lease + STUCK_MARGIN:
        return None
    return post.claimed_at


STUCK_STATUS = "stuck while sending"


def stuck_warning(count: int, lease: timedelta) -> str:
    """The problem line `outbox <network>` puts first when posts are stuck."""
    minutes = (lease + STUCK_MARGIN).total_seconds() / 60
    posts = "1 post has" if count == 1 else f"{count} posts have"
    return (
        f"⚠ Problem: {posts} been stuck while sending for over {minutes:g} minutes. "
        "The bot stopped mid-send and no copy of it has taken them over yet: check that "
        "it is running. They go out again when it is."
    )


def _local(moment: datetime, zone: tzinfo) -> str:
    return when(moment, zone)


async def wait_unless_stopped(pacer: Pacer, slot: float, stopping: asyncio.Event) -> bool:
    """Wait for the pacer's slot; False when a stop came first (the post is then not sent)."""
    if stopping.is_set():
        return False
    waiting = asyncio.ensure_future(pacer.wait_for(slot))
    stopped = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({waiting, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
        stopped.cancel()
    return not stopping.is_set()


async def report_stuck(dispatcher: Dispatcher) -> int:
    """Tell each network's leads about its posts stuck in "sending"; each post once."""
    if dispatcher.stopping.is_set():
        return 0
    database, zone = dispatcher.database, dispatcher.zone
    now = dispatcher.clock.now()
    async with database.transaction() as session:
        stuck = await mark_stuck(session, now - dispatcher.policy.claim_timeout - STUCK_MARGIN)
    by_network: dict[int, list[str]] = defaultdict(list)
    for post in stuck:
        log_event(_log, logging.WARNING, "outbox_stuck", outbox=post.id, platform=post.platform)
        if post.network_id is None or post.claimed_at is None:
            continue
        what = dispatcher.descriptions.describe(post.schedule_key)
        by_network[post.network_id].append(
            f"{what}, due {_local(post.due_at, zone)}, "
            f"to {describe_target(post)}: sending since {_local(post.claimed_at, zone)}"
        )
    for network_id, lines in by_network.items():
        async with database.transaction() as session:
            leads = list(await NetworkRepository(session).leads(network_id))
            network = await session.get(Network, network_id)
        name = network.name if network is not None else f"network {network_id}"
        body = (
            "The bot stopped while sending these and they stayed unsent. I'm sending them "
            "again now, except any I find already posted; where I can't look (Teams), one "
            "that already arrived may appear twice:\n"
            + "\n".join(f"• {line}" for line in lines)
        )
        reply = Reply(
            heading=f"{name}: some scheduled posts got stuck",
            text=f"Stuck while sending:\n{body}",
            sections=(Section(heading="Stuck while sending", text=body),),
            context="`outbox <network>` shows everything scheduled, sent and failed.",
        )
        await dispatcher.funnel.deliver_each(
            dispatcher.messenger, [Notice(recipient_key=lead, reply=reply) for lead in leads]
        )
    return len(stuck)


__all__ = [
    "STUCK_MARGIN",
    "STUCK_MARK",
    "STUCK_STATUS",
    "HeldBatch",
    "report_stuck",
    "send_window",
    "stuck_since",
    "stuck_warning",
    "wait_unless_stopped",
]
