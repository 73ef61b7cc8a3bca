"""The trust list: which seal keys a verifier believes, and for which days.

Published as JSON so that any verifier (this service, the offline CLI, a prefecture's own
software) can load it. Each key is given both as a JWK (what WebCrypto imports) and as PEM (what
OpenSSL reads), with its id, validity window and status. Loading re-derives every key id from the
public key, so a list cannot name a key under someone else's id.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import TrustListError
from signing.keys import KeyPurpose, KeyStatus, KeyStore, key_id_for, window_allows

__all__ = ["TRUST_LIST_FORMAT", "TrustList", "TrustedKey"]

TRUST_LIST_FORMAT = "sceau-trust-list"
_VERSION = 1
_MAX_DOCUMENT = 1 << 20  # a list of seal keys is a few kilobytes; refuse to parse megabytes


@dataclass(frozen=True, kw_only=True)
class TrustedKey:
    """One seal key as a verifier sees it."""

    key_id: bytes
    public_key: ec.EllipticCurvePublicKey = field(compare=False, repr=False)
    not_before: date
    not_after: date | None = None
    status: KeyStatus = KeyStatus.ACTIVE

    def usable_on(self, day: date) -> bool:
        return window_allows(day, self.not_before, self.not_after, self.status)

    def to_document(self) -> dict[str, Any]:
        numbers = self.public_key.public_numbers()
        kid = self.key_id.hex()
        return {
            "kid": kid,
            "status": self.status.value,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "jwk": {
                "kty": "EC",
                "crv": "P-256",
                "x": _b64url(numbers.x.to_bytes(32, "big")),
                "y": _b64url(numbers.y.to_bytes(32, "big")),
                "kid": kid,
                "use": "sig",
                "alg": "ES256",
            },
            "pem": self.public_key.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ).decode("ascii"),
        }


@dataclass(frozen=True)
class TrustList:
    """An immutable set of trusted keys, indexed by key id."""

    keys: tuple[TrustedKey, ...]
    issued_at: datetime
    _by_id: Mapping[bytes, TrustedKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[bytes, TrustedKey] = {}
        for key in self.keys:
            if key.key_id in by_id:
                raise TrustListError(f"key {key.key_id.hex()} is listed twice")
            by_id[key.key_id] = key
        object.__setattr__(self, "_by_id", by_id)

    @classmethod
    def of(cls, keys: Iterable[TrustedKey], *, issued_at: datetime | None = None) -> TrustList:
        return cls(tuple(keys), issued_at or datetime.now(UTC).replace(microsecond=0))

    @classmethod
    def from_key_store(cls, store: KeyStore, *, purpose: KeyPurpose = KeyPurpose.SEAL) -> TrustList:
        """The list a store's owner publishes: every key of ``purpose``, whatever its status."""
        return cls.of(
            TrustedKey(
                key_id=info.key_id,
                public_key=store.public_key(info.key_id),
                not_before=info.not_before,
                not_after=info.not_after,
                status=info.status,
            )
            for info in store.keys(purpose=purpose)
        )

    def get(self, key_id: bytes) -> TrustedKey | None:
        return self._by_id.get(key_id)

    def to_json(self) -> str:
        document = {
            "format": TRUST_LIST_FORMAT,
            "version": _VERSION,
            "issued_at": self.issued_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "keys": [key.to_document() for key in self.keys],
        }
        return json.dumps(document, indent=2, ensure_ascii=True) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> TrustList:
        """Parse and check a published list; anything off raises :class:`TrustListError`."""
        if len(text) > _MAX_DOCUMENT:
            raise TrustListError("trust list larger than 1 MiB")
        try:
            document = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise TrustListError(f"trust list is not JSON: {exc}") from None
        try:
            if document.get("format") != TRUST_LIST_FORMAT or document.get("version") != _VERSION:
                raise TrustListError("not a version 1 Sceau trust list")
            issued_at = datetime.fromisoformat(document["issued_at"])
            if issued_at.tzinfo is None:
                raise TrustListError("issued_at has no time zone")
            entries = document["keys"]
            if not isinstance(entries, list):
                raise TrustListError("keys must be a list")
            return cls(tuple(_load_key(entry) for entry in entries), issued_at.astimezone(UTC))
        except TrustListError:
            raise
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise TrustListError(f"malformed trust list: {exc!r}") from None


def _load_key(entry: Any) -> TrustedKey:
    jwk = entry["jwk"]
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise TrustListError("only EC P-256 keys are trusted")
    x, y = (int.from_bytes(_b64url_decode(jwk[c], 32), "big") for c in ("x", "y"))
    try:
        from_jwk = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except ValueError:
        raise TrustListError("JWK point is not on P-256") from None
    from_pem = serialization.load_pem_public_key(entry["pem"].encode("ascii"))
    if from_pem != from_jwk:
        raise TrustListError("the JWK and the PEM of a key differ")
    key_id = key_id_for(from_jwk)
    if entry["kid"] != key_id.hex():
        raise TrustListError(f"kid {entry['kid']!r} is not the id of its public key")
    not_after = entry.get("not_after")
    return TrustedKey(
        key_id=key_id,
        public_key=from_jwk,
        not_before=date.fromisoformat(entry["not_before"]),
        not_after=date.fromisoformat(not_after) if not_after is not None else None,
        status=KeyStatus(entry["status"]),
    )


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str, length: int) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != length:
        raise TrustListError(f"JWK coordinate is not {length} bytes")
    return raw
