"""The lead's room lists as data, and as a CSV file that is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.router import HandlerContext
from handlers.breakouts.common import display_name, hosts_text
from storage.models import BreakoutPick, BreakoutSettings, BreakoutTopic, NetworkSession, User
from storage.repositories import BreakoutRepository


@dataclass(frozen=True, slots=True)
class Room:
    label: str
    topic: BreakoutTopic
    people: list[tuple[User, BreakoutPick]]


async def room_list(
    context: HandlerContext, item: NetworkSession, settings: BreakoutSettings
) -> list[Room]:
    repository = BreakoutRepository(context.session)
    rooms = []
    number = {round_number: 0 for round_number in range(1, settings.rounds + 1)}
    for topic in await repository.topics(item.id):
        number[topic.round] = number.get(topic.round, 0) + 1
        label = f"Room {number[topic.round]}"
        if settings.rounds > 1:
            label = f"Round {topic.round} {label}"
        rooms.append(Room(label, topic, await repository.room(topic.id)))
    return rooms


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rooms_csv(rooms: list[Room], names: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["room", "topic", "host", "person", "person id"])
    for room in rooms:
        hosts = hosts_text(room.topic, names)
        for user, _ in room.people:
            writer.writerow(
                [
                    _cell(room.label),
                    _cell(room.topic.title),
                    _cell(hosts),
                    _cell(display_name(user)),
                    user.key,
                ]
            )
    return out.getvalue()
