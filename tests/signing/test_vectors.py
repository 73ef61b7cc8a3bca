"""docs/seal-format.md's test vectors hold: for the code, and for a verifier that has only
the public key printed in the document."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.seal import verify
from signing.trust import TrustedKey, TrustList
from tests.signing.vectors import INPUTS, build, claims_from

DOC = Path(__file__).resolve().parents[2] / "docs" / "seal-format.md"


def documented_vectors() -> list[dict[str, Any]]:
    section = DOC.read_text(encoding="utf-8").split("## Test vectors", 1)[1]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", section, re.S)]


def test_the_document_has_at_least_three_vectors() -> None:
    assert len(documented_vectors()) >= 3
    assert len(documented_vectors()) == len(INPUTS)


@pytest.mark.parametrize("number", range(len(INPUTS)))
def test_code_reproduces_the_documented_vector_byte_for_byte(number: int) -> None:
    assert build(INPUTS[number]) == documented_vectors()[number]


@pytest.mark.parametrize("number", range(len(INPUTS)))
def test_documented_url_verifies_with_the_documented_public_key_alone(number: int) -> None:
    vector = documented_vectors()[number]
    public = serialization.load_pem_public_key(vector["public_key_pem"].encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    trust = TrustList.of(
        [
            TrustedKey(
                key_id=bytes.fromhex(vector["key_id"]),
                public_key=public,
                not_before=date(2000, 1, 1),
            )
        ]
    )
    result = verify(vector["url"], trust)
    assert result.bottom_line
    expected = claims_from(vector["claims"]).normalized()
    assert result.claims == expected
    assert [expected.family_name, expected.given_names] == vector["sealed_names"]
    assert result.seal.signed_bytes.hex() == vector["signed_bytes"]
