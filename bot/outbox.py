"""The outbox dispatcher: claim due posts once, publish them paced, record what happened.

Every scheduled post is a row (see `storage.models.OutboxPost`). Producers plan rows
ahead of time; the dispatcher claims the due ones atomically, so any number of
processes on one PostgreSQL can run it and each post goes out once. Nothing is
dropped silently: a post too late to be useful is skipped and the network's leads are
told, and a post the platform refuses for good is marked failed with the reason and
what to fix, and the leads are told that too.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.delivery import (
    DeliveryFailed,
    DeliveryTarget,
    Pacer,
    Publishers,
    Sighting,
    TargetKind,
)
from bot.funnel import ErrorFunnel
from bot.logs import log_event
from bot.messages import Reply, Section
from bot.metrics import Metrics
from bot.outbound import Messenger, Notice
from bot.outbox_codec import decode_reply, replaced_message
from bot.outbox_lease import HeldBatch, report_stuck, send_window, wait_unless_stopped
from bot.outbox_plans import PostDescriptions, describe_target
from bot.wall_clock import when
from storage.database import Database
from storage.models import Network, OutboxPost
from storage.outbox_leases import expired
from storage.repositories import NetworkRepository, OutboxRepository
from storage.statuses import OutboxStatus

_log = logging.getLogger("allybot.outbox")

# What leads can do about the refusals platforms commonly give.
KNOWN_FIXES = {
    "channel_not_found": "the channel no longer exists or the bot cannot see it: "
    "set the network's channel again with `channel`",
    "not_in_channel": "invite the bot to the channel",
    "is_archived": "the channel is archived: unarchive it or set a new channel",
    "missing_scope": "the bot's app is missing a permission: ask your workspace admin",
    "restricted_action": "the workspace does not let the bot post there: ask your admin",
}


# ---------------------------------------------------------------------------
# The dispatcher
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    grace: timedelta = timedelta(hours=6)
    # Sent later than this after it was due: shown as late.
    late_after: timedelta = timedelta(minutes=5)
    max_attempts: int = 8
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    # The lease of a claim, renewed while its batch is sent: a claim older than this was
    # abandoned by a process that stopped mid-send, and is taken over.
    claim_timeout: timedelta = timedelta(seconds=60)
    # Small batches, so replicas share a burst rather than one taking it all.
    batch_size: int = 20

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """How long to wait before trying again: what the platform asked, else doubling."""
        if retry_after is not None:
            # A rate limit says exactly when to come back; waiting longer only delays the post.
            return min(timedelta(seconds=retry_after), self.max_backoff)
        return min(self.first_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)


@dataclass(slots=True)
class DispatchReport:
    sent: int = 0
    late: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: DispatchReport) -> None:
        self.sent += other.sent
        self.late += other.late
        self.retried += other.retried
        self.failed += other.failed
        self.skipped += other.skipped

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.skipped


@dataclass(frozen=True, slots=True)
class _LeadNote:
    network_id: int
    line: str
    skipped: bool


def pace_key(post: OutboxPost) -> str:
    return f"{post.platform}:{post.target_ref}"


def process_name() -> str:
    """A claimer id unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(slots=True)
