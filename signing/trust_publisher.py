"""Publishing the signed trust list: numbered versions kept in a folder of the instance.

A published list carries an expiry, so it must be re-signed before then even when no key
changes, or every offline verifier would go stale together; and it must be re-signed at once
when a key is retired or revoked. :meth:`TrustListPublisher.current` does both lazily, on the
read path (the well-known URL), so no timer is needed: a list past its refresh hint, or whose
keys no longer match the store, is replaced by the next version before being served.

Files (written atomically; a crash leaves the old file or the new one):

- ``trust.json``: the newest signed list, byte for byte as served;
- ``state.json``: the last version number given (so a number is never reused, even if
  ``trust.json`` is lost) and the endorsements of trust-list keys, which every later list
  carries;
- ``.lock``: taken (``flock``) while a version is being made, so two workers or a worker and a
  ``sceau keys`` command never give out one number twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from signing.errors import KeyNotFoundError, TrustListError
from signing.files import write_atomic
from signing.keys import KeyPurpose, KeyStore
from signing.trust import (
    Endorsement,
    SignedTrustList,
    TrustList,
    TrustListSigner,
    parse_trust_list,
    sign_trust_list,
)

__all__ = [
    "DEFAULT_REFRESH",
    "DEFAULT_VALIDITY",
    "PublishedTrustList",
    "TrustListPublisher",
]

#: A list is good for a week: an offline desk refreshed weekly never sees a warning.
DEFAULT_VALIDITY = timedelta(days=7)
#: Verifiers are asked to look for a new list daily (revocations travel within a day).
DEFAULT_REFRESH = timedelta(days=1)

_LIST = "trust.json"
_STATE = "state.json"
_LOCK = ".lock"


@dataclass(frozen=True)
class PublishedTrustList:
    """One signed version as served: the exact bytes and what they say."""

    document: bytes
    signed: SignedTrustList

    @property
    def version(self) -> int:
        return self.signed.version

    @property
    def trust(self) -> TrustList:
        return self.signed.trust

    @property
    def etag(self) -> str:
        """SHA-256 of the bytes: one version, one tag; a re-signed list is a new one."""
        return hashlib.sha256(self.document).hexdigest()


class TrustListPublisher:
    """Makes and keeps the signed trust list of a key store's seal keys."""

    def __init__(
        self,
        directory: Path,
        store: KeyStore,
        *,
        validity: timedelta = DEFAULT_VALIDITY,
        refresh: timedelta = DEFAULT_REFRESH,
    ) -> None:
        if not timedelta(0) < refresh <= validity:
            raise TrustListError("the refresh hint falls within the list's validity")
        self._directory = Path(directory)
        self._store = store
        self._validity = validity
        self._refresh = refresh

    @property
    def directory(self) -> Path:
        return self._directory

    def latest(self) -> PublishedTrustList | None:
        """The newest list written, or None if none was; its signature is checked on reading."""
        try:
            document = (self._directory / _LIST).read_bytes()
        except FileNotFoundError:
            return None
        return PublishedTrustList(document, parse_trust_list(document))

    def current(self, *, now: datetime | None = None) -> PublishedTrustList:
        """The list to serve now: the newest, or a new version if that one is due.

        Due means: none exists, its refresh hint has passed, or its keys, signer or
        endorsements differ from what the store now says. Needs an active trust-list key
        only when a new version must be signed (:class:`KeyNotFoundError` otherwise).
        """
        now = now or _now()
        found = self.latest()
        if found is not None and not self._due(found, now):
            return found
        with self._locked():
            found = self.latest()  # another process may have just made it
            if found is not None and not self._due(found, now):
                return found
            return self._publish(now)

    def publish(self, *, now: datetime | None = None) -> PublishedTrustList:
        """A new version now, whatever changed (after a key command, so that the change is
        announced under a number of its own)."""
        with self._locked():
            return self._publish(now or _now())

    def add_endorsement(self, endorsement: Endorsement) -> None:
        """Remember that a trust-list key endorsed the next one; every later list carries it."""
        if not endorsement.holds():
            raise TrustListError("this endorsement's signature does not hold")
        with self._locked():
            state = self._state()
            entries = [e for e in state["endorsements"] if e["kid"] != endorsement.key.key_id.hex()]
            entries.append(endorsement.to_document())
            self._write_state(state["version"], entries)

    def endorsements(self) -> tuple[Endorsement, ...]:
        return tuple(Endorsement.from_document(e) for e in self._state()["endorsements"])

    # ------------------------------------------------------------------------- internals

    def _signer(self) -> bytes:
        return self._store.active_key(KeyPurpose.TRUST_LIST).key_id

    def _due(self, found: PublishedTrustList, now: datetime) -> bool:
        refresh_after = found.trust.refresh_after
        if refresh_after is None or now >= refresh_after:
            return True
        try:
            signer = TrustListSigner.of(self._store.public_key(self._signer()))
        except KeyNotFoundError:
            return False  # nothing to sign a new one with; keep serving what exists
        expected = SignedTrustList(
            TrustList.from_key_store(self._store), signer, self.endorsements(), b""
        )
        return not found.signed.content_equals(expected)

    def _publish(self, now: datetime) -> PublishedTrustList:
        now = now.astimezone(UTC).replace(microsecond=0)
        signer = self._signer()
        state = self._state()
        latest = self.latest()
        version = max(state["version"], latest.version if latest is not None else 0) + 1
        trust = TrustList.from_key_store(self._store).dated(
            version=version,
            issued_at=now,
            refresh_after=now + self._refresh,
            expires_at=now + self._validity,
        )
        endorsements = self.endorsements()
        document = sign_trust_list(trust, self._store, signer, endorsements=endorsements)
        # The number first: if we crash after it, the next list skips one, never repeats one.
        self._write_state(version, state["endorsements"])
        write_atomic(self._directory / _LIST, document, mode=0o644)
        return PublishedTrustList(document, parse_trust_list(document))

    def _state(self) -> dict[str, Any]:
        try:
            raw = json.loads((self._directory / _STATE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": 0, "endorsements": []}
        except (OSError, ValueError) as exc:
            raise TrustListError(f"cannot read {self._directory / _STATE}: {exc}") from exc
        version = raw.get("version") if isinstance(raw, dict) else None
        entries = raw.get("endorsements", []) if isinstance(raw, dict) else None
        if not isinstance(version, int) or not isinstance(entries, list):
            raise TrustListError(f"corrupt {self._directory / _STATE}")
        return {"version": version, "endorsements": entries}

    def _write_state(self, version: int, endorsements: list[Any]) -> None:
        document = {"version": version, "endorsements": endorsements}
        write_atomic(
            self._directory / _STATE, (json.dumps(document, indent=2) + "\n").encode("utf-8")
        )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o755)
        fd = os.open(self._directory / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
