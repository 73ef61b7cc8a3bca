"""Migrations and a round trip through the real database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import inspect, select
from sqlalchemy.exc import StatementError

from verifier import db, migrate
from verifier.models import Office, Person


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


def test_interim_office_tokens_move_to_a_service_account_and_keep_working(app: Flask) -> None:
    from sqlalchemy import text

    from verifier.models import ApiToken
    from verifier.tokens import authenticate, hash_token

    with app.app_context():
        migrate.upgrade(db.engine(), "0002")
        with db.engine().begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO offices (id, code, name, created_at) "
                    "VALUES (7, 'DT-LYON', 'Lyon', '2026-11-01 10:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (office_id, label, scopes, token_hash, prefix, "
                    "created_at) VALUES (7, 'old', 'issue', :hash, 'sceau_abcdef', "
                    "'2026-11-01 10:00:00+00:00')"
                ),
                {"hash": hash_token("sceau_interim-secret")},
            )
            connection.execute(
                text(
                    "INSERT INTO persons (id, family_name, given_names, family_name_normalized, "
                    "given_names_normalized, birth_date, preferred_language, created_at) "
                    "VALUES (3, 'Haddad', 'Amina', 'HADDAD', 'AMINA', '1994', 'fr', "
                    "'2026-11-01 10:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO certificates (id, type, person_id, office_id, details, status, "
                    "issued_on, issued_at, key_id, seal_url, seal_sha256, pdf_sha256) VALUES "
                    "('00112233445566778899aabb', 'medical-visit', 3, 7, '{}', 'valid', "
                    "'2026-11-01', '2026-11-01 10:00:00+00:00', 'k', 'u', 's', 'p')"
                )
            )
        migrate.upgrade(db.engine())  # persons is rebuilt on SQLite: its rows must survive
        token = authenticate(db.session(), "Bearer sceau_interim-secret")
        assert token is not None
        assert token.user.email == "service-dt-lyon@sceau.invalid"
        assert token.user.password_hash is None  # cannot sign in on the web
        assert token.office is not None
        assert token.office.code == "DT-LYON"
        assert db.session().scalars(select(ApiToken)).one().user_id == token.user.id
        person = db.session().get(Person, 3)
        assert person is not None
        assert person.office_id == 7  # the file belongs to the office that certified them
        db.session().rollback()
        migrate.downgrade(db.engine(), "0002")
        assert "users" not in inspect(db.engine()).get_table_names()
