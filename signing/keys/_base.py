"""The key store interface: signers ask it to sign and never see where the key lives.

A file store keeps encrypted PEM files; a PKCS#11 store (a later addition) keeps keys inside a
token. Both answer the same four questions, so the seal, the PDF signer and the timestamp
authority are written once.
"""

from __future__ import annotations

import abc
import enum
import hashlib
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError, KeyStatusError

__all__ = [
    "KEY_ID_LENGTH",
    "MAX_REASON_LENGTH",
    "KeyInfo",
    "KeyPurpose",
    "KeyStatus",
    "KeyStore",
    "key_id_for",
    "window_allows",
]

#: Bytes of SHA-256(SubjectPublicKeyInfo) that name a key: short enough for the seal, and a
#: collision among the handful of keys an issuer ever holds is out of reach.
KEY_ID_LENGTH = 8

#: Characters of a status reason: it is shown on the seal page and travels in every trust list.
MAX_REASON_LENGTH = 200


class KeyPurpose(enum.StrEnum):
    """What a key signs. One key, one purpose: a seal key never signs a PDF or a trust list."""

    SEAL = "seal"
    DOCUMENT = "document"
    TIMESTAMP = "timestamp"
    TRUST_LIST = "trust-list"
    LOG = "log"  # signs the transparency log's tree heads


class KeyStatus(enum.StrEnum):
    """Where a key stands in its life; verifiers read it from the trust list."""

    ACTIVE = "active"  # signs new seals
    RETIRED = "retired"  # signs nothing new; what it signed inside its window stays valid
    REVOKED = "revoked"  # compromised: nothing it ever signed is trusted


def key_id_for(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The key id: first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo."""
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()[:KEY_ID_LENGTH]


@dataclass(frozen=True, kw_only=True)
class KeyInfo:
    """What a store knows about one key, without the private part."""

    key_id: bytes
    purpose: KeyPurpose
    created_at: datetime
    not_before: date
    not_after: date | None = None
    status: KeyStatus = KeyStatus.ACTIVE
    #: Why the key was retired or revoked, in the operator's words; verifiers show it.
    reason: str | None = None

    def usable_on(self, day: date) -> bool:
        """Whether a signature dated ``day`` is inside this key's window and it is not revoked."""
        return window_allows(day, self.not_before, self.not_after, self.status)

    def with_status(
        self,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
        today: date | None = None,
    ) -> KeyInfo:
        """This key moved to ``status``, under the one set of lifecycle rules every store obeys.

        Active -> retired closes the window (``not_after``, today unless given) so the key keeps
        vouching for what it sealed before; active or retired -> revoked needs a reason, since a
        verifier will tell every holder of a certificate *why* it is no longer trusted. Nothing
        leaves revoked and nothing goes back to active: a verifier that once saw a key end must
        never see it come back. :class:`KeyStatusError` otherwise.
        """
        today = today or datetime.now(UTC).date()
        reason = _clean_reason(reason)
        kid = self.key_id.hex()
        if self.status is KeyStatus.REVOKED:
            raise KeyStatusError(f"key {kid} is revoked; a revoked key stays revoked")
        if status is KeyStatus.ACTIVE:
            raise KeyStatusError(f"key {kid} is {self.status}; a key cannot become active again")
        if status is self.status:
            raise KeyStatusError(f"key {kid} is already {status}")
        if status is KeyStatus.REVOKED and reason is None:
            raise KeyStatusError(f"revoking key {kid} needs a reason")
        end = not_after or self.not_after
        if status is KeyStatus.RETIRED and not_after is None and (end is None or end > today):
            end = today
        if end is not None and end < self.not_before:
            raise KeyStatusError(
                f"key {kid}: not_after {end} is before its not_before {self.not_before}"
            )
        return replace(self, status=status, reason=reason, not_after=end)


def _clean_reason(reason: str | None) -> str | None:
    """A reason fit to show to anyone: one line of printable text, bounded, or None if blank."""
    if reason is None:
        return None
    reason = " ".join(reason.split())
    if not reason:
        return None
    if len(reason) > MAX_REASON_LENGTH:
        raise KeyStatusError(f"a reason is at most {MAX_REASON_LENGTH} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in reason):
        raise KeyStatusError("a reason must not contain control or format characters")
    return reason


def window_allows(day: date, not_before: date, not_after: date | None, status: KeyStatus) -> bool:
    """The one rule for "may this key have signed on this day", shared by stores and trust lists.

    A retired key keeps vouching for what it signed inside its window (rotation must not break
    verifiers); a revoked key vouches for nothing.
    """
    if status is KeyStatus.REVOKED or day < not_before:
        return False
    return not_after is None or day <= not_after


class KeyStore(abc.ABC):
    """Holds EC P-256 private keys and signs with them; the private part never leaves."""

    @abc.abstractmethod
    def keys(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        """Every key of the store, oldest first, optionally only those of one purpose."""

    @abc.abstractmethod
    def info(self, key_id: bytes) -> KeyInfo:
        """The metadata of one key; :class:`KeyNotFoundError` if unknown."""

    @abc.abstractmethod
    def public_key(self, key_id: bytes) -> ec.EllipticCurvePublicKey:
        """The public half of a key; :class:`KeyNotFoundError` if unknown."""

    @abc.abstractmethod
    def sign(self, key_id: bytes, data: bytes) -> bytes:
        """An ECDSA P-256 / SHA-256 signature over ``data``, DER-encoded (as X.509 and CMS want)."""

    @abc.abstractmethod
    def generate(self, *, purpose: KeyPurpose) -> KeyInfo:
        """Create a new active P-256 key for ``purpose`` inside the store."""

    @abc.abstractmethod
    def set_status(
        self,
        key_id: bytes,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
    ) -> KeyInfo:
        """Retire or revoke a key (rules: :meth:`KeyInfo.with_status`); the updated metadata.

        The private key stays in the store: a retired key's trust list entry must still be
        signed for, and a revoked key's record is kept so verifiers learn why it was revoked.
        """

    def active_key(self, purpose: KeyPurpose) -> KeyInfo:
        """The newest active key of a purpose: the one that signs from now on."""
        active = [k for k in self.keys(purpose=purpose) if k.status is KeyStatus.ACTIVE]
        if not active:
            raise KeyNotFoundError(f"no active {purpose} key in the store")
        return active[-1]
