"""What an operator sees: JSON log lines with a request id and no personal data, /metrics
counting issuances and verifications (closed to the outside), /readyz naming what is down."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.verifier.conftest import Staff, form_token, issue_body
from verifier import Settings, create_app
from verifier.logs import JsonFormatter
from verifier.tokens import Scope


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged during the test, formatted as the servers format it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _access(stream: io.StringIO) -> list[dict[str, object]]:
    return [line for line in _lines(stream) if line["logger"] == "sceau.access"]


def _sample(client: FlaskClient, name: str) -> float:
    """The value of one sample in /metrics (0 when absent)."""
    text = client.get("/metrics").get_data(as_text=True)
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if key == name:
            return float(value)
    return 0.0


def test_the_request_id_round_trips_and_a_bad_one_is_replaced(
    client: FlaskClient, log_lines: io.StringIO
) -> None:
    sent = "lb-7f3a9c2e-0001"
    response = client.get("/healthz", headers={"X-Request-Id": sent})
    assert response.headers["X-Request-Id"] == sent

    bad_ids = ("short", "has spaces", "x" * 300, "evil\u00e9-unicode-id", "<script>1</script>")
    for bad in bad_ids:
        replaced = client.get("/healthz", headers={"X-Request-Id": bad}).headers["X-Request-Id"]
        assert replaced != bad
        assert re.fullmatch(r"[0-9a-f]{32}", replaced)
    fresh = client.get("/healthz").headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)

    lines = _access(log_lines)
    assert lines[0]["request_id"] == sent
    assert lines[-1]["request_id"] == fresh
    assert lines[0]["path"] == "/healthz"
    assert lines[0]["status"] == 200
    assert isinstance(lines[0]["duration_ms"], float)
    assert {"time", "level", "logger", "message", "method"} <= lines[0].keys()


def test_requests_carrying_personal_data_log_none_of_it(
    ready_app: Flask, staff: Staff, log_lines: io.StringIO
) -> None:
    client = ready_app.test_client()
    body = issue_body()
    holder = body["holder"]
    made = client.post(
        "/api/v1/certificates",
        json=body,
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "obs-1"}),
    )
    assert made.status_code == 201, made.get_json()
    certificate = made.get_json()
    payload = certificate["seal_url"].rsplit("/", 1)[1]
    email = "amina.haddad@example.org"
    # The seal page (payload in the path), with a query string naming someone.
    seal = client.get(f"/V/{payload}?name={holder['family_name']}&email={email}")
    assert seal.status_code == 200
    # The API, the seal in the body.
    api = client.post("/api/v1/verify", json={"seal": certificate["seal_url"]})
    assert api.status_code == 200
    # A page that does not exist, its path naming someone.
    client.get(f"/persons/{holder['family_name']}/{holder['birth_date']}")
    # A sign-in attempt with an e-mail address.
    client.post("/sign-in", data={"email": email, "password": "secret"})

    text = log_lines.getvalue()
    assert text, "nothing was logged"
    for secret in (
        holder["family_name"],
        holder["given_names"],
        holder["birth_date"],
        holder["foreigner_number"],
        email,
        payload[:24],
        "name=",
        "secret",
    ):
        assert secret not in text, f"{secret!r} reached the logs"
    paths = {line["path"] for line in _access(log_lines)}
    assert "/V/<path:payload>" in paths
    assert "<unmatched>" in paths


def test_an_unhandled_error_is_logged_without_the_path_or_its_message(
    settings: Settings, log_lines: io.StringIO
) -> None:
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)

    @app.get("/boom/<name>")
    def boom(name: str) -> str:
        raise ValueError(f"cannot handle {name}")

    client = app.test_client()
    try:
        response = client.get("/boom/Haddad", headers={"X-Request-Id": "req-boom-000001"})
        assert response.status_code == 500
    finally:
        app.extensions["sceau.engine"].dispose()
    text = log_lines.getvalue()
    assert "Haddad" not in text
    errors = [line for line in _lines(log_lines) if line["level"] == "ERROR"]
    assert errors
    assert errors[0]["exception"] == "ValueError"
    assert errors[0]["path"] == "/boom/<name>"
    assert errors[0]["request_id"] == "req-boom-000001"
    assert "raise ValueError" in str(errors[0]["stack"])


def test_metrics_count_issuances_and_verifications_by_channel_and_outcome(
    ready_app: Flask, staff: Staff, tmp_path: Path
) -> None:
    client = ready_app.test_client()
    issued = 'sceau_issuances_total{type="civic-training"}'
    scans = 'sceau_verifications_total{channel="scan",outcome="valid"}'
    apis = 'sceau_verifications_total{channel="api",outcome="valid"}'
    uploads = 'sceau_verifications_total{channel="upload",outcome="exact-match"}'
    before = {name: _sample(client, name) for name in (issued, scans, apis, uploads)}

    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "obs-metrics"}),
    )
    assert made.status_code == 201
    # A replay is the same issuance, not a new one.
    client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "obs-metrics"}),
    )
    certificate = made.get_json()
    assert client.get("/V/" + certificate["seal_url"].rsplit("/", 1)[1]).status_code == 200
    assert client.post("/api/v1/verify", json={"seal": certificate["seal_url"]}).status_code == 200
    pdf = client.get(
        f"/api/v1/certificates/{certificate['id']}/pdf", headers=staff.headers(Scope.VERIFY)
    ).data
    checked = client.post(
        "/verifier",
        data={"csrf_token": form_token(client, "/verifier"), "file": (io.BytesIO(pdf), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert checked.status_code == 200

    after = {name: _sample(client, name) for name in before}
    assert after[issued] - before[issued] == 1
    assert after[scans] - before[scans] == 1
    assert after[apis] - before[apis] == 1
    assert after[uploads] - before[uploads] == 1

    text = client.get("/metrics").get_data(as_text=True)
    assert 'sceau_request_duration_seconds_count{endpoint="pages.seal",method="GET"}' in text
    assert "sceau_pack_build_duration_seconds" in text
    assert re.search(r"^sceau_queue_depth \d", text, re.MULTILINE)
    assert "Haddad" not in text
    assert certificate["seal_url"] not in text


def test_metrics_are_closed_to_the_outside(settings: Settings, app: Flask) -> None:
    client = app.test_client()
    assert client.get("/metrics").status_code == 200  # a Prometheus on the same machine
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 403
    # Through a reverse proxy on the same machine: still the outside.
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403

    token_app = create_app(replace(settings, metrics_token="s3cret-metrics-token"))
    try:
        token_client = token_app.test_client()
        assert token_client.get("/metrics").status_code == 403  # loopback is not enough now
        wrong = token_client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        right = token_client.get(
            "/metrics",
            headers={"Authorization": "Bearer s3cret-metrics-token"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        assert right.status_code == 200
        assert "sceau_issuances_total" in right.get_data(as_text=True)
    finally:
        token_app.extensions["sceau.engine"].dispose()


def test_readyz_reports_each_check(ready_app: Flask) -> None:
    response = ready_app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    found = response.get_json()
    assert found["status"] == "ready"
    assert set(found["checks"]) == {"database", "blob_store", "key_store"}
    assert all(value.startswith("ok") for value in found["checks"].values())
    assert ready_app.test_client().get("/healthz").status_code == 200


def test_readyz_names_what_is_down(ready_app: Flask, settings: Settings) -> None:
    # The blob folder replaced by a file: nothing can be written there.
    blobs = settings.blobs_path
    if blobs.exists():
        for child in sorted(blobs.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        blobs.rmdir()
    blobs.write_text("not a folder")
    response = ready_app.test_client().get("/readyz")
    assert response.status_code == 503
    found = response.get_json()
    assert found["message"] == "down: blob_store"
    assert found["checks"]["database"] == "ok"
    assert found["checks"]["key_store"].startswith("ok")
    assert response.headers["Retry-After"]


def test_readyz_says_the_database_is_down_and_healthz_stays_alive(settings: Settings) -> None:
    # A PostgreSQL that does not answer (nothing listens on port 9), and no keys made.
    down = replace(settings, database_url="postgresql://sceau@127.0.0.1:9/sceau?connect_timeout=2")
    down.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(down)
    try:
        client = app.test_client()
        response = client.get("/readyz")
        assert response.status_code == 503
        found = response.get_json()
        assert "database" in found["message"]
        assert "key_store" in found["message"]
        assert found["checks"]["database"].startswith("down: OperationalError")
        assert "127.0.0.1" not in json.dumps(found)  # details go to the log, not to the public
        assert client.get("/healthz").status_code == 200
    finally:
        app.extensions["sceau.engine"].dispose()
