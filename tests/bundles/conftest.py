from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from signing.keys import FileKeyStore, KeyPurpose
from signing.pades import KeyStoreSigner
from signing.pki import CertificateChain, DevelopmentPki
from signing.trust import TrustList


@dataclass(frozen=True)
class Issuer:
    store: FileKeyStore
    seal_key_id: bytes
    chain: CertificateChain
    signer: KeyStoreSigner
    trust: TrustList
    pki_folder: Path


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Issuer:
    folder = tmp_path_factory.mktemp("issuer")
    store = FileKeyStore(folder / "keys", passphrase=b"test")
    seal = store.generate(purpose=KeyPurpose.SEAL)
    chain = DevelopmentPki(folder / "pki", passphrase=b"test", organisation="OFII (test)").ensure(
        store
    )
    return Issuer(
        store=store,
        seal_key_id=seal.key_id,
        chain=chain,
        signer=KeyStoreSigner(key_store=store, chain=chain),
        trust=TrustList.from_key_store(store),
        pki_folder=folder / "pki",
    )
