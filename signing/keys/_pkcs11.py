"""Keys inside a PKCS#11 token (an HSM, or SoftHSM2 in development): they sign, never leave.

The token holds the private keys, generated on the token as sensitive and non-extractable, found
by CKA_ID = the key id. What the trust list needs to know about a key (purpose, window, status)
has no place in a token, so it lives beside it in a folder of ``<kid>.json`` records written by
:class:`~signing.keys._meta.KeyMetadata`, the same code as the file store's: the two stores
cannot drift apart in how they describe a key.

Why one session per token, process-wide, behind one lock per module:

- python-pkcs11 initialises the module with ``C_Initialize(NULL)``, which tells the module the
  application will not call it from several threads at once (SoftHSM2 then drops its own
  locks). The service signs from several waitress threads, so every call into a module goes
  through that module's lock.
- A PKCS#11 login belongs to the application, not to a session: two stores of one process on the
  same token share it, and one closing its session (``C_Logout``) would log the other out. So
  the logged-in session of a token is shared by every store on it, and kept for the life of the
  process. A token signs in well under a millisecond (SoftHSM2), and a network HSM has its own
  queue, so serialising costs less than juggling sessions would.
- A module reads its configuration and finds its tokens when it is initialised: a token made
  after that (by ``softhsm2-util``, or a new HSM partition) is seen only after the module is
  initialised again, which happens when a label is not found, and closes every session first.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

import pkcs11
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pkcs11 import Attribute, KeyType, Mechanism, MechanismFlag, ObjectClass
from pkcs11 import exceptions as p11
from pkcs11.types import Key, Session, SignMixin, Token

from signing.errors import (
    KeyNotFoundError,
    KeyNotInTokenError,
    KeyStoreError,
    TokenModuleError,
    TokenNotFoundError,
    TokenPinError,
)
from signing.keys._base import KeyInfo, KeyPurpose, KeyStatus, KeyStore, key_id_for
from signing.keys._meta import KeyMetadata

if TYPE_CHECKING:
    from pkcs11._pkcs11 import lib as Pkcs11Library

__all__ = ["DEFAULT_MODULE", "Pkcs11KeyStore"]

#: Where Debian and Ubuntu's softhsm2 package puts its module.
DEFAULT_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")

#: CKA_EC_PARAMS of P-256: the DER of its named-curve OID 1.2.840.10045.3.1.7 (ANSI X9.62).
P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")
_COORDINATE = 32  # bytes of a P-256 coordinate, and of each of r and s in a PKCS#11 signature

#: Errors after which the shared session is worth opening again once: the module was
#: initialised again, the device came back, a cached object handle went stale.
_STALE = (
    p11.SessionHandleInvalid,
    p11.SessionClosed,
    p11.UserNotLoggedIn,
    p11.DeviceRemoved,
    p11.TokenNotPresent,
    p11.ObjectHandleInvalid,
    p11.KeyHandleInvalid,
)

_T = TypeVar("_T")


@dataclass
class _Login:
    """The logged-in session of one token, and the key objects found in it (handles, not keys)."""

    session: Session
    pin_digest: bytes
    private: dict[bytes, SignMixin] = field(default_factory=dict)


class _Module:
    """One loaded PKCS#11 module: its lock and the logged-in session of each token it serves."""

    _loaded: ClassVar[dict[str, _Module]] = {}
    _loaded_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str, lib: Pkcs11Library) -> None:
        self.path = path
        self.lib = lib
        # Re-entrant: an operation holding it may need to (re)open the session.
        self.lock = threading.RLock()
        self._logins: dict[str, _Login] = {}

    @classmethod
    def load(cls, module: Path) -> _Module:
        # Known by its real path (one module, however it is spelt), but loaded by the name given:
        # python-pkcs11 caches libraries by name, and a second load of the same file would fail
        # in C_Initialize (CKR_CRYPTOKI_ALREADY_INITIALIZED).
        path = os.path.realpath(module)
        with cls._loaded_lock:
            found = cls._loaded.get(path)
            if found is None:
                if not Path(path).is_file():
                    raise TokenModuleError(
                        f"no PKCS#11 module at {module} (for SoftHSM2: apt-get install softhsm2)"
                    )
                try:
                    lib = pkcs11.lib(str(module))
                except p11.PKCS11Error as exc:
                    raise TokenModuleError(
                        f"cannot load the PKCS#11 module {module}: {exc}"
                    ) from exc
                found = cls(path, lib)
                cls._loaded[path] = found
            return found

    def login(self, label: str, pin: str) -> _Login:
        """The logged-in session of token ``label``, opening it with ``pin`` if there is none.

        The caller holds :attr:`lock`. A PIN other than the one that logged in is refused: a token
        has one user PIN, so the other one is wrong (and must not ride on the first one's login).
        """
        digest = hashlib.sha256(pin.encode("utf-8")).digest()
        found = self._logins.get(label)
        if found is not None:
            if not hmac.compare_digest(found.pin_digest, digest):
                raise TokenPinError(f"token {label!r}: the PIN is not the one logged in")
            return found
        token = self._token(label)
        try:
            session = token.open(rw=True, user_pin=pin)
        except p11.PinIncorrect:
            raise TokenPinError(f"token {label!r}: wrong PIN") from None
        except p11.PinLocked:
            raise TokenPinError(
                f"token {label!r}: the PIN is locked (too many wrong PINs)"
            ) from None
        except (p11.PinExpired, p11.PinInvalid, p11.PinLenRange, p11.UserPinNotInitialized):
            raise TokenPinError(f"token {label!r}: the PIN is not usable") from None
        except p11.UserAlreadyLoggedIn:
            raise KeyStoreError(
                f"token {label!r} is logged in by other code of this process, not by a key store"
            ) from None
        except p11.PKCS11Error as exc:
            raise KeyStoreError(f"token {label!r}: cannot open a session: {exc!r}") from exc
        found = _Login(session=session, pin_digest=digest)
        self._logins[label] = found
        return found

    def forget(self, label: str) -> None:
        """Drop the session of ``label`` (stale, or about to be); the next call opens a new one."""
        login = self._logins.pop(label, None)
        if login is not None:
            # Already gone with the module's state, perhaps: then nothing is left to close.
            with contextlib.suppress(p11.PKCS11Error):
                login.session.close()

    def _token(self, label: str) -> Token:
        try:
            return self.lib.get_token(token_label=label)
        except p11.NoSuchToken:
            pass
        except p11.MultipleTokensReturned:
            raise KeyStoreError(f"several tokens are labelled {label!r}") from None
        # A token made since the module was initialised: initialise it again to see it. Every
        # session dies with that, so close ours first (a stale one would fail on first use).
        for other in list(self._logins):
            self.forget(other)
        try:
            self.lib.reinitialize()
            return self.lib.get_token(token_label=label)
        except p11.NoSuchToken:
            present = sorted(t.label for t in self.lib.get_tokens() if t.label)
            raise TokenNotFoundError(
                f"no token labelled {label!r} behind {self.path} (present: {present or 'none'})"
            ) from None
        except p11.MultipleTokensReturned:
            raise KeyStoreError(f"several tokens are labelled {label!r}") from None
        except p11.PKCS11Error as exc:
            raise KeyStoreError(f"cannot list the tokens of {self.path}: {exc!r}") from exc


