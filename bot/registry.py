"""What features register besides commands: planners, housekeeping jobs, parts of `my`,
listeners for other features' events, how their posts read and which of them to keep, and
web routes (`allybot serve` mounts them beside the platforms').

The router carries one `Registry`; each feature adds its parts in its own `register`, and
the composition root hands the planners and jobs to the scheduler. So the core runs the
features' scheduled work and shows their parts of `my` without importing any of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.messages import Section
from bot.outbox_plans import PostDescriber, PostDescriptions

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.context import Handler
    from bot.router import HandlerContext

# How far ahead planners write posts: far enough that a lead sees a month of them.
PLAN_AHEAD = timedelta(days=35)


class Planner(Protocol):
    """Writes the posts of one kind due between now (less the grace period) and the horizon."""

    name: str

    async def plan(self, now: datetime) -> int:
        """Plan posts; returns how many are planned."""
        ...


# What the scheduler runs daily: given the time, do the work and say how many rows changed.
Housekeeping = Callable[[datetime], Awaitable[int]]

# A feature's part of `my`: a section, several (a page of a long list and its More), or none.
MySection = Callable[["HandlerContext"], Awaitable[Section | Sequence[Section] | None]]


Event = TypeVar("Event")
# A feature's answer to another feature's event (a place given up, a session cancelled): it
# runs in the transaction of the change, so the two commit or roll back together.
Listener = Callable[["HandlerContext", Any], Awaitable[None]]

# The key prefixes of finished posts a feature may still re-plan whatever their due time
# (a breakout signup still open): housekeeping keeps them, or they would be posted again.
KeepPosts = Callable[["AsyncSession", datetime], Awaitable[Sequence[str]]]


@dataclass(frozen=True, slots=True)
class WebRequest:
    """What a feature's web route is given: the path's named parts (`{slug}`) and the query.

    Features never see aiohttp; `bot.web` turns its request into this and back.
    """

    path: Mapping[str, str]
    query: Mapping[str, str] = field(default_factory=dict)
    # Header names lower-cased (`if-none-match`).
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WebResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    charset: str | None = "utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


WebHandler = Callable[[WebRequest], Awaitable[WebResponse]]


@dataclass(frozen=True, slots=True)
class WebRoute:
    """A feature's own route on the one web server, e.g. `GET /calendar/{slug}/{token}.ics`."""

    method: str
    path: str
    handler: WebHandler


@dataclass(frozen=True, slots=True)
class Job:
    """One housekeeping job, by the name its log lines and failures carry."""

    name: str
    run: Housekeeping


@dataclass(slots=True)
class Registry:
    """Everything registered, in the order it was registered."""

    planners: list[Planner] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    my_parts: list[MySection] = field(default_factory=list)
    listeners: dict[type, list[Listener]] = field(default_factory=dict)
    descriptions: PostDescriptions = field(default_factory=PostDescriptions)
    kept_posts: list[KeepPosts] = field(default_factory=list)
    web_routes: list[WebRoute] = field(default_factory=list)

    def listen(
        self, event: type[Event], listener: Callable[[HandlerContext, Event], Awaitable[None]]
    ) -> None:
        """Run `listener` whenever a feature publishes an `event`, in registration order."""
        self.listeners.setdefault(event, []).append(listener)

    async def publish(self, context: HandlerContext, event: object) -> None:
        """Tell every listener of this kind of event; the publisher need not know who."""
        for listener in self.listeners.get(type(event), []):
            await listener(context, event)

    def describe_posts(self, kind: str, describer: PostDescriber) -> None:
        """How a lead reads the feature's posts of `kind` (the kind its outbox keys carry)."""
        self.descriptions.add(kind, describer)

    def keep_posts(self, keeper: KeepPosts) -> None:
        """Finished posts that housekeeping must not delete yet, by key prefix."""
        self.kept_posts.append(keeper)


@dataclass(frozen=True, slots=True)
class Recogniser:
    """Text a feature answers although it names no command: `recognises` is given the
    normalised text; `name` is what logs and metrics call it (never the text itself)."""

    name: str
    recognises: Callable[[str], bool]
    handler: Handler
