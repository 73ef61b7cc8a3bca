"""Database engine, sessions and the column types every model shares.

One engine per application; one session per request, closed at teardown. Datetimes are stored
with their time zone and always come back as aware UTC, on SQLite (which keeps no zone) as on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
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

log = logging.getLogger(__name__)

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


#: Seconds to wait for a new PostgreSQL connection: an unreachable server (a host that drops
#: packets, a failover in progress) makes a request fail with a 503 in seconds, not hang.
CONNECT_TIMEOUT = 5


def make_engine(url: str) -> Engine:
    """The engine of one process, that outlives a database restart without being restarted.

    ``pool_pre_ping`` tests a pooled connection before handing it out and replaces it if the
    server closed it (a restart, a failover, an idle timeout); and when a query fails on a lost
    connection SQLAlchemy invalidates every connection the pool opened before that moment, so
    after an outage the next requests open fresh ones instead of failing one by one. Requests
    made while the database is down fail fast (refused connection, or ``CONNECT_TIMEOUT``) and
    answer 503 ``database-unavailable`` (verifier/errors.py).
    """
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    new = create_engine(url, **options)
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
    if opened is None:
        return
    try:
        opened.close()
    except DBAPIError:
        # The rollback of a connection the server cut (a restart, a failover) fails too: the
        # request has its answer already (503 or its own), so drop the connection instead of
        # turning that answer into a bare 500.
        log.warning("database connection lost at the end of a request: discarded")
        with contextlib.suppress(DBAPIError):
            opened.invalidate()
