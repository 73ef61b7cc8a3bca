"""The OFII back office on the web: issue a certificate for a person, revoke one.

Why pages beside the API: an agent at the desk has a browser, not a bearer token. Both doors
go through the same code: the form is turned into the API's JSON body and checked by
``parse_issue_request`` / ``parse_revocation`` (verifier/api_input.py), then ``issue`` and
``revoke`` (verifier/issuance.py) write the certificate or the revocation, its audit entry and
its transparency-log leaf in one commit. Nothing here validates a second time.

Who: an OFII agent, on a file their office holds (``open_file``: another office's person, or
another person's certificate, answers 404 like an unknown id).

Double submit: the form carries a one-time key (random, hidden). The POST that issues also
writes a ``OneTimeCode`` row (purpose ``issue-form``, only the key's SHA-256, used at once)
in the same commit as the certificate. A second POST with the same key finds the row and
issues nothing; two POSTs racing both sign, but the second commit fails on the row's unique
hash and is rolled back (its PDF is an orphan blob for `sceau gc`). Either way the agent lands
on the person's page, where the one certificate is listed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bundles.certificate import WORDING
from bundles.errors import CertificateError
from signing.errors import ClaimsError
from signing.seal import CertificateType
from verifier import db
from verifier.access import actor_label, record_access
from verifier.accounts import require_role
from verifier.api_input import parse_issue_request, parse_revocation
from verifier.db import utcnow
from verifier.errors import ApiError
from verifier.i18n import gettext
from verifier.instance import blob_store, keyring
from verifier.issuance import IssuanceError, issue, revoke
from verifier.models import (
    Certificate,
    CertificateStatus,
    OneTimeCode,
    Person,
    RevocationReason,
    Role,
    User,
)
from verifier.portal_pages import (
    certificate_of,
    current_user_or_403,
    format_day,
    no_store,
    open_file,
)

__all__ = ["FORM_KEY_PURPOSE", "bp", "field_kind"]

bp = Blueprint("issue", __name__)
bp.after_request(no_store)

FORM_KEY_PURPOSE = "issue-form"  # OneTimeCode.purpose of the issue form's one-time keys
_FORM_KEY = re.compile(r"[0-9a-f]{32}")
_MAX_FIELD = 2000  # what api_input accepts for one detail; longer is cut, then refused there
_MAX_LINES = 60

# How each detail is typed in (the wording table names fields, not their shapes). Dates and
# times are sent as ISO text, which api_input turns into dates exactly as for the API.
_DATES = frozenset(
    {
        "validated_on",
        "visa_valid_until",
        "visit_date",
        "signed_on",
        "session_date",
        "filed_on",
        "since",
        "referred_on",
    }
)
_DATETIMES = frozenset({"appointment_at"})
_LISTS = frozenset({"trainings_prescribed", "days_attended", "bring"})
_NUMBERS = frozenset(
    {
        (CertificateType.LANGUAGE_TRAINING, "hours_prescribed"),
        (CertificateType.LANGUAGE_TRAINING, "hours_attended"),
    }
)


def field_kind(kind: CertificateType, key: str) -> str:
    """The input a detail needs: date, datetime-local, number, lines (one item a line), text."""
    if key in _DATES:
        return "date"
    if key in _DATETIMES:
        return "datetime-local"
    if (kind, key) in _NUMBERS:
        return "number"
    if key in _LISTS:
        return "lines"
    return "text"


@dataclass(frozen=True)
class FieldView:
    key: str
    name: str  # the form field's name
    label: str
    kind: str
    required: bool
    value: str
    invalid: bool


def _type_of(text: str) -> CertificateType | None:
    try:
        return CertificateType(text)
    except ValueError:
        return None


def _fields(
    kind: CertificateType, form: dict[str, str], invalid: frozenset[str]
) -> list[FieldView]:
    return [
        FieldView(
            key=f.key,
            name=f"detail-{f.key}",
            label=gettext(f"issue-field-{f.key}"),
            kind=field_kind(kind, f.key),
            required=f.required,
            value=form.get(f"detail-{f.key}", ""),
            invalid=f.key in invalid,
        )
        for f in WORDING[kind].fields
    ]


def _types() -> list[tuple[str, str]]:
    return [(str(kind), gettext(f"type-{kind}")) for kind in CertificateType]


def _issue_page(
    person: Person,
    kind: CertificateType | None,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    invalid: frozenset[str] = frozenset(),
    status: int = 200,
) -> ResponseReturnValue:
    values = form or {}
    page = render_template(
        "agent/issue.html",
        person=person,
        kind=str(kind) if kind is not None else "",
        kind_words=gettext(f"type-{kind}") if kind is not None else "",
        types=_types(),
        fields=_fields(kind, values, invalid) if kind is not None else [],
        form=values,
        invalid=invalid,
        error=error,
        # A new key each time the form is shown: a corrected form is a new request.
        form_key=secrets.token_hex(16),
    )
    return make_response(page, status)


def _agent_file(person_id: int) -> tuple[Session, User, Person]:
    session = db.session()
    user = current_user_or_403()
    return session, user, open_file(session, user, person_id)


@bp.get("/agent/persons/<int:person_id>/issue")
@require_role(Role.OFII_AGENT)
def issue_form(person_id: int) -> ResponseReturnValue:
    """Without a type (or an unknown one): the list of types to pick from; with one, its
    fields. Two steps rather than one page that reshapes itself: no script needed."""
    session, user, person = _agent_file(person_id)
    record_access(session, user, person, action="view", object_type="person", object_id=person.id)
    page = _issue_page(person, _type_of(request.args.get("type", "")))
    session.commit()
    return page


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][: _MAX_LINES + 1]


def _read_issue_form(kind: CertificateType) -> dict[str, str]:
    form = {"type": str(kind)}
    for name in ("issued_on", "valid_until"):
        form[name] = request.form.get(name, "").strip()[:40]
    for f in WORDING[kind].fields:
        name = f"detail-{f.key}"
        form[name] = request.form.get(name, "").replace("\r\n", "\n").strip()[: _MAX_FIELD + 1]
    return form


def _body(person: Person, kind: CertificateType, form: dict[str, str]) -> dict[str, Any]:
    """The API's JSON body for this form: the same parser then checks it."""
    details: dict[str, Any] = {}
    for f in WORDING[kind].fields:
        text = form[f"detail-{f.key}"]
        if not text:
            continue  # a missing required field is refused by the document check
        shape = field_kind(kind, f.key)
        if shape == "lines":
            details[f.key] = _lines(text)
        elif shape == "number" and text.isdigit() and len(text) <= 9:
            details[f.key] = int(text)
        else:
            details[f.key] = text
    body: dict[str, Any] = {"type": str(kind), "person_id": person.id, "details": details}
    for name in ("issued_on", "valid_until"):
        if form[name]:
            body[name] = form[name]
    return body


