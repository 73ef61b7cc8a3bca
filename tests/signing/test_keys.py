"""The file key store: keys encrypted at rest, named by their public key, usable across runs."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import KeyNotFoundError, KeyStatusError, KeyStoreError
from signing.keys import FileKeyStore, KeyInfo, KeyPurpose, KeyStatus
from signing.keys._meta import KeyMetadata
from tests.signing.memory_store import MemoryKeyStore


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


def _info(**changes: object) -> KeyInfo:
    fields: dict[str, object] = {
        "key_id": bytes(8),
        "purpose": KeyPurpose.SEAL,
        "created_at": datetime(2024, 1, 1, tzinfo=UTC),
        "not_before": date(2024, 1, 1),
    }
    fields.update(changes)
    return KeyInfo(**fields)  # type: ignore[arg-type]


def test_retiring_closes_the_window_today_and_keeps_what_was_sealed_inside_it() -> None:
    retired = _info().with_status(KeyStatus.RETIRED, today=date(2025, 3, 1))
    assert retired.status is KeyStatus.RETIRED
    assert retired.not_after == date(2025, 3, 1)
    assert retired.usable_on(date(2025, 3, 1))
    assert not retired.usable_on(date(2025, 3, 2))
    # A window already closed earlier is not reopened by retiring.
    early = _info(not_after=date(2024, 6, 1)).with_status(KeyStatus.RETIRED, today=date(2025, 1, 1))
    assert early.not_after == date(2024, 6, 1)


def test_revoking_needs_a_reason_and_is_final() -> None:
    with pytest.raises(KeyStatusError, match="reason"):
        _info().with_status(KeyStatus.REVOKED)
    with pytest.raises(KeyStatusError, match="reason"):
        _info().with_status(KeyStatus.REVOKED, reason="   ")
    revoked = _info().with_status(KeyStatus.REVOKED, reason="  key\n copied   to a laptop ")
    assert revoked.reason == "key copied to a laptop"
    assert not revoked.usable_on(date(2024, 6, 1))
    for status in KeyStatus:
        with pytest.raises(KeyStatusError):
            revoked.with_status(status, reason="again")
    retired = _info().with_status(KeyStatus.RETIRED, today=date(2025, 1, 1))
    assert retired.with_status(KeyStatus.REVOKED, reason="lost").status is KeyStatus.REVOKED
    with pytest.raises(KeyStatusError, match="active again"):
        retired.with_status(KeyStatus.ACTIVE)
    with pytest.raises(KeyStatusError, match="already"):
        retired.with_status(KeyStatus.RETIRED)


def test_reasons_are_one_bounded_line_of_printable_text() -> None:
    with pytest.raises(KeyStatusError, match="at most"):
        _info().with_status(KeyStatus.REVOKED, reason="x" * 201)
    with pytest.raises(KeyStatusError, match="control"):
        _info().with_status(KeyStatus.REVOKED, reason="bidi \u202e trick")
    with pytest.raises(KeyStatusError, match="before"):
        _info().with_status(KeyStatus.RETIRED, not_after=date(2023, 1, 1))


@pytest.mark.parametrize("kind", ["file", "memory"])
def test_stores_persist_status_changes(kind: str, folder: Path) -> None:
    store: FileKeyStore | MemoryKeyStore
    store = FileKeyStore(folder, passphrase=b"pw") if kind == "file" else MemoryKeyStore()
    old = store.generate(purpose=KeyPurpose.SEAL)
    new = store.generate(purpose=KeyPurpose.SEAL)
    retired = store.set_status(old.key_id, KeyStatus.RETIRED)
    assert store.info(old.key_id) == retired
    assert store.active_key(KeyPurpose.SEAL).key_id == new.key_id
    revoked = store.set_status(old.key_id, KeyStatus.REVOKED, reason="stolen laptop")
    assert store.info(old.key_id).reason == "stolen laptop" == revoked.reason
    if kind == "file":
        assert FileKeyStore(folder, passphrase=b"pw").info(old.key_id) == revoked
    with pytest.raises(KeyNotFoundError):
        store.set_status(bytes(8), KeyStatus.RETIRED)


def test_metadata_records_are_read_back_and_old_records_without_reason_still_load(
    folder: Path,
) -> None:
    meta = KeyMetadata(folder)
    assert meta.list() == []
    folder.mkdir()
    info = _info(key_id=bytes.fromhex("0102030405060708"), reason=None)
    meta.write(info)
    assert meta.read(info.key_id) == info
    raw = json.loads(meta.path(info.key_id).read_text())
    del raw["reason"]
    meta.path(info.key_id).write_text(json.dumps(raw))
    assert meta.list(purpose=KeyPurpose.SEAL) == [info]
    assert meta.list(purpose=KeyPurpose.DOCUMENT) == []
    changed = meta.set_status(info.key_id, KeyStatus.REVOKED, reason="test")
    assert meta.read(info.key_id) == changed
