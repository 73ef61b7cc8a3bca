"""Database engine, sessions and the column types every model shares.

One engine per application; one session per request, closed at teardown. Datetimes are stored
with their time zone and always come back as aware UTC, on SQLite (which keeps no zone) as on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import UTC, datetime
from functools import partial
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError
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

    When a query fails on a lost connection (a restart, a failover, an idle timeout on the
    server's side), SQLAlchemy invalidates every connection the pool opened before that
    moment: the request that met it answers 503 ``database-unavailable`` (verifier/errors.py)
    and the next requests open fresh connections instead of failing one by one. Requests made
    while the database is down fail fast (refused connection, or ``CONNECT_TIMEOUT``) and
    answer 503 as well.

    No ``pool_pre_ping``: it costs a round trip to the server on every checkout, that is on
    every request, the seal page's included. A connection is pinged only when it has sat idle
    in the pool for ``IDLE_PING_SECONDS`` (:func:`_ping_if_idle`): that is when a restart or
    an idle timeout may have cut it unnoticed, and a visitor after a quiet night would
    otherwise meet a 503. Under load no connection idles, so no request pays for a ping.
    ``pool_recycle`` replaces a connection after an hour, before a proxy or a firewall between
    the application and PostgreSQL closes it silently.
    """
    options: dict[str, Any] = {"pool_recycle": 3600}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    new = create_engine(url, **options)
    if new.dialect.name == "sqlite":
        event.listen(new, "connect", _sqlite_pragmas)
    else:
        event.listen(new, "checkin", _idle_from_now)
        event.listen(new, "checkout", partial(_ping_if_idle, new.dialect))
    return new


#: A pooled connection unused for this long is pinged before a request gets it.
IDLE_PING_SECONDS = 10.0


def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect: Dialect, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's pessimistic recipe, for idle connections only: a connection that fails
    the ping raises DisconnectionError, and the pool retries the checkout with a new one."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except Exception as exc:  # whatever the driver raises, the connection is gone
        raise DisconnectionError("an idle pooled connection failed its ping") from exc
    if not alive:
        raise DisconnectionError("an idle pooled connection failed its ping")


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
