"""The seal: a signed compact statement carried by the QR code of every certificate.

Three calls make the public surface::

    url = encode(claims, key_store, key_id, base_url="https://sceau.ofii.fr")
    seal = decode(url)             # parse only; SealFormatError for anything malformed
    result = verify(url, trust)    # SealVerification; result.bottom_line is the verdict

The byte layout, the URL form, the name normalisation and test vectors are in
docs/seal-format.md.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from signing.errors import SealFormatError
from signing.keys import KeyStatus, KeyStore
from signing.seal._claims import CERTIFICATE_ID_LENGTH, BirthDate, SealClaims, new_certificate_id
from signing.seal._codec import SIGNATURE_LENGTH, VERSION, pack, unpack
from signing.seal._names import normalize_name
from signing.seal._text import SEAL_PATH, from_text, payload_of, to_text, to_url
from signing.seal._types import CertificateType
from signing.trust import TrustedKey, TrustList

__all__ = [
    "CERTIFICATE_ID_LENGTH",
    "SEAL_PATH",
    "VERSION",
    "BirthDate",
    "CertificateType",
    "Reason",
    "Seal",
    "SealClaims",
    "SealVerification",
    "decode",
    "encode",
    "new_certificate_id",
    "normalize_name",
    "verify",
]

# The order of the P-256 group; a signature's s must be at most half of it (see _low_s).
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_HALF_ORDER = _P256_ORDER // 2


class Reason(enum.StrEnum):
    """Why a seal is not genuine; stable codes that pages and the API translate."""

    SIGNATURE_INVALID = "signature-invalid"
    SIGNATURE_NOT_CANONICAL = "signature-not-canonical"
    KEY_UNKNOWN = "key-unknown"
    KEY_REVOKED = "key-revoked"
    KEY_NOT_VALID_AT_ISSUE = "key-not-valid-at-issue"


@dataclass(frozen=True)
class Seal:
    """A parsed seal; nothing in it has been checked but its form."""

    version: int
    key_id: bytes
    claims: SealClaims
    signed_bytes: bytes
    signature: bytes
    payload: str

    @property
    def digest(self) -> bytes:
        """SHA-256 of the whole seal (signed bytes and signature): its identity in logs."""
        return hashlib.sha256(self.signed_bytes + self.signature).digest()


@dataclass(frozen=True)
class SealVerification:
    """What a verifier can say of a seal from the seal and a trust list alone.

    The online status (revoked, superseded, expired) is the service's to add; this is only
    whether the issuer's key signed these exact claims.
    """

    seal: Seal
    signature_valid: bool
    key_known: bool
    key_usable: bool
    reasons: tuple[Reason, ...]
    #: The trust list's entry of the key, when it knows the key: its status and, for a key
    #: retired or revoked, the issuer's reason, which verifiers show.
    key: TrustedKey | None = None

    @property
    def claims(self) -> SealClaims:
        return self.seal.claims

    @property
    def key_id(self) -> bytes:
        return self.seal.key_id

    @property
    def bottom_line(self) -> bool:
        """True only when a trusted key, usable on the issue date, signed exactly these bytes."""
        return self.signature_valid and self.key_known and self.key_usable and not self.reasons

    @property
    def key_revoked(self) -> bool:
        """The signature holds, but under a key its issuer has since revoked: the claims may be
        a forger's with the stolen key, so nothing in them is trusted ("not trusted")."""
        return (
            self.signature_valid and self.key is not None and self.key.status is KeyStatus.REVOKED
        )


def encode(
    claims: SealClaims, key_store: KeyStore, key_id: bytes, *, base_url: str | None = None
) -> str:
    """Seal ``claims`` with the store's key; the seal URL, or the bare payload without a base.

    Raises :class:`signing.errors.ClaimsError` for claims the format cannot carry.
    """
    body = pack(claims.normalized(), key_id)
    r, s = decode_dss_signature(key_store.sign(key_id, body))
    if s > _HALF_ORDER:  # low-s form: one signature per seal, as Bitcoin and Ethereum do
        s = _P256_ORDER - s
    payload = to_text(body + r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return payload if base_url is None else to_url(base_url, payload)


def decode(url_or_payload: str) -> Seal:
    """Parse a seal URL or payload; :class:`SealFormatError` for any malformed input."""
    payload = payload_of(url_or_payload)
    raw = from_text(payload)
    if len(raw) <= SIGNATURE_LENGTH:
        raise SealFormatError("seal too short")
    signed, signature = raw[:-SIGNATURE_LENGTH], raw[-SIGNATURE_LENGTH:]
    body = unpack(signed)
    return Seal(
        version=body.version,
        key_id=body.key_id,
        claims=body.claims,
        signed_bytes=signed,
        signature=signature,
        payload=payload,
    )


def verify(url_or_payload: str | Seal, trust: TrustList) -> SealVerification:
    """Check a seal against a trust list, offline. Malformed input raises SealFormatError."""
    seal = url_or_payload if isinstance(url_or_payload, Seal) else decode(url_or_payload)
    key = trust.get(seal.key_id)
    if key is None:
        return SealVerification(seal, False, False, False, (Reason.KEY_UNKNOWN,))
    reasons: list[Reason] = []
    signature_valid = _signature_valid(key.public_key, seal, reasons)
    key_usable = key.usable_on(seal.claims.issued_on)
    if not key_usable:
        reasons.append(
            Reason.KEY_REVOKED if key.status is KeyStatus.REVOKED else Reason.KEY_NOT_VALID_AT_ISSUE
        )
    return SealVerification(seal, signature_valid, True, key_usable, tuple(reasons), key)


def _signature_valid(
    public_key: ec.EllipticCurvePublicKey, seal: Seal, reasons: list[Reason]
) -> bool:
    r = int.from_bytes(seal.signature[:32], "big")
    s = int.from_bytes(seal.signature[32:], "big")
    if not (0 < r < _P256_ORDER and 0 < s <= _HALF_ORDER):
        reasons.append(Reason.SIGNATURE_NOT_CANONICAL)
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), seal.signed_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        reasons.append(Reason.SIGNATURE_INVALID)
        return False
    return True
