from __future__ import annotations

from datetime import date

import pytest

from signing.keys import KeyInfo, KeyPurpose
from signing.seal import BirthDate, CertificateType, SealClaims
from signing.trust import TrustList
from tests.signing.memory_store import MemoryKeyStore


def make_claims(**overrides: object) -> SealClaims:
    fields: dict[str, object] = {
        "certificate_id": bytes(range(1, 13)),
        "certificate_type": CertificateType.CIVIC_TRAINING,
        "family_name": "Haddad",
        "given_names": "Amina",
        "birth_date": BirthDate(1994, 7, 3),
        "issued_on": date(2026, 11, 2),
        "valid_until": date(2027, 11, 2),
        "office": "DT-LYON",
    }
    fields.update(overrides)
    return SealClaims(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def seal_key(store: MemoryKeyStore) -> KeyInfo:
    return store.generate(purpose=KeyPurpose.SEAL)


@pytest.fixture
def trust(store: MemoryKeyStore, seal_key: KeyInfo) -> TrustList:
    return TrustList.from_key_store(store)
