"""Database engine, sessions and the column types every model shares.

One engine per application; one session per request, closed at teardown. Datetimes are stored
with their time zone and always come back as aware UTC, on SQLite (which keeps no zone) as on
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

__all__ = [
    "MAX_DATABASE_ID",
    "Base",
    "UTCDateTime",
    "engine",
    "init_app",
    "make_engine",
    "session",
    "utcnow",
]

#: The largest row id on every engine (PostgreSQL's INTEGER); a bigger id from outside names
#: no row, and SQLite's driver cannot even bind it.
MAX_DATABASE_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime in, an aware UTC datetime out; a naive one is a bug and refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give a time zone")
        utc = value.astimezone(UTC)
        # SQLite stores text; keep it uniform (no offset) so that ordering by the column works.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy's own protocol


def make_engine(url: str) -> Engine:
    new = create_engine(url, pool_pre_ping=True)
    if new.dialect.name == "sqlite":
        event.listen(new, "connect", _sqlite_pragmas)
    return new


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def init_app(app: Flask, url: str) -> None:
    new = make_engine(url)
    app.extensions["sceau.engine"] = new
    app.extensions["sceau.sessions"] = sessionmaker(new, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    found: Engine = current_app.extensions["sceau.engine"]
    return found


def session() -> Session:
    """The session of the current request (or CLI command), opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["sceau.sessions"]()
    found: Session = g.db_session
    return found


def _close_session(_exc: BaseException | None) -> None:
    opened: Session | None = g.pop("db_session", None)
    if opened is not None:
        opened.close()
