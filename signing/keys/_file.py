"""Keys as encrypted PEM files in a folder: the development store, and small deployments'."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError, KeyStoreError
from signing.files import write_atomic
from signing.keys._base import KeyInfo, KeyPurpose, KeyStatus, KeyStore, key_id_for
from signing.keys._meta import KeyMetadata

__all__ = ["FileKeyStore"]


class FileKeyStore(KeyStore):
    """One ``<kid>.pem`` (PKCS#8, encrypted with the passphrase) and ``<kid>.json`` per key.

    The ``<kid>.json`` records are :class:`signing.keys._meta.KeyMetadata`'s, shared with stores
    whose private keys live elsewhere.

    Decrypted keys are cached in memory: the PEM encryption is deliberately slow to derive, and a
    seal verification page must not pay that on every request.
    """

    def __init__(self, directory: Path, *, passphrase: bytes) -> None:
        if not passphrase:
            raise KeyStoreError("a file key store needs a non-empty passphrase")
        self._directory = Path(directory)
        self._passphrase = passphrase
        self._private: dict[bytes, ec.EllipticCurvePrivateKey] = {}
        self._lock = threading.Lock()
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._meta = KeyMetadata(self._directory)

    @property
    def directory(self) -> Path:
        return self._directory

    def keys(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        return self._meta.list(purpose=purpose)

    def info(self, key_id: bytes) -> KeyInfo:
        return self._meta.read(key_id)

    def public_key(self, key_id: bytes) -> ec.EllipticCurvePublicKey:
        return self._private_key(key_id).public_key()

    def sign(self, key_id: bytes, data: bytes) -> bytes:
        return self._private_key(key_id).sign(data, ec.ECDSA(hashes.SHA256()))

    def generate(self, *, purpose: KeyPurpose) -> KeyInfo:
        private = ec.generate_private_key(ec.SECP256R1())
        key_id = key_id_for(private.public_key())
        now = datetime.now(UTC).replace(microsecond=0)
        info = KeyInfo(key_id=key_id, purpose=purpose, created_at=now, not_before=now.date())
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        # The PEM first: metadata naming a key that is not on disk would be a dangling record.
        write_atomic(self._pem_path(key_id), pem)
        self._meta.write(info)
        with self._lock:
            self._private[key_id] = private
        return info

    def set_status(
        self,
        key_id: bytes,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
    ) -> KeyInfo:
        if not self._pem_path(key_id).is_file():
            raise KeyNotFoundError(f"no key {key_id.hex()} in {self._directory}")
        return self._meta.set_status(key_id, status, reason=reason, not_after=not_after)

    def _pem_path(self, key_id: bytes) -> Path:
        return self._directory / f"{key_id.hex()}.pem"

    def _private_key(self, key_id: bytes) -> ec.EllipticCurvePrivateKey:
        with self._lock:
            cached = self._private.get(key_id)
        if cached is not None:
            return cached
        path = self._pem_path(key_id)
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            raise KeyNotFoundError(f"no key {key_id.hex()} in {self._directory}") from None
        try:
            private = serialization.load_pem_private_key(pem, password=self._passphrase)
        except (ValueError, TypeError) as exc:
            raise KeyStoreError(f"cannot decrypt {path}: wrong passphrase or corrupt file") from exc
        if not isinstance(private, ec.EllipticCurvePrivateKey) or not isinstance(
            private.curve, ec.SECP256R1
        ):
            raise KeyStoreError(f"{path} does not hold an EC P-256 key")
        if key_id_for(private.public_key()) != key_id:
            raise KeyStoreError(f"{path} holds a key whose id is not {key_id.hex()}")
        with self._lock:
            self._private[key_id] = private
        return private
