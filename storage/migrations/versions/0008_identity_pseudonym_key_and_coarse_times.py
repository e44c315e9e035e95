"""the key of the pseudonyms in logs; anonymous questions' and users' first times made coarse

Revision ID: 0008_identity
Revises: 0007

Written by hand. Times already stored exactly are cut the way new ones are (questions to
the hour, a user's first time to the day), so that old rows cannot tie an anonymous
question to its asker either. That cannot be undone: the downgrade only drops the table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from alembic import op

import storage.types
from storage.types import to_the_day, to_the_hour

revision = "0008_identity"
down_revision = "0007"
branch_labels = None
depends_on = None

SECRETS = "deployment_secrets"
QUESTION_TIMES = ("created_at", "sent_at", "answered_at")


def _coarsen(table: str, columns: tuple[str, ...], cut: Callable[[datetime], datetime]) -> None:
    when = storage.types.UTCDateTime(timezone=True)
    rows = sa.table(table, sa.column("id", sa.Integer), *(sa.column(c, when) for c in columns))
    connection = op.get_bind()
    for row in connection.execute(sa.select(rows)).mappings().all():
        changes = {c: cut(row[c]) for c in columns if row[c] is not None and cut(row[c]) != row[c]}
        if changes:
            connection.execute(sa.update(rows).where(rows.c.id == row["id"]).values(**changes))


def upgrade() -> None:
    op.create_table(
        SECRETS,
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_deployment_secrets")),
    )
    _coarsen("anonymous_questions", QUESTION_TIMES, to_the_hour)
    _coarsen("users", ("created_at",), to_the_day)


def downgrade() -> None:
    op.drop_table(SECRETS)
