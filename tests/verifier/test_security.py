"""Headers on every answer, and forms refused without their CSRF token."""

from __future__ import annotations

import io
from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient

from tests.verifier.conftest import form_token
from verifier import Settings, create_app


def test_every_page_carries_a_strict_policy(ready_app: Flask) -> None:
    client = ready_app.test_client()
    for path in ("/", "/verifier", "/healthz", "/api/v1/openapi.json", "/nowhere"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # plain http: HSTS would mean nothing


def test_hsts_and_secure_cookies_behind_https(settings: Settings) -> None:
    secure = replace(settings, seal_base_url="https://sceau.example.org", behind_proxy=True)
    secure.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(secure)
    try:
        response = app.test_client().get("/verifier", headers={"X-Forwarded-Proto": "https"})
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-sceau=")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
    finally:
        app.extensions["sceau.engine"].dispose()


def test_a_form_without_its_csrf_token_is_refused(ready_app: Flask) -> None:
    client: FlaskClient = ready_app.test_client()
    pdf = b"%PDF-1.7\n%%EOF\n"
    refused = client.post(
        "/verifier?lang=en",
        data={"file": (io.BytesIO(pdf), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "The form has expired or did not come from this site" in refused.get_data(as_text=True)
    forged = client.post(
        "/verifier",
        data={"file": (io.BytesIO(pdf), "c.pdf"), "csrf_token": "forged"},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400
    accepted = client.post(
        "/verifier",
        data={"file": (io.BytesIO(pdf), "c.pdf"), "csrf_token": form_token(client, "/verifier")},
        content_type="multipart/form-data",
    )
    assert accepted.status_code == 200
