"""A seal that anyone altered, or that an untrusted key made, is never reported genuine."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import SealFormatError
from signing.keys import KeyInfo, KeyStatus
from signing.seal import Reason, decode, encode, verify
from signing.seal._text import from_text, to_text
from signing.trust import TrustList
from tests.signing.conftest import make_claims
from tests.signing.memory_store import MemoryKeyStore

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def test_every_single_bit_flip_is_rejected(
    store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    raw = from_text(encode(make_claims(), store, seal_key.key_id))
    outcomes = {"format": 0, "not genuine": 0}
    for bit in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 1 << (bit % 8)
        try:
            result = verify(to_text(bytes(flipped)), trust)
        except SealFormatError:
            outcomes["format"] += 1
            continue
        assert not result.bottom_line, f"bit {bit} flipped and still genuine"
        assert result.reasons, f"bit {bit}: rejected without a reason"
        outcomes["not genuine"] += 1
    assert sum(outcomes.values()) == len(raw) * 8
    # Both paths are exercised: structure errors and signature failures.
    assert outcomes["format"] > 0
    assert outcomes["not genuine"] > 0


def test_a_key_outside_the_trust_list_is_unknown(store: MemoryKeyStore, trust: TrustList) -> None:
    stranger = store.add(ec.generate_private_key(ec.SECP256R1()))
    result = verify(encode(make_claims(), store, stranger.key_id), trust)
    assert not result.bottom_line
    assert not result.key_known
    assert result.reasons == (Reason.KEY_UNKNOWN,)


def test_a_signature_by_another_key_under_a_trusted_id_fails(
    store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    forger = MemoryKeyStore()
    forged_key = forger.add(ec.generate_private_key(ec.SECP256R1()))
    forged = from_text(encode(make_claims(), forger, forged_key.key_id))
    # Put the trusted key id in the header: the signature no longer matches the key.
    tampered = forged[:1] + seal_key.key_id + forged[9:]
    result = verify(to_text(tampered), trust)
    assert result.key_known
    assert not result.signature_valid
    assert result.reasons == (Reason.SIGNATURE_INVALID,)


def test_the_high_s_twin_of_a_valid_signature_is_refused(
    store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    raw = from_text(encode(make_claims(), store, seal_key.key_id))
    s = int.from_bytes(raw[-32:], "big")
    twin = raw[:-32] + (P256_ORDER - s).to_bytes(32, "big")
    result = verify(to_text(twin), trust)
    assert not result.bottom_line
    assert result.reasons == (Reason.SIGNATURE_NOT_CANONICAL,)


def test_a_retired_key_still_vouches_for_what_it_sealed_in_its_window() -> None:
    store = MemoryKeyStore()
    key = store.add(
        ec.generate_private_key(ec.SECP256R1()),
        not_before=date(2025, 1, 1),
        not_after=date(2026, 6, 30),
        status=KeyStatus.RETIRED,
    )
    trust = TrustList.from_key_store(store)
    inside = encode(make_claims(issued_on=date(2026, 6, 30)), store, key.key_id)
    after = encode(make_claims(issued_on=date(2026, 7, 1)), store, key.key_id)
    before = encode(make_claims(issued_on=date(2024, 12, 31), valid_until=None), store, key.key_id)

    assert verify(inside, trust).bottom_line
    for url in (after, before):
        result = verify(url, trust)
        assert result.signature_valid
        assert not result.bottom_line
        assert result.reasons == (Reason.KEY_NOT_VALID_AT_ISSUE,)


def test_a_revoked_key_vouches_for_nothing() -> None:
    store = MemoryKeyStore()
    key = store.add(ec.generate_private_key(ec.SECP256R1()), status=KeyStatus.REVOKED)
    result = verify(encode(make_claims(), store, key.key_id), TrustList.from_key_store(store))
    assert result.signature_valid
    assert not result.bottom_line
    assert result.reasons == (Reason.KEY_REVOKED,)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw + b"\x00",  # trailing byte
        lambda raw: raw[:-1],  # cut signature
        lambda raw: raw[:40],  # cut body
    ],
)
def test_truncated_or_extended_seals_are_format_errors(
    mangle: object, store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    raw = from_text(encode(make_claims(), store, seal_key.key_id))
    with pytest.raises(SealFormatError):
        decode(to_text(mangle(raw)))  # type: ignore[operator]


def test_non_canonical_base32_is_refused(store: MemoryKeyStore, seal_key: KeyInfo) -> None:
    payload = encode(make_claims(), store, seal_key.key_id)
    # Unless the seal is a multiple of 5 bytes, the last character carries spare zero bits;
    # setting one gives a different text for the same bytes.
    assert len(from_text(payload)) % 5 != 0
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(payload[-1])
    twin = payload[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[last | 1]
    assert twin != payload
    with pytest.raises(SealFormatError, match="canonical"):
        decode(twin)
