"""jobs: the background work queue (pack builds, e-mails), leased by `sceau worker`

Builds left queued or running by the in-process pool of earlier versions get a job here, so
that a worker finishes them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_by", sa.String(length=100), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("pack_build_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pack_build_id"], ["pack_builds.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_build_id"),
    )
    op.create_index("ix_jobs_state_run_after", "jobs", ["state", "run_after"], unique=False)
    op.execute(
        "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, last_error,"
        " pack_build_id, created_at)"
        " SELECT 'pack-build', '{}', 'queued', 0, 5, created_at, '', id, created_at"
        " FROM pack_builds WHERE status IN ('queued', 'running')"
    )


def downgrade() -> None:
    op.drop_index("ix_jobs_state_run_after", table_name="jobs")
    op.drop_table("jobs")
