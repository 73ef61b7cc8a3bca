"""Keys as encrypted PEM files in a folder: the development store, and small deployments'."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError, KeyStoreError
from signing.files import write_atomic
from signing.keys._base import KeyInfo, KeyPurpose, KeyStatus, KeyStore, key_id_for

__all__ = ["FileKeyStore"]

_KEY_FILE = re.compile(r"^([0-9a-f]{16})\.json$")


class FileKeyStore(KeyStore):
    """One ``<kid>.pem`` (PKCS#8, encrypted with the passphrase) and ``<kid>.json`` per key.

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

    @property
    def directory(self) -> Path:
        return self._directory

    def keys(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        found: list[KeyInfo] = []
        for path in self._directory.iterdir():
            match = _KEY_FILE.match(path.name)
            if match is None:
                continue
            info = self._read_info(bytes.fromhex(match.group(1)))
            if purpose is None or info.purpose is purpose:
                found.append(info)
        return sorted(found, key=lambda k: (k.created_at, k.key_id))

    def info(self, key_id: bytes) -> KeyInfo:
        return self._read_info(key_id)

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
        write_atomic(self._meta_path(key_id), _dump_info(info))
        with self._lock:
            self._private[key_id] = private
        return info

    def _pem_path(self, key_id: bytes) -> Path:
        return self._directory / f"{key_id.hex()}.pem"

    def _meta_path(self, key_id: bytes) -> Path:
        return self._directory / f"{key_id.hex()}.json"

    def _read_info(self, key_id: bytes) -> KeyInfo:
        path = self._meta_path(key_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyNotFoundError(f"no key {key_id.hex()} in {self._directory}") from None
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"cannot read key metadata {path}: {exc}") from exc
        try:
            return _load_info(raw, key_id)
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyStoreError(f"corrupt key metadata {path}: {exc}") from exc

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


def _dump_info(info: KeyInfo) -> bytes:
    doc = {
        "kid": info.key_id.hex(),
        "purpose": info.purpose.value,
        "created_at": info.created_at.isoformat(),
        "not_before": info.not_before.isoformat(),
        "not_after": info.not_after.isoformat() if info.not_after else None,
        "status": info.status.value,
    }
    return (json.dumps(doc, indent=2) + "\n").encode("utf-8")


def _load_info(raw: Any, key_id: bytes) -> KeyInfo:
    if raw["kid"] != key_id.hex():
        raise ValueError("kid does not match the file name")
    created_at = datetime.fromisoformat(raw["created_at"])
    if created_at.tzinfo is None:
        raise ValueError("created_at has no time zone")
    not_after = raw.get("not_after")
    return KeyInfo(
        key_id=key_id,
        purpose=KeyPurpose(raw["purpose"]),
        created_at=created_at.astimezone(UTC),
        not_before=date.fromisoformat(raw["not_before"]),
        not_after=date.fromisoformat(not_after) if not_after else None,
        status=KeyStatus(raw.get("status", "active")),
    )
