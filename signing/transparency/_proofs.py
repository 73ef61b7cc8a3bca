"""Inclusion and consistency proofs: built from a store of perfect subtrees, checked by anyone.

Building asks a :class:`NodeSource` for the few perfect subtrees a proof folds from, in one
call (one query for a database). Checking needs nothing but the proof, the leaf hash and the
roots: it follows RFC 9162 §2.1.3.2 and §2.1.4.2, the clearest statement of what RFC 6962's
audit paths and consistency proofs mean, so that a third party's verifier and this one agree.

A proof that does not hold is ``False``, never an exception: hostile proofs (wrong length,
garbage hashes, sizes out of order) are what a verifier exists to refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from signing.errors import TransparencyLogError
from signing.transparency._hashing import EMPTY_ROOT, HASH_SIZE, node_hash
from signing.transparency._tree import (
    Node,
    Span,
    consistency_spans,
    inclusion_spans,
    needed,
    span_hash,
)

__all__ = [
    "ConsistencyProof",
    "InclusionProof",
    "NodeSource",
    "consistency_proof",
    "inclusion_proof",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]


class NodeSource(Protocol):
    """Whatever holds the hashes of a log's perfect subtrees (a database, a list in memory)."""

    @property
    def size(self) -> int:
        """How many leaves the source holds."""
        ...

    def node_hashes(self, nodes: Sequence[Node]) -> Mapping[Node, bytes]:
        """The hash of each of ``nodes``; every one must lie inside the first ``size`` leaves."""
        ...


@dataclass(frozen=True, kw_only=True)
class InclusionProof:
    """That leaf ``leaf_index`` is in the tree of ``tree_size`` leaves: RFC 6962's PATH."""

    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    audit_path: tuple[bytes, ...]

    def verify(self, root_hash: bytes) -> bool:
        """Whether this path leads from the leaf to ``root_hash``."""
        return verify_inclusion(
            self.leaf_hash, self.leaf_index, self.tree_size, self.audit_path, root_hash
        )


@dataclass(frozen=True, kw_only=True)
class ConsistencyProof:
    """That the tree of ``first_size`` leaves is a prefix of that of ``second_size``."""

    first_size: int
    second_size: int
    path: tuple[bytes, ...]

    def verify(self, first_root: bytes, second_root: bytes) -> bool:
        return verify_consistency(
            self.first_size, self.second_size, first_root, second_root, self.path
        )


def _fetch(
    source: NodeSource, spans: Sequence[Span], size: int, *extra: Node
) -> Mapping[Node, bytes]:
    """The perfect subtrees ``spans`` fold from (and ``extra``), in one call to the source."""
    if size > source.size:
        raise TransparencyLogError(f"the log holds {source.size} leaves, not {size}")
    wanted = needed(spans)
    wanted += [node for node in extra if node not in wanted]
    return source.node_hashes(wanted)


def tree_root(source: NodeSource, size: int) -> bytes:
    """MTH of the first ``size`` leaves (the empty tree's hash for 0)."""
    if size < 0:
        raise TransparencyLogError(f"no tree of {size} leaves")
    if size == 0:
        return EMPTY_ROOT
    span = (0, size)
    return span_hash(span, _fetch(source, [span], size))


def inclusion_proof(source: NodeSource, leaf_index: int, tree_size: int) -> InclusionProof:
    """The audit path of leaf ``leaf_index`` in the tree of the first ``tree_size`` leaves."""
    spans = inclusion_spans(leaf_index, tree_size)
    leaf = Node(0, leaf_index)
    known = _fetch(source, spans, tree_size, leaf)
    return InclusionProof(
        leaf_index=leaf_index,
        tree_size=tree_size,
        leaf_hash=known[leaf],
        audit_path=tuple(span_hash(span, known) for span in spans),
    )


def consistency_proof(source: NodeSource, first_size: int, second_size: int) -> ConsistencyProof:
    """PROOF(first, D[second]); empty when ``first_size`` is 0 or equals ``second_size``."""
    if not 0 <= first_size <= second_size:
        raise TransparencyLogError(f"no consistency proof from {first_size} to {second_size}")
    if first_size in (0, second_size):
        _fetch(source, [], second_size)  # still refuse a size beyond the log
        return ConsistencyProof(first_size=first_size, second_size=second_size, path=())
    spans = consistency_spans(first_size, second_size)
    known = _fetch(source, spans, second_size)
    return ConsistencyProof(
        first_size=first_size,
        second_size=second_size,
        path=tuple(span_hash(span, known) for span in spans),
    )


def _hashes_ok(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(
    leaf_hash: bytes,
    leaf_index: int,
    tree_size: int,
    audit_path: Sequence[bytes],
    root_hash: bytes,
) -> bool:
    """RFC 9162 §2.1.3.2: recompute the root from the leaf hash and its audit path."""
    if not 0 <= leaf_index < tree_size or not _hashes_ok(leaf_hash, root_hash, *audit_path):
        return False
    fn, sn = leaf_index, tree_size - 1
    r = leaf_hash
    for p in audit_path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first_size: int,
    second_size: int,
    first_root: bytes,
    second_root: bytes,
    path: Sequence[bytes],
) -> bool:
    """RFC 9162 §2.1.4.2, with the two cases it leaves to the caller.

    A tree is consistent with itself when the roots agree and the proof is empty, and the
    empty tree with every tree (nothing to prove, so the proof must be empty too).
    """
    if not 0 <= first_size <= second_size or not _hashes_ok(*path):
        return False
    if first_size == 0:
        return not path
    if first_size == second_size:
        return not path and _hashes_ok(first_root, second_root) and first_root == second_root
    if not path or not _hashes_ok(first_root, second_root):
        return False
    proof = list(path)
    if first_size & (first_size - 1) == 0:  # a power of two: the old root is a node of the new
        proof.insert(0, first_root)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
