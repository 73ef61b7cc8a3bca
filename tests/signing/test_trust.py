"""The trust list survives publication and refuses lists that lie about their keys; version 2 is
signed, numbered and dated, and a verifier refuses forged, rolled-back or long-expired lists."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from signing.errors import (
    TrustListError,
    TrustListExpiredError,
    TrustListRollbackError,
    TrustListSignatureError,
)
from signing.keys import KeyInfo, KeyPurpose, KeyStatus
from signing.seal import encode, verify
from signing.trust import (
    Endorsement,
    Freshness,
    TrustAnchor,
    TrustList,
    canonical_json,
    check_trust_list,
    endorse,
    key_fingerprint,
    parse_trust_list,
    sign_trust_list,
)
from signing.trust_publisher import TrustListPublisher
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


# ----------------------------------------------------------------------------- version 2

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _dated(trust: TrustList, version: int = 1, issued_at: datetime = NOW) -> TrustList:
    return trust.dated(
        version=version,
        issued_at=issued_at,
        refresh_after=issued_at + timedelta(days=1),
        expires_at=issued_at + timedelta(days=7),
    )


@pytest.fixture
def list_key(store: MemoryKeyStore) -> KeyInfo:
    return store.generate(purpose=KeyPurpose.TRUST_LIST)


def _signed(
    store: MemoryKeyStore,
    list_key: KeyInfo,
    *,
    version: int = 1,
    issued_at: datetime = NOW,
    endorsements: tuple[Endorsement, ...] = (),
) -> bytes:
    trust = _dated(TrustList.from_key_store(store), version, issued_at)
    return sign_trust_list(trust, store, list_key.key_id, endorsements=endorsements)


def test_a_signed_list_round_trips_and_is_believed_on_first_use(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    document = _signed(store, list_key, version=3)
    signed = parse_trust_list(document)
    check = check_trust_list(signed, now=NOW + timedelta(hours=2))
    assert check.first_use
    assert check.version == 3
    assert check.freshness is Freshness.FRESH
    assert check.age == timedelta(hours=2)
    assert [s.key_id for s in check.believed] == [list_key.key_id]
    assert verify(encode(make_claims(), store, seal_key.key_id), check.trust).bottom_line
    # The list's own trust-list key is not a seal key: it never appears among the keys.
    assert [k.key_id for k in check.trust.keys] == [seal_key.key_id]
    raw = json.loads(document)
    assert raw["format_version"] == 2
    assert raw["signer"]["kid"] == list_key.key_id.hex()
    assert raw["signature"].count(".") == 2
    assert raw["signature"].split(".")[1] == ""  # detached payload


def test_the_signature_covers_the_canonical_form_not_the_layout(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    raw = json.loads(_signed(store, list_key))
    compact = json.dumps(raw, separators=(",", ":"))
    assert parse_trust_list(compact).version == 1
    # What is signed, rebuilt independently: header, payload = JCS of the list minus signature.
    header, _, signature = raw.pop("signature").split(".")
    payload = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    signing_input = header.encode() + b"." + _b64(payload)
    rs = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(rs[:32], "big"), int.from_bytes(rs[32:], "big"))
    store.public_key(list_key.key_id).verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {
        "alg": "ES256",
        "cty": "sceau-trust-list+json",
        "kid": list_key.key_id.hex(),
    }


def _b64(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["keys"][0].update(status="revoked"),
        lambda d: d["keys"][0].update(reason="changed"),
        lambda d: d.update(version=d["version"] + 1),
        lambda d: d.update(expires_at="2099-01-01T00:00:00Z"),
        lambda d: d.update(signature=d["signature"][:-4] + "AAAA"),
        lambda d: d.update(signature=d["signature"].replace("..", ".e30.")),
        lambda d: d.update(signature=None),
        lambda d: d.pop("signature"),
        lambda d: d["keys"].pop(),
    ],
)
def test_a_tampered_list_is_refused(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo, tamper: Any
) -> None:
    document = json.loads(_signed(store, list_key))
    tamper(document)
    with pytest.raises(TrustListError):
        parse_trust_list(json.dumps(document))


def test_a_list_signed_by_another_key_naming_ours_is_refused(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    forger = MemoryKeyStore()
    forged_key = forger.generate(purpose=KeyPurpose.TRUST_LIST)
    document = json.loads(_signed(store, list_key))
    forged = json.loads(_signed(forger, forged_key))
    document["signature"] = forged["signature"]
    with pytest.raises(TrustListSignatureError):
        parse_trust_list(json.dumps(document))
    # A list entirely the forger's is self-consistent, but not believed by a verifier that
    # already holds ours, nor by one that pinned ours.
    mine = check_trust_list(parse_trust_list(_signed(store, list_key)), now=NOW)
    with pytest.raises(TrustListSignatureError, match="does not believe"):
        check_trust_list(parse_trust_list(json.dumps(forged)), anchor=mine.anchor(), now=NOW)
    pin = key_fingerprint(store.public_key(list_key.key_id))
    with pytest.raises(TrustListSignatureError, match="pinned"):
        check_trust_list(parse_trust_list(json.dumps(forged)), pin=pin, now=NOW)
    assert not check_trust_list(
        parse_trust_list(_signed(store, list_key)), pin=pin, now=NOW
    ).first_use


def test_version_1_is_read_for_its_keys_but_never_believed(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo, trust: TrustList
) -> None:
    with pytest.raises(TrustListSignatureError, match="unsigned"):
        parse_trust_list(trust.to_json())
    assert TrustList.from_json(trust.to_json()) == trust
    assert TrustList.from_json(_signed(store, list_key)).version == 1


def test_an_older_list_or_another_list_under_the_same_number_is_a_rollback(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    held = check_trust_list(parse_trust_list(_signed(store, list_key, version=5)), now=NOW)
    anchor = held.anchor()
    with pytest.raises(TrustListRollbackError, match="older"):
        check_trust_list(
            parse_trust_list(_signed(store, list_key, version=4)), anchor=anchor, now=NOW
        )
    other = _signed(store, list_key, version=5, issued_at=NOW - timedelta(hours=1))
    with pytest.raises(TrustListRollbackError, match="same number"):
        check_trust_list(parse_trust_list(other), anchor=anchor, now=NOW)
    same = _signed(store, list_key, version=5)
    assert check_trust_list(parse_trust_list(same), anchor=anchor, now=NOW).version == 5
    newer = check_trust_list(
        parse_trust_list(_signed(store, list_key, version=6)), anchor=anchor, now=NOW
    )
    assert not newer.first_use
    assert TrustAnchor.from_json(newer.anchor().to_json()) == newer.anchor()


def test_freshness_refresh_due_stale_within_grace_then_refused(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    signed = parse_trust_list(_signed(store, list_key))
    assert check_trust_list(signed, now=NOW + timedelta(days=2)).freshness is Freshness.REFRESH_DUE
    stale = check_trust_list(signed, now=NOW + timedelta(days=9))
    assert stale.freshness is Freshness.STALE
    assert stale.stale
    assert stale.refuse_after == NOW + timedelta(days=21)
    with pytest.raises(TrustListExpiredError, match="fetch a new one"):
        check_trust_list(signed, now=NOW + timedelta(days=21))
    longer = check_trust_list(signed, now=NOW + timedelta(days=21), grace=timedelta(days=30))
    assert longer.stale
    with pytest.raises(TrustListError, match="future"):
        check_trust_list(signed, now=NOW - timedelta(hours=1))


def test_a_rotated_trust_list_key_is_followed_down_its_endorsements(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    anchor = check_trust_list(parse_trust_list(_signed(store, list_key)), now=NOW).anchor()
    second = store.generate(purpose=KeyPurpose.TRUST_LIST)
    third = store.generate(purpose=KeyPurpose.TRUST_LIST)
    chain = (
        endorse(store, list_key.key_id, second.key_id),
        endorse(store, second.key_id, third.key_id),
    )
    document = _signed(store, third, version=9, endorsements=chain)
    check = check_trust_list(parse_trust_list(document), anchor=anchor, now=NOW)
    assert {s.key_id for s in check.believed} == {list_key.key_id, second.key_id, third.key_id}
    # Without the link from the key the verifier holds, the new signer is a stranger.
    broken = _signed(store, third, version=9, endorsements=chain[1:])
    with pytest.raises(TrustListSignatureError):
        check_trust_list(parse_trust_list(broken), anchor=anchor, now=NOW)
    # An endorsement whose signature is not the endorser's does not count.
    forged = Endorsement(chain[0].key, chain[0].by, chain[1].signature)
    assert not forged.holds()
    bad = _signed(store, third, version=9, endorsements=(forged, chain[1]))
    with pytest.raises(TrustListSignatureError):
        check_trust_list(parse_trust_list(bad), anchor=anchor, now=NOW)
    # A pin on the first key also leads to the third through the chain.
    pin = key_fingerprint(store.public_key(list_key.key_id))
    assert check_trust_list(parse_trust_list(document), pin=pin, now=NOW).version == 9


def test_reasons_and_windows_of_retired_and_revoked_keys_travel_signed(
    store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    store.set_status(seal_key.key_id, KeyStatus.REVOKED, reason="key copied off the server")
    (key,) = parse_trust_list(_signed(store, list_key)).trust.keys
    assert key.status is KeyStatus.REVOKED
    assert key.reason == "key copied off the server"
    result = verify(encode(make_claims(), store, seal_key.key_id), TrustList.of([key]))
    assert not result.bottom_line
    assert result.key_revoked
    assert result.key is not None
    assert result.key.reason == "key copied off the server"


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "sceau-trust-list", "format_version": 2}',
        '{"format": "sceau-trust-list", "format_version": 2, "version": "7"}',
        "[1]",
        '{"format": "other", "format_version": 2}',
    ],
)
def test_malformed_version_2_lists_raise_trust_list_error(text: str) -> None:
    with pytest.raises(TrustListError):
        parse_trust_list(text)


def test_canonical_json_refuses_what_jcs_would_write_differently() -> None:
    assert (
        canonical_json({"b": 1, "a": ["é", None, True]}) == '{"a":["é",null,true],"b":1}'.encode()
    )
    with pytest.raises(TrustListError):
        canonical_json({"a": 1.5})


# ----------------------------------------------------------------------------- publisher


def test_the_publisher_numbers_versions_and_re_signs_when_keys_change_or_refresh_is_due(
    tmp_path: Path, store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    publisher = TrustListPublisher(tmp_path / "trust", store)
    first = publisher.current(now=NOW)
    assert first.version == 1
    assert publisher.current(now=NOW + timedelta(hours=1)) == first
    store.set_status(seal_key.key_id, KeyStatus.REVOKED, reason="lost")
    second = publisher.current(now=NOW + timedelta(hours=2))
    assert second.version == 2
    assert second.trust.keys[0].reason == "lost"
    third = publisher.current(now=NOW + timedelta(days=1, hours=3))
    assert third.version == 3  # refresh hint passed: re-signed although nothing changed
    assert third.etag != second.etag
    assert publisher.publish(now=NOW + timedelta(days=1, hours=4)).version == 4
    # The number survives the loss of the list file, and the list that of the state file.
    (tmp_path / "trust" / "trust.json").unlink()
    assert publisher.publish(now=NOW + timedelta(days=2)).version == 5
    (tmp_path / "trust" / "state.json").unlink()
    assert publisher.publish(now=NOW + timedelta(days=2)).version == 6


def test_the_publisher_carries_endorsements_so_verifiers_follow_a_trust_list_key_rotation(
    tmp_path: Path, store: MemoryKeyStore, seal_key: KeyInfo, list_key: KeyInfo
) -> None:
    publisher = TrustListPublisher(tmp_path, store)
    held = check_trust_list(publisher.current(now=NOW).signed, now=NOW).anchor()
    new = store.generate(purpose=KeyPurpose.TRUST_LIST)
    publisher.add_endorsement(endorse(store, list_key.key_id, new.key_id))
    store.set_status(list_key.key_id, KeyStatus.RETIRED)
    rotated = publisher.current(now=NOW + timedelta(minutes=1))
    assert rotated.signed.signer.key_id == new.key_id
    check = check_trust_list(rotated.signed, anchor=held, now=NOW + timedelta(minutes=1))
    assert check.version == 2
    with pytest.raises(TrustListError):
        TrustListPublisher(tmp_path, store, refresh=timedelta(days=8))
