"""The trust list: which seal keys a verifier believes, for which days, and how fresh that is.

Published as JSON so that any verifier (this service, the offline CLI, a prefecture's own
software) can load it. Each key is given both as a JWK (what WebCrypto imports) and as PEM (what
OpenSSL reads), with its id, validity window, status and, for a key retired or revoked, the
reason. Loading re-derives every key id from the public key, so a list cannot name a key under
someone else's id.

Version 2 (docs/seal-format.md, "Trust list") is what verifiers are given: numbered, dated with a
refresh hint and an expiry, and signed by the issuer's trust-list key (a detached ES256 JWS over
the list's canonical JSON). The EU DCC verifiers taught two lessons it is built around: a
verifier whose list is a little stale must keep working (with a warning) instead of refusing
every certificate, and rotating a key must never break a verifier, including the key that signs
the list itself (a new trust-list key is endorsed by the old one, and the endorsement travels in
every later list). Version 1 (unsigned) is still read by :meth:`TrustList.from_json`, for old
exports; :func:`parse_trust_list` refuses it, since anyone can write an unsigned list.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from signing.errors import (
    TrustListError,
    TrustListExpiredError,
    TrustListRollbackError,
    TrustListSignatureError,
)
from signing.keys import KeyPurpose, KeyStatus, KeyStore, key_id_for, window_allows

__all__ = [
    "DEFAULT_GRACE",
    "FORMAT_VERSION",
    "TRUST_LIST_FORMAT",
    "Endorsement",
    "Freshness",
    "SignedTrustList",
    "TrustAnchor",
    "TrustList",
    "TrustListCheck",
    "TrustListSigner",
    "TrustedKey",
    "canonical_json",
    "check_trust_list",
    "endorse",
    "key_fingerprint",
    "parse_trust_list",
    "sign_trust_list",
]

TRUST_LIST_FORMAT = "sceau-trust-list"
#: The format of the signed list; version 1 was unsigned and had no ``format_version`` member.
FORMAT_VERSION = 2
#: How long past its expiry a verifier keeps using a list, warning: long enough for a desk
#: without network over a holiday fortnight, short enough that a revocation reaches it.
DEFAULT_GRACE = timedelta(days=14)
#: A list dated further ahead than this is from a wrongly set clock (the issuer's or ours).
_CLOCK_SKEW = timedelta(minutes=5)
_V1 = 1
_MAX_DOCUMENT = 1 << 20  # a list of seal keys is a few kilobytes; refuse to parse megabytes
_JWS_CONTENT_TYPE = "sceau-trust-list+json"
_ENDORSEMENT_PURPOSE = "sceau-trust-list-key-endorsement"
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_T = TypeVar("_T")


# ----------------------------------------------------------------------------- keys


def key_fingerprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """SHA-256 over the DER SubjectPublicKeyInfo, hex: what an operator pins (the 8-byte key id
    is its first 16 digits, too short to pin against a determined forger)."""
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()


@dataclass(frozen=True, kw_only=True)
class TrustedKey:
    """One seal key as a verifier sees it."""

    key_id: bytes
    public_key: ec.EllipticCurvePublicKey = field(compare=False, repr=False)
    not_before: date
    not_after: date | None = None
    status: KeyStatus = KeyStatus.ACTIVE
    #: Why the key was retired or revoked, in the issuer's words; shown to whoever verifies.
    reason: str | None = None

    def usable_on(self, day: date) -> bool:
        return window_allows(day, self.not_before, self.not_after, self.status)

    def to_document(self) -> dict[str, Any]:
        kid = self.key_id.hex()
        document: dict[str, Any] = {
            "kid": kid,
            "status": self.status.value,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat() if self.not_after else None,
        }
        if self.reason is not None:
            document["reason"] = self.reason
        document["jwk"] = {**_jwk(self.public_key), "kid": kid, "use": "sig", "alg": "ES256"}
        document["pem"] = _pem(self.public_key)
        return document


@dataclass(frozen=True)
class TrustListSigner:
    """A trust-list key: signs lists (and endorses the next trust-list key), never seals."""

    key_id: bytes
    public_key: ec.EllipticCurvePublicKey = field(compare=False, repr=False)

    @classmethod
    def of(cls, public_key: ec.EllipticCurvePublicKey) -> TrustListSigner:
        return cls(key_id_for(public_key), public_key)

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_key)

    def to_document(self) -> dict[str, Any]:
        return {"kid": self.key_id.hex(), "jwk": _jwk(self.public_key)}

    @classmethod
    def from_document(cls, entry: Any) -> TrustListSigner:
        public = _key_from_jwk(entry["jwk"])
        signer = cls.of(public)
        if entry["kid"] != signer.key_id.hex():
            raise TrustListError(f"kid {entry['kid']!r} is not the id of its public key")
        return signer


# ----------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class TrustList:
    """An immutable set of trusted seal keys, indexed by key id, with the list's dates.

    ``version`` 0 and no dates: a list built from a key store for the service's own use,
    never published as such (the published one is signed: :func:`sign_trust_list`).
    """

    keys: tuple[TrustedKey, ...]
    issued_at: datetime
    version: int = 0
    refresh_after: datetime | None = None
    expires_at: datetime | None = None
    _by_id: Mapping[bytes, TrustedKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[bytes, TrustedKey] = {}
        for key in self.keys:
            if key.key_id in by_id:
                raise TrustListError(f"key {key.key_id.hex()} is listed twice")
            by_id[key.key_id] = key
        object.__setattr__(self, "_by_id", by_id)
        if self.version < 0:
            raise TrustListError("a trust list version is not negative")
        dates = [self.issued_at, self.refresh_after, self.expires_at]
        if any(d is not None and d.tzinfo is None for d in dates):
            raise TrustListError("trust list dates need a time zone")
        if self.expires_at is not None and self.expires_at <= self.issued_at:
            raise TrustListError("a trust list expires after it is issued")
        if self.refresh_after is not None and not (
            self.issued_at <= self.refresh_after <= (self.expires_at or self.refresh_after)
        ):
            raise TrustListError("refresh_after lies between issued_at and expires_at")

    @classmethod
    def of(cls, keys: Iterable[TrustedKey], *, issued_at: datetime | None = None) -> TrustList:
        return cls(tuple(keys), issued_at or _now())

    @classmethod
    def from_key_store(cls, store: KeyStore, *, purpose: KeyPurpose = KeyPurpose.SEAL) -> TrustList:
        """The keys a store's owner vouches for: every key of ``purpose``, whatever its status
        (a retired key still vouches for its window; a revoked one must be seen revoked)."""
        return cls.of(
            TrustedKey(
                key_id=info.key_id,
                public_key=store.public_key(info.key_id),
                not_before=info.not_before,
                not_after=info.not_after,
                status=info.status,
                reason=info.reason,
            )
            for info in store.keys(purpose=purpose)
        )

    def get(self, key_id: bytes) -> TrustedKey | None:
        return self._by_id.get(key_id)

    def dated(
        self, *, version: int, issued_at: datetime, refresh_after: datetime, expires_at: datetime
    ) -> TrustList:
        """The same keys as a numbered, dated list (what is then signed)."""
        return TrustList(self.keys, issued_at, version, refresh_after, expires_at)

    def to_json(self) -> str:
        """The unsigned version 1 document (old exports and tests; verifiers want version 2)."""
        document = {
            "format": TRUST_LIST_FORMAT,
            "version": _V1,
            "issued_at": _instant(self.issued_at),
            "keys": [key.to_document() for key in self.keys],
        }
        return json.dumps(document, indent=2, ensure_ascii=True) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> TrustList:
        """The keys of a version 1 or 2 document, **without judging any signature**.

        For reading old exports; a verifier deciding what to believe calls
        :func:`parse_trust_list` and :func:`check_trust_list` instead.
        """
        document = _load_json(text)
        if document.get("format_version") == FORMAT_VERSION:
            return _content(document)
        return _guard(lambda: _content_v1(document))


def _content_v1(document: Any) -> TrustList:
    if document.get("format") != TRUST_LIST_FORMAT or document.get("version") != _V1:
        raise TrustListError("not a version 1 or 2 Sceau trust list")
    entries = document["keys"]
    if not isinstance(entries, list):
        raise TrustListError("keys must be a list")
    return TrustList(tuple(_load_key(e) for e in entries), _parse_instant(document["issued_at"]))


def _content(document: Any) -> TrustList:
    def load() -> TrustList:
        if document.get("format") != TRUST_LIST_FORMAT:
            raise TrustListError("not a Sceau trust list")
        version = document["version"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise TrustListError("version must be an integer")
        entries = document["keys"]
        if not isinstance(entries, list):
            raise TrustListError("keys must be a list")
        return TrustList(
            tuple(_load_key(e) for e in entries),
            _parse_instant(document["issued_at"]),
            version,
            _parse_instant(document["refresh_after"]),
            _parse_instant(document["expires_at"]),
        )

    return _guard(load)


# ----------------------------------------------------------------------------- signing


@dataclass(frozen=True)
class Endorsement:
    """The old trust-list key vouching for the next one, so verifiers follow a rotation.

    ``signature`` is a detached JWS by ``by`` over the canonical JSON of
    ``{"purpose": ..., "kid": ..., "jwk": ...}`` of the endorsed key.
    """

    key: TrustListSigner
    by: TrustListSigner
    signature: str

    def to_document(self) -> dict[str, Any]:
        return {
            "kid": self.key.key_id.hex(),
            "jwk": _jwk(self.key.public_key),
            "by": self.by.key_id.hex(),
            "by_jwk": _jwk(self.by.public_key),
            "signature": self.signature,
        }

    @classmethod
    def from_document(cls, entry: Any) -> Endorsement:
        key = TrustListSigner.from_document({"kid": entry["kid"], "jwk": entry["jwk"]})
        by = TrustListSigner.from_document({"kid": entry["by"], "jwk": entry["by_jwk"]})
        signature = entry["signature"]
        if not isinstance(signature, str):
            raise TrustListError("an endorsement's signature is a string")
        return cls(key, by, signature)

    def holds(self) -> bool:
        """Whether ``by`` really signed this endorsement."""
        return _jws_holds(self.signature, _endorsement_payload(self.key), self.by)


def _endorsement_payload(key: TrustListSigner) -> bytes:
    return canonical_json(
        {"purpose": _ENDORSEMENT_PURPOSE, "kid": key.key_id.hex(), "jwk": _jwk(key.public_key)}
    )


def endorse(store: KeyStore, by_key_id: bytes, new_key_id: bytes) -> Endorsement:
    """Have the trust-list key ``by_key_id`` endorse the new trust-list key ``new_key_id``."""
    by = TrustListSigner.of(store.public_key(by_key_id))
    new = TrustListSigner.of(store.public_key(new_key_id))
    return Endorsement(new, by, _jws(store, by, _endorsement_payload(new)))


def sign_trust_list(
    trust: TrustList,
    store: KeyStore,
    signer_key_id: bytes,
    *,
    endorsements: Iterable[Endorsement] = (),
) -> bytes:
    """The version 2 document of a dated list, signed by the store's trust-list key.

    The list must carry its version and dates (:meth:`TrustList.dated`). The bytes returned are
    what is published, byte for byte (indented for people; the signature covers the canonical
    form, so reformatting the file does not break it).
    """
    if trust.expires_at is None or trust.refresh_after is None or trust.version < 1:
        raise TrustListError("only a numbered, dated list is signed")
    signer = TrustListSigner.of(store.public_key(signer_key_id))
    document = _unsigned_document(trust, signer, tuple(endorsements))
    document["signature"] = _jws(store, signer, canonical_json(document))
    return (json.dumps(document, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def _unsigned_document(
    trust: TrustList, signer: TrustListSigner, endorsements: tuple[Endorsement, ...]
) -> dict[str, Any]:
    assert trust.refresh_after is not None
    assert trust.expires_at is not None
    return {
        "format": TRUST_LIST_FORMAT,
        "format_version": FORMAT_VERSION,
        "version": trust.version,
        "issued_at": _instant(trust.issued_at),
        "refresh_after": _instant(trust.refresh_after),
        "expires_at": _instant(trust.expires_at),
        "signer": signer.to_document(),
        "endorsements": [e.to_document() for e in endorsements],
        "keys": [key.to_document() for key in trust.keys],
    }


@dataclass(frozen=True)
class SignedTrustList:
    """A version 2 list whose signature holds under the key it names; not yet *believed*.

    Whether that key is one to believe, whether the list is newer than the one already held,
    and whether it is fresh are :func:`check_trust_list`'s questions.
    """

    trust: TrustList
    signer: TrustListSigner
    endorsements: tuple[Endorsement, ...]
    #: SHA-256 of the canonical signed content: two lists with one version must have one digest.
    digest: bytes

    @property
    def version(self) -> int:
        return self.trust.version

    def content_equals(self, other: SignedTrustList) -> bool:
        """Same keys, signer and endorsements (the dates and version may differ)."""
        return (
            [k.to_document() for k in self.trust.keys]
            == [k.to_document() for k in other.trust.keys]
            and self.signer == other.signer
            and [e.to_document() for e in self.endorsements]
            == [e.to_document() for e in other.endorsements]
        )


def parse_trust_list(data: str | bytes) -> SignedTrustList:
    """Parse a version 2 list and check its signature against the signer it names.

    :class:`TrustListSignatureError` for an unsigned (version 1) list or a signature that does
    not hold; :class:`TrustListError` for anything malformed.
    """
    document = _load_json(data)
    if document.get("format_version") != FORMAT_VERSION:
        if document.get("format") == TRUST_LIST_FORMAT and document.get("version") == _V1:
            raise TrustListSignatureError(
                "a version 1 trust list is unsigned: anyone could have written it; fetch the "
                "signed list (version 2) from /.well-known/sceau/trust.json"
            )
        raise TrustListError("not a version 2 Sceau trust list")
    trust = _content(document)

    def load() -> tuple[TrustListSigner, tuple[Endorsement, ...], str]:
        signer = TrustListSigner.from_document(document["signer"])
        entries = document["endorsements"]
        if not isinstance(entries, list):
            raise TrustListError("endorsements must be a list")
        signature = document["signature"]
        if not isinstance(signature, str):
            raise TrustListSignatureError("the list has no signature")
        return signer, tuple(Endorsement.from_document(e) for e in entries), signature

    signer, endorsements, signature = _guard(load)
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    content = _guard(lambda: canonical_json(unsigned))
    if not _jws_holds(signature, content, signer):
        raise TrustListSignatureError("the trust list's signature does not hold")
    return SignedTrustList(trust, signer, endorsements, hashlib.sha256(content).digest())


# ----------------------------------------------------------------------------- believing


class Freshness(enum.StrEnum):
    """Where a list stands in its life, as the verifier's clock sees it."""

    FRESH = "fresh"  # before refresh_after
    REFRESH_DUE = "refresh-due"  # a newer list should exist; this one is still good
    STALE = "stale"  # expired, within the grace period: usable, with a warning


