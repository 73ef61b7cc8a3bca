"""The PKCS#11 key store against SoftHSM2: the key store contract (shared with the file store),
keys that cannot leave the token, the errors an operator meets, and signing from many threads."""

from __future__ import annotations

import hashlib
import subprocess
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pkcs11
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from pkcs11 import Attribute, ObjectClass
from pkcs11.util.ec import encode_named_curve_parameters

from signing.errors import (
    KeyNotFoundError,
    KeyNotInTokenError,
    KeyStatusError,
    KeyStoreError,
    TokenModuleError,
    TokenNotFoundError,
    TokenPinError,
)
from signing.keys import FileKeyStore, KeyPurpose, KeyStatus, KeyStore, Pkcs11KeyStore
from signing.keys._pkcs11 import P256_PARAMS, _der_signature, _public_from
from tests.softhsm import SoftHsm, SoftToken
from tests.tools import require_tool

StoreFactory = Callable[[], KeyStore]


def _verify(store: KeyStore, key_id: bytes, signature: bytes, data: bytes) -> None:
    store.public_key(key_id).verify(signature, data, ec.ECDSA(hashes.SHA256()))


# ----------------------------------------------------------------------------- the contract


@pytest.fixture(params=["file", "pkcs11"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Opens the same store again on each call (same folder; same token for PKCS#11)."""
    folder = tmp_path / "keys"
    if request.param == "file":
        return lambda: FileKeyStore(folder, passphrase=b"contract")
    token: SoftToken = request.getfixturevalue("token")
    return lambda: token.store(folder)


def test_a_generated_key_signs_and_a_reopened_store_finds_it(open_store: StoreFactory) -> None:
    info = open_store().generate(purpose=KeyPurpose.SEAL)
    reopened = open_store()
    signature = reopened.sign(info.key_id, b"claims")
    _verify(reopened, info.key_id, signature, b"claims")
    assert reopened.keys() == [info]
    assert reopened.info(info.key_id) == info
    assert reopened.active_key(KeyPurpose.SEAL) == info
    with pytest.raises(InvalidSignature):
        _verify(reopened, info.key_id, signature, b"other claims")


def test_the_key_id_is_the_start_of_the_sha256_of_the_public_key(open_store: StoreFactory) -> None:
    store = open_store()
    info = store.generate(purpose=KeyPurpose.DOCUMENT)
    spki = store.public_key(info.key_id).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert info.key_id == hashlib.sha256(spki).digest()[:8]
    assert isinstance(store.public_key(info.key_id).curve, ec.SECP256R1)


def test_keys_are_listed_by_purpose_oldest_first(open_store: StoreFactory) -> None:
    store = open_store()
    seals = [store.generate(purpose=KeyPurpose.SEAL) for _ in range(2)]
    tsa = store.generate(purpose=KeyPurpose.TIMESTAMP)
    # Oldest first to the second (created_at); keys of the same second come in key id order.
    assert store.keys(purpose=KeyPurpose.SEAL) == sorted(
        seals, key=lambda k: (k.created_at, k.key_id)
    )
    assert store.keys(purpose=KeyPurpose.TIMESTAMP) == [tsa]
    assert len(open_store().keys()) == 3


def test_unknown_keys_are_key_not_found(open_store: StoreFactory) -> None:
    store = open_store()
    for call in (store.info, store.public_key, lambda k: store.sign(k, b"x")):
        with pytest.raises(KeyNotFoundError):
            call(bytes(8))
    with pytest.raises(KeyNotFoundError):
        store.active_key(KeyPurpose.SEAL)


def test_status_changes_are_kept_and_follow_the_lifecycle_rules(open_store: StoreFactory) -> None:
    store = open_store()
    old = store.generate(purpose=KeyPurpose.SEAL)
    new = store.generate(purpose=KeyPurpose.SEAL)
    retired = store.set_status(old.key_id, KeyStatus.RETIRED, not_after=date.today())
    assert retired.status is KeyStatus.RETIRED
    assert open_store().info(old.key_id) == retired
    assert open_store().active_key(KeyPurpose.SEAL) == new
    with pytest.raises(KeyStatusError):
        store.set_status(new.key_id, KeyStatus.REVOKED)  # revoking needs a reason
    revoked = store.set_status(new.key_id, KeyStatus.REVOKED, reason="token lost")
    assert open_store().info(new.key_id).reason == revoked.reason == "token lost"


# ----------------------------------------------------------------------------- in the token


def test_keys_are_made_in_the_token_sensitive_and_never_extractable(
    token: SoftToken, tmp_path: Path
) -> None:
    store = token.store(tmp_path / "keys")
    info = store.generate(purpose=KeyPurpose.SEAL)
    # A session of our own, not logged in: the store's login (per application) lets it see the
    # private objects, and closing it logs nobody out.
    session = pkcs11.lib(str(token.module)).get_token(token_label=token.label).open()
    try:
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=info.key_id)
        public = session.get_key(object_class=ObjectClass.PUBLIC_KEY, id=info.key_id)
        assert private[Attribute.TOKEN]
        assert public[Attribute.TOKEN]
        assert private[Attribute.SENSITIVE]
        assert private[Attribute.ALWAYS_SENSITIVE]
        assert not private[Attribute.EXTRACTABLE]
        assert private[Attribute.NEVER_EXTRACTABLE]
        assert private[Attribute.LOCAL]  # generated inside the token, not imported
        assert private[Attribute.SIGN]
        assert not private[Attribute.DERIVE]
        assert not private[Attribute.DECRYPT]
        assert private[Attribute.LABEL] == f"sceau seal {info.key_id.hex()}"
        assert public[Attribute.EC_PARAMS] == P256_PARAMS
        with pytest.raises(pkcs11.exceptions.AttributeSensitive):
            private[Attribute.VALUE]
    finally:
        session.close()
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [f"{info.key_id.hex()}.json"]


def test_another_program_sees_the_keys_by_their_id(token: SoftToken, tmp_path: Path) -> None:
    tool = require_tool("pkcs11-tool", "opensc")
    info = token.store(tmp_path / "keys").generate(purpose=KeyPurpose.TIMESTAMP)
    command = [tool, "--module", str(token.module), "--token-label", token.label]
    command += ["--login", "--pin", token.pin, "--list-objects", "--type", "privkey"]
    listing = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"ID:         {info.key_id.hex()}" in listing, listing
    assert "never extractable" in listing, listing


def test_p256_parameters_are_the_named_curve() -> None:
    assert encode_named_curve_parameters("secp256r1") == P256_PARAMS


def test_raw_signatures_become_der_and_bare_points_are_read() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.sign(b"data", ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    assert _der_signature(r.to_bytes(32, "big") + s.to_bytes(32, "big")) == der
    with pytest.raises(KeyStoreError):
        _der_signature(bytes(63))

    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )

    class Bare(dict[Attribute, bytes]):
        pass

    for encoded in (point, b"\x04\x41" + point):
        obj = Bare({Attribute.EC_PARAMS: P256_PARAMS, Attribute.EC_POINT: encoded})
        assert _public_from(obj) == private.public_key()  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- what goes wrong


def test_a_missing_module_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TokenModuleError, match="softhsm2"):
        Pkcs11KeyStore(
            module=tmp_path / "nothing.so", token_label="x", pin="1234", metadata_dir=tmp_path
        )
    not_a_library = tmp_path / "fake.so"
    not_a_library.write_bytes(b"not an ELF file")
    with pytest.raises(TokenModuleError, match="cannot load"):
        Pkcs11KeyStore(module=not_a_library, token_label="x", pin="1", metadata_dir=tmp_path)


def test_a_missing_token_names_the_ones_present(token: SoftToken, tmp_path: Path) -> None:
    with pytest.raises(TokenNotFoundError, match=token.label):
        Pkcs11KeyStore(
            module=token.module, token_label="no-such-token", pin="1", metadata_dir=tmp_path
        )


def test_a_wrong_pin_is_refused_and_never_shown(softhsm: SoftHsm, tmp_path: Path) -> None:
    token = softhsm.new_token()
    wrong = "wrong-" + token.pin
    with pytest.raises(TokenPinError, match="wrong PIN") as refused:
        Pkcs11KeyStore(
            module=token.module, token_label=token.label, pin=wrong, metadata_dir=tmp_path
        )
    assert token.pin not in str(refused.value)
    assert wrong not in str(refused.value)
    store = token.store(tmp_path)  # the right one still works (SoftHSM2 locks only after 10)
    assert token.pin not in repr(store)
    # Once logged in, a store with another PIN must not ride on that login.
    with pytest.raises(TokenPinError):
        Pkcs11KeyStore(
            module=token.module, token_label=token.label, pin=wrong, metadata_dir=tmp_path
        )
    with pytest.raises(TokenPinError):
        Pkcs11KeyStore(module=token.module, token_label=token.label, pin="", metadata_dir=tmp_path)


def test_a_key_recorded_but_absent_from_the_token_says_so(softhsm: SoftHsm, tmp_path: Path) -> None:
    first, second = softhsm.new_token(), softhsm.new_token()
    info = first.store(tmp_path / "keys").generate(purpose=KeyPurpose.SEAL)
    wrong_token = second.store(tmp_path / "keys")  # the same records, another token
    assert wrong_token.keys() == [info]
    with pytest.raises(KeyNotInTokenError, match=second.label):
        wrong_token.sign(info.key_id, b"x")
    with pytest.raises(KeyNotInTokenError):
        wrong_token.public_key(info.key_id)
    # A key can be revoked all the same: revoking is what one does when a token is lost.
    revoked = wrong_token.set_status(info.key_id, KeyStatus.REVOKED, reason="token lost")
    assert revoked.status is KeyStatus.REVOKED


def test_a_file_stores_folder_is_not_taken_for_records(token: SoftToken, tmp_path: Path) -> None:
    FileKeyStore(tmp_path / "keys", passphrase=b"pw").generate(purpose=KeyPurpose.SEAL)
    with pytest.raises(KeyStoreError, match="file store"):
        token.store(tmp_path / "keys")


def test_a_token_made_after_the_first_one_is_found_and_the_first_still_signs(
    softhsm: SoftHsm, tmp_path: Path
) -> None:
    first = softhsm.new_token().store(tmp_path / "a")
    info = first.generate(purpose=KeyPurpose.SEAL)
    later = softhsm.new_token().store(tmp_path / "b")  # the module is initialised again
    other = later.generate(purpose=KeyPurpose.SEAL)
    _verify(first, info.key_id, first.sign(info.key_id, b"a"), b"a")
    _verify(later, other.key_id, later.sign(other.key_id, b"b"), b"b")


def test_many_threads_sign_at_once(token: SoftToken, tmp_path: Path) -> None:
    stores = [token.store(tmp_path / "keys"), token.store(tmp_path / "keys")]
    keys = [stores[0].generate(purpose=p).key_id for p in (KeyPurpose.SEAL, KeyPurpose.DOCUMENT)]
    failures: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        store, key_id = stores[n % 2], keys[n // 2 % 2]
        barrier.wait()
        try:
            for i in range(40):
                data = f"{n}-{i}".encode()
                _verify(store, key_id, store.sign(key_id, data), data)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