def _field_of_error(error: ApiError) -> str:
    field = error.field or ""
    return field.removeprefix("details.")


def _field_label(field: str) -> str:
    if field in ("issued_on", "valid_until", "type"):
        return gettext(f"field-{field.replace('_', '-')}")
    return gettext(f"issue-field-{field}")


def _missing(kind: CertificateType, form: dict[str, str]) -> frozenset[str]:
    """The required fields left empty, to point at them (the refusal itself is the document
    check's, in issue())."""
    return frozenset(
        f.key for f in WORDING[kind].fields if f.required and not form[f"detail-{f.key}"]
    )


def _form_key_hash(key: str) -> str:
    return hashlib.sha256(f"{FORM_KEY_PURPOSE}:{key}".encode("ascii")).hexdigest()


def _already_used(session: Session, key_hash: str) -> bool:
    return (
        session.scalar(select(OneTimeCode.id).where(OneTimeCode.code_hash == key_hash)) is not None
    )


@bp.post("/agent/persons/<int:person_id>/issue")
@require_role(Role.OFII_AGENT)
def issue_post(person_id: int) -> ResponseReturnValue:
    session, user, person = _agent_file(person_id)
    kind = _type_of(request.form.get("type", ""))
    if kind is None:
        return _issue_page(person, None, error=gettext("issue-error-type"), status=400)
    form = _read_issue_form(kind)
    key = request.form.get("form_key", "")
    if not _FORM_KEY.fullmatch(key):
        return _issue_page(
            person, kind, form=form, error=gettext("issue-error-form-key"), status=400
        )
    key_hash = _form_key_hash(key)
    person_page = url_for("agent.person", person_id=person.id, issued="again")
    if _already_used(session, key_hash):
        return redirect(person_page, 303)
    try:
        issue_request = parse_issue_request(_body(person, kind, form))
    except ApiError as error:
        field = _field_of_error(error)
        message = gettext("issue-error-field", field=_field_label(field))
        return _issue_page(
            person, kind, form=form, error=message, invalid=frozenset({field}), status=400
        )
    office = user.office
    assert office is not None  # open_file let an agent through only for their office's file
    now = utcnow()
    # Committed with the certificate by issue(): the key is used exactly when it issued.
    session.add(
        OneTimeCode(
            purpose=FORM_KEY_PURPOSE,
            code_hash=key_hash,
            person_id=person.id,
            created_by_id=user.id,
            expires_at=now,
            used_at=now,
        )
    )
    try:
        certificate, _ = issue(
            session,
            keyring=keyring(),
            blobs=blob_store(),
            office=office,
            request=issue_request,
            actor=actor_label(user),
        )
    except IntegrityError:  # the same form, sent twice at once: the other one issued
        session.rollback()
        return redirect(person_page, 303)
    except (IssuanceError, ClaimsError, CertificateError):
        session.rollback()
        return _issue_page(
            person,
            kind,
            form=form,
            error=gettext("issue-error-cannot"),
            invalid=_missing(kind, form),
            status=400,
        )
    target = url_for("agent.person", person_id=person.id, issued=certificate.id)
    return redirect(f"{target}#certificate-{certificate.id}", 303)


