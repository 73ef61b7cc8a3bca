"""Migrations and a round trip through the real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import inspect, select
from sqlalchemy.exc import StatementError

from verifier import db, migrate
from verifier.models import Office


def test_migrations_create_and_remove_the_schema(app: Flask) -> None:
    with app.app_context():
        migrate.upgrade(db.engine())
        assert "offices" in inspect(db.engine()).get_table_names()
        migrate.downgrade(db.engine(), "base")
        assert "offices" not in inspect(db.engine()).get_table_names()


def test_datetimes_come_back_aware_utc_and_the_same_instant(app: Flask) -> None:
    paris_summer = datetime(2026, 7, 14, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    with app.app_context():
        migrate.upgrade(db.engine())
        db.session().add(Office(code="DT-LYON", name="Lyon", created_at=paris_summer))
        db.session().commit()
    with app.app_context():  # a new session: nothing cached
        office = db.session().scalars(select(Office).where(Office.code == "DT-LYON")).one()
        assert office.created_at == paris_summer
        assert office.created_at.tzinfo is UTC
        assert office.created_at.hour == 8


def test_a_naive_datetime_is_refused(app: Flask) -> None:
    with app.app_context():
        migrate.upgrade(db.engine())
        db.session().add(Office(code="DT-LILLE", name="Lille", created_at=datetime(2026, 1, 1)))
        with pytest.raises(StatementError, match="naive"):
            db.session().commit()


def test_migrations_build_exactly_the_schema_the_models_describe(app: Flask) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from verifier.db import Base

    with app.app_context():
        migrate.upgrade(db.engine())
        with db.engine().connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            assert compare_metadata(context, Base.metadata) == []
