"""The seal test vectors of docs/seal-format.md: their inputs, and how each is computed.

``python -m tests.signing.vectors`` prints the vectors as the document shows them;
tests/signing/test_vectors.py checks that the document and the code agree byte for byte.
The keys are derived from public strings: they are test keys, never to be trusted elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.seal import BirthDate, CertificateType, SealClaims, decode, encode
from signing.trust import TrustedKey
from tests.signing.memory_store import MemoryKeyStore

INPUTS: list[dict[str, Any]] = [
    {
        "title": "Civic training attendance, full date of birth, end date",
        "key_seed": "sceau test vector key 1",
        "base_url": "https://sceau.ofii.fr",
        "claims": {
            "certificate_id": "0102030405060708090a0b0c",
            "certificate_type": "civic-training",
            "family_name": "Haddad",
            "given_names": "Amina",
            "birth_date": "1994-07-03",
            "issued_on": "2026-11-02",
            "valid_until": "2027-11-02",
            "office": "DT-LYON",
        },
    },
    {
        "title": "Family reunification deposit, year of birth only, no end date, diacritics",
        "key_seed": "sceau test vector key 2",
        "base_url": "https://verifier.sceau.ofii.fr",
        "claims": {
            "certificate_id": "f0e1d2c3b4a5968778695a4b",
            "certificate_type": "family-reunification-deposit",
            "family_name": "N'Guessan-Kouamé",
            "given_names": "Adjoua Marie-Ève",
            "birth_date": "1979",
            "issued_on": "2026-03-15",
            "valid_until": None,
            "office": "DT-SEINE-ST-DENI",
        },
    },
    {
        "title": "Convocation, holder with a single name, year and month of birth, local base URL",
        "key_seed": "sceau test vector key 3",
        "base_url": "http://127.0.0.1:8000",
        "claims": {
            "certificate_id": "ffffffffffffffffffffffff",
            "certificate_type": "convocation",
            "family_name": "",
            "given_names": "Suharto",
            "birth_date": "2001-12",
            "issued_on": "2026-11-22",
            "valid_until": "2026-12-10",
            "office": "DT-MAYOTTE",
        },
    },
]


def private_key(seed: str) -> ec.EllipticCurvePrivateKey:
    scalar = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    return ec.derive_private_key(scalar, ec.SECP256R1())


def parse_birth(text: str) -> BirthDate:
    parts = [int(p) for p in text.split("-")]
    return BirthDate(*parts)


def claims_from(doc: dict[str, Any]) -> SealClaims:
    until = doc["valid_until"]
    return SealClaims(
        certificate_id=bytes.fromhex(doc["certificate_id"]),
        certificate_type=CertificateType(doc["certificate_type"]),
        family_name=doc["family_name"],
        given_names=doc["given_names"],
        birth_date=parse_birth(doc["birth_date"]),
        issued_on=date.fromisoformat(doc["issued_on"]),
        valid_until=date.fromisoformat(until) if until else None,
        office=doc["office"],
    )


def build(vector: dict[str, Any]) -> dict[str, Any]:
    """Inputs plus everything an independent implementation should reproduce."""
    store = MemoryKeyStore()
    key = store.add(private_key(vector["key_seed"]))
    url = encode(claims_from(vector["claims"]), store, key.key_id, base_url=vector["base_url"])
    seal = decode(url)
    sealed = seal.claims
    jwk = TrustedKey(
        key_id=key.key_id, public_key=store.public_key(key.key_id), not_before=key.not_before
    ).to_document()["jwk"]
    return {
        **vector,
        "private_key_d": f"{private_key(vector['key_seed']).private_numbers().private_value:064x}",
        "public_key_jwk": {k: jwk[k] for k in ("kty", "crv", "x", "y")},
        "public_key_pem": store.public_key(key.key_id)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
        "key_id": key.key_id.hex(),
        "sealed_names": [sealed.family_name, sealed.given_names],
        "signed_bytes": seal.signed_bytes.hex(),
        "signature": seal.signature.hex(),
        "url": url,
    }


def markdown() -> str:
    blocks = []
    for number, vector in enumerate(INPUTS, 1):
        built = build(vector)
        blocks.append(f"### Vector {number}: {vector['title']}\n\n```json\n")
        blocks.append(json.dumps(built, indent=2, ensure_ascii=False) + "\n```\n\n")
    return "".join(blocks)


if __name__ == "__main__":
    print(markdown(), end="")
