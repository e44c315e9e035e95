"""questions and answers

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "anonymous_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("asker_user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_entry", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_anonymous_questions_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asker_user_id"],
            ["users.id"],
            name=op.f("fk_anonymous_questions_asker_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_questions")),
    )
    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_anonymous_questions_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_anonymous_questions_asker_user_id"), ["asker_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_anonymous_questions_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("related", sa.Text(), nullable=False),
        sa.Column("calendar", sa.String(length=120), nullable=False),
        sa.Column("network", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=300), nullable=False),
        sa.Column("retired_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_entries")),
        sa.UniqueConstraint("slug", name=op.f("uq_knowledge_entries_slug")),
    )


def downgrade() -> None:
    op.drop_table("knowledge_entries")
    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anonymous_questions_created_at"))
        batch_op.drop_index(batch_op.f("ix_anonymous_questions_asker_user_id"))
        batch_op.drop_index(batch_op.f("ix_anonymous_questions_network_id"))
    op.drop_table("anonymous_questions")
