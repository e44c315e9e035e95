"""What handlers share: settings, the database, the clock, the messenger and the funnel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.clock import Clock
from bot.config import Settings
from bot.funnel import ErrorFunnel
from bot.metrics import Metrics
from bot.outbound import Messenger, Notice
from bot.pseudonyms import Pseudonyms
from storage.database import Database

# Told, after a commit, the keys of people for whom what `my` shows has changed; it must
# not block (it schedules whatever it does).
ChangeWatcher = Callable[[frozenset[str]], None]
# Told, after `forget me` commits, the key of the person forgotten, so a platform drops what
# it keeps of them in memory (files waiting to be accepted, say); it must not block.
ForgetWatcher = Callable[[str], None]


class NameSource(Protocol):
    """A platform's directory of people (Slack's `users.info`, say)."""

    async def display_name(self, external_id: str) -> str:
        """Their display name, or "" when the platform will not say."""
        ...

    def forget(self, external_id: str) -> None:
        """Drop any name kept for them (they asked to be forgotten)."""
        ...


@dataclass(slots=True)
class PeopleNames:
    """How to name a person in lists and shared posts: the name they last came with, else
    what their platform's directory says, else their platform id (the console's ids are
    names already). Each platform adapter adds its own source."""

    sources: dict[str, NameSource] = field(default_factory=dict)

    def add(self, platform: str, source: NameSource) -> None:
        self.sources[platform] = source

    async def name(self, person_key: str, stored: str = "") -> str:
        if stored:
            return stored
        platform, _, external_id = person_key.partition(":")
        source = self.sources.get(platform)
        found = await source.display_name(external_id) if source is not None else ""
        return found or external_id

    def forget(self, person_key: str) -> None:
        platform, _, external_id = person_key.partition(":")
        source = self.sources.get(platform)
        if source is not None:
            source.forget(external_id)


@dataclass(slots=True)
class Services:
    """What handlers share: settings, the database, the clock and the outbound messenger."""

    settings: Settings
    database: Database
    clock: Clock
    messenger: Messenger
    admins: frozenset[str] = frozenset()
    funnel: ErrorFunnel = field(default_factory=ErrorFunnel)
    change_watchers: list[ChangeWatcher] = field(default_factory=list)
    forget_watchers: list[ForgetWatcher] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    names: PeopleNames = field(default_factory=PeopleNames)

    @property
    def pseudonyms(self) -> Pseudonyms:
        """How logs name a person (never by their key)."""
        return self.funnel.pseudonyms

    async def deliver(self, notices: Sequence[Notice]) -> None:
        """Send each notice privately; one that cannot be delivered is reported, not fatal."""
        await self.funnel.deliver_each(self.messenger, notices)

    def announce_changes(self, person_keys: frozenset[str]) -> None:
        """Tell each watcher (a platform's overview page, say) whose own view changed."""
        for watcher in list(self.change_watchers):
            try:
                watcher(person_keys)
            except Exception as error:  # noqa: BLE001 - one watcher must not stop the others
                self.funnel.report(error, where="change-watcher")

    def forgotten(self, person_key: str) -> None:
        """After `forget me` committed: every platform drops what it keeps of the person in
        memory (names looked up, files offered), so nothing of them outlives the erasure."""
        for forget in [self.names.forget, *self.forget_watchers]:
            try:
                forget(person_key)
            except Exception as error:  # noqa: BLE001 - one must not stop the others
                self.funnel.report(error, where="forget-watcher")
