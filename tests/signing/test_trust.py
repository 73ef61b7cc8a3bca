"""The trust list survives publication and refuses lists that lie about their keys."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import TrustListError
from signing.keys import KeyInfo, KeyStatus
from signing.seal import encode, verify
from signing.trust import TrustList
from tests.signing.conftest import make_claims
from tests.signing.memory_store import MemoryKeyStore


def test_published_list_verifies_seals_after_a_round_trip_through_json(
    store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    published = TrustList.from_json(trust.to_json())
    assert published == trust
    assert verify(encode(make_claims(), store, seal_key.key_id), published).bottom_line


def test_document_carries_jwk_pem_window_and_status(trust: TrustList, seal_key: KeyInfo) -> None:
    (entry,) = json.loads(trust.to_json())["keys"]
    assert entry["kid"] == seal_key.key_id.hex()
    assert entry["status"] == "active"
    assert entry["not_before"] == seal_key.not_before.isoformat()
    assert entry["jwk"]["crv"] == "P-256"
    assert entry["jwk"]["kid"] == entry["kid"]
    assert entry["pem"].startswith("-----BEGIN PUBLIC KEY-----")


def _document(trust: TrustList) -> dict[str, Any]:
    return json.loads(trust.to_json())  # type: ignore[no-any-return]


def test_a_kid_that_is_not_its_keys_id_is_refused(trust: TrustList) -> None:
    doc = _document(trust)
    doc["keys"][0]["kid"] = "00" * 8
    with pytest.raises(TrustListError, match="not the id"):
        TrustList.from_json(json.dumps(doc))


def test_jwk_and_pem_of_different_keys_are_refused(trust: TrustList) -> None:
    doc = _document(trust)
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    doc["keys"][0]["pem"] = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    with pytest.raises(TrustListError, match="differ"):
        TrustList.from_json(json.dumps(doc))


def test_a_key_listed_twice_is_refused(trust: TrustList) -> None:
    doc = _document(trust)
    doc["keys"].append(doc["keys"][0])
    with pytest.raises(TrustListError, match="twice"):
        TrustList.from_json(json.dumps(doc))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "{}",
        '{"format": "sceau-trust-list", "version": 1}',
        '{"format": "sceau-trust-list", "version": 1, "issued_at": "2026-01-01", "keys": []}',
        '{"format": "sceau-trust-list", "version": 1, "issued_at": "2026-01-01T00:00:00Z",'
        ' "keys": [{"jwk": {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}}]}',
        '{"format": "sceau-trust-list", "version": 1, "issued_at": "2026-01-01T00:00:00Z",'
        ' "keys": "all"}',
        "x" * (2 << 20),
    ],
)
def test_malformed_lists_raise_trust_list_error(text: str) -> None:
    with pytest.raises(TrustListError):
        TrustList.from_json(text)


def test_status_and_window_travel_with_the_key() -> None:
    store = MemoryKeyStore()
    store.add(
        ec.generate_private_key(ec.SECP256R1()),
        not_before=date(2025, 1, 1),
        not_after=date(2025, 12, 31),
        status=KeyStatus.RETIRED,
    )
    (key,) = TrustList.from_json(TrustList.from_key_store(store).to_json()).keys
    assert key.status is KeyStatus.RETIRED
    assert key.usable_on(date(2025, 6, 1))
    assert not key.usable_on(date(2026, 1, 1))
