"""Sealing then verifying gives back what was sealed, for every certificate type and shape."""

from __future__ import annotations

from datetime import date

import pytest

from signing.errors import ClaimsError, SealFormatError
from signing.keys import KeyInfo
from signing.seal import BirthDate, CertificateType, decode, encode, normalize_name, verify
from signing.trust import TrustList
from tests.signing.conftest import make_claims
from tests.signing.memory_store import MemoryKeyStore

BASE = "https://sceau.ofii.example.fr"


@pytest.mark.parametrize("kind", list(CertificateType))
def test_every_certificate_type_round_trips(
    kind: CertificateType, store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    claims = make_claims(certificate_type=kind, family_name="Nguyễn", given_names="Thị Ánh")
    url = encode(claims, store, seal_key.key_id, base_url=BASE)

    result = verify(url, trust)

    assert result.bottom_line
    assert result.reasons == ()
    assert result.claims == claims.normalized()
    assert result.claims.certificate_type is kind
    assert (result.claims.family_name, result.claims.given_names) == ("NGUYEN", "THI ANH")
    assert result.key_id == seal_key.key_id


@pytest.mark.parametrize(
    "birth",
    [BirthDate(1990), BirthDate(1990, 5), BirthDate(2000, 2, 29), BirthDate(1880, 12, 31)],
    ids=str,
)
def test_partial_and_edge_birth_dates_survive(
    birth: BirthDate, store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    claims = make_claims(birth_date=birth, valid_until=None)
    seal = decode(encode(claims, store, seal_key.key_id))
    assert seal.claims.birth_date == birth
    assert seal.claims.valid_until is None


def test_url_is_uppercase_and_decodes_however_it_is_typed_or_shared(
    store: MemoryKeyStore, seal_key: KeyInfo, trust: TrustList
) -> None:
    url = encode(make_claims(), store, seal_key.key_id, base_url=BASE)
    assert url.startswith("HTTPS://SCEAU.OFII.EXAMPLE.FR/V/")
    assert url == url.upper()
    payload = url.rsplit("/", 1)[1]
    for variant in (url, url.lower(), f"  {url}/ ", f"{url}?utm_source=whatsapp#top", payload):
        assert verify(variant, trust).bottom_line, variant


def test_mononym_holder_is_sealed_with_an_empty_family_name(
    store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    seal = decode(
        encode(make_claims(family_name="", given_names="Suharto"), store, seal_key.key_id)
    )
    assert seal.claims.holder == "SUHARTO"


@pytest.mark.parametrize(
    ("written", "sealed"),
    [
        ("Müller-Lüdenscheidt", "MULLER-LUDENSCHEIDT"),
        ("N\u2019Diaye", "NDIAYE"),
        ("  de   la Tour d'Auvergne ", "DE LA TOUR DAUVERGNE"),
        ("Øster \u2013 Straße", "OSTER-STRASSE"),  # en dash
        ("Łukasz Żółć", "LUKASZ ZOLC"),
        ("Kh. Al-Qasimi", "KH AL-QASIMI"),
    ],
)
def test_names_are_normalised_as_in_a_machine_readable_zone(written: str, sealed: str) -> None:
    assert normalize_name(written) == sealed


def test_long_names_are_cut_at_64_characters() -> None:
    assert len(normalize_name("Abcdefghij " * 10)) <= 64


@pytest.mark.parametrize(
    "overrides",
    [
        {"family_name": "محمد", "given_names": "Ali"},
        {"family_name": "", "given_names": " - "},
        {"office": "dt paris"},
        {"office": "A" * 17},
        {"certificate_id": b"short"},
        {"valid_until": date(2026, 1, 1)},
        {"issued_on": date(1999, 12, 31)},
    ],
)
def test_claims_the_format_cannot_carry_are_refused(
    overrides: dict[str, object], store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    with pytest.raises(ClaimsError):
        encode(make_claims(**overrides), store, seal_key.key_id)


def test_impossible_birth_dates_are_refused() -> None:
    for args in ((1990, 2, 30), (1990, 13), (1990, None, 4), (1700,)):
        with pytest.raises(ClaimsError):
            BirthDate(*args)  # type: ignore[arg-type]


def test_base_url_outside_alphanumeric_mode_is_refused(
    store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    with pytest.raises(ValueError, match="alphanumeric"):
        encode(make_claims(), store, seal_key.key_id, base_url="https://my_host.fr/?x=1")


def test_a_seal_from_an_unknown_version_is_a_format_error(
    store: MemoryKeyStore, seal_key: KeyInfo
) -> None:
    from signing.seal._text import from_text, to_text

    raw = bytearray(from_text(encode(make_claims(), store, seal_key.key_id)))
    raw[0] = 2
    with pytest.raises(SealFormatError, match="version"):
        decode(to_text(bytes(raw)))
