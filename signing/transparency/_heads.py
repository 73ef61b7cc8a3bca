"""Signed tree heads: the log's public commitment to its size and root at a moment.

The bytes signed are RFC 6962 §3.5's TreeHeadSignature, so that CT tooling reads them:

====== ====== ===========================================================
offset bytes  field
====== ====== ===========================================================
0      1      version, 0 (v1)
1      1      signature type, 1 (tree_hash)
2      8      timestamp, milliseconds since 1970-01-01 UTC, big-endian
10     8      tree size, big-endian
18     32     root hash (MTH of the first tree-size leaves)
====== ====== ===========================================================

signed ECDSA P-256 / SHA-256 (DER) by a key of purpose ``log``. Two heads signed by the same
key that no consistency proof joins are proof that the log forked or rewrote its history.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from signing.errors import TransparencyLogError
from signing.keys import KeyStore
from signing.transparency._hashing import HASH_SIZE

__all__ = ["SignedTreeHead", "TreeHead", "sign_tree_head"]

_MAX_UINT64 = 2**64 - 1
_V1, _TREE_HASH = 0, 1


@dataclass(frozen=True, kw_only=True)
class TreeHead:
    tree_size: int
    timestamp: int  # milliseconds since the epoch, UTC
    root_hash: bytes

    def __post_init__(self) -> None:
        if not 0 <= self.tree_size <= _MAX_UINT64 or not 0 <= self.timestamp <= _MAX_UINT64:
            raise TransparencyLogError("tree size and timestamp are 64-bit unsigned integers")
        if len(self.root_hash) != HASH_SIZE:
            raise TransparencyLogError(f"a root hash has {HASH_SIZE} bytes")

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp / 1000, UTC)

    def signed_bytes(self) -> bytes:
        """RFC 6962 §3.5's TreeHeadSignature structure: what the log key signs."""
        return struct.pack(">BBQQ", _V1, _TREE_HASH, self.timestamp, self.tree_size) + (
            self.root_hash
        )


@dataclass(frozen=True, kw_only=True)
class SignedTreeHead:
    head: TreeHead
    key_id: bytes
    signature: bytes

    @property
    def tree_size(self) -> int:
        return self.head.tree_size

    @property
    def root_hash(self) -> bytes:
        return self.head.root_hash

    def verify(self, public_key: ec.EllipticCurvePublicKey) -> bool:
        """Whether ``public_key`` signed exactly this head."""
        try:
            public_key.verify(self.signature, self.head.signed_bytes(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    def to_document(self) -> dict[str, Any]:
        """The JSON form the API serves: hashes and key id in hex, the DER signature in base64."""
        return {
            "tree_size": self.head.tree_size,
            "timestamp": self.head.timestamp,
            "root_hash": self.head.root_hash.hex(),
            "key_id": self.key_id.hex(),
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> SignedTreeHead:
        """Parse :meth:`to_document`'s form; :class:`TransparencyLogError` if anything is off."""
        try:
            size, timestamp = document["tree_size"], document["timestamp"]
            if type(size) is not int or type(timestamp) is not int:
                raise TransparencyLogError("tree_size and timestamp must be integers")
            head = TreeHead(
                tree_size=size,
                timestamp=timestamp,
                root_hash=bytes.fromhex(document["root_hash"]),
            )
            return cls(
                head=head,
                key_id=bytes.fromhex(document["key_id"]),
                signature=base64.b64decode(document["signature"], validate=True),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            if isinstance(exc, TransparencyLogError):
                raise
            raise TransparencyLogError(f"not a signed tree head: {exc}") from None


def sign_tree_head(store: KeyStore, key_id: bytes, head: TreeHead) -> SignedTreeHead:
    """Sign ``head`` with the log key ``key_id`` of ``store`` (the key never leaves it)."""
    return SignedTreeHead(
        head=head, key_id=key_id, signature=store.sign(key_id, head.signed_bytes())
    )