# ----------------------------------------------------------------------------- one certificate


def _seal_path(certificate: Certificate) -> str:
    """The seal page of this site for the certificate (the QR code's path, without the host
    the URL was minted with)."""
    return urlsplit(certificate.seal_url).path


@bp.get("/agent/persons/<int:person_id>/certificates/<certificate_id>/seal")
@require_role(Role.OFII_AGENT)
def seal_page(person_id: int, certificate_id: str) -> ResponseReturnValue:
    """To the public seal page, as the QR code would take a phone there."""
    session, _, person = _agent_file(person_id)
    return redirect(_seal_path(certificate_of(session, person, certificate_id)), 303)


def _revoke_page(
    person: Person,
    certificate: Certificate,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    invalid: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "agent/revoke.html",
        person=person,
        certificate=certificate,
        kind_words=gettext(f"type-{certificate.type}"),
        issued_on=format_day(certificate.issued_on),
        revocable=certificate.status == CertificateStatus.VALID,
        reasons=[(str(r), gettext(f"reason-{r}")) for r in RevocationReason],
        form=form or {},
        error=error,
        invalid=invalid,
    )
    return make_response(page, status)


@bp.get("/agent/persons/<int:person_id>/certificates/<certificate_id>/revoke")
@require_role(Role.OFII_AGENT)
def revoke_form(person_id: int, certificate_id: str) -> ResponseReturnValue:
    session, _, person = _agent_file(person_id)
    return _revoke_page(person, certificate_of(session, person, certificate_id))


@bp.post("/agent/persons/<int:person_id>/certificates/<certificate_id>/revoke")
@require_role(Role.OFII_AGENT)
def revoke_post(person_id: int, certificate_id: str) -> ResponseReturnValue:
    """Revocation is public (transparency log) and final: the form asks for an explicit
    confirmation, and the reason is one of the API's categories."""
    session, user, person = _agent_file(person_id)
    certificate = certificate_of(session, person, certificate_id)
    form = {
        "reason": request.form.get("reason", "")[:40],
        "text": request.form.get("text", "").replace("\r\n", "\n").strip()[:2001],
        "confirm": request.form.get("confirm", ""),
    }
    if certificate.status != CertificateStatus.VALID:
        return _revoke_page(
            person, certificate, form=form, error=gettext("already-revoked"), status=409
        )
    try:
        reason, text = parse_revocation({"reason": form["reason"], "text": form["text"]})
    except ApiError as error:
        field = error.field or "reason"
        label = (
            gettext("issue-revoke-reason") if field == "reason" else gettext("issue-revoke-text")
        )
        return _revoke_page(
            person,
            certificate,
            form=form,
            error=gettext("issue-error-field", field=label),
            invalid=field,
            status=400,
        )
    if form["confirm"] != "yes":
        return _revoke_page(
            person,
            certificate,
            form=form,
            error=gettext("issue-revoke-confirm-missing"),
            invalid="confirm",
            status=400,
        )
    try:
        revoke(
            session,
            certificate,
            reason=reason,
            text=text,
            by=actor_label(user),
            keyring=keyring(),
        )
    except IssuanceError:  # revoked by someone else meanwhile
        session.rollback()
        return _revoke_page(
            person, certificate, form=form, error=gettext("already-revoked"), status=409
        )
    target = url_for("agent.person", person_id=person.id, revoked=certificate.id)
    return redirect(f"{target}#certificate-{certificate.id}", 303)
