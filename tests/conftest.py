"""Fixtures of the whole suite, after Flask's tutorial: settings, app, client, runner.

The database is SQLite in a temporary folder, or, when DATABASE_URL is set (CI's second run),
a fresh schema of that PostgreSQL database for each test, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.softhsm import SoftHsm, SoftToken, make_softhsm
from tests.tools import postgres_schema
from verifier import Settings, close_app, create_app, live_apps

SERVER_URL = os.environ.get("DATABASE_URL", "")


@contextmanager
def _closing_new_apps() -> Iterator[None]:
    """Close every application made inside (its job threads, buffered rows, listener and
    pooled connections): none outlives its test to fail a later one when it is collected."""
    before = {id(app) for app in live_apps()}
    try:
        yield
    finally:
        for app in live_apps():
            if id(app) not in before:
                close_app(app)


@pytest.fixture(autouse=True)
def _apps_closed() -> Iterator[None]:
    with _closing_new_apps():
        yield


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not SERVER_URL:
        yield f"sqlite:///{tmp_path / 'instance' / 'sceau.db'}"
        return
    # Apps are closed before their schema goes (the autouse fixture would close them after).
    with postgres_schema(SERVER_URL) as url, _closing_new_apps():
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        key_passphrase=b"test passphrase",
        secret_key="test",
        # Suites send many anonymous verifications from one address; the limit itself is
        # tested in tests/verifier/test_rate_limit.py with a low one.
        verify_rate_limit="100000 per minute",
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftHsm]:
    """SoftHSM2 with its tokens in a temporary folder, for the PKCS#11 tests of every package.

    One folder per run: SoftHSM2 reads SOFTHSM2_CONF when initialised, once per process.
    """
    hsm = make_softhsm(tmp_path_factory.mktemp("softhsm"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(hsm.conf))
        yield hsm


@pytest.fixture
def token(softhsm: SoftHsm) -> SoftToken:
    """A fresh, empty token of its own for one test."""
    return softhsm.new_token()
