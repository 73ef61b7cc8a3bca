"""Issuing and revoking certificates: one unit of work each.

Order of issuance: seal, render and sign (no database work held open meanwhile), write the PDF
to the blob store, then insert the row, mark what it supersedes, record the idempotency key and
append to the transparency log (verifier/transparency.py), and commit once. A crash before
the commit leaves an orphan blob for `sceau gc`, never a row without its PDF. A
revocation and its log entry commit together too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bundles.certificate import CertificateDocument, DetailValue, build_certificate
from signing.seal import BirthDate, CertificateType, SealClaims, decode, new_certificate_id
from signing.seal import normalize_name as seal_name
from verifier import audit, metrics, transparency
from verifier.blobs import BlobStore
from verifier.db import utcnow
from verifier.faults import pause_point
from verifier.keyring import Keyring
from verifier.models import (
    ApiToken,
    Certificate,
    CertificateStatus,
    IdempotencyRecord,
    Office,
    Person,
    Revocation,
    RevocationReason,
)

__all__ = [
    "Holder",
    "IdempotencyConflict",
    "IssuanceError",
    "IssueRequest",
    "current_status",
    "issue",
    "revoke",
]


class IssuanceError(ValueError):
    """The request cannot be honoured as asked (unknown person, already revoked...)."""


class IdempotencyConflict(IssuanceError):
    """The Idempotency-Key was used before for a different request."""


@dataclass(frozen=True, kw_only=True)
class Holder:
    family_name: str
    given_names: str
    birth_date: BirthDate
    nationality: str | None = None
    foreigner_number: str | None = None
    email: str | None = None
    preferred_language: str = "fr"


@dataclass(frozen=True, kw_only=True)
class IssueRequest:
    certificate_type: CertificateType
    holder: Holder | None = None
    person_id: int | None = None
    details: dict[str, DetailValue] = field(default_factory=dict)
    issued_on: date | None = None
    valid_until: date | None = None
    supersedes: str | None = None

    def fingerprint(self, raw: Any) -> str:
        return hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()


def current_status(certificate: Certificate, today: date | None = None) -> str:
    """Stored status, or "expired" for a valid certificate past its end date."""
    if certificate.status != CertificateStatus.VALID:
        return certificate.status
    day = today or date.today()
    if certificate.valid_until is not None and certificate.valid_until < day:
        return "expired"
    return CertificateStatus.VALID


def _person(session: Session, request: IssueRequest, office: Office) -> Person:
    if request.person_id is not None:
        person = session.get(Person, request.person_id)
        if person is None:
            raise IssuanceError(f"no person {request.person_id}")
        return person
    holder = request.holder
    if holder is None:
        raise IssuanceError("give either person_id or holder")
    person = Person(
        family_name=holder.family_name,
        given_names=holder.given_names,
        family_name_normalized=seal_name(holder.family_name),
        given_names_normalized=seal_name(holder.given_names),
        birth_date=str(holder.birth_date),
        nationality=holder.nationality,
        foreigner_number=holder.foreigner_number,
        email=holder.email,
        preferred_language=holder.preferred_language,
        office_id=office.id,
    )
    session.add(person)
    return person


def _birth_date(text: str) -> BirthDate:
    return BirthDate(*(int(part) for part in text.split("-")))


def issue(
    session: Session,
    *,
    keyring: Keyring,
    blobs: BlobStore,
    office: Office,
    request: IssueRequest,
    token: ApiToken | None = None,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
    actor: str | None = None,
) -> tuple[Certificate, bool]:
    """Issue a certificate; returns it and whether it was created now (False on a replay)."""
    if idempotency_key is not None and token is not None:
        replay = _replay(session, token, idempotency_key, request_fingerprint)
        if replay is not None:
            return replay, False
    previous = None
    if request.supersedes is not None:
        previous = session.get(Certificate, request.supersedes)
        if previous is None:
            raise IssuanceError(f"no certificate {request.supersedes} to supersede")
        if previous.status != CertificateStatus.VALID:
            raise IssuanceError(f"certificate {previous.id} is {previous.status}")
    person = previous.person if previous is not None and request.holder is None else None
    person = person or _person(session, request, office)
    claims = SealClaims(
        certificate_id=new_certificate_id(),
        certificate_type=request.certificate_type,
        family_name=person.family_name,
        given_names=person.given_names,
        birth_date=_birth_date(person.birth_date),
        issued_on=request.issued_on or date.today(),
        valid_until=request.valid_until,
        office=office.code,
    )
    issued = build_certificate(
        CertificateDocument(claims=claims, office_name=office.name, details=request.details),
        key_store=keyring.store,
        seal_key_id=keyring.seal_key_id,
        pdf_signer=keyring.pdf_signer,
        base_url=keyring.base_url,
        timestamper=keyring.timestamper,
    )
    pdf_key = blobs.put(issued.pdf)  # durable before any row names it
    certificate = Certificate(
        id=claims.certificate_id.hex(),
        type=str(request.certificate_type),
        person=person,
        office_id=office.id,
        details={k: _jsonable(v) for k, v in request.details.items()},
        status=CertificateStatus.VALID,
        issued_on=claims.issued_on,
        valid_until=claims.valid_until,
        key_id=keyring.seal_key_id.hex(),
        seal_url=issued.seal_url,
        seal_sha256=decode(issued.seal_url).digest.hex(),
        pdf_sha256=pdf_key,
        supersedes_id=previous.id if previous is not None else None,
        issued_by_token_id=token.id if token is not None else None,
    )
    session.add(certificate)
    # The certificates table refers to itself (supersedes / superseded by), so the unit of
    # work cannot order its inserts by foreign keys alone: insert the new row first.
    session.flush()
    if previous is not None:
        previous.status = CertificateStatus.SUPERSEDED
        previous.superseded_by_id = certificate.id
    if idempotency_key is not None and token is not None:
        session.add(
            IdempotencyRecord(
                token_id=token.id,
                key=idempotency_key,
                request_sha256=request_fingerprint,
                certificate_id=certificate.id,
            )
        )
    audit.append(
        session,
        actor=actor or (f"token:{token.prefix}" if token is not None else "cli"),
        action="certificate.issue",
        object_type="certificate",
        object_id=certificate.id,
        details={"type": certificate.type, "supersedes": certificate.supersedes_id},
    )
    transparency.log_issue(session, keyring.store, certificate)  # public, in the same commit
    pause_point("issue-before-commit")  # tests/fault: a crash here leaves only an orphan blob
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if idempotency_key is not None and token is not None:
            replay = _replay(session, token, idempotency_key, request_fingerprint)
            if replay is not None:  # a concurrent retry won the race
                return replay, False
        raise
    metrics.issued(certificate.type)
    return certificate, True


def _replay(session: Session, token: ApiToken, key: str, fingerprint: str) -> Certificate | None:
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.token_id == token.id, IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if record.request_sha256 != fingerprint:
        raise IdempotencyConflict("this Idempotency-Key was used for a different request")
    return session.get(Certificate, record.certificate_id)


def revoke(
    session: Session,
    certificate: Certificate,
    *,
    reason: RevocationReason,
    text: str,
    by: str,
    keyring: Keyring,
) -> Revocation:
    if certificate.status == CertificateStatus.REVOKED:
        raise IssuanceError(f"certificate {certificate.id} is already revoked")
    revocation = Revocation(
        certificate=certificate, reason=reason, text=text, revoked_by=by, revoked_at=utcnow()
    )
    certificate.status = CertificateStatus.REVOKED
    session.add(revocation)
    audit.append(
        session,
        actor=by,
        action="certificate.revoke",
        object_type="certificate",
        object_id=certificate.id,
        details={"reason": str(reason)},
    )
    transparency.log_revoke(session, keyring.store, certificate)  # public, in the same commit
    session.commit()
    return revocation


def _jsonable(value: DetailValue) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int):
        return value
    return list(value)
