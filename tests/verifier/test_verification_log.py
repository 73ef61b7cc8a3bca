"""Verification events written in batches: within a second, at once when many wait, kept while
the database refuses them, and written when the process exits."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select

from verifier import verification_log
from verifier.models import VerificationEvent
from verifier.verification_log import VerificationLog


def _engine(path: Path, *, with_table: bool = True) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    if with_table:
        VerificationEvent.__table__.create(engine)  # type: ignore[attr-defined]
    return engine


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(VerificationEvent)) or 0)


def test_rows_reach_the_database_within_a_second_without_anyone_flushing(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "events.db")
    events = VerificationLog(engine, flush_seconds=0.2)
    try:
        events.record("scan", "valid", "a" * 24)
        events.record("upload", "modified", None)
        assert _count(engine) == 0  # not written in the request
        deadline = time.monotonic() + 5
        while _count(engine) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        with engine.connect() as connection:
            rows = connection.execute(
                select(VerificationEvent.channel, VerificationEvent.outcome).order_by(
                    VerificationEvent.id
                )
            ).all()
        assert [tuple(row) for row in rows] == [("scan", "valid"), ("upload", "modified")]
        assert events.pending == 0
    finally:
        events.close()
        engine.dispose()


def test_a_full_batch_is_written_at_once(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "events.db")
    events = VerificationLog(engine, flush_seconds=3600)
    try:
        for _ in range(verification_log.BATCH - 1):
            events.record("api", "valid", None)
        assert _count(engine) == 0
        events.record("api", "valid", None)
        assert _count(engine) == verification_log.BATCH
    finally:
        events.close()
        engine.dispose()


def test_rows_the_database_refused_are_written_by_the_next_flush(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "events.db", with_table=False)  # the table is not there yet
    events = VerificationLog(engine, flush_seconds=3600)
    try:
        events.record("scan", "revoked", "b" * 24)
        assert events.flush() == 0
        assert events.pending == 1
        VerificationEvent.__table__.create(engine)  # type: ignore[attr-defined]
        events.record("scan", "valid", "c" * 24)
        assert events.flush() == 2
        with engine.connect() as connection:
            outcomes = connection.scalars(
                select(VerificationEvent.outcome).order_by(VerificationEvent.id)
            ).all()
        assert outcomes == ["revoked", "valid"]  # in the order they happened
    finally:
        events.close()
        engine.dispose()


def test_a_process_that_exits_writes_what_it_kept(tmp_path: Path) -> None:
    database = tmp_path / "events.db"
    _engine(database).dispose()
    script = f"""
from sqlalchemy import create_engine
from verifier.verification_log import VerificationLog
events = VerificationLog(create_engine("sqlite:///{database}"), flush_seconds=3600)
for _ in range(3):
    events.record("scan", "valid", None)
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    engine = _engine(database, with_table=False)
    try:
        assert _count(engine) == 3
    finally:
        engine.dispose()