class Dispatcher:
    database: Database
    publishers: Publishers
    clock: Clock
    messenger: Messenger
    claimed_by: str = field(default_factory=process_name)
    policy: DispatchPolicy = field(default_factory=DispatchPolicy)
    pacer: Pacer = field(default_factory=Pacer)
    funnel: ErrorFunnel = field(default_factory=ErrorFunnel)
    metrics: Metrics = field(default_factory=Metrics)
    # How leads read each post: what the features registered (none: by kind alone).
    descriptions: PostDescriptions = field(default_factory=PostDescriptions)
    # Leads read times in the configured zone.
    zone: tzinfo = UTC
    # Set on shutdown: claim nothing more, finish the sends under way, hand back the rest.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _batch: HeldBatch | None = field(default=None, init=False)

    async def run_once(self, max_batches: int = 1000) -> DispatchReport:
        """Send everything due now, batch by batch, until nothing due is left."""
        total = DispatchReport()
        notes: list[_LeadNote] = []
        await report_stuck(self)
        for _ in range(max_batches):
            posts, taken_over = ([], {}) if self.stopping.is_set() else await self._claim()
            if not posts:
                break
            report, batch_notes = await self._deliver(posts, taken_over)
            total.add(report)
            notes.extend(batch_notes)
        # Once per run, so a catch-up over many batches is one message to each lead.
        await self._tell_leads(notes)
        if total.handled:
            log_event(
                _log,
                logging.INFO,
                "outbox_dispatched",
                claimer=self.claimed_by,
                sent=total.sent,
                late=total.late,
                retried=total.retried,
                failed=total.failed,
                skipped=total.skipped,
            )
        return total

    async def _claim(self) -> tuple[Sequence[OutboxPost], dict[int, datetime]]:
        """Due posts claimed, and which of them were taken over from a claimer that died
        (with when its lease last began)."""
        now = self.clock.now()
        stale_before = now - self.policy.claim_timeout
        async with self.database.transaction() as session:
            abandoned = await expired(session, stale_before)
            posts = await OutboxRepository(session).claim_due(
                now, self.claimed_by, self.policy.batch_size, stale_before=stale_before
            )
        return posts, {post.id: abandoned[post.id] for post in posts if post.id in abandoned}

    async def _deliver(
        self, posts: Sequence[OutboxPost], taken_over: dict[int, datetime]
    ) -> tuple[DispatchReport, list[_LeadNote]]:
        # One queue per target, run side by side: the pacer keeps each target (and the
        # whole) within its rate, and a slow channel does not hold up everyone else.
        report = DispatchReport()
        notes: list[_LeadNote] = []
        # Slots are reserved for the whole batch up front, in due order, so a channel
        # waiting out its interval leaves the slots in between to everyone else.
        queues: dict[str, list[tuple[OutboxPost, float]]] = defaultdict(list)
        for post in posts:
            key = pace_key(post)
            queues[key].append((post, self.pacer.reserve(key)))
        self._batch = batch = HeldBatch.of(self, posts, taken_over)

        async def drain(queue: list[tuple[OutboxPost, float]]) -> None:
            for post, slot in queue:
                if self.stopping.is_set():
                    return
                await self._one(post, slot, report, notes)

        try:
            async with batch.kept_alive():
                await asyncio.gather(*(drain(queue) for queue in queues.values()))
        finally:
            # What was not tried (a stop, or this run cancelled) goes back for anyone to send.
            await batch.hand_back()
            self._batch = None
        return report, notes

    async def _one(
        self, post: OutboxPost, slot: float, report: DispatchReport, notes: list[_LeadNote]
    ) -> None:
        now = self.clock.now()
        if now - post.next_attempt_at > self.policy.grace:
            hours = self.policy.grace.total_seconds() / 3600
            await self._finish(
                post, status=OutboxStatus.SKIPPED, last_error=f"over {hours:g} h late"
            )
            report.skipped += 1
            if post.network_id is not None:
                due = when(post.due_at, self.zone)
                notes.append(
                    _LeadNote(
                        post.network_id,
                        f"{self.descriptions.describe(post.schedule_key)}, due {due}, "
                        f"to {describe_target(post)}",
                        skipped=True,
                    )
                )
            return
        target = DeliveryTarget(post.platform, TargetKind(post.target_kind), post.target_ref)
        try:
            reply = decode_reply(post.message)
            if not await wait_unless_stopped(self.pacer, slot, self.stopping):
                return
            if self._batch is not None and not await self._batch.start_send(post.id):
                return
            replaces = replaced_message(post.message)
            if not replaces and self._batch is not None and post.id in self._batch.taken_over:
                # Its claimer died mid-send, perhaps after the platform took the post:
                # posting it again would show it twice.
                lease = self.policy.claim_timeout
                window = send_window(post, self._batch.taken_over[post.id], lease, now)
                earlier = await self.publishers.already_posted(target, post.id, window)
                log_event(
                    _log,
                    logging.INFO,
                    "outbox_taken_over",
                    outbox=post.id,
                    earlier=earlier.sighting,
                )
                if earlier.sighting is Sighting.FOUND:
                    await self._sent(post, earlier.message_id, report)
                    return
            if replaces:
                result = await self.publishers.update(target, replaces, reply)
            else:
                result = await self.publishers.publish(target, reply, post.id)
        except DeliveryFailed as failure:
            await self._refused(post, failure, report, notes)
            return
        except Exception as error:  # noqa: BLE001 - reported with a reference, then retried
            self.funnel.report(error, where="outbox", outbox=post.id)
            # Its own name: Python unbinds `failure` at the end of the clause above.
            unexpected = DeliveryFailed(type(error).__name__[:100])
            await self._refused(post, unexpected, report, notes)
            return
        await self._sent(post, result.message_id, report)

    async def _sent(self, post: OutboxPost, message_id: str, report: DispatchReport) -> None:
        sent_at = self.clock.now()
        late = sent_at - post.due_at > self.policy.late_after
        await self._finish(
            post,
            status=OutboxStatus.SENT,
            sent_at=sent_at,
            late=late,
            platform_message_id=message_id[:255],
            last_error="",
        )
        report.sent += 1
        report.late += int(late)
        self.metrics.outbox_sent(post.platform, sent_at - post.due_at)

    async def _refused(
        self,
        post: OutboxPost,
        failure: DeliveryFailed,
        report: DispatchReport,
        notes: list[_LeadNote],
    ) -> None:
        reason = failure.reason[:200]
        log_event(
            _log,
            logging.WARNING,
            "outbox_refused",
            outbox=post.id,
            platform=post.platform,
            reason=reason,
            permanent=failure.permanent,
            attempt=post.attempts,
        )
        if failure.retry_after:
            self.pacer.hold(pace_key(post), failure.retry_after)
        if failure.permanent or post.attempts >= self.policy.max_attempts:
            fix = failure.fix or KNOWN_FIXES.get(failure.reason, "")
            shown = reason
            if not failure.permanent:
                shown = f"gave up after {post.attempts} tries: {reason}"
            await self._finish(post, status=OutboxStatus.FAILED, last_error=shown)
            report.failed += 1
            if post.network_id is not None:
                what = self.descriptions.describe(post.schedule_key)
                line = f"{what} to {describe_target(post)}: {shown}"
                notes.append(
                    _LeadNote(post.network_id, line + (f". To fix: {fix}" if fix else ""), False)
                )
            return
        wait = self.policy.backoff(post.attempts, failure.retry_after)
        await self._finish(
            post,
            status=OutboxStatus.PENDING,
            next_attempt_at=self.clock.now() + wait,
            last_error=reason,
        )
        report.retried += 1

    async def _finish(self, post: OutboxPost, **values: object) -> None:
        async with self.database.transaction() as session:
            kept = await OutboxRepository(session).finish(post.id, self.claimed_by, **values)
        if self._batch is not None:
            self._batch.done(post.id)
        if not kept:
            # Another process reclaimed it after our claim timed out; its outcome stands.
            log_event(_log, logging.WARNING, "outbox_claim_lost", outbox=post.id)

    async def _tell_leads(self, notes: list[_LeadNote]) -> None:
        by_network: dict[int, list[_LeadNote]] = defaultdict(list)
        for note in notes:
            by_network[note.network_id].append(note)
        for network_id, network_notes in by_network.items():
            async with self.database.transaction() as session:
                networks = NetworkRepository(session)
                leads = list(await networks.leads(network_id))
                network = await session.get(Network, network_id)
            name = network.name if network is not None else f"network {network_id}"
            reply = lead_report(name, network_notes, self.policy.grace)
            await self.funnel.deliver_each(
                self.messenger, [Notice(recipient_key=lead, reply=reply) for lead in leads]
            )


def _counted(lines: Iterable[str]) -> list[str]:
    counts = Counter(lines)
    return [line if count == 1 else f"{line} ({count:,} of them)" for line, count in counts.items()]


def lead_report(network_name: str, notes: list[_LeadNote], grace: timedelta) -> Reply:
    sections: list[Section] = []
    # Two thousand reminders skipped together make one line, not two thousand.
    skipped = _counted(note.line for note in notes if note.skipped)
    failed = _counted(note.line for note in notes if not note.skipped)
    hours = f"{grace.total_seconds() / 3600:g}"
    if skipped:
        sections.append(
            Section(
                heading="Not sent: too late",
                text=f"The bot was offline when these fell due, more than {hours} hours ago, "
                "so I didn't send them:\n" + "\n".join(f"• {line}" for line in skipped),
            )
        )
    if failed:
        sections.append(
            Section(
                heading="Could not be posted",
                text="\n".join(f"• {line}" for line in failed),
            )
        )
    text = "\n\n".join(
        f"{section.heading}:\n{section.text}" for section in sections if section.heading
    )
    return Reply(
        heading=f"{network_name}: some scheduled posts did not go out",
        text=text,
        sections=tuple(sections),
        context="`outbox <network>` shows everything scheduled, sent and failed.",
    )
