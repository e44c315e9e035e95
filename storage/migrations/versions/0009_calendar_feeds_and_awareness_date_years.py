"""each network's subscribable calendar feed (its token, and what it last said about each
session), and the yearly dates of awareness dates their organisers announce

Revision ID: 0009_calendar_feeds
Revises: 0008_identity

Written by hand. Nothing here holds data about a person.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0009_calendar_feeds"
down_revision = "0008_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_calendar_feeds_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("network_id", name=op.f("uq_calendar_feeds_network_id")),
    )
    op.create_table(
        "calendar_feed_events",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("changed_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["network_sessions.id"],
            name=op.f("fk_calendar_feed_events_session_id_network_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_calendar_feed_events")),
    )
    op.create_table(
        "awareness_date_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date_id", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_date_years")),
        sa.UniqueConstraint("date_id", "year", name=op.f("uq_awareness_date_years_date_id")),
    )


def downgrade() -> None:
    op.drop_table("awareness_date_years")
    op.drop_table("calendar_feed_events")
    op.drop_table("calendar_feeds")
