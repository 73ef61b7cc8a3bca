"""Checking an RFC 3161 token (timestamp.tsr) over the bag's tag manifest.

Small and on its own so that it can give way to ``signing.timestamps`` when that offers a
verifier: parse the TimeStampResp, check that it was granted, that its imprint is the SHA-256
of the data, that the CMS signature over the TSTInfo checks out with the TSA certificate, and
that this certificate (critical EKU timeStamping, not a CA) chains to a trusted root.

A token carries fields no signature covers (versions, algorithm identifiers, the tags around
the certificate set...); each is checked for the value a token must hold, and every
certificate the token carries must verify, so that a changed byte anywhere is a finding, not
a silent variant (tests/bundles/test_pack_verify.py flips every byte of a token in turn).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import core, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

__all__ = ["TokenCheck", "check_token"]

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


_SIGNATURES = {
    "ecdsa",
    "sha256_ecdsa",
    "sha384_ecdsa",
    "sha512_ecdsa",
    "rsassa_pkcs1v15",
    "sha256_rsa",
    "sha384_rsa",
    "sha512_rsa",
}


@dataclass(frozen=True)
class TokenCheck:
    parsed: bool  # a granted TimeStampResp whose fields hold their fixed values
    imprint_matches: bool  # it stamps exactly these bytes
    signature_valid: bool  # the TSA's signature over the TSTInfo checks out
    trusted: bool  # the TSA certificate chains to one of the trusted roots
    gen_time: datetime | None
    tsa: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.parsed and self.imprint_matches and self.signature_valid


def _failed(detail: str, **known: object) -> TokenCheck:
    values: dict[str, object] = {
        "parsed": False,
        "imprint_matches": False,
        "signature_valid": False,
        "trusted": False,
        "gen_time": None,
        "tsa": "",
    }
    values.update(known)
    return TokenCheck(detail=detail, **values)  # type: ignore[arg-type]


def _verify_signature(
    certificate: x509.Certificate, signature: bytes, data: bytes, digest: str
) -> bool:
    algorithm = _HASHES[digest]()
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _chains(
    leaf: x509.Certificate, pool: Sequence[x509.Certificate], roots: Sequence[x509.Certificate]
) -> bool:
    trusted = {root.fingerprint(hashes.SHA256()) for root in roots}
    current = leaf
    for _ in range(8):
        if current.fingerprint(hashes.SHA256()) in trusted:
            return True
        for candidate in [*roots, *pool]:
            if candidate.subject != current.issuer or candidate == current:
                continue
            try:
                current.verify_directly_issued_by(candidate)
            except (ValueError, TypeError, InvalidSignature):
                continue
            current = candidate
            break
        else:
            return False
    return False


def _issued_within(certificate: x509.Certificate, pool: Sequence[x509.Certificate]) -> bool:
    """Some certificate of ``pool`` (itself, for a root) signed ``certificate``."""
    for candidate in pool:
        if candidate.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _is_tsa(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        is_ca = basic.value.ca
    except x509.ExtensionNotFound:
        is_ca = False
        try:
            usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        except x509.ExtensionNotFound:
            return False
    return usage.critical and ExtendedKeyUsageOID.TIME_STAMPING in usage.value and not is_ca


def _names_its_certificate(attributes: Any, certificate: x509.Certificate) -> bool:
    """The signed ESS signing-certificate attribute (RFC 2634 / 5035) names this certificate.

    Without it, a change to a field of the certificate carried in the token that no other
    check reads (its validity, its names) would go unseen."""
    der = certificate.public_bytes(Encoding.DER)
    for attribute in attributes:
        kind = attribute["type"].native
        if kind == "signing_certificate_v2":
            first = attribute["values"][0]["certs"][0]
            name = first["hash_algorithm"]["algorithm"].native
            return bool(first["cert_hash"].native == hashlib.new(name, der).digest())
        if kind == "signing_certificate":
            first = attribute["values"][0]["certs"][0]
            return bool(first["cert_hash"].native == hashlib.sha1(der).digest())  # noqa: S324
    return True  # nothing signed names it: the chain check alone decides


def check_token(
    token: bytes,
    data: bytes,
    *,
    chain: Sequence[x509.Certificate] = (),
    trust_roots: Sequence[x509.Certificate] = (),
) -> TokenCheck:
    """What can be said of ``token`` (a DER TimeStampResp) as a timestamp of ``data``."""
    try:
        return _check(token, data, chain, trust_roots)
    except Exception as exc:
        # A damaged token reaches cryptography's lazy parsing too (names, extensions, keys:
        # ValueError, UnsupportedAlgorithm...); none of it is a verdict, all of it is damage.
        return _failed(f"the token cannot be checked: {exc!r}")


def _check(
    token: bytes,
    data: bytes,
    chain: Sequence[x509.Certificate],
    trust_roots: Sequence[x509.Certificate],
) -> TokenCheck:
    try:
        response = tsp.TimeStampResp.load(token)
        if response["status"]["status"].native != "granted":
            return _failed("the authority did not grant this timestamp")
        content = response["time_stamp_token"]
        if content["content_type"].native != "signed_data":
            return _failed("the token is not CMS SignedData")
        signed = content["content"]
        encap = signed["encap_content_info"]
        if signed["version"].native != "v3" or encap["content_type"].native != "tst_info":
            return _failed("the token's SignedData does not hold its fixed values")
        (signer_info,) = signed["signer_infos"]
        info = encap["content"].parsed
        tst_bytes = encap["content"].contents
        imprint = info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        gen_time: datetime = info["gen_time"].native
        carried = [c for c in (signed["certificates"] or []) if c.name == "certificate"]
        # (a certificate signature's BIT STRING "unused bits" byte is read by no verifier)
        certificates = [x509.load_der_x509_certificate(c.chosen.dump()) for c in carried]
        digest = signer_info["digest_algorithm"]["algorithm"].native
        attributes = signer_info["signed_attrs"]
    except Exception as exc:  # a damaged token can fail in many ways inside asn1crypto
        return _failed(f"the token cannot be read: {exc!r}")
    if algorithm not in _HASHES or digest not in _HASHES:
        return _failed(f"unsupported hash algorithm {algorithm}/{digest}", parsed=True)
    listed = [a["algorithm"].native for a in signed["digest_algorithms"]]
    signature_algorithm = signer_info["signature_algorithm"]["algorithm"].native
    parameters = [
        a["parameters"] for a in [*signed["digest_algorithms"], signer_info["digest_algorithm"]]
    ]
    if (
        not all(isinstance(value, core.Null | core.Void) for value in parameters)
        or not isinstance(signed["crls"], core.Void)
        or any(bytes(c.chosen["signature_value"].contents[:1]) != b"\x00" for c in carried)
        or digest not in listed
        or signature_algorithm not in _SIGNATURES
        or (signature_algorithm.startswith("sha") and not signature_algorithm.startswith(digest))
        or signer_info["version"].native not in ("v1", "v3")
    ):
        return _failed("the token's signer info does not hold its fixed values", parsed=True)
    matches = imprint["hashed_message"].native == hashlib.new(algorithm, data).digest()
    sid = signer_info["sid"]
    pool = [*certificates, *chain]
    tsa_cert = None
    for candidate in pool:
        if sid.name == "issuer_and_serial_number":
            serial = sid.chosen["serial_number"].native
            issuer = sid.chosen["issuer"].dump()
            own = candidate.issuer.public_bytes()
            if candidate.serial_number == serial and own == issuer:
                tsa_cert = candidate
                break
        else:
            try:
                ski = candidate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                tsa_cert = candidate
                break
    known: dict[str, object] = {"parsed": True, "imprint_matches": matches, "gen_time": gen_time}
    if tsa_cert is None:
        return _failed("the TSA certificate is not in the token nor in the chain", **known)
    known["tsa"] = tsa_cert.subject.rfc4514_string()
    digests = {a["type"].native: a["values"][0].native for a in attributes if len(a["values"]) == 1}
    if (
        digests.get("content_type") != "tst_info"
        or digests.get("message_digest") != hashlib.new(digest, tst_bytes).digest()
    ):
        return _failed("the signed attributes do not match the TSTInfo", **known)
    if not _names_its_certificate(attributes, tsa_cert):
        return _failed("the token's certificate is not the one its signature names", **known)
    if not all(_issued_within(c, [*pool, *trust_roots]) for c in certificates):
        return _failed("a certificate carried in the token was altered", **known)
    signed_bytes = b"\x31" + attributes.dump()[1:]  # the [0] IMPLICIT SET, signed as a SET
    valid = _verify_signature(tsa_cert, signer_info["signature"].native, signed_bytes, digest)
    in_time = tsa_cert.not_valid_before_utc <= gen_time <= tsa_cert.not_valid_after_utc
    trusted = valid and in_time and _is_tsa(tsa_cert) and _chains(tsa_cert, pool, trust_roots)
    detail = "" if valid else "the TSA's signature does not check out"
    if valid and not matches:
        detail = "the timestamp is over other bytes"
    elif valid and not trusted:
        detail = "the TSA certificate does not chain to a trusted root"
    return TokenCheck(
        parsed=True,
        imprint_matches=matches,
        signature_valid=valid,
        trusted=trusted,
        gen_time=gen_time,
        tsa=str(known["tsa"]),
        detail=detail,
    )
