"""Whatever a camera, a chat client or an attacker hands to decode, it raises SealFormatError
or returns a seal: never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from signing.errors import SealFormatError
from signing.keys import FileKeyStore, KeyPurpose
from signing.seal import decode, encode
from signing.seal._text import from_text, to_text
from tests.signing.conftest import make_claims

# The issue asks for at least 10,000 examples in CI; decode is cheap, so every run does it.
FUZZ = settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _valid_raw() -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        store = FileKeyStore(Path(folder), passphrase=b"fuzz")
        key = store.generate(purpose=KeyPurpose.SEAL)
        return from_text(encode(make_claims(), store, key.key_id))


VALID = _valid_raw()


def _decode_or_format_error(text: object) -> None:
    try:
        seal = decode(text)  # type: ignore[arg-type]
    except SealFormatError:
        return
    # Whatever decodes re-encodes to the same payload: one text per seal.
    assert to_text(seal.signed_bytes + seal.signature) == seal.payload


@FUZZ
@given(st.text())
@example("")
@example("HTTPS://X/V/")
@example("\x00" * 3000)
@example(b"AAAA")
@example(None)
def test_arbitrary_text(text: str) -> None:
    _decode_or_format_error(text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_base32_reach_the_binary_parser(raw: bytes) -> None:
    _decode_or_format_error(to_text(raw))


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=4
    ),
    st.integers(-8, 8),
)
def test_mutations_of_a_valid_seal(edits: list[tuple[int, int]], resize: int) -> None:
    raw = bytearray(VALID)
    for index, value in edits:
        raw[index] = value
    mutated = bytes(raw[:resize]) if resize < 0 else bytes(raw) + bytes(resize)
    _decode_or_format_error("https://sceau.example/v/" + to_text(mutated))


@FUZZ
@given(st.text(alphabet=BASE32 + "abc=/:?#. -", max_size=300))
def test_text_in_the_seal_alphabet(text: str) -> None:
    _decode_or_format_error(text)
