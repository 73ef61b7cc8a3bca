"""The seal page's memory (verifier/seal_cache.py), on PostgreSQL whichever back end the suite
runs on: a scan again is answered without the database and still recorded, a revocation made
by another process shows at the next scan, and a process that cannot hear the register's
changes answers nothing from memory."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, func, select

from tests.tools import postgres_schema, require_postgresql
from tests.verifier.conftest import Staff, issue_body
from tests.verifier.test_portal import signed_in
from verifier import Settings, create_app, db, seal_cache, verification_log
from verifier.models import Role, VerificationEvent
from verifier.tokens import Scope


@pytest.fixture
def database_url() -> Iterator[str]:
    with postgres_schema(require_postgresql()) as url:
        yield url


def _path(seal_url: str) -> str:
    return urlsplit(seal_url).path


def _issue(app: Flask, staff: Staff, key: str) -> dict[str, Any]:
    made = app.test_client().post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": key}),
    )
    assert made.status_code == 201, made.get_json()
    found: dict[str, Any] = made.get_json()
    return found


def _statements(app: Flask) -> Callable[[], int]:
    """How many SQL statements ``app`` has sent since this was called."""
    sent: list[str] = []
    event.listen(
        app.extensions["sceau.engine"],
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: sent.append(statement),
    )
    return lambda: len(sent)


def _listening(app: Flask) -> seal_cache.SealCache:
    cache = seal_cache.of(app)
    assert cache.wait_listening(10), "the seal cache never listened to the register"
    return cache


def _status(page: str) -> str:
    return page.split('data-status="', 1)[1].split('"', 1)[0]


def test_a_scan_again_needs_no_database_and_is_still_recorded(
    ready_app: Flask, staff: Staff
) -> None:
    made = _issue(ready_app, staff, "again")
    _listening(ready_app)
    client = ready_app.test_client()
    first = client.get(_path(made["seal_url"]), headers={"Accept-Language": "fr"})
    assert _status(first.get_data(as_text=True)) == "valid"
    sent = _statements(ready_app)
    for _ in range(3):
        again = client.get(_path(made["seal_url"]), headers={"Accept-Language": "fr"})
        assert again.data == first.data
        assert again.headers["Cache-Control"] == "no-store"  # memory here, never a browser's
    assert sent() == 0
    # Another language is another page, checked against the register once.
    english = client.get(_path(made["seal_url"]), headers={"Accept-Language": "en"})
    assert english.headers["Content-Language"] == "en"
    assert sent() > 0
    verification_log.of(ready_app).flush()
    with ready_app.app_context():
        scans = db.session().scalar(
            select(func.count())
            .select_from(VerificationEvent)
            .where(VerificationEvent.certificate_id == made["id"])
        )
    assert scans == 5


def test_a_revocation_by_another_process_shows_at_the_next_scan(
    ready_app: Flask, staff: Staff, settings: Settings
) -> None:
    made = _issue(ready_app, staff, "revoked-elsewhere")
    _listening(ready_app)
    phone = ready_app.test_client()
    page = _path(made["seal_url"])
    assert _status(phone.get(page).get_data(as_text=True)) == "valid"
    assert phone.get(page, headers={"Accept": "application/json"}).get_json()["status"] == "valid"

    other = create_app(settings)  # another worker process: its own pool, its own memory
    try:
        revoked = other.test_client().post(
            f"/api/v1/certificates/{made['id']}/revoke",
            json={"reason": "fraud"},
            headers=staff.headers(Scope.REVOKE),
        )
        assert revoked.status_code == 200, revoked.get_json()
    finally:
        seal_cache.of(other).close()
        other.extensions["sceau.engine"].dispose()
    # The notification travels with the commit: well within a second, the next scan says so.
    deadline = time.monotonic() + 1
    while _status(phone.get(page).get_data(as_text=True)) != "revoked":
        assert time.monotonic() < deadline, "the cached page still says valid"
        time.sleep(0.02)
    answer = phone.get(page, headers={"Accept": "application/json"}).get_json()
    assert answer["status"] == "revoked"


def test_a_process_deaf_to_the_register_answers_nothing_from_memory(
    ready_app: Flask, staff: Staff
) -> None:
    made = _issue(ready_app, staff, "deaf")
    cache = _listening(ready_app)
    client = ready_app.test_client()
    page = _path(made["seal_url"])
    client.get(page)
    sent = _statements(ready_app)
    client.get(page)
    assert sent() == 0

    with psycopg.connect(require_postgresql(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (cache.listener_pid,))
    deadline = time.monotonic() + 5
    while cache.listening:
        assert time.monotonic() < deadline, "the listener did not notice its connection cut"
        time.sleep(0.01)
    assert len(cache) == 0  # whatever it kept may have missed a change
    client.get(page)
    assert sent() > 0  # from the register, not from memory

    assert cache.wait_listening(10), "the listener did not come back"
    client.get(page)
    before = sent()
    client.get(page)
    assert sent() == before


def test_a_signed_in_agent_never_gets_the_anonymous_page(ready_app: Flask, staff: Staff) -> None:
    made = _issue(ready_app, staff, "agent")
    _listening(ready_app)
    page = _path(made["seal_url"]) + "?lang=en"
    anonymous = ready_app.test_client().get(page).get_data(as_text=True)
    assert "data-history" not in anonymous
    agent, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    seen = agent.get(page).get_data(as_text=True)
    assert 'data-history="issued"' in seen


def test_an_idle_pooled_connection_cut_by_the_server_is_replaced_unseen(
    ready_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart or an idle timeout at night closes the pool's connections; the first visitor
    of the morning gets the page, not a 503."""
    monkeypatch.setattr("verifier.db.IDLE_PING_SECONDS", 0.0)
    client = ready_app.test_client()
    assert client.get("/readyz").status_code == 200
    with ready_app.app_context():  # the pool's one connection, that /readyz used
        backend = db.session().scalar(select(func.pg_backend_pid()))
    with psycopg.connect(require_postgresql(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    assert client.get("/readyz").status_code == 200
