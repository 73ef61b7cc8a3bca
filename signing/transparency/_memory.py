"""A whole log's tree in memory: what `sceau log verify` rebuilds, and an offline auditor's.

It keeps the hash of every perfect subtree, level by level, as the service's database does;
rebuilding one from the leaf hashes costs n - 1 node hashes, and then every proof or root of
any size is O(log n), exactly as when served.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from signing.errors import TransparencyLogError
from signing.transparency._hashing import HASH_SIZE, node_hash
from signing.transparency._proofs import (
    ConsistencyProof,
    InclusionProof,
    consistency_proof,
    inclusion_proof,
    tree_root,
)
from signing.transparency._tree import Node, completed_by_append

__all__ = ["MerkleTree"]


class MerkleTree:
    """An append-only Merkle tree of leaf hashes; a :class:`NodeSource` for proofs."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        for leaf in leaf_hashes:
            self.append(leaf)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def append(self, leaf: bytes) -> list[tuple[Node, bytes]]:
        """Add a leaf hash; returns the perfect subtrees above it that it completed."""
        if len(leaf) != HASH_SIZE:
            raise TransparencyLogError(f"a leaf hash has {HASH_SIZE} bytes, not {len(leaf)}")
        index = self.size
        self._levels[0].append(leaf)
        made: list[tuple[Node, bytes]] = []
        right = leaf
        for node in completed_by_append(index):
            if node.level == len(self._levels):
                self._levels.append([])
            right = node_hash(self._levels[node.level - 1][2 * node.index], right)
            self._levels[node.level].append(right)
            made.append((node, right))
        return made

    def node_hashes(self, nodes: Sequence[Node]) -> Mapping[Node, bytes]:
        found: dict[Node, bytes] = {}
        for node in nodes:
            try:
                found[node] = self._levels[node.level][node.index]
            except IndexError:
                raise TransparencyLogError(f"no perfect subtree {node} in this tree") from None
        return found

    def perfect_nodes(self) -> Iterable[tuple[Node, bytes]]:
        """Every perfect subtree above the leaves, level by level (what a store must hold)."""
        for level, hashes in enumerate(self._levels[1:], start=1):
            for index, value in enumerate(hashes):
                yield Node(level, index), value

    def leaf_hash(self, index: int) -> bytes:
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        return tree_root(self, self.size if size is None else size)

    def inclusion_proof(self, leaf_index: int, tree_size: int | None = None) -> InclusionProof:
        return inclusion_proof(self, leaf_index, self.size if tree_size is None else tree_size)

    def consistency_proof(
        self, first_size: int, second_size: int | None = None
    ) -> ConsistencyProof:
        second = self.size if second_size is None else second_size
        return consistency_proof(self, first_size, second)