class Pkcs11KeyStore(KeyStore):
    """EC P-256 keys in a PKCS#11 token, their records in ``metadata_dir``.

    Opening the store logs in at once, so a wrong module, label or PIN fails at start-up with a
    :class:`~signing.errors.TokenModuleError`, :class:`~signing.errors.TokenNotFoundError` or
    :class:`~signing.errors.TokenPinError` rather than at the first certificate. The PIN is kept
    only for logging in again after the module is reinitialised; it is in no message nor repr.
    """

    def __init__(
        self,
        *,
        module: Path | str = DEFAULT_MODULE,
        token_label: str,
        pin: str,
        metadata_dir: Path,
    ) -> None:
        if not token_label:
            raise KeyStoreError("a PKCS#11 key store needs a token label")
        if not pin:
            raise TokenPinError(f"token {token_label!r}: no PIN given")
        self._label = token_label
        self._pin = pin
        self._meta = KeyMetadata(Path(metadata_dir))
        self._public: dict[bytes, ec.EllipticCurvePublicKey] = {}
        Path(metadata_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
        stray = sorted(p.name for p in Path(metadata_dir).glob("*.pem"))
        if stray:
            # A file store's folder: its records would be listed here and fail to sign.
            raise KeyStoreError(
                f"{metadata_dir} holds key files of a file store ({', '.join(stray)}); "
                "give the PKCS#11 store a folder of its own"
            )
        self._module = _Module.load(Path(module))
        with self._module.lock:
            self._module.login(self._label, self._pin)

    def __repr__(self) -> str:
        return f"Pkcs11KeyStore(module={self._module.path!r}, token_label={self._label!r})"

    @property
    def token_label(self) -> str:
        return self._label

    @property
    def metadata_dir(self) -> Path:
        return self._meta.directory

    def keys(self, *, purpose: KeyPurpose | None = None) -> list[KeyInfo]:
        return self._meta.list(purpose=purpose)

    def info(self, key_id: bytes) -> KeyInfo:
        return self._meta.read(key_id)

    def public_key(self, key_id: bytes) -> ec.EllipticCurvePublicKey:
        cached = self._public.get(key_id)
        if cached is not None:
            return cached
        public = self._on_token(lambda login: self._read_public(login, key_id))
        self._public[key_id] = public
        return public

    def sign(self, key_id: bytes, data: bytes) -> bytes:
        # CKM_ECDSA over a digest made here rather than CKM_ECDSA_SHA256: every token has the
        # former, and a multi-megabyte PDF's bytes need not cross to the device.
        digest = hashlib.sha256(data).digest()

        def sign_digest(login: _Login) -> bytes:
            raw = self._private(login, key_id).sign(digest, mechanism=Mechanism.ECDSA)
            return _der_signature(raw)

        return self._on_token(sign_digest)

    def generate(self, *, purpose: KeyPurpose) -> KeyInfo:
        public = self._on_token(lambda login: _generate_on(login, purpose))
        key_id = key_id_for(public)
        now = datetime.now(UTC).replace(microsecond=0)
        info = KeyInfo(key_id=key_id, purpose=purpose, created_at=now, not_before=now.date())
        # The key is on the token first: a crash here leaves an unused key in the token, never a
        # record naming a key that does not exist.
        self._meta.write(info)
        self._public[key_id] = public
        return info

    def set_status(
        self,
        key_id: bytes,
        status: KeyStatus,
        *,
        reason: str | None = None,
        not_after: date | None = None,
    ) -> KeyInfo:
        # The record only: a key revoked because its token was lost or wiped must be revocable
        # all the same, so the token is not asked whether it still holds the key.
        return self._meta.set_status(key_id, status, reason=reason, not_after=not_after)

    def _on_token(self, operation: Callable[[_Login], _T]) -> _T:
        """Run ``operation`` on the token's session under the module lock, reopening it once."""
        with self._module.lock:
            for attempt in range(2):
                login = self._module.login(self._label, self._pin)
                try:
                    return operation(login)
                except _STALE as exc:
                    self._module.forget(self._label)
                    if attempt:
                        raise KeyStoreError(f"token {self._label!r}: {exc!r}") from exc
                except p11.PKCS11Error as exc:
                    raise KeyStoreError(f"token {self._label!r}: {exc!r}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _private(self, login: _Login, key_id: bytes) -> SignMixin:
        found = login.private.get(key_id)
        if found is None:
            obj = self._find(login, ObjectClass.PRIVATE_KEY, key_id)
            if not isinstance(obj, SignMixin):  # python-pkcs11 mixes it into private keys
                raise KeyStoreError(f"token {self._label!r}: key {key_id.hex()} cannot sign")
            login.private[key_id] = found = obj
        return found

    def _read_public(self, login: _Login, key_id: bytes) -> ec.EllipticCurvePublicKey:
        obj = self._find(login, ObjectClass.PUBLIC_KEY, key_id)
        public = _public_from(obj)
        if key_id_for(public) != key_id:
            raise KeyStoreError(
                f"token {self._label!r}: the key with CKA_ID {key_id.hex()} has another public key"
            )
        return public

    def _find(self, login: _Login, kind: ObjectClass, key_id: bytes) -> Key:
        try:
            return login.session.get_key(object_class=kind, key_type=KeyType.EC, id=key_id)
        except p11.NoSuchKey:
            if self._meta.exists(key_id):
                raise KeyNotInTokenError(
                    f"key {key_id.hex()} is in {self._meta.directory} but not in token "
                    f"{self._label!r}"
                ) from None
            raise KeyNotFoundError(f"no key {key_id.hex()} in token {self._label!r}") from None
        except p11.MultipleObjectsReturned:
            raise KeyStoreError(
                f"token {self._label!r} holds several keys with CKA_ID {key_id.hex()}"
            ) from None


def _generate_on(login: _Login, purpose: KeyPurpose) -> ec.EllipticCurvePublicKey:
    """A P-256 key pair made by the token, named by its key id; the public half.

    The key id hashes the public key, which exists only once the pair does: the pair is made
    under a random provisional CKA_ID, then renamed (CKA_ID is modifiable, PKCS#11 4.4).
    """
    provisional = secrets.token_bytes(16)  # not 8 bytes long: never taken for a key id
    public_obj, private_obj = login.session.generate_keypair(
        KeyType.EC,
        id=provisional,
        store=True,  # CKA_TOKEN: kept by the token, not just for this session
        capabilities=MechanismFlag.SIGN | MechanismFlag.VERIFY,  # no DERIVE, no DECRYPT
        mechanism=Mechanism.EC_KEY_PAIR_GEN,
        public_template={Attribute.EC_PARAMS: P256_PARAMS, Attribute.PRIVATE: False},
        private_template={
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: False,
        },
    )
    try:
        # Ask the token rather than trust the template: some ignore what they do not support.
        if not private_obj[Attribute.ALWAYS_SENSITIVE] or private_obj[Attribute.EXTRACTABLE]:
            raise KeyStoreError("the token made an extractable key; refusing to use it")
        public = _public_from(public_obj)
        key_id = key_id_for(public)
        label = f"sceau {purpose.value} {key_id.hex()}"
        for obj in (public_obj, private_obj):
            obj[Attribute.ID] = key_id
            obj[Attribute.LABEL] = label
    except BaseException:
        for obj in (private_obj, public_obj):
            with contextlib.suppress(p11.PKCS11Error):  # best effort: a leftover is unnamed
                obj.destroy()
        raise
    if isinstance(private_obj, SignMixin):
        login.private[key_id] = private_obj
    return public


def _public_from(obj: Key) -> ec.EllipticCurvePublicKey:
    """The cryptography public key of a token EC public key object (CKA_EC_POINT)."""
    if obj[Attribute.EC_PARAMS] != P256_PARAMS:
        raise KeyStoreError("the token's key is not on the P-256 curve")
    point = bytes(obj[Attribute.EC_POINT])
    # PKCS#11 says DER OCTET STRING around the X9.62 point; some modules give the bare point.
    # Both start with 0x04, so their lengths tell them apart.
    if len(point) == 3 + 2 * _COORDINATE and point[:2] == b"\x04\x41":
        point = point[2:]
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise KeyStoreError(f"the token's CKA_EC_POINT is not a P-256 point: {exc}") from exc


def _der_signature(raw: bytes) -> bytes:
    """PKCS#11 gives ECDSA signatures as r || s; X.509, CMS and the seal want DER."""
    if len(raw) != 2 * _COORDINATE:
        raise KeyStoreError(f"the token's ECDSA signature has {len(raw)} bytes, not 64")
    r = int.from_bytes(raw[:_COORDINATE], "big")
    s = int.from_bytes(raw[_COORDINATE:], "big")
    return encode_dss_signature(r, s)
