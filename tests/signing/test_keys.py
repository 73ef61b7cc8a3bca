"""The file key store: keys encrypted at rest, named by their public key, usable across runs."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError, KeyStoreError
from signing.keys import FileKeyStore, KeyPurpose, KeyStatus


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def test_generated_key_signs_and_is_found_again_by_a_new_store(folder: Path) -> None:
    info = FileKeyStore(folder, passphrase=b"correct horse").generate(purpose=KeyPurpose.SEAL)

    reopened = FileKeyStore(folder, passphrase=b"correct horse")
    signature = reopened.sign(info.key_id, b"claims")
    reopened.public_key(info.key_id).verify(signature, b"claims", ec.ECDSA(hashes.SHA256()))
    assert reopened.keys() == [info]
    assert reopened.info(info.key_id).status is KeyStatus.ACTIVE
    assert reopened.active_key(KeyPurpose.SEAL) == info


def test_key_id_is_the_start_of_the_sha256_of_the_public_key(folder: Path) -> None:
    store = FileKeyStore(folder, passphrase=b"pw")
    info = store.generate(purpose=KeyPurpose.SEAL)
    spki = store.public_key(info.key_id).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert info.key_id == hashlib.sha256(spki).digest()[:8]


def test_private_keys_are_encrypted_and_private_to_the_owner(folder: Path) -> None:
    info = FileKeyStore(folder, passphrase=b"pw").generate(purpose=KeyPurpose.SEAL)
    pem = folder / f"{info.key_id.hex()}.pem"
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in pem.read_bytes()
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    with pytest.raises(TypeError):  # no passphrase, no key
        serialization.load_pem_private_key(pem.read_bytes(), password=None)


def test_a_wrong_passphrase_is_a_clear_error(folder: Path) -> None:
    info = FileKeyStore(folder, passphrase=b"right").generate(purpose=KeyPurpose.SEAL)
    with pytest.raises(KeyStoreError, match="wrong passphrase"):
        FileKeyStore(folder, passphrase=b"wrong").sign(info.key_id, b"x")


def test_unknown_and_corrupt_keys(folder: Path) -> None:
    store = FileKeyStore(folder, passphrase=b"pw")
    with pytest.raises(KeyNotFoundError):
        store.public_key(bytes(8))
    with pytest.raises(KeyNotFoundError):
        store.active_key(KeyPurpose.SEAL)
    info = store.generate(purpose=KeyPurpose.SEAL)
    meta = folder / f"{info.key_id.hex()}.json"
    meta.write_text(json.dumps({"kid": "00" * 8}))
    with pytest.raises(KeyStoreError, match="corrupt"):
        FileKeyStore(folder, passphrase=b"pw").keys()


def test_keys_are_listed_by_purpose_oldest_first(folder: Path) -> None:
    store = FileKeyStore(folder, passphrase=b"pw")
    seals = [store.generate(purpose=KeyPurpose.SEAL) for _ in range(3)]
    document = store.generate(purpose=KeyPurpose.DOCUMENT)
    assert {k.key_id for k in store.keys(purpose=KeyPurpose.SEAL)} == {k.key_id for k in seals}
    assert store.keys(purpose=KeyPurpose.DOCUMENT) == [document]
    (folder / "README").write_text("stray files are ignored")
    assert len(store.keys()) == 4


def test_an_empty_passphrase_is_refused(folder: Path) -> None:
    with pytest.raises(KeyStoreError):
        FileKeyStore(folder, passphrase=b"")
