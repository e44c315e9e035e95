"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always read back timezone-aware.

    SQLite has no timezone-aware type and hands back naive datetimes; comparing
    those with aware ones raises. Normalising here keeps every caller on aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def to_the_hour(moment: datetime) -> datetime:
    """`moment` cut to the start of its hour (UTC): for times that, kept exact, would let
    someone match two rows made in the same request (who asked an anonymous question)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def to_the_day(moment: datetime) -> datetime:
    """`moment` cut to the start of its day (UTC)."""
    return to_the_hour(moment).replace(hour=0)
