"""An independent RFC 6962 implementation, for the tests only: the referee of the log's proofs.

Written from RFC 6962 §2.1 as it reads: MTH, PATH and PROOF are the recursive definitions on
lists of leaf data, and the two verifiers recompute roots by walking those same definitions
backwards (no bit tricks, no stored nodes, nothing shared with signing/transparency). Slow on
purpose, and obviously right.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "leaf",
    "mth",
    "path",
    "proof",
    "root_from_path",
    "roots_from_proof",
]


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return _h(b"\x01" + left + right)


def _k(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def leaf(data: bytes) -> bytes:
    return _h(b"\x00" + data)


def mth(d: list[bytes]) -> bytes:
    """MTH(D[n])."""
    if not d:
        return _h(b"")
    if len(d) == 1:
        return leaf(d[0])
    k = _k(len(d))
    return _node(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def _subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*_subproof(m, d[:k], b), mth(d[k:])]
    return [*_subproof(m - k, d[k:], False), mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true)."""
    return _subproof(m, d, True)


def root_from_path(m: int, n: int, leaf_hash: bytes, audit_path: list[bytes]) -> bytes | None:
    """The root PATH(m, D[n]) leads to from the leaf's hash; None if the path has the wrong
    length for (m, n). PATH puts the sibling of the top split last, so undo it from the end."""
    if not 0 <= m < n:
        return None
    if n == 1:
        return leaf_hash if not audit_path else None
    if not audit_path:
        return None
    k, sibling, rest = _k(n), audit_path[-1], audit_path[:-1]
    if m < k:
        below = root_from_path(m, k, leaf_hash, rest)
        return None if below is None else _node(below, sibling)
    below = root_from_path(m - k, n - k, leaf_hash, rest)
    return None if below is None else _node(sibling, below)


def roots_from_proof(
    m: int, n: int, consistency: list[bytes], first_root: bytes
) -> tuple[bytes, bytes] | None:
    """(old root, new root) that PROOF(m, D[n]) proves, knowing the old root for the case RFC
    6962 leaves out of the proof (the old tree is the new tree's left-most subtree); None if
    the proof has the wrong shape."""

    def sub(m: int, n: int, items: list[bytes], b: bool) -> tuple[bytes, bytes] | None:
        if m == n:
            if b:
                return (first_root, first_root) if not items else None
            return (items[0], items[0]) if len(items) == 1 else None
        if not items:
            return None
        k, last, rest = _k(n), items[-1], items[:-1]
        if m <= k:
            below = sub(m, k, rest, b)
            return None if below is None else (below[0], _node(below[1], last))
        below = sub(m - k, n - k, rest, False)
        return None if below is None else (_node(last, below[0]), _node(last, below[1]))

    if not 0 < m <= n:
        return None
    return sub(m, n, consistency, True)
