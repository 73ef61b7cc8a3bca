"""The JSON API under /api/v1/: issue, read, download, revoke, verify.

Issuing, revoking and reading a certificate need a staff token of the right scope
(verifier/auth.py); verifying is open to anyone, rate-limited per address unless the caller
holds a ``verify`` token. The OpenAPI document of these routes is verifier/openapi.py.
"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from bundles.errors import CertificateError
from signing.errors import ClaimsError, SealFormatError
from verifier import db
from verifier.access import record_access
from verifier.api_input import json_object, parse_issue_request, parse_revocation
from verifier.auth import current_token, require_scope
from verifier.blobs import BlobNotFound
from verifier.errors import ApiError
from verifier.i18n import gettext
from verifier.instance import blob_store, keyring
from verifier.issuance import IdempotencyConflict, IssuanceError, issue, revoke
from verifier.limits import anonymous_verification
from verifier.models import Certificate, VerificationChannel
from verifier.openapi import openapi_document
from verifier.representation import certificate_json, document_check_json, seal_check_json
from verifier.tokens import Scope
from verifier.verification import NotAPdfError, check_document, check_seal

__all__ = ["bp"]

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_MAX_IDEMPOTENCY_KEY = 200
MAX_BATCH = 100


def _certificate(certificate_id: str) -> Certificate:
    found = None
    if len(certificate_id) == 24 and all(c in "0123456789abcdef" for c in certificate_id):
        found = db.session().get(Certificate, certificate_id)
    if found is None:
        raise ApiError(404, "certificate-not-found")
    return found


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.post("/certificates")
@require_scope(Scope.ISSUE)
def issue_certificate() -> ResponseReturnValue:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > _MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ApiError(400, "idempotency-key-missing")
    body = json_object()
    issue_request = parse_issue_request(body)
    token = current_token()
    assert token is not None
    if token.office is None:  # a prefecture agent's or a lawyer's token: no office to issue for
        raise ApiError(403, "forbidden-scope", scope=str(Scope.ISSUE))
    office = token.office
    fingerprint = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    try:
        certificate, created = issue(
            db.session(),
            keyring=keyring(),
            blobs=blob_store(),
            office=office,
            request=issue_request,
            token=token,
            idempotency_key=key,
            request_fingerprint=fingerprint,
        )
    except IdempotencyConflict:
        raise ApiError(409, "idempotency-conflict") from None
    except (IssuanceError, ClaimsError, CertificateError) as exc:
        raise ApiError(422, "cannot-issue", detail=str(exc)) from None
    response = jsonify(certificate_json(certificate))
    response.status_code = 201 if created else 200
    response.headers["Location"] = url_for(".read_certificate", certificate_id=certificate.id)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _record_read(certificate: Certificate, action: str) -> None:
    """A staff read of a certificate opens a person's file: the migrant will see it."""
    token = current_token()
    assert token is not None
    session = db.session()
    record_access(
        session,
        token.user,
        certificate.person,
        action=action,
        object_type="certificate",
        object_id=certificate.id,
    )
    session.commit()


@bp.get("/certificates/<certificate_id>")
@require_scope(Scope.ISSUE, Scope.REVOKE, Scope.VERIFY)
def read_certificate(certificate_id: str) -> ResponseReturnValue:
    certificate = _certificate(certificate_id)
    _record_read(certificate, "api-read")
    return jsonify(certificate_json(certificate))


@bp.get("/certificates/<certificate_id>/pdf")
@require_scope(Scope.ISSUE, Scope.REVOKE, Scope.VERIFY)
def certificate_pdf(certificate_id: str) -> ResponseReturnValue:
    certificate = _certificate(certificate_id)
    _record_read(certificate, "api-download")
    try:
        pdf = blob_store().get(certificate.pdf_sha256)
    except BlobNotFound:  # pragma: no cover - the blob is written before its row
        raise ApiError(404, "certificate-not-found") from None
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{certificate.type}-{certificate.id}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/certificates/<certificate_id>/revoke")
@require_scope(Scope.REVOKE)
def revoke_certificate(certificate_id: str) -> ResponseReturnValue:
    body = json_object()
    certificate = _certificate(certificate_id)
    reason, text = parse_revocation(body)
    token = current_token()
    assert token is not None
    try:
        revoke(
            db.session(),
            certificate,
            reason=reason,
            text=text,
            by=f"token:{token.prefix}",
            keyring=keyring(),
        )
    except IssuanceError:
        raise ApiError(409, "already-revoked") from None
    return jsonify(certificate_json(certificate))


@bp.post("/verify")
@anonymous_verification
def verify_seal() -> ResponseReturnValue:
    body = json_object()
    seal = body.get("seal")
    if not isinstance(seal, str):
        raise ApiError(422, "invalid-field", field="seal", detail="the seal URL or payload")
    try:
        check = check_seal(db.session(), keyring(), seal, channel=VerificationChannel.API)
    except SealFormatError as exc:
        raise ApiError(422, "malformed-seal", field="seal", detail=str(exc)) from None
    return jsonify(seal_check_json(check))


@bp.post("/verify/batch")
@require_scope(Scope.VERIFY)
def verify_batch() -> ResponseReturnValue:
    """Up to MAX_BATCH seals in one request, for prefecture systems checking many papers."""
    body = json_object()
    seals = body.get("seals")
    if (
        not isinstance(seals, list)
        or not 1 <= len(seals) <= MAX_BATCH
        or not all(isinstance(seal, str) for seal in seals)
    ):
        raise ApiError(
            422, "invalid-field", field="seals", detail=f"a list of 1 to {MAX_BATCH} strings"
        )
    session, keys = db.session(), keyring()
    results: list[dict[str, object]] = []
    for index, seal in enumerate(seals):
        try:
            check = check_seal(session, keys, seal, channel=VerificationChannel.API)
        except SealFormatError as exc:
            results.append(
                {
                    "index": index,
                    "error": "malformed-seal",
                    "message": gettext("malformed-seal", detail=str(exc)),
                }
            )
            continue
        results.append({"index": index, **seal_check_json(check)})
    return jsonify(results=results)


@bp.post("/verify/document")
@anonymous_verification
def verify_document() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(400, "no-file")
    pdf = upload.read()
    if not pdf:
        raise ApiError(400, "empty-file")
    try:
        check = check_document(db.session(), keyring(), pdf, channel=VerificationChannel.API)
    except NotAPdfError:
        raise ApiError(415, "not-a-pdf") from None
    return jsonify(document_check_json(check))
