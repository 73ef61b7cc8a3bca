"""Certificates and verification results as JSON: one shape for the API and the pages' data.

What a verifier is shown is what the seal already carries (name, date of birth, type, dates,
office) plus the register's status; never the foreigner number, the nationality or contact
details, which only a staff token's certificate view adds (and never the foreigner number).
"""

from __future__ import annotations

from typing import Any

from signing.seal import SealClaims, SealVerification
from verifier.instance import keyring
from verifier.log_json import proofs_json
from verifier.models import Certificate
from verifier.verification import DocumentCheck, SealCheck, online_status

__all__ = [
    "certificate_json",
    "document_check_json",
    "public_certificate",
    "seal_check_json",
    "seal_claims_json",
]


def _revocation(certificate: Certificate) -> dict[str, Any] | None:
    revocation = certificate.revocation
    if revocation is None:
        return None
    return {"reason": revocation.reason, "revoked_at": revocation.revoked_at.isoformat()}


def public_certificate(certificate: Certificate) -> dict[str, Any]:
    """What anybody holding the paper may see: the seal's claims, names as written."""
    person = certificate.person
    return {
        "id": certificate.id,
        "type": certificate.type,
        "holder": {
            "family_name": person.family_name,
            "given_names": person.given_names,
            "birth_date": person.birth_date,
        },
        "office": certificate.office.code,
        "office_name": certificate.office.name,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "status": str(online_status(certificate, trust=keyring().trust)),
        "revocation": _revocation(certificate),
        "superseded_by": certificate.superseded_by_id,
    }


def certificate_json(certificate: Certificate) -> dict[str, Any]:
    """The staff view: everything but the foreigner number."""
    out = public_certificate(certificate)
    revocation = certificate.revocation
    if revocation is not None and out["revocation"] is not None:
        out["revocation"]["text"] = revocation.text
        out["revocation"]["revoked_by"] = revocation.revoked_by
    out.update(
        {
            "person_id": certificate.person_id,
            "details": certificate.details,
            "issued_at": certificate.issued_at.isoformat(),
            "key_id": certificate.key_id,
            "seal_url": certificate.seal_url,
            "pdf_sha256": certificate.pdf_sha256,
            "pdf_url": f"/api/v1/certificates/{certificate.id}/pdf",
            "supersedes": certificate.supersedes_id,
        }
    )
    return out


def _claims(claims: SealClaims) -> dict[str, Any]:
    return {
        "id": claims.certificate_id.hex(),
        "type": str(claims.certificate_type),
        "holder": {
            "family_name": claims.family_name,
            "given_names": claims.given_names,
            "birth_date": str(claims.birth_date),
        },
        "office": claims.office,
        "issued_on": claims.issued_on.isoformat(),
        "valid_until": claims.valid_until.isoformat() if claims.valid_until else None,
    }


def seal_claims_json(claims: SealClaims) -> dict[str, Any]:
    """What a genuine seal states, as the API shows it (the offline CLI prints the same)."""
    return _claims(claims)


def signature_json(result: SealVerification) -> dict[str, Any]:
    """What the seal's signature and the trust list say, online and offline alike."""
    return {
        "valid": result.signature_valid,
        "key_known": result.key_known,
        "key_usable": result.key_usable,
        "key_id": result.key_id.hex(),
        # The trust list's word on the key: a revoked key's reason is why the seal is
        # "not-trusted"; null when the key is unknown.
        "key_status": str(result.key.status) if result.key is not None else None,
        "key_reason": result.key.reason if result.key is not None else None,
    }


def seal_check_json(check: SealCheck) -> dict[str, Any]:
    result = check.verification
    out: dict[str, Any] = {
        "status": str(check.status),
        "genuine": check.genuine,
        "reasons": list(check.reasons),
        "signature": signature_json(result),
        "verification_code": result.claims.verification_code,
        "seal_claims": _claims(result.claims) if check.genuine else None,
        "certificate": None,
    }
    if check.genuine and check.certificate is not None:
        out["certificate"] = public_certificate(check.certificate)
    # The inclusion proof of its leaves in the public log (verifier/transparency.py).
    out["transparency"] = proofs_json(check.log) if check.log is not None else None
    return out


def document_check_json(check: DocumentCheck) -> dict[str, Any]:
    signature = check.signature
    return {
        "match": str(check.match),
        "reasons": list(check.reasons),
        "status": str(check.status) if check.status is not None else None,
        "certificate": (
            public_certificate(check.certificate) if check.certificate is not None else None
        ),
        "signature": None
        if signature is None
        else {
            "intact": signature.intact,
            "valid": signature.valid,
            "trusted": signature.trusted,
            "covers_whole_file": signature.covers_whole_file,
            "signer": signature.signer,
            "signed_at": signature.signed_at.isoformat() if signature.signed_at else None,
            "timestamped": signature.timestamped,
        },
    }
