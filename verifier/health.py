"""Liveness (``/healthz``) and readiness (``/readyz``).

``/healthz`` answers as long as the process serves requests: an orchestrator restarts a process
that stops answering it, so it checks nothing else (a database outage must not get every app
server restarted in a loop). ``/readyz`` says whether this server can do its work now: the
database answers a ``SELECT 1``, the blob store takes a write, a read and a delete, the active
seal key is reachable (for PKCS#11: a session on the token that reads the key). A load balancer
sends traffic only to servers that are ready; a 503 names what is down.

Each check runs with a deadline (:data:`TIMEOUT`): a hung database or HSM makes the check
fail in seconds, not hang the probe.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from signing.keys import KeyPurpose
from verifier import db

__all__ = ["TIMEOUT", "bp", "readiness"]

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

TIMEOUT = 3.0  # seconds per check
# A few threads for the probes, shared by the process: a check past its deadline keeps its
# thread until the driver gives up, and must not pile up new ones on every probe.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sceau-readyz")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


def _database() -> str:
    engine = db.engine()
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL statement_timeout = {int(TIMEOUT * 1000)}"))
        connection.execute(text("SELECT 1")).scalar_one()
    return "ok"


def _blobs() -> str:
    from verifier.instance import blob_store

    store = blob_store()
    probe = b"sceau readiness probe " + secrets.token_bytes(16)
    key = store.put(probe)
    try:
        if store.get(key) != probe:
            raise RuntimeError("the probe read back differs from what was written")
    finally:
        store.delete(key)
    return "ok"


def _keys() -> str:
    from verifier.instance import keyring

    keys = keyring()
    active = keys.store.active_key(KeyPurpose.SEAL)
    keys.store.public_key(active.key_id)  # PKCS#11: opens a session and reads the key
    return f"ok (seal key {active.key_id.hex()[:16]})"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "blob_store": _blobs,
    "key_store": _keys,
}


def _in_context(app: Flask, check: Callable[[], str]) -> str:
    with app.app_context():
        return check()


def readiness(app: Flask) -> tuple[bool, dict[str, str]]:
    """Run every check; whether all passed, and each one's result (``ok ...`` or the error)."""
    futures = {name: _probes.submit(_in_context, app, check) for name, check in CHECKS.items()}
    results: dict[str, str] = {}
    deadline = time.monotonic() + TIMEOUT
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            log.warning("readiness: %s gave no answer within %g s", name, TIMEOUT)
            results[name] = f"down: no answer within {TIMEOUT:g} s"
        except Exception as exc:  # any failure is "down"
            # The answer is public (load balancers): the error's type only; its message (host
            # names, paths) goes to the operator's log.
            log.warning("readiness: %s is down: %s: %s", name, type(exc).__name__, exc)
            results[name] = f"down: {type(exc).__name__}"
    ready = all(result.startswith("ok") for result in results.values())
    return ready, results


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ready, checks = readiness(app)
    if ready:
        return jsonify(status="ready", checks=checks)
    down = ", ".join(name for name, result in checks.items() if not result.startswith("ok"))
    response = jsonify(status="not ready", message=f"down: {down}", checks=checks)
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response
