"""A database that cannot be reached answers 503 ``database-unavailable`` with Retry-After, in
the visitor's language: JSON under /api/, a page elsewhere, fast (never a 500, never a hang).

The database here is a PostgreSQL URL on a local port nobody listens on: the real driver's
real "connection refused", on every suite back end. tests/fault/test_database_outage.py stops
and restarts a real server under load.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from verifier import Settings, create_app, db
from verifier.errors import DATABASE_RETRY_AFTER


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: connecting is refused


@pytest.fixture
def unreachable(tmp_path: Path) -> Flask:
    settings = Settings(
        instance_path=tmp_path / "instance",
        database_url=f"postgresql://postgres@127.0.0.1:{_closed_port()}/sceau",
        secret_key="test",
    )
    app = create_app(settings)

    @app.get("/probe")
    def probe() -> str:  # a page that needs the database, as most do
        db.session().execute(text("SELECT 1"))
        return "reached"

    return app


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "momentanément indisponible"), ("en", "briefly unavailable"), ("ar", "غير متاحة")],
)
def test_page_says_unavailable_in_the_visitors_language(
    unreachable: Flask, language: str, words: str
) -> None:
    start = time.monotonic()
    response = unreachable.test_client().get("/probe", headers={"Accept-Language": language})
    assert time.monotonic() - start < 10
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER)
    assert response.headers["Content-Language"] == language
    page = response.get_data(as_text=True)
    assert 'data-error="database-unavailable"' in page
    assert words in page
    assert f"{DATABASE_RETRY_AFTER} " in page


def test_api_answers_json(unreachable: Flask) -> None:
    response = unreachable.test_client().get("/api/v1/log/head", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(DATABASE_RETRY_AFTER)
    body = response.get_json()
    assert body["error"] == "database-unavailable"
    assert "briefly unavailable" in body["message"]
