"""No API route that issues, revokes or reads personal data answers without the right token.

The test walks the application's URL map under /api/, so an API route added later without
`require_scope` fails here unless it is deliberately listed as public. The pages, where
people sign in, are walked by role in tests/verifier/test_authorization_matrix.py.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from tests.verifier.conftest import Staff, issue_body
from verifier import db
from verifier.db import utcnow
from verifier.models import ApiToken
from verifier.tokens import Scope

# Public on purpose: what anybody holding a paper certificate, or a verifier, may use.
PUBLIC = {
    "static",
    "health.healthz",
    "health.readyz",
    "api.openapi",
    "api.verify_seal",
    "api.verify_document",
    "packs_api.verify_api",
    "wellknown.trust_list",
    # The transparency log holds no personal data (docs/transparency-log.md): anyone may audit.
    "log_api.head",
    "log_api.certificate_proof",
    "log_api.consistency",
    "log_api.leaves",
    "log_api.keys",
}


def _concrete(rule: str, certificate_id: str) -> str:
    return re.sub(r"<[^>]+>", certificate_id, rule)


def _protected_rules(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return found


def test_every_other_route_refuses_requests_without_a_valid_token(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "access"}),
    )
    assert made.status_code == 201
    certificate_id = made.get_json()["id"]
    protected = _protected_rules(ready_app)
    assert {endpoint for endpoint, _, _ in protected} >= {
        "api.issue_certificate",
        "api.read_certificate",
        "api.certificate_pdf",
        "api.revoke_certificate",
    }
    bad_credentials: list[dict[str, str]] = [
        {},
        {"Authorization": "Bearer sceau_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": staff.headers(Scope.ISSUE)["Authorization"] + "x"},
    ]
    for endpoint, method, rule in protected:
        path = _concrete(rule, certificate_id)
        for headers in bad_credentials:
            response = client.open(path, method=method, headers=headers, json={"reason": "fraud"})
            assert response.status_code == 401, (endpoint, method, headers)
            assert response.get_json()["error"] == "unauthorized"
            assert "Guessan" not in response.get_data(as_text=True)


def test_a_token_of_another_scope_is_refused_and_changes_nothing(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    refused = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.VERIFY, **{"Idempotency-Key": "scope"}),
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "forbidden-scope"
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "scope"}),
    )
    certificate_id = made.get_json()["id"]
    for scope in (Scope.ISSUE, Scope.VERIFY):
        response = client.post(
            f"/api/v1/certificates/{certificate_id}/revoke",
            json={"reason": "fraud"},
            headers=staff.headers(scope),
        )
        assert response.status_code == 403
    read = client.get(f"/api/v1/certificates/{certificate_id}", headers=staff.headers(Scope.VERIFY))
    assert read.get_json()["status"] == "valid"


def test_a_revoked_token_is_refused_at_once(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    path = "/api/v1/certificates/000000000000000000000000"
    assert client.get(path, headers=staff.headers(Scope.VERIFY)).status_code == 404
    with ready_app.app_context():
        session = db.session()
        token = session.scalars(select(ApiToken).where(ApiToken.label == "verify")).one()
        token.revoked_at = utcnow()
        session.commit()
    assert client.get(path, headers=staff.headers(Scope.VERIFY)).status_code == 401
