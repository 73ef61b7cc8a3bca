"""Fixtures of the service tests: an initialised instance, staff tokens, issuance bodies."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bundles.certificate.samples import sample_document
from signing.seal import CertificateType
from verifier import db
from verifier.db import utcnow
from verifier.instance import blob_store
from verifier.models import Office, Person, Role, StoredFile, User
from verifier.passwords import hash_password
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


# ----------------------------------------------------------------------------- accounts

PASSWORD = "correct horse battery staple"


@dataclass
class Account:
    """A user made directly in the database, with what signing in needs."""

    id: int
    email: str
    role: Role
    password: str = PASSWORD
    totp_secret: str | None = None
    person_id: int | None = None
    _last_step: int = 0

    def next_code(self) -> str:
        """A TOTP code of a time step not used yet (codes work once)."""
        assert self.totp_secret is not None
        totp = pyotp.TOTP(self.totp_secret)
        step = max(int(time.time() // totp.interval), self._last_step + 1)
        self._last_step = step
        return totp.at(step * totp.interval)


def make_person(app: Flask, family_name: str = "Haddad", given_names: str = "Amina") -> int:
    """A person whose file is held by the development office."""
    with app.app_context():
        session = db.session()
        office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
        person = Person(
            family_name=family_name,
            given_names=given_names,
            family_name_normalized=family_name.upper(),
            given_names_normalized=given_names.upper(),
            birth_date="1994-07-03",
            office_id=office.id,
        )
        session.add(person)
        session.commit()
        return person.id


def make_account(
    app: Flask,
    role: Role,
    *,
    email: str | None = None,
    person_id: int | None = None,
    office: str | None = OFFICE,
    totp: bool | None = None,
) -> Account:
    """An account of ``role``; staff get a confirmed TOTP secret unless ``totp=False``."""
    with_totp = role.is_staff if totp is None else totp
    with app.app_context():
        session = db.session()
        if role is Role.MIGRANT and person_id is None:
            person_id = make_person(app)
        office_row = None
        if role is Role.OFII_AGENT and office is not None:
            office_row = session.scalars(select(Office).where(Office.code == office)).one()
        user = User(
            email=email or f"{role}-{secrets.token_hex(4)}@example.org",
            display_name=f"Test {role}",
            role=role,
            password_hash=hash_password(PASSWORD),
            office=office_row,
            prefecture="Préfecture de police" if role is Role.PREFECTURE_AGENT else None,
            bar="Paris" if role is Role.LAWYER else None,
            bar_number="P0001" if role is Role.LAWYER else None,
            person_id=person_id if role is Role.MIGRANT else None,
        )
        secret = None
        if with_totp:
            secret = pyotp.random_base32()
            user.totp_secret = secret
            user.totp_confirmed_at = utcnow()
        session.add(user)
        session.commit()
        return Account(user.id, user.email, role, totp_secret=secret, person_id=user.person_id)


def sign_in(client: FlaskClient, account: Account) -> None:
    """Sign in through the real forms: e-mail and password, then the code if enrolled."""
    response = client.post(
        "/sign-in",
        data={
            "email": account.email,
            "password": account.password,
            "csrf_token": form_token(client, "/sign-in"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    if account.totp_secret is not None:
        assert "/sign-in/code" in response.headers["Location"]
        response = client.post(
            "/sign-in/code",
            data={"code": account.next_code(), "csrf_token": form_token(client, "/sign-in/code")},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert "/sign-in" not in response.headers["Location"]


def store_letter(session: Session, person_id: int, title: str, pages: int) -> StoredFile:
    """A PDF of ``pages`` pages in the person's file, as the correspondence upload stores it
    (its blob written first, then the row, flushed but not committed)."""
    from tests.bundles.pack_helpers import _piece_pdf

    pdf = _piece_pdf(title.split()[0], pages)
    key = blob_store().put(pdf)
    stored = StoredFile(
        person_id=person_id,
        kind="pdf",
        title=title,
        original_sha256=key,
        pdf_sha256=key,
        pages=pages,
        size=len(pdf),
    )
    session.add(stored)
    session.flush()
    return stored
