"""transparency log: leaves, perfect-subtree nodes, signed tree heads, the append lock row

Certificates issued before this revision are not logged here (a migration holds no key to sign
tree heads with): `sceau log backfill`, which `sceau init` runs, appends them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_leaves",
        sa.Column("leaf_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("leaf_hash", sa.String(length=64), nullable=False),
        sa.Column("leaf_data", sa.Text(), nullable=False),
        sa.Column("event", sa.String(length=8), nullable=False),
        sa.Column("certificate_id", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificates.id"]),
        sa.PrimaryKeyConstraint("leaf_index"),
        sa.UniqueConstraint("certificate_id", "event"),
    )
    op.create_index(
        op.f("ix_log_leaves_certificate_id"), "log_leaves", ["certificate_id"], unique=False
    )
    op.create_table(
        "log_nodes",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("node_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("level", "node_index"),
    )
    op.create_table(
        "log_heads",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size"),
    )
    state = op.create_table(
        "log_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # The row appends lock: present from the start, so that two first appends cannot race to
    # create it.
    op.bulk_insert(state, [{"id": 1, "tree_size": 0}])


def downgrade() -> None:
    op.drop_table("log_state")
    op.drop_table("log_heads")
    op.drop_table("log_nodes")
    op.drop_index(op.f("ix_log_leaves_certificate_id"), table_name="log_leaves")
    op.drop_table("log_leaves")