@dataclass(frozen=True)
class TrustAnchor:
    """What a verifier remembers between runs: the trust-list keys it believes and the
    newest list it accepted (version and digest), so that an older list cannot be slipped in."""

    signers: tuple[TrustListSigner, ...]
    version: int
    digest: bytes
    issued_at: datetime

    def to_json(self) -> str:
        document = {
            "format": "sceau-trust-anchor",
            "signers": [s.to_document() for s in self.signers],
            "version": self.version,
            "digest": self.digest.hex(),
            "issued_at": _instant(self.issued_at),
        }
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> TrustAnchor:
        document = _load_json(text)

        def load() -> TrustAnchor:
            if document.get("format") != "sceau-trust-anchor":
                raise TrustListError("not a Sceau trust anchor")
            signers = tuple(TrustListSigner.from_document(s) for s in document["signers"])
            version = document["version"]
            if not isinstance(version, int) or not signers:
                raise TrustListError("an anchor has a version and at least one signer")
            digest = bytes.fromhex(document["digest"])
            return cls(signers, version, digest, _parse_instant(document["issued_at"]))

        return _guard(load)


@dataclass(frozen=True)
class TrustListCheck:
    """A list the verifier may use, and what to tell its user about it."""

    signed: SignedTrustList
    checked_at: datetime
    freshness: Freshness
    grace: timedelta
    #: No anchor and no pin: this list's signer is believed because it came first (TOFU).
    first_use: bool
    #: Trust-list keys believed after this list (the anchor's, plus any endorsed since).
    believed: tuple[TrustListSigner, ...]

    @property
    def trust(self) -> TrustList:
        return self.signed.trust

    @property
    def version(self) -> int:
        return self.signed.version

    @property
    def age(self) -> timedelta:
        return self.checked_at - self.trust.issued_at

    @property
    def expires_at(self) -> datetime:
        assert self.trust.expires_at is not None
        return self.trust.expires_at

    @property
    def refuse_after(self) -> datetime:
        """When the grace period ends and the list stops vouching for anything."""
        return self.expires_at + self.grace

    @property
    def stale(self) -> bool:
        return self.freshness is Freshness.STALE

    def anchor(self) -> TrustAnchor:
        """What to remember so that the next list is judged against this one."""
        return TrustAnchor(
            self.believed, self.version, self.signed.digest, self.signed.trust.issued_at
        )


