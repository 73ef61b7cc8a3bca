"""A key store holding given private keys in memory, signing deterministically (RFC 6979).

Deterministic signatures make the seal format's test vectors reproducible byte for byte; it is a
real store (it signs), used where a test needs a known key.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError
from signing.keys import KeyInfo, KeyPurpose, KeyStatus, KeyStore, key_id_for


class MemoryKeyStore(KeyStore):
    def __init__(self) -> None:
        self._keys: dict[bytes, tuple[ec.EllipticCurvePrivateKey, KeyInfo]] = {}

    def add(
        self,
        private: ec.EllipticCurvePrivateKey,
        *,
        not_before: date = date(2020, 1, 1),
        not_after: date | None = None,
        status: KeyStatus = KeyStatus.ACTIVE,
        purpose: KeyPurpose = KeyPurpose.SEAL,
        reason: str | None = None,
    ) -> KeyInfo:
        key_id = key_id_for(private.public_key())
        info = KeyInfo(
            key_id=key_id,
            purpose=purpose,
            created_at=datetime.combine(not_before, datetime.min.time(), UTC),
            not_before=not_before,
            not_after=not_after,
            status=status,
            reason=reason,
        )
        self._keys[key_id] = (private, info)
        return info

    def keys(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        return [i for _, i in self._keys.values() if purpose in (None, i.purpose)]

    def info(self, key_id: bytes) -> KeyInfo:
        return self._entry(key_id)[1]

    def public_key(self, key_id: bytes) -> ec.EllipticCurvePublicKey:
        return self._entry(key_id)[0].public_key()

    def sign(self, key_id: bytes, data: bytes) -> bytes:
        algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
        return self._entry(key_id)[0].sign(data, algorithm)

    def generate(self, *, purpose: KeyPurpose) -> KeyInfo:
        return self.add(ec.generate_private_key(ec.SECP256R1()), purpose=purpose)

    def set_status(
        self,
        key_id: bytes,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
    ) -> KeyInfo:
        private, info = self._entry(key_id)
        updated = info.with_status(status, reason=reason, not_after=not_after)
        self._keys[key_id] = (private, updated)
        return updated

    def _entry(self, key_id: bytes) -> tuple[ec.EllipticCurvePrivateKey, KeyInfo]:
        try:
            return self._keys[key_id]
        except KeyError:
            raise KeyNotFoundError(key_id.hex()) from None
