"""Checking a timestamp token offline: does it stamp these bytes, and who vouches for it.

The result is a :class:`TimestampVerification` whatever the verdict; :class:`TimestampError`
is kept for bytes that are not a token at all.

Path building is deliberately small: from the signer certificate, issuers are looked up among
the token's certificates and the trust roots by name, each signature checked, up to a trust
root (compared byte for byte), at most a few steps. Every certificate must be valid at the
token's genTime; issuers must be CAs; the signer's extended key usage must be timeStamping
alone, marked critical (RFC 3161 2.3). Revocation is not checked here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from signing.errors import TimestampError
from signing.timestamps._asn1 import DIGESTS, digest, malformed

__all__ = ["TimestampVerification", "verify_token"]

_MAX_PATH = 5
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


@dataclass(frozen=True, kw_only=True)
class TimestampVerification:
    """What a verifier can say of one timestamp token over some data."""

    imprint_matches: bool  # the token stamps a digest of exactly these bytes
    signature_valid: bool  # the TSA's signature over the TSTInfo checks out
    chain_trusted: bool  # the TSA certificate (timeStamping, not a CA) chains to a trust root
    gen_time: datetime
    serial_number: int
    policy: str
    tsa: str  # subject of the TSA certificate, or "" when the token does not carry it
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.imprint_matches and self.signature_valid and self.chain_trusted


def verify_token(
    token_der: bytes, data: bytes, *, trust_roots: Iterable[x509.Certificate]
) -> TimestampVerification:
    """Verify a token (CMS ContentInfo DER) over ``data`` against ``trust_roots``."""
    with malformed("a timestamp token"):
        return _verify(token_der, data, list(trust_roots))


def _verify(token_der: bytes, data: bytes, roots: list[x509.Certificate]) -> TimestampVerification:
    token = _load_token(token_der)
    signed = token["content"]
    tst_der: bytes = signed["encap_content_info"]["content"].contents
    info = tsp.TSTInfo.load(tst_der, strict=True)
    reasons: list[str] = []

    imprint = info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    imprint_matches = algorithm in DIGESTS and digest(algorithm, data) == (
        imprint["hashed_message"].native
    )
    if not imprint_matches:
        reasons.append("the token stamps other data")

    certificates = [
        x509.load_der_x509_certificate(choice.chosen.dump())
        for choice in signed["certificates"]
        if choice.name == "certificate"
    ]
    signer_infos = signed["signer_infos"]
    signer_cert = None
    signature_valid = False
    if len(signer_infos) != 1:
        reasons.append("a timestamp token has exactly one signer")
    else:
        signer_info = signer_infos[0]
        signer_cert = _signer_certificate(signer_info, certificates)
        if signer_cert is None:
            reasons.append("the token does not carry the TSA certificate")
        else:
            signature_valid = _signature_valid(signer_info, signer_cert, tst_der, reasons)

    gen_time: datetime = info["gen_time"].native.astimezone(UTC)
    chain_trusted = signer_cert is not None and _trusted(
        signer_cert, certificates, roots, gen_time, reasons
    )
    return TimestampVerification(
        imprint_matches=imprint_matches,
        signature_valid=signature_valid,
        chain_trusted=chain_trusted,
        gen_time=gen_time,
        serial_number=info["serial_number"].native,
        policy=info["policy"].native,
        tsa=signer_cert.subject.rfc4514_string() if signer_cert is not None else "",
        reasons=tuple(reasons),
    )


def _load_token(token_der: bytes) -> cms.ContentInfo:
    token = cms.ContentInfo.load(token_der, strict=True)
    if token["content_type"].native != "signed_data":
        raise TimestampError("not a timestamp token: not a CMS SignedData")
    if token["content"]["encap_content_info"]["content_type"].native != "tst_info":
        raise TimestampError("not a timestamp token: the SignedData carries no TSTInfo")
    return token


def _signer_certificate(
    signer_info: cms.SignerInfo, certificates: list[x509.Certificate]
) -> x509.Certificate | None:
    sid = signer_info["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.serial_number == wanted["serial_number"].native
                and certificate.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return certificate
        else:
            try:
                ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return certificate
    return None


def _signature_valid(
    signer_info: cms.SignerInfo,
    certificate: x509.Certificate,
    tst_der: bytes,
    reasons: list[str],
) -> bool:
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        reasons.append(f"the token is signed with {digest_name}")
        return False
    attributes = signer_info["signed_attrs"]
    if not attributes.native:
        reasons.append("the token has no signed attributes")
        return False
    found = {a["type"].native: a["values"] for a in attributes}
    if "content_type" not in found or found["content_type"][0].native != "tst_info":
        reasons.append("the signed content type is not TSTInfo")
        return False
    if "message_digest" not in found or found["message_digest"][0].native != digest(
        digest_name, tst_der
    ):
        reasons.append("the TSTInfo was changed after signing")
        return False
    if not _names_certificate(found, certificate):
        reasons.append("the signing-certificate attribute does not name the TSA certificate")
        return False
    # The signature covers the attributes encoded as a SET (tag 0x31), not as [0] IMPLICIT.
    signed_bytes = b"\x31" + attributes.dump()[1:]
    signature: bytes = signer_info["signature"].native
    public = certificate.public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, signed_bytes, ec.ECDSA(_HASHES[digest_name]))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, signed_bytes, padding.PKCS1v15(), _HASHES[digest_name])
        else:
            reasons.append("the TSA key is neither EC nor RSA")
            return False
    except InvalidSignature:
        reasons.append("the TSA signature does not verify")
        return False
    return True


def _names_certificate(found: dict[str, cms.SetOfAny], certificate: x509.Certificate) -> bool:
    der = certificate.public_bytes(serialization.Encoding.DER)
    if "signing_certificate_v2" in found:
        first = found["signing_certificate_v2"][0]["certs"][0]
        name = first["hash_algorithm"]["algorithm"].native
        return name in DIGESTS and first["cert_hash"].native == digest(name, der)
    if "signing_certificate" in found:
        first = found["signing_certificate"][0]["certs"][0]
        return bool(first["cert_hash"].native == hashlib.sha1(der).digest())  # noqa: S324 (ESS v1)
    return False


def _trusted(
    signer: x509.Certificate,
    certificates: list[x509.Certificate],
    roots: list[x509.Certificate],
    at: datetime,
    reasons: list[str],
) -> bool:
    if not _is_tsa_certificate(signer):
        reasons.append("the signer is not a timestamping certificate (critical EKU, not a CA)")
        return False
    root_ders = {r.public_bytes(serialization.Encoding.DER) for r in roots}
    candidates = certificates + roots
    current = signer
    for _ in range(_MAX_PATH):
        if not current.not_valid_before_utc <= at <= current.not_valid_after_utc:
            reasons.append(f"{current.subject.rfc4514_string()} was not valid at genTime")
            return False
        if current.public_bytes(serialization.Encoding.DER) in root_ders:
            return True
        issuer = _issuer_of(current, candidates)
        if issuer is None:
            reasons.append("the TSA certificate does not chain to a trusted root")
            return False
        current = issuer
    reasons.append("the certificate path is too long")
    return False


def _issuer_of(
    certificate: x509.Certificate, candidates: list[x509.Certificate]
) -> x509.Certificate | None:
    for candidate in candidates:
        if candidate.subject != certificate.issuer or candidate == certificate:
            continue
        try:
            constraints = candidate.extensions.get_extension_for_class(x509.BasicConstraints)
        except x509.ExtensionNotFound:
            continue
        if not constraints.value.ca:
            continue
        try:
            certificate.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def _is_tsa_certificate(certificate: x509.Certificate) -> bool:
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return False
    if not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        return False
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return True
    return not constraints.value.ca