def check_trust_list(
    signed: SignedTrustList,
    *,
    anchor: TrustAnchor | None = None,
    pin: str | None = None,
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> TrustListCheck:
    """Decide whether to believe a parsed list.

    1. Its signer is believed: a key of ``anchor``, or the key whose fingerprint is ``pin``, or
       a key endorsed (directly or down a chain) by one of those; with neither anchor nor pin,
       the signer is believed on first use. Else :class:`TrustListSignatureError`.
    2. Its version is not below the anchor's, and at the anchor's version it is the very same
       list. Else :class:`TrustListRollbackError`.
    3. It is not past ``expires_at + grace``. Else :class:`TrustListExpiredError`; between
       expiry and the end of grace it is usable and :attr:`TrustListCheck.stale`.
    """
    now = now or _now()
    roots: dict[bytes, TrustListSigner] = {}
    if anchor is not None:
        roots.update((s.key_id, s) for s in anchor.signers)
    if pin is not None:
        pinned = _pinned(signed, pin)
        roots[pinned.key_id] = pinned
    first_use = not roots
    if first_use:
        roots[signed.signer.key_id] = signed.signer
    believed = _follow_endorsements(roots, signed.endorsements)
    held = believed.get(signed.signer.key_id)
    if held is None or held.fingerprint != signed.signer.fingerprint:
        raise TrustListSignatureError(
            f"the list is signed by trust-list key {signed.signer.key_id.hex()} "
            f"(fingerprint {signed.signer.fingerprint}), which this verifier does not believe "
            "and no key it believes has endorsed"
        )
    if anchor is not None:
        if signed.version < anchor.version:
            raise TrustListRollbackError(
                f"trust list version {signed.version} is older than version {anchor.version}, "
                "already held: refusing to go back (a newer list may revoke keys)"
            )
        if signed.version == anchor.version and signed.digest != anchor.digest:
            raise TrustListRollbackError(
                f"this is not the trust list version {anchor.version} already held, yet it "
                "carries the same number"
            )
    trust = signed.trust
    assert trust.expires_at is not None
    assert trust.refresh_after is not None
    if now >= trust.expires_at + grace:
        raise TrustListExpiredError(
            f"trust list version {signed.version} expired on {_instant(trust.expires_at)}, "
            f"more than {grace.days} days ago: fetch a new one"
        )
    if now >= trust.expires_at:
        freshness = Freshness.STALE
    elif now >= trust.refresh_after:
        freshness = Freshness.REFRESH_DUE
    else:
        freshness = Freshness.FRESH
    if trust.issued_at > now + _CLOCK_SKEW:
        raise TrustListError(
            f"trust list version {signed.version} is dated {_instant(trust.issued_at)}, in the "
            "future: check this computer's clock"
        )
    return TrustListCheck(
        signed=signed,
        checked_at=now,
        freshness=freshness,
        grace=grace,
        first_use=first_use,
        believed=tuple(believed.values()),
    )


def _pinned(signed: SignedTrustList, pin: str) -> TrustListSigner:
    wanted = pin.strip().lower().replace(":", "")
    if len(wanted) != 64 or any(c not in "0123456789abcdef" for c in wanted):
        raise TrustListError("a pin is the 64 hex digits of a trust-list key's SHA-256 fingerprint")
    candidates = [signed.signer] + [k for e in signed.endorsements for k in (e.by, e.key)]
    for candidate in candidates:
        if candidate.fingerprint == wanted:
            return candidate
    raise TrustListSignatureError(
        f"the list is not signed by, nor does it lead to, the pinned trust-list key {wanted}"
    )


def _follow_endorsements(
    roots: Mapping[bytes, TrustListSigner], endorsements: tuple[Endorsement, ...]
) -> dict[bytes, TrustListSigner]:
    """The roots plus every key endorsed, down any chain, by a key already believed."""
    believed = dict(roots)
    changed = True
    while changed:
        changed = False
        for endorsement in endorsements:
            by = believed.get(endorsement.by.key_id)
            if by is None or endorsement.key.key_id in believed:
                continue
            if by.fingerprint != endorsement.by.fingerprint:
                continue
            if endorsement.holds():
                believed[endorsement.key.key_id] = endorsement.key
                changed = True
    return believed


# ----------------------------------------------------------------------------- JWS and JSON


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) for the values a trust list holds: objects with ASCII member names,
    arrays, strings, integers, booleans and null; members sorted, no whitespace, UTF-8.

    For these values Python's sorted, compact, non-ASCII-escaping JSON is exactly JCS; floats,
    which JCS formats differently, are refused rather than risked.
    """
    _refuse_floats(value)
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise TrustListError("a trust list holds no floating-point numbers")
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str) or not name.isascii():
                raise TrustListError("member names are ASCII strings")
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)


def _jws(store: KeyStore, signer: TrustListSigner, payload: bytes) -> str:
    """A detached compact JWS (RFC 7515 appendix F): ``header..signature``, ES256."""
    header = _b64url(
        canonical_json({"alg": "ES256", "cty": _JWS_CONTENT_TYPE, "kid": signer.key_id.hex()})
    )
    signing_input = f"{header}.{_b64url(payload)}".encode("ascii")
    r, s = decode_dss_signature(store.sign(signer.key_id, signing_input))
    return f"{header}..{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _jws_holds(jws: str, payload: bytes, signer: TrustListSigner) -> bool:
    parts = jws.split(".")
    if len(parts) != 3 or parts[1] != "":
        return False
    header_text, _, signature_text = parts
    try:
        header = json.loads(_b64url_decode(header_text))
        raw = _b64url_decode(signature_text)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(header, dict):
        return False
    if header.get("alg") != "ES256" or header.get("kid") != signer.key_id.hex():
        return False
    if set(header) - {"alg", "cty", "kid", "typ"} or len(raw) != 64:
        return False  # no "crit", no "b64": false, nothing that changes what is signed
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    if not (0 < r < _P256_ORDER and 0 < s < _P256_ORDER):
        return False
    signing_input = f"{header_text}.{_b64url(payload)}".encode("ascii")
    try:
        signer.public_key.verify(
            encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        return False
    return True


def _load_json(text: str | bytes) -> Any:
    if len(text) > _MAX_DOCUMENT:
        raise TrustListError("trust list larger than 1 MiB")
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TrustListError(f"trust list is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise TrustListError("a trust list is a JSON object")
    return document


def _guard(load: Callable[[], _T]) -> _T:
    """Run a loader, turning the errors of a malformed document into TrustListError."""
    try:
        result = load()
    except TrustListError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise TrustListError(f"malformed trust list: {exc!r}") from None
    return result


def _load_key(entry: Any) -> TrustedKey:
    from_jwk = _key_from_jwk(entry["jwk"])
    from_pem = serialization.load_pem_public_key(entry["pem"].encode("ascii"))
    if from_pem != from_jwk:
        raise TrustListError("the JWK and the PEM of a key differ")
    key_id = key_id_for(from_jwk)
    if entry["kid"] != key_id.hex():
        raise TrustListError(f"kid {entry['kid']!r} is not the id of its public key")
    not_after = entry.get("not_after")
    reason = entry.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise TrustListError("a key's reason is a string")
    return TrustedKey(
        key_id=key_id,
        public_key=from_jwk,
        not_before=date.fromisoformat(entry["not_before"]),
        not_after=date.fromisoformat(not_after) if not_after is not None else None,
        status=KeyStatus(entry["status"]),
        reason=reason,
    )


def _key_from_jwk(jwk: Any) -> ec.EllipticCurvePublicKey:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise TrustListError("only EC P-256 keys are trusted")
    x, y = (int.from_bytes(_coordinate(jwk[c]), "big") for c in ("x", "y"))
    try:
        return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except ValueError:
        raise TrustListError("JWK point is not on P-256") from None


def _jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
    }


def _pem(public_key: ec.EllipticCurvePublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_instant(text: Any) -> datetime:
    if not isinstance(text, str):
        raise TrustListError("dates are ISO 8601 strings")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise TrustListError(f"{text!r} has no time zone")
    return moment.astimezone(UTC)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or "=" in text:
        raise ValueError("not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


def _coordinate(text: Any) -> bytes:
    try:
        raw = _b64url_decode(text)
    except ValueError:
        raise TrustListError("JWK coordinate is not base64url") from None
    if len(raw) != 32:
        raise TrustListError("JWK coordinate is not 32 bytes")
    return raw
