"""A real server in a subprocess on a free local port, on the suite's database (SQLite file, or
a fresh PostgreSQL schema when DATABASE_URL is set), as `make run` would start it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from verifier import Settings, create_app, db
from verifier.models import Office
from verifier.tokens import Scope, create_token

PASSPHRASE = "e2e passphrase"


@dataclass
class Server:
    base_url: str
    tokens: dict[Scope, str]
    process: subprocess.Popen[bytes]
    # An application on the server's database and instance, to make rows (accounts, persons)
    # as the tests of tests/verifier do; its engine is disposed after each use.
    app: Flask

    def auth(self, scope: Scope) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[scope]}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _sceau(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "flask", "--app", "verifier", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail("the server did not answer /healthz within 60 s")


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[Server]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "SCEAU_INSTANCE": str(instance),
        "DATABASE_URL": database_url,
        "SCEAU_SEAL_BASE_URL": base_url,
        "SCEAU_KEY_PASSPHRASE": PASSPHRASE,
        "SCEAU_VERIFY_RATE_LIMIT": "10000 per minute",
    }
    _sceau("init", env=env)
    settings = Settings(
        instance_path=instance,
        database_url=database_url,
        key_passphrase=PASSPHRASE.encode(),
        seal_base_url=base_url,
    )
    app = create_app(settings)
    tokens = {}
    with app.app_context():
        session = db.session()
        office = session.scalars(select(Office)).first()
        assert office is not None
        for scope in Scope:
            _, tokens[scope] = create_token(session, office=office, scopes={scope}, label="e2e")
        session.commit()
    app.extensions["sceau.engine"].dispose()

    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "verifier", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(base_url, process)
        yield Server(base_url, tokens, process, app)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# The browser fixtures of tests/e2e/browser.py, for every e2e test module.
from tests.e2e.browser import browser_page, chromium, playwright  # noqa: E402, F401
