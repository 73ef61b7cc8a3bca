"""That a check happened, written in batches rather than one transaction per scan.

Every verification (a phone opening a QR code, an uploaded PDF, the API) leaves a row with its
channel and outcome, nothing about who checked. Written in the request, that row was the seal
page's only write: a transaction and a commit per scan, the heaviest part of the page a whole
country's phones open. Here a process keeps the rows in memory and writes them with one
multi-row INSERT at most ``FLUSH_SECONDS`` after the first of them, at once when ``BATCH`` are
waiting, and when the process exits.

What that costs: a process killed with SIGKILL loses the rows of its last second. These rows
are statistics, not a register (nothing a holder or a court relies on), and the Prometheus
counters (verifier/metrics.py) count each verification as it happens. A database outage keeps
the rows in memory (up to ``MAX_PENDING``, the oldest dropped beyond, with a warning) and the
next flush writes them.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from verifier.db import utcnow
from verifier.models import VerificationEvent

__all__ = [
    "BATCH",
    "FLUSH_SECONDS",
    "MAX_PENDING",
    "VerificationLog",
    "flush_all",
    "init_app",
    "of",
]

log = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
BATCH = 500
MAX_PENDING = 50_000

_EXTENSION = "sceau.verification_log"


class VerificationLog:
    """One process's unwritten verification rows for one database."""

    def __init__(self, engine: Engine, *, flush_seconds: float = FLUSH_SECONDS) -> None:
        self._engine = engine
        self._flush_seconds = flush_seconds
        self._lock = threading.Lock()
        # One flush at a time: two would not lose rows, but could write them out of order.
        self._writing = threading.Lock()
        self._pending: list[dict[str, Any]] = []
        self._timer: threading.Timer | None = None
        self._closed = False
        _open_logs.add(self)

    def record(
        self, channel: str, outcome: str, certificate_id: str | None, at: datetime | None = None
    ) -> None:
        row = {
            "at": at or utcnow(),
            "channel": channel,
            "outcome": outcome,
            "certificate_id": certificate_id,
        }
        with self._lock:
            self._pending.append(row)
            if len(self._pending) > MAX_PENDING:
                del self._pending[0]
                log.warning("verification events: %d unwritten, the oldest dropped", MAX_PENDING)
            full = len(self._pending) >= BATCH
            if not full and self._timer is None and not self._closed:
                # A timer only while rows wait: an idle process (or a test's app) keeps no
                # thread of ours.
                self._timer = threading.Timer(self._flush_seconds, self.flush)
                self._timer.daemon = True
                self._timer.start()
        if full:
            self.flush()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write every waiting row; how many were written (0 when the database refused them,
        which are kept for the next flush)."""
        with self._writing:
            with self._lock:
                rows, self._pending = self._pending, []
                timer, self._timer = self._timer, None
            if timer is not None and timer is not threading.current_thread():
                timer.cancel()
            if not rows:
                return 0
            try:
                with self._engine.begin() as connection:
                    connection.execute(insert(VerificationEvent), rows)
            except SQLAlchemyError as exc:
                with self._lock:
                    self._pending[:0] = rows[-MAX_PENDING:]
                log.warning(
                    "verification events: %d not written (%s), kept for the next flush",
                    len(rows),
                    type(exc).__name__,
                )
                return 0
            return len(rows)

    def close(self) -> None:
        """Write what waits and stop arming timers (the app is going away)."""
        self._closed = True
        self.flush()
        _open_logs.discard(self)


_open_logs: weakref.WeakSet[VerificationLog] = weakref.WeakSet()


@atexit.register
def flush_all() -> None:
    """Write every log's waiting rows (a process about to exit)."""
    for pending in list(_open_logs):
        pending.flush()


def init_app(app: Flask, engine: Engine) -> None:
    app.extensions[_EXTENSION] = VerificationLog(engine)


def of(app: Flask | None = None) -> VerificationLog:
    """The verification log of ``app`` (the current one by default)."""
    found: VerificationLog = (app or current_app).extensions[_EXTENSION]
    return found
