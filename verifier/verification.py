"""Online verification: what the seal or the PDF proves, plus what the register knows.

The signing package answers "did a trusted key sign exactly this?" offline; this module adds
the register's word (revoked, superseded, expired, or never registered at all) and records
that a check happened (channel and outcome only: nothing about who checked).
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from signing.errors import PdfSignatureError
from signing.keys import KeyStatus
from signing.pades import PdfSignatureReport, validate_pdf
from signing.seal import SealVerification, decode, verify
from signing.trust import TrustedKey, TrustList
from verifier import metrics, verification_log
from verifier.keyring import Keyring
from verifier.models import Certificate, CertificateStatus, VerificationChannel
from verifier.transparency import CertificateProofs, certificate_proofs

__all__ = [
    "DocumentCheck",
    "DocumentMatch",
    "NotAPdfError",
    "SealCheck",
    "SealStatus",
    "check_document",
    "check_seal",
    "online_status",
    "record_verification",
]

# A PDF's header may follow up to 1024 bytes of junk (ISO 32000-1, 7.5.2, as readers accept).
_PDF_HEADER_WINDOW = 1024
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]")
_XMP_IDENTIFIER = re.compile(rb"<dc:identifier>([0-9a-f]{24})</dc:identifier>")


class SealStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    NOT_GENUINE = "not-genuine"  # the signature does not hold, or the key is not trusted
    # The signature holds, under a seal key OFII has since revoked (the key's reason says why):
    # whoever stole the key could have sealed these claims, so none of them is trusted.
    NOT_TRUSTED = "not-trusted"
    UNREGISTERED = "unregistered"  # genuinely signed, yet absent from the register


_UNTRUSTED = frozenset({SealStatus.NOT_GENUINE, SealStatus.NOT_TRUSTED})


class DocumentMatch(enum.StrEnum):
    EXACT = "exact-match"
    MODIFIED = "modified"
    UNKNOWN = "unknown"


class NotAPdfError(ValueError):
    """The upload is not a PDF at all: nothing to verify."""


def online_status(
    certificate: Certificate, today: date | None = None, *, trust: TrustList | None = None
) -> SealStatus:
    """The register's status; a valid certificate past its end date is expired. With the
    instance's ``trust`` list, a certificate sealed by a key OFII has since revoked is not
    trusted, whatever the register says of it: the same answer as its seal gets."""
    key = _sealing_key(certificate, trust) if trust is not None else None
    if key is not None and key.status is KeyStatus.REVOKED:
        return SealStatus.NOT_TRUSTED
    if certificate.status == CertificateStatus.REVOKED:
        return SealStatus.REVOKED
    if certificate.status == CertificateStatus.SUPERSEDED:
        return SealStatus.SUPERSEDED
    day = today or date.today()
    if certificate.valid_until is not None and certificate.valid_until < day:
        return SealStatus.EXPIRED
    return SealStatus.VALID


def _sealing_key(certificate: Certificate, trust: TrustList) -> TrustedKey | None:
    try:
        key_id = bytes.fromhex(certificate.key_id)
    except ValueError:  # a row not made by issuance (imported, or a test's): no key to ask
        return None
    return trust.get(key_id)


@dataclass(frozen=True)
class SealCheck:
    status: SealStatus
    reasons: tuple[str, ...]
    verification: SealVerification
    certificate: Certificate | None
    # The certificate's leaves in the transparency log, proven against its latest head.
    log: CertificateProofs | None = None

    @property
    def genuine(self) -> bool:
        """Whether the claims can be shown as OFII's (not for a forged seal, nor one sealed by
        a revoked key)."""
        return self.status not in _UNTRUSTED

    @property
    def key_reason(self) -> str | None:
        """Why the seal's key was revoked (or retired), in OFII's words, if it was."""
        key = self.verification.key
        return key.reason if key is not None else None


def check_seal(
    session: Session, keyring: Keyring, text: str, *, channel: VerificationChannel
) -> SealCheck:
    """Verify a seal URL or payload; :class:`signing.errors.SealFormatError` if malformed."""
    seal = decode(text)
    result = verify(seal, keyring.trust)
    # One query for what the seal page shows of the register (holder, office, revocation):
    # on the page a phone opens, every database round trip is paid by every scan.
    certificate = session.get(
        Certificate,
        seal.claims.certificate_id.hex(),
        options=[
            joinedload(Certificate.person),
            joinedload(Certificate.office),
            joinedload(Certificate.revocation),
        ],
    )
    reasons = [str(r) for r in result.reasons]
    if not result.bottom_line:
        status = SealStatus.NOT_TRUSTED if result.key_revoked else SealStatus.NOT_GENUINE
    elif certificate is None:
        status = SealStatus.UNREGISTERED
        reasons.append("not-in-register")
    elif certificate.seal_sha256 != seal.digest.hex():
        # Our key signed other claims under this id: the register is the reference.
        status = SealStatus.NOT_GENUINE
        reasons.append("differs-from-register")
    else:
        status = online_status(certificate)
    check = SealCheck(status, tuple(reasons), result, certificate)
    if check.genuine and certificate is not None:
        check = replace(check, log=certificate_proofs(session, certificate.id))
    # Recorded in memory, written in batches (verifier/verification_log.py): the page itself
    # writes nothing.
    record_verification(channel, status, certificate if status not in _UNTRUSTED else None)
    return check


@dataclass(frozen=True)
class DocumentCheck:
    match: DocumentMatch
    reasons: tuple[str, ...]
    certificate: Certificate | None
    status: SealStatus | None  # the register's status of the certificate found, if any
    signature: PdfSignatureReport | None


def check_document(
    session: Session, keyring: Keyring, pdf: bytes, *, channel: VerificationChannel
) -> DocumentCheck:
    """Compare an uploaded PDF with the issued documents; :class:`NotAPdfError` if not a PDF."""
    if b"%PDF-" not in pdf[:_PDF_HEADER_WINDOW]:
        raise NotAPdfError("not a PDF")
    report: PdfSignatureReport | None
    try:
        report = validate_pdf(pdf, [keyring.chain.root])
    except PdfSignatureError as exc:
        report = None
        signature_problem = "not-signed" if "no signature" in str(exc) else "signature-unreadable"
    certificate = _by_pdf_hash(session, hashlib.sha256(pdf).hexdigest())
    if certificate is not None:
        status = online_status(certificate, trust=keyring.trust)
        check = DocumentCheck(DocumentMatch.EXACT, (), certificate, status, report)
        record_verification(channel, check.match, certificate)
        return check

    reasons: list[str] = []
    certificate = _signed_revision(session, pdf)
    if certificate is not None:
        reasons.append("content-appended-after-signing")
    else:
        certificate = _by_identifier(session, pdf)
    if report is None:
        reasons.append(signature_problem)
    else:
        if not report.intact:
            reasons.append("signed-content-altered")
        elif not report.valid:
            reasons.append("signature-invalid")
        if not report.trusted:
            reasons.append("signer-not-trusted")
        if not report.covers_whole_file and "content-appended-after-signing" not in reasons:
            reasons.append("content-appended-after-signing")
    if certificate is None:
        if report is not None and report.bottom_line:
            reasons.append("not-in-register")
        check = DocumentCheck(DocumentMatch.UNKNOWN, tuple(reasons), None, None, report)
    else:
        # Bytes outside the signed ranges (the signature's own padding) can change without
        # breaking anything the checks above see; still not the file we issued.
        reasons = reasons or ["differs-from-issued-file"]
        status = online_status(certificate, trust=keyring.trust)
        check = DocumentCheck(DocumentMatch.MODIFIED, tuple(reasons), certificate, status, report)
    record_verification(channel, check.match, certificate)
    return check


def _by_pdf_hash(session: Session, digest: str) -> Certificate | None:
    return session.scalars(
        select(Certificate).where(Certificate.pdf_sha256 == digest).limit(1)
    ).first()


def _signed_revision(session: Session, pdf: bytes) -> Certificate | None:
    """The issued document this file extends: its first revision, if that is one we issued."""
    for match in _BYTE_RANGE.finditer(pdf):
        end = int(match.group(2)) + int(match.group(3))
        if 0 < end < len(pdf):
            # pyHanko ends the signed revision with "%%EOF" and a newline we may not cover.
            for cut in (end, end + 1, end + 2):
                found = _by_pdf_hash(session, hashlib.sha256(pdf[:cut]).hexdigest())
                if found is not None:
                    return found
    return None


def _by_identifier(session: Session, pdf: bytes) -> Certificate | None:
    """The certificate named in the XMP metadata (dc:identifier), if the file still has it."""
    match = _XMP_IDENTIFIER.search(pdf)
    return session.get(Certificate, match.group(1).decode("ascii")) if match else None


def record_verification(
    channel: VerificationChannel, outcome: str, certificate: Certificate | str | None
) -> None:
    """That a check happened (its channel and outcome), for a certificate or its id."""
    if isinstance(certificate, Certificate):
        certificate = certificate.id
    verification_log.of().record(str(channel), str(outcome), certificate)
    metrics.verified(str(channel), str(outcome))
