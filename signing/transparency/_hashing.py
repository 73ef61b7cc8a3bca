"""RFC 6962 §2.1 hashing: the one place that says how leaves and nodes are hashed.

A leaf is hashed with a 0x00 prefix and an interior node with 0x01, so that no leaf can be
passed off as a node (the second-preimage attack on unprefixed Merkle trees); the empty tree's
hash is SHA-256 of nothing.
"""

from __future__ import annotations

import hashlib

__all__ = ["EMPTY_ROOT", "HASH_SIZE", "leaf_hash", "node_hash"]

HASH_SIZE = 32
_LEAF = b"\x00"
_NODE = b"\x01"

#: MTH({}) = SHA-256() (RFC 6962 §2.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """MTH({d(0)}) = SHA-256(0x00 || d(0))."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node from its two children."""
    return hashlib.sha256(_NODE + left + right).digest()
