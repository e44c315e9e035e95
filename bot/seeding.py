"""Putting configured networks and the bundled demo content into the database.

Configured networks are created when missing and their configured leads and channels
are ensured; what leads later change in chat (descriptions, extra leads) is kept.
The demo content fills an empty database for `allybot chat` so a newcomer has
something real to explore.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import content
from bot.clock import Clock
from bot.config import CHANNEL_PURPOSES, NetworkSettings, Settings
from storage.database import Database
from storage.models import Network, NetworkSession
from storage.repositories import NetworkRepository, SessionRepository


@dataclass(frozen=True, slots=True)
class DemoSession:
    network: str
    title: str
    kind: str
    in_days: int
    time: str
    duration_minutes: int
    location: str = ""
    description: str = ""
    capacity: int | None = None


@dataclass(frozen=True, slots=True)
class DemoContent:
    admins: tuple[str, ...]
    networks: tuple[NetworkSettings, ...]
    sessions: tuple[DemoSession, ...]


def load_demo() -> DemoContent:
    data: dict[str, Any] = content.load("demo.toml")
    return DemoContent(
        admins=tuple(data.get("admins", ())),
        networks=tuple(
            NetworkSettings(**{**item, "leads": tuple(item.get("leads", ()))})
            for item in data.get("networks", ())
        ),
        sessions=tuple(DemoSession(**item) for item in data.get("sessions", ())),
    )


async def ensure_networks(
    database: Database, networks: tuple[NetworkSettings, ...], clock: Clock
) -> None:
    async with database.transaction() as session:
        await _ensure_networks(session, networks, clock.now())


async def _ensure_networks(
    session: AsyncSession, networks: tuple[NetworkSettings, ...], now: datetime
) -> None:
    repository = NetworkRepository(session)
    for configured in networks:
        network = await repository.by_slug(configured.slug)
        if network is None:
            network = await repository.add(
                Network(
                    slug=configured.slug,
                    name=configured.name,
                    description=configured.description,
                    meets=configured.meets,
                    contact=configured.contact,
                    created_at=now,
                )
            )
        for lead in configured.leads:
            await repository.add_lead(network.id, lead, now)
        for platform, channels in configured.channels.items():
            for purpose in CHANNEL_PURPOSES:
                reference = getattr(channels, purpose)
                if reference:
                    await repository.set_channel(network.id, platform, purpose, reference)


async def seed_demo(
    database: Database, demo: DemoContent, settings: Settings, clock: Clock
) -> None:
    """Fill an empty database with the demo networks and sessions; leave any other alone.

    One transaction from the look to the last session: two `allybot chat` started together
    on a new file (where it begins IMMEDIATE) cannot both find it empty and fill it twice.
    """
    today = clock.now().astimezone(settings.timezone).date()
    async with database.transaction() as session:
        networks = NetworkRepository(session)
        if await networks.count():
            return
        await _ensure_networks(session, demo.networks, clock.now())
        sessions = SessionRepository(session)
        for item in demo.sessions:
            network = await networks.by_slug(item.network)
            if network is None:
                raise ValueError(f"demo session names unknown network {item.network!r}")
            local = datetime.combine(
                today + timedelta(days=item.in_days),
                time.fromisoformat(item.time),
                tzinfo=settings.timezone,
            )
            await sessions.add(
                NetworkSession(
                    network_id=network.id,
                    title=item.title,
                    kind=item.kind,
                    starts_at=local,
                    duration_minutes=item.duration_minutes,
                    location=item.location,
                    description=item.description,
                    capacity=item.capacity,
                    created_at=clock.now(),
                )
            )
