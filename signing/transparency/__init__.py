"""The transparency log: every issuance and revocation in a public RFC 6962 Merkle tree.

A certificate issued in secret would be missing from the log; one whose revocation was hidden
would lack its revoke entry; a log that rewrote its past would fail the consistency proof
against any tree head it signed before. Leaves hold no personal data (:class:`LogEntry`).

What is here needs no database: the hashing (RFC 6962 §2.1), the leaf format, proofs built from
any :class:`NodeSource` that keeps the hashes of perfect subtrees (the service's tables, or
:class:`MerkleTree` in memory), their verification (RFC 9162 §2.1.3.2 and §2.1.4.2) and signed
tree heads. See docs/transparency-log.md.
"""

from signing.transparency._entry import ENTRY_VERSION, LogEntry, LogEvent
from signing.transparency._hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash
from signing.transparency._heads import SignedTreeHead, TreeHead, sign_tree_head
from signing.transparency._memory import MerkleTree
from signing.transparency._proofs import (
    ConsistencyProof,
    InclusionProof,
    NodeSource,
    consistency_proof,
    inclusion_proof,
    tree_root,
    verify_consistency,
    verify_inclusion,
)
from signing.transparency._tree import Node, completed_by_append

__all__ = [
    "EMPTY_ROOT",
    "ENTRY_VERSION",
    "HASH_SIZE",
    "ConsistencyProof",
    "InclusionProof",
    "LogEntry",
    "LogEvent",
    "MerkleTree",
    "Node",
    "NodeSource",
    "SignedTreeHead",
    "TreeHead",
    "completed_by_append",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "sign_tree_head",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]
