"""Key metadata as one ``<kid>.json`` file per key, shared by every store that keeps keys elsewhere.

The private half may live in an encrypted PEM file or inside a PKCS#11 token; what a verifier and
the trust list need to know about a key (purpose, window, status, revocation reason) is the same
either way, and a token has nowhere to keep it. So the metadata lives beside the keys, in a folder,
written atomically: a crash leaves the old record or the new one, never half of one.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from signing.errors import KeyNotFoundError, KeyStoreError
from signing.files import write_atomic
from signing.keys._base import KeyInfo, KeyPurpose, KeyStatus

__all__ = ["KeyMetadata"]

_META_FILE = re.compile(r"^([0-9a-f]{16})\.json$")


class KeyMetadata:
    """Reads and writes the ``<kid>.json`` records of a folder of keys.

    Status changes are read-modify-write; a lock keeps two threads of one process from losing
    each other's change (two processes changing the same key at once is an operator error the
    atomic write at least keeps from corrupting the file).
    """

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        self._lock = threading.Lock()

    @property
    def directory(self) -> Path:
        return self._directory

    def path(self, key_id: bytes) -> Path:
        """Where the record of ``key_id`` lives (whether or not it exists)."""
        return self._directory / f"{key_id.hex()}.json"

    def exists(self, key_id: bytes) -> bool:
        return self.path(key_id).is_file()

    def read(self, key_id: bytes) -> KeyInfo:
        """The record of one key; :class:`KeyNotFoundError` if there is none."""
        path = self.path(key_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyNotFoundError(f"no key {key_id.hex()} in {self._directory}") from None
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"cannot read key metadata {path}: {exc}") from exc
        try:
            return _load(raw, key_id)
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyStoreError(f"corrupt key metadata {path}: {exc}") from exc

    def list(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        """Every record of the folder, oldest first, optionally only those of one purpose."""
        found: list[KeyInfo] = []
        if not self._directory.is_dir():
            return found
        for path in self._directory.iterdir():
            match = _META_FILE.match(path.name)
            if match is None:
                continue
            info = self.read(bytes.fromhex(match.group(1)))
            if purpose is None or info.purpose is purpose:
                found.append(info)
        return sorted(found, key=lambda k: (k.created_at, k.key_id))

    def write(self, info: KeyInfo) -> None:
        """Create or replace the record of ``info.key_id``."""
        with self._lock:
            write_atomic(self.path(info.key_id), _dump(info))

    def set_status(
        self,
        key_id: bytes,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
    ) -> KeyInfo:
        """Move a key to ``status`` (rules: :meth:`KeyInfo.with_status`); the new record."""
        with self._lock:
            updated = self.read(key_id).with_status(status, reason=reason, not_after=not_after)
            write_atomic(self.path(key_id), _dump(updated))
        return updated


def _dump(info: KeyInfo) -> bytes:
    doc = {
        "kid": info.key_id.hex(),
        "purpose": info.purpose.value,
        "created_at": info.created_at.isoformat(),
        "not_before": info.not_before.isoformat(),
        "not_after": info.not_after.isoformat() if info.not_after else None,
        "status": info.status.value,
        "reason": info.reason,
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _load(raw: Any, key_id: bytes) -> KeyInfo:
    if raw["kid"] != key_id.hex():
        raise ValueError("kid does not match the file name")
    created_at = datetime.fromisoformat(raw["created_at"])
    if created_at.tzinfo is None:
        raise ValueError("created_at has no time zone")
    not_after = raw.get("not_after")
    reason = raw.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise TypeError("reason is not a string")
    return KeyInfo(
        key_id=key_id,
        purpose=KeyPurpose(raw["purpose"]),
        created_at=created_at.astimezone(UTC),
        not_before=date.fromisoformat(raw["not_before"]),
        not_after=date.fromisoformat(not_after) if not_after else None,
        status=KeyStatus(raw.get("status", "active")),
        reason=reason,
    )
