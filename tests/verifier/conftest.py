"""Fixtures of the service tests: an initialised instance, staff tokens, issuance bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from bundles.certificate.samples import sample_document
from signing.seal import CertificateType
from verifier import db
from verifier.models import Office
from verifier.tokens import Scope, create_token

OFFICE = "DT-PARIS"  # the development office `sceau init` creates
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on the page at ``path``, as a browser would send it back."""
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match is not None, f"no CSRF token in the form of {path}"
    return match.group(1)


@dataclass
class Staff:
    """One token per scope, for the development office."""

    secrets: dict[Scope, str] = field(default_factory=dict)

    def headers(self, scope: Scope, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[scope]}", **extra}


@pytest.fixture
def ready_app(app: Flask, runner: FlaskCliRunner) -> Flask:
    """The app after `sceau init`: database migrated, keys, development PKI and office."""
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def staff(ready_app: Flask) -> Staff:
    found = Staff()
    with ready_app.app_context():
        session = db.session()
        office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
        for scope in Scope:
            _, secret = create_token(session, office=office, scopes={scope}, label=str(scope))
            found.secrets[scope] = secret
        session.commit()
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int):
        return value
    return list(value)


def issue_body(kind: CertificateType = CertificateType.CIVIC_TRAINING, **overrides: Any) -> dict:  # type: ignore[type-arg]
    """A valid issuance request for ``kind``, from the sample documents."""
    document = sample_document(kind)
    claims = document.claims
    body: dict[str, Any] = {
        "type": str(kind),
        "holder": {
            "family_name": claims.family_name,
            "given_names": claims.given_names,
            "birth_date": str(claims.birth_date),
            "nationality": "SEN",
            "foreigner_number": "7501234567",
            "preferred_language": "fr",
        },
        "details": {key: _jsonable(value) for key, value in document.details.items()},
    }
    if claims.valid_until is not None:
        body["valid_until"] = claims.valid_until.isoformat()
    body.update(overrides)
    return body
