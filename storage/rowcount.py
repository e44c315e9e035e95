"""How many rows an INSERT, UPDATE or DELETE touched.

`AsyncSession.execute` is typed as returning a `Result`, but for an INSERT, UPDATE or
DELETE SQLAlchemy returns a `CursorResult`, which is the one with `rowcount` (its guide to
ORM-enabled INSERT, UPDATE and DELETE says so). The cast states that once, here.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """The rows the statement behind `result` touched (-1 where the driver cannot tell)."""
    return cast("CursorResult[Any]", result).rowcount
