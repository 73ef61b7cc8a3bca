"""The seal page of a registered certificate, answered from memory while its register row holds.

A QR code is scanned again and again: at a prefecture desk, by each agent a file passes
through, by a landlord and then a bank. Each scan used to cost the page's whole work (the
register row and its holder, the log head and the inclusion proofs, the page itself) although
nothing had changed since the last one. Here each application process keeps the answers it
gave anonymous visitors (HTML or JSON, per language) for up to ``TTL_SECONDS``, and drops one
the moment its certificate changes:

- every transaction that revokes or supersedes a certificate (any process, any machine, the
  ``sceau`` commands included) sends ``NOTIFY sceau_register, '<certificate id>'`` as part of
  its unit of work, so PostgreSQL delivers it exactly when the change commits;
- each process LISTENs on a connection of its own (a daemon thread) and evicts that
  certificate's answers;
- while that connection is down (PostgreSQL restarting, a failover) nothing is answered from
  memory: a change could go unheard, and the visitor gets the database's answer (503 during an
  outage) rather than a stale one; on reconnection everything cached before is dropped.

What stays per scan: the verification is recorded and counted (verifier/verification_log.py),
the rate limit is charged, and the answer still depends on the keyring (a revoked seal key
shows at once, verifier/instance.py) and on the day (a certificate expires at midnight).
``TTL_SECONDS`` bounds how old the log head a cached page shows can be: a proof against a head
of a few seconds ago is as valid as one against the latest.

Only a registered certificate's answer is kept (a forged or unknown seal costs its full check
every time, so nobody can fill the memory with junk), only for anonymous visitors (a signed-in
prefecture agent's page lists the history and records their look), and only on PostgreSQL:
SQLite has no LISTEN, and a `sceau revoke` in another process would go unheard.
``SCEAU_SEAL_CACHE=0`` turns it off.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from flask import Flask, current_app
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from verifier.config import settings_of
from verifier.keyring import Keyring
from verifier.models import Certificate, Revocation

__all__ = ["CHANNEL", "TTL_SECONDS", "CachedAnswer", "SealCache", "init_app", "of"]

log = logging.getLogger(__name__)

CHANNEL = "sceau_register"
TTL_SECONDS = 10.0
ENTRIES = 2048
#: How long the listener waits for a notification before checking that it is still wanted.
_POLL_SECONDS = 2.0
_RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0)

_EXTENSION = "sceau.seal_cache"


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    mimetype: str
    # What the scan records (verifier/verification.py), as the full check would have.
    outcome: str
    certificate_id: str
    keyring: Keyring
    day: date
    until: float


class SealCache:
    """One process's answers, and the listener that keeps them true."""

    def __init__(self, engine: Engine, *, enabled: bool = True) -> None:
        self.enabled = enabled and engine.dialect.name == "postgresql"
        self._url = engine.url
        self._answers: OrderedDict[tuple[str, ...], CachedAnswer] = OrderedDict()
        self._by_certificate: dict[str, set[tuple[str, ...]]] = {}
        self._lock = threading.Lock()
        # Bumped by every eviction: an answer computed before one is not stored after it.
        self._epoch = 0
        self._listening = threading.Event()
        self._listener: threading.Thread | None = None
        self._closed = threading.Event()
        #: The listening connection's server process (what an operator sees in
        #: pg_stat_activity, and what a test cuts to play an outage).
        self.listener_pid: int | None = None

    # ------------------------------------------------------------------ reading and writing

    @property
    def epoch(self) -> int:
        return self._epoch

    def get(self, key: tuple[str, ...], keyring: Keyring, day: date) -> CachedAnswer | None:
        if not self.enabled:
            return None
        self._ensure_listener()
        if not self._listening.is_set():
            return None
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            if found.keyring is not keyring or found.day != day or found.until < time.monotonic():
                self._drop(key)
                return None
            self._answers.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], answer: CachedAnswer, *, epoch: int) -> None:
        """Keep ``answer`` unless an eviction happened since ``epoch`` (read before the
        database was): the answer may predate the change that eviction announced."""
        if not self.enabled or not self._listening.is_set():
            return
        with self._lock:
            if epoch != self._epoch:
                return
            self._drop(key)
            self._answers[key] = answer
            self._by_certificate.setdefault(answer.certificate_id, set()).add(key)
            while len(self._answers) > ENTRIES:
                oldest = next(iter(self._answers))
                self._drop(oldest)

    def evict(self, certificate_id: str) -> None:
        with self._lock:
            self._epoch += 1
            for key in self._by_certificate.pop(certificate_id, set()):
                self._answers.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._epoch += 1
            self._answers.clear()
            self._by_certificate.clear()

    def __len__(self) -> int:
        return len(self._answers)

    def _drop(self, key: tuple[str, ...]) -> None:
        answer = self._answers.pop(key, None)
        if answer is not None:
            keys = self._by_certificate.get(answer.certificate_id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_certificate[answer.certificate_id]

    # ------------------------------------------------------------------ listening

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def wait_listening(self, timeout: float) -> bool:
        self._ensure_listener()
        return self._listening.wait(timeout)

    def close(self) -> None:
        """Stop listening (the app is going away): nothing is answered from memory any more,
        and the thread closes its connection and ends within ``_POLL_SECONDS``, unwaited (a
        test run closes hundreds of apps)."""
        self._closed.set()
        self._listening.clear()
        self.clear()

    def _ensure_listener(self) -> None:
        if self._listener is not None or self._closed.is_set():
            return
        with self._lock:
            if self._listener is not None:
                return
            conninfo = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._listener = threading.Thread(
                target=_listen,
                args=(weakref.ref(self), conninfo, self._closed, self._listening),
                name="sceau-seal-cache",
                daemon=True,
            )
            self._listener.start()


def _listen(
    cache_ref: weakref.ref[SealCache],
    conninfo: str,
    closed: threading.Event,
    listening: threading.Event,
) -> None:
    """The listener thread: holds only a weak reference to its cache, and ends when the cache
    is closed or gone (a test's application collected)."""
    failures = 0
    while not closed.is_set() and cache_ref() is not None:
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
                connection.execute(f"LISTEN {CHANNEL}")
                cache = cache_ref()
                if cache is None or closed.is_set():
                    return
                cache.listener_pid = connection.info.backend_pid
                cache.clear()  # whatever changed while nobody listened
                listening.set()
                del cache
                failures = 0
                while not closed.is_set():
                    for notice in connection.notifies(timeout=_POLL_SECONDS):
                        cache = cache_ref()
                        if cache is None:
                            return
                        cache.evict(notice.payload)
                        del cache
                    if cache_ref() is None:
                        return
        except psycopg.Error as exc:
            listening.clear()
            cache = cache_ref()
            if cache is not None:
                cache.clear()
            del cache
            log.warning("seal cache: not listening to the register (%s)", type(exc).__name__)
            closed.wait(_RECONNECT_SECONDS[min(failures, len(_RECONNECT_SECONDS) - 1)])
            failures += 1
        finally:
            listening.clear()


# ---------------------------------------------------------------------------- announcing


def _announce_changes(session: Session, _context: Any) -> None:
    """After each flush, a NOTIFY per revoked or superseded certificate, in the transaction:
    delivered when it commits, never when it rolls back."""
    changed: set[str] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Certificate) and instance not in session.new:
            changed.add(instance.id)
        elif isinstance(instance, Revocation):
            changed.add(instance.certificate_id)
    if not changed:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for certificate_id in sorted(changed):
        connection.execute(
            text("SELECT pg_notify(:channel, :id)"), {"channel": CHANNEL, "id": certificate_id}
        )


# Every session of the process, whichever made it (a request, a `sceau` command, the worker).
event.listen(Session, "after_flush", _announce_changes)


def init_app(app: Flask, engine: Engine) -> None:
    app.extensions[_EXTENSION] = SealCache(engine, enabled=settings_of(app).seal_cache)


def of(app: Flask | None = None) -> SealCache:
    found: SealCache = (app or current_app).extensions[_EXTENSION]
    return found
