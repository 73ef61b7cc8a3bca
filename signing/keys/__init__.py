"""Key stores: where the private keys of seals, PDF signatures and timestamps live."""

from signing.keys._base import (
    KEY_ID_LENGTH,
    MAX_REASON_LENGTH,
    KeyInfo,
    KeyPurpose,
    KeyStatus,
    KeyStore,
    key_id_for,
    window_allows,
)
from signing.keys._file import FileKeyStore
from signing.keys._meta import KeyMetadata
from signing.keys._pkcs11 import Pkcs11KeyStore

__all__ = [
    "KEY_ID_LENGTH",
    "MAX_REASON_LENGTH",
    "FileKeyStore",
    "KeyInfo",
    "KeyMetadata",
    "KeyPurpose",
    "KeyStatus",
    "KeyStore",
    "Pkcs11KeyStore",
    "key_id_for",
    "window_allows",
]
