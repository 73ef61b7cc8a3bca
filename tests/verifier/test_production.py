"""`sceau serve --production`: gunicorn workers on a fresh instance, as the Docker image runs it.

It answers /healthz, /readyz and a seal page, counts across its workers in /metrics, writes
JSON log lines without the seal's payload, and a SIGTERM stops it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.verifier.conftest import issue_body
from verifier import Settings, create_app, db
from verifier.models import Office
from verifier.tokens import Scope, create_token

SCEAU = str(Path(sys.executable).parent / "sceau")
PASSPHRASE = "production test passphrase"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.slow
def test_production_server_serves_counts_logs_and_stops_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    instance = tmp_path / "instance"
    metrics_dir = tmp_path / "metrics"
    env = {
        **os.environ,
        "SCEAU_INSTANCE": str(instance),
        "DATABASE_URL": database_url,
        "SCEAU_SEAL_BASE_URL": base,
        "SCEAU_KEY_PASSPHRASE": PASSPHRASE,
        "SCEAU_WORKERS": "2",
        "SCEAU_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    init = subprocess.run([SCEAU, "init"], env=env, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr

    settings = Settings(
        instance_path=instance,
        database_url=database_url,
        key_passphrase=PASSPHRASE.encode(),
        seal_base_url=base,
    )
    app = create_app(settings)
    with app.app_context():
        session = db.session()
        office = session.scalars(select(Office)).first()
        assert office is not None
        _, secret = create_token(session, office=office, scopes={Scope.ISSUE}, label="prod")
        session.commit()
    app.extensions["sceau.engine"].dispose()

    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [SCEAU, "serve", "--production", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, body = _get(f"{base}/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "no answer on /healthz within 90 s"
            time.sleep(0.2)
        assert json.loads(body) == {"status": "ok"}

        status, _, body = _get(f"{base}/readyz")
        assert status == 200, body
        assert json.loads(body)["status"] == "ready"

        body_sent = issue_body()
        given_name = body_sent["holder"]["given_names"].split()[0]
        made = urllib.request.Request(  # noqa: S310
            f"{base}/api/v1/certificates",
            data=json.dumps(body_sent).encode(),
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Idempotency-Key": "production-test",
            },
            method="POST",
        )
        with urllib.request.urlopen(made, timeout=60) as response:  # noqa: S310
            assert response.status == 201
            certificate = json.loads(response.read())
        payload = certificate["seal_url"].rsplit("/", 1)[1]
        status, headers, body = _get(f"{base}/V/{payload}", **{"X-Request-Id": "prod-test-0001"})
        assert status == 200
        assert headers["X-Request-Id"] == "prod-test-0001"
        assert given_name.upper().encode() in body.upper()  # the verdict shows the holder

        # Whichever worker answers, it adds up every worker's samples (multiprocess mode).
        for _ in range(4):
            status, _, body = _get(f"{base}/metrics")
            assert status == 200
            assert 'sceau_issuances_total{type="civic-training"} 1.0' in body.decode(), body
        status, _, _ = _get(f"{base}/metrics", **{"X-Forwarded-For": "203.0.113.9"})
        assert status == 403
        assert any(metrics_dir.iterdir()), "no multiprocess files: each worker counts alone"

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=45) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    lines = [line for line in log_path.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    access = [r for r in records if r["logger"] == "sceau.access"]
    seal = [r for r in access if r["path"] == "/V/<path:payload>"]
    assert seal, "no access line for the seal page"
    assert seal[0]["request_id"] == "prod-test-0001"
    assert seal[0]["status"] == 200
    text = log_path.read_text()
    assert payload[:24] not in text
    assert given_name.upper() not in text.upper()
    assert any("Shutting down" in str(r["message"]) for r in records)


def test_a_restart_clears_dead_processes_metrics_and_keeps_live_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from verifier import gunicorn_conf

    folder = tmp_path / "metrics"
    folder.mkdir()
    live = folder / f"histogram_{os.getpid()}.db"  # e.g. a `sceau worker` sharing the folder
    dead = folder / "counter_4194999.db"  # above Linux's largest pid: a previous run's worker
    for path in (live, dead):
        path.write_bytes(b"samples")
    settings = replace(gunicorn_conf._settings, metrics_multiproc_dir=folder)
    monkeypatch.setattr(gunicorn_conf, "_settings", settings)
    gunicorn_conf.on_starting(None)
    assert live.exists()
    assert not dead.exists()
