"""accounts: users, mandates, file accesses, audit log, one-time codes, sign-in failures;
API tokens belong to users

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The interim staff tokens of 0002 belonged to an office. Each office holding tokens gets a
service account (an OFII agent of that office with no password, so it cannot sign in on the
web) and its tokens move to it, so no integration breaks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("totp_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=True),
        sa.Column("prefecture", sa.String(100), nullable=True),
        sa.Column("bar", sa.String(100), nullable=True),
        sa.Column("bar_number", sa.String(40), nullable=True),
        sa.Column(
            "person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=True, unique=True
        ),
        sa.Column("preferred_language", sa.String(5), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "mandates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("scopes", sa.String(40), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_mandates_person_id", "mandates", ["person_id"])
    op.create_index("ix_mandates_lawyer_id", "mandates", ["lawyer_id"])
    op.create_table(
        "file_accesses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("api_tokens.id"), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(30), nullable=False),
        sa.Column("object_id", sa.String(40), nullable=False),
        _when(),
    )
    op.create_index("ix_file_accesses_person_at", "file_accesses", ["person_id", "at"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        _when(),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(30), nullable=False),
        sa.Column("object_id", sa.String(40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        _when(),
    )
    op.create_index("ix_sign_in_failures_email_at", "sign_in_failures", ["email", "at"])
    op.create_index("ix_sign_in_failures_address_at", "sign_in_failures", ["address", "at"])

    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_persons_office_id_offices", "offices", ["office_id"], ["id"])
        batch.create_index("ix_persons_office_id", ["office_id"])
    # A person's file belongs to the office that issued them a certificate first.
    op.execute(
        "UPDATE persons SET office_id = (SELECT c.office_id FROM certificates c "
        "WHERE c.person_id = persons.id ORDER BY c.issued_at LIMIT 1)"
    )
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    _move_tokens_to_service_accounts()
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("office_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key("fk_api_tokens_user_id_users", "users", ["user_id"], ["id"])
        batch.create_index("ix_api_tokens_user_id", ["user_id"])


def _move_tokens_to_service_accounts() -> None:
    connection = op.get_bind()
    offices = connection.execute(
        sa.text(
            "SELECT DISTINCT o.id, o.code FROM offices o JOIN api_tokens t ON t.office_id = o.id"
        )
    ).all()
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for office_id, code in offices:
        user_id = connection.execute(
            sa.text(
                "INSERT INTO users (email, display_name, role, office_id, preferred_language, "
                "session_version, created_at) VALUES (:email, :name, 'ofii-agent', :office, "
                "'fr', 1, :now) RETURNING id"
            ),
            {
                "email": f"service-{code.lower()}@sceau.invalid",
                "name": f"API tokens of {code} (before accounts)",
                "office": office_id,
                "now": now,
            },
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE api_tokens SET user_id = :user WHERE office_id = :office"),
            {"user": user_id, "office": office_id},
        )


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM api_tokens WHERE office_id IS NULL"))
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_index("ix_api_tokens_user_id")
        batch.drop_constraint("fk_api_tokens_user_id_users", type_="foreignkey")
        batch.drop_column("user_id")
        batch.alter_column("office_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("persons") as batch:
        batch.drop_index("ix_persons_office_id")
        batch.drop_constraint("fk_persons_office_id_offices", type_="foreignkey")
        batch.drop_column("office_id")
    for table in (
        "sign_in_failures",
        "one_time_codes",
        "audit_log",
        "audit_head",
        "file_accesses",
        "mandates",
        "users",
    ):
        op.drop_table(table)
