"""Checking a timestamp token offline: does it stamp these bytes, and who vouches for it.

The result is a :class:`TimestampVerification` whatever the verdict; :class:`TimestampError`
is kept for bytes that are not a token at all. :func:`verify_reply` does the same for a whole
TimeStampResp as stored (an evidence pack's ``timestamp.tsr``).

Path building is deliberately small: from the signer certificate, issuers are looked up among
the token's certificates, the certificates given (a pack's ``tsa-chain.pem``) and the trust
roots by name, each signature checked, up to a trust root (compared byte for byte), at most a
few steps. Every certificate must be valid at the token's genTime; issuers must be CAs; the
signer's extended key usage must be timeStamping alone, marked critical (RFC 3161 2.3); the
TSTInfo's tsa field, when present, must name the signer. Revocation is not checked here.

A token also carries fields no signature covers: versions, algorithm identifiers, the
certificates and CRLs beside the signer's. Each is held to the value a token must have (RFC
5652 5.1, 5.3; RFC 3161 2.4.2), and whatever the token carries must be signed by a certificate
at hand, so that a changed byte anywhere is a finding (``intact``), never a silent variant:
tests flip every byte of a token in turn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from signing.errors import TimestampError
from signing.timestamps._asn1 import DIGESTS, TimeStampResp, digest, malformed

__all__ = ["TimestampVerification", "verify_reply", "verify_token"]

_MAX_PATH = 5
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


@dataclass(frozen=True, kw_only=True)
class TimestampVerification:
    """What a verifier can say of one timestamp token over some data."""

    intact: bool  # the unsigned parts hold their fixed values; what the token carries verifies
    imprint_matches: bool  # the token stamps a digest of exactly these bytes
    signature_valid: bool  # the TSA's signature over the TSTInfo checks out
    chain_trusted: bool  # the TSA certificate (timeStamping, not a CA) chains to a trust root
    gen_time: datetime
    serial_number: int
    policy: str
    tsa: str  # subject of the TSA certificate, or "" when it is not at hand
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.imprint_matches and self.signature_valid and self.chain_trusted

    @property
    def detail(self) -> str:
        """The reasons in one line ("" when there are none)."""
        return "; ".join(self.reasons)


def verify_token(
    token_der: bytes,
    data: bytes,
    *,
    trust_roots: Iterable[x509.Certificate],
    certificates: Iterable[x509.Certificate] = (),
) -> TimestampVerification:
    """Verify a token (CMS ContentInfo DER) over ``data`` against ``trust_roots``.

    ``certificates`` are more candidates for the TSA certificate and its issuers, trusted no
    more than the token's own: for a token requested without certReq, or an evidence pack's
    ``tsa-chain.pem``.
    """
    with malformed("a timestamp token"):
        return _verify(token_der, data, list(trust_roots), list(certificates))


def verify_reply(
    reply_der: bytes,
    data: bytes,
    *,
    trust_roots: Iterable[x509.Certificate],
    certificates: Iterable[x509.Certificate] = (),
) -> TimestampVerification:
    """Like :func:`verify_token`, for a whole TimeStampResp (DER) as an authority sent it.

    Its status must be "granted" with no failInfo: the status is outside every signature, and
    we never ask for anything an authority could grant "with modifications" (no policy, no
    extension), so another value means the stored reply was changed. A statusString is let be
    (some authorities write "Operation Okay"): free text that nothing reads.
    """
    with malformed("a timestamp reply"):
        reply = TimeStampResp.load(reply_der, strict=True)
        status = reply["status"]
        if status["status"].native != "granted" or not isinstance(status["fail_info"], core.Void):
            raise TimestampError("not a granted timestamp reply")
        token = reply["time_stamp_token"]
        if isinstance(token, core.Void):
            raise TimestampError("a granted reply without a token")
        token_der: bytes = token.dump()
    return verify_token(token_der, data, trust_roots=trust_roots, certificates=certificates)


def _verify(
    token_der: bytes,
    data: bytes,
    roots: list[x509.Certificate],
    given: list[x509.Certificate],
) -> TimestampVerification:
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

    choices = list(signed["certificates"] or [])
    carried = [
        x509.load_der_x509_certificate(choice.chosen.dump())
        for choice in choices
        if choice.name == "certificate"
    ]
    pool = carried + [c for c in given if c not in carried]
    signer_infos = signed["signer_infos"]
    signer_cert = None
    signature_valid = False
    intact = False
    if len(signer_infos) != 1:
        reasons.append("a timestamp token has exactly one signer")
    else:
        signer_info = signer_infos[0]
        faults = _framing_faults(signed, signer_info)
        faults += _unverified_contents(signed, choices, pool + roots)
        reasons += faults
        intact = not faults
        signer_cert = _signer_certificate(signer_info, pool)
        if signer_cert is None:
            reasons.append("the TSA certificate is neither in the token nor given")
        else:
            signature_valid = _signature_valid(signer_info, signer_cert, tst_der, reasons)

    gen_time: datetime = info["gen_time"].native.astimezone(UTC)
    chain_trusted = (
        signer_cert is not None
        and _names_the_signer(info, signer_cert, reasons)
        and _trusted(signer_cert, pool, roots, gen_time, reasons)
    )
    return TimestampVerification(
        intact=intact,
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
    if isinstance(attributes, core.Void) or len(attributes) == 0:
        reasons.append("the token has no signed attributes")
        return False
    # The signature covers the attributes as received, encoded as a SET (tag 0x31), not as
    # [0] IMPLICIT. Taken before any field is read: reading a DEFAULT field (the ESS hash
    # algorithm) or ``.native`` makes asn1crypto re-encode them, and the whole SignedData
    # around, at 10 ms a token.
    signed_bytes = b"\x31" + attributes.dump()[1:]
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
    signature: bytes = signer_info["signature"].native
    public = certificate.public_key()
    named = signer_info["signature_algorithm"]["algorithm"].native
    if not _algorithm_fits(named, public, digest_name):
        reasons.append(f"the signature algorithm {named} is not the TSA key's with {digest_name}")
        return False
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


def _algorithm_fits(name: str, public: object, digest_name: str) -> bool:
    """signatureAlgorithm is outside the signed attributes: it must say what the key and the
    digest algorithm say already (ECDSA with it, or RSA PKCS#1 v1.5 with it)."""
    if isinstance(public, ec.EllipticCurvePublicKey):
        return name in {"ecdsa", f"{digest_name}_ecdsa"}
    if isinstance(public, rsa.RSAPublicKey):
        return name in {"rsassa_pkcs1v15", f"{digest_name}_rsa"}
    return False


def _framing_faults(signed: cms.SignedData, signer_info: cms.SignerInfo) -> list[str]:
    """What of the SignedData and SignerInfo outside the signed attributes is not as it must be.

    RFC 5652: version 3 for a content other than id-data carried with X.509 certificates
    (5.1); a signer's version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier (5.3);
    its digest algorithm among the SignedData's; algorithm parameters absent or NULL.
    """
    faults = []
    if signed["version"].native != "v3":
        faults.append("the SignedData version is not 3")
    expected = "v1" if signer_info["sid"].name == "issuer_and_serial_number" else "v3"
    if signer_info["version"].native != expected:
        faults.append("the signer's version does not match how it names its certificate")
    listed = list(signed["digest_algorithms"])
    identifiers = [*listed, signer_info["digest_algorithm"], signer_info["signature_algorithm"]]
    if not all(isinstance(a["parameters"], core.Null | core.Void) for a in identifiers):
        faults.append("an algorithm identifier has parameters")
    if signer_info["digest_algorithm"].dump() not in {a.dump() for a in listed}:
        faults.append("the signer's digest algorithm is not among the SignedData's")
    return faults


def _unverified_contents(
    signed: cms.SignedData, choices: list[cms.CertificateChoices], at_hand: list[x509.Certificate]
) -> list[str]:
    """What the token carries besides its signer that no certificate at hand signed.

    Every carried certificate and CRL must be signed by a certificate among those carried,
    given or trusted (a root by itself), with whole-octet signatures (ECDSA and RSA ones are:
    cryptography reads past the unused-bits octet, which no signature covers). An authority
    that carries a certificate without its issuer makes a token this verifier does not take.
    """
    faults = []
    for choice in choices:
        if choice.name != "certificate":
            faults.append(f"the token carries a {choice.name}, not an X.509 certificate")
            continue
        carried = choice.chosen
        certificate = x509.load_der_x509_certificate(carried.dump())
        if carried["signature_value"].contents[:1] != b"\x00" or not any(
            _signed_by(certificate, issuer) for issuer in at_hand
        ):
            faults.append(f"no certificate at hand signed {certificate.subject.rfc4514_string()}")
    for revocation in signed["crls"] or []:
        if revocation.name != "crl":
            faults.append("the token carries revocation data that is not a CRL")
            continue
        crl = x509.load_der_x509_crl(revocation.chosen.dump())
        if revocation.chosen["signature"].contents[:1] != b"\x00" or not any(
            c.subject == crl.issuer and crl.is_signature_valid(c.public_key())  # type: ignore[arg-type]
            for c in at_hand
        ):
            faults.append(f"no certificate at hand signed the CRL of {crl.issuer.rfc4514_string()}")
    return faults


def _signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if issuer.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _names_the_signer(info: tsp.TSTInfo, signer: x509.Certificate, reasons: list[str]) -> bool:
    """The TSTInfo's tsa field, when present, names the certificate that signed it (RFC 3161
    2.4.2: one of its subject names), so a token cannot claim another authority than its own."""
    claimed = info["tsa"]
    if isinstance(claimed, core.Void):
        return True
    # A GeneralName is a CHOICE: compared by the encoding of the alternative chosen.
    subject = asn1_x509.Name.load(signer.subject.public_bytes())
    names = [asn1_x509.GeneralName({"directory_name": subject}).chosen.dump()]
    try:
        alternatives = signer.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        pass
    else:
        der = alternatives.value.public_bytes()
        names += [name.chosen.dump() for name in asn1_x509.GeneralNames.load(der)]
    if claimed.chosen.dump() in names:
        return True
    reasons.append("the token names another authority than the certificate that signed it")
    return False


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
    candidates = certificates + roots  # the token's, those given, then the roots
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
