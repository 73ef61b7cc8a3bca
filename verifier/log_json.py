"""The transparency log as JSON: one shape for the log API, the seal check and the pages.

Hashes, ids and leaf data are lower-case hex, the tree head signature base64 (DER), as in
docs/transparency-log.md. ``time`` and ``logged_at`` are for people: neither is signed or
hashed (the signed ``timestamp`` is milliseconds since the epoch).
"""

from __future__ import annotations

from typing import Any

from signing.errors import TransparencyLogError
from signing.transparency import LogEntry, SignedTreeHead
from verifier.models import LogLeaf
from verifier.transparency import CertificateProofs, LeafProof

__all__ = ["head_json", "leaf_json", "proofs_json"]


def head_json(head: SignedTreeHead) -> dict[str, Any]:
    return {**head.to_document(), "time": head.head.time.isoformat(timespec="milliseconds")}


def leaf_json(leaf: LogLeaf) -> dict[str, Any]:
    """A leaf as stored, its data decoded beside it (None where it does not decode: the API
    shows a damaged log as it is; `sceau log verify` says what is wrong)."""
    try:
        entry: LogEntry | None = LogEntry.decode(bytes.fromhex(leaf.leaf_data))
    except (ValueError, TransparencyLogError):
        entry = None
    return {
        "leaf_index": leaf.leaf_index,
        "event": leaf.event,
        "certificate_id": leaf.certificate_id,
        "certificate_type": entry.certificate_type if entry is not None else None,
        "seal_sha256": entry.seal_sha256.hex() if entry is not None else None,
        "leaf_data": leaf.leaf_data,
        "leaf_hash": leaf.leaf_hash,
        "logged_at": leaf.created_at.isoformat(),
    }


def _entry_json(entry: LeafProof) -> dict[str, Any]:
    return {
        **leaf_json(entry.leaf),
        "audit_path": [h.hex() for h in entry.proof.audit_path],
    }


def proofs_json(proofs: CertificateProofs) -> dict[str, Any]:
    """A certificate's leaves with their audit paths to the root of ``tree_head``."""
    return {
        "tree_head": head_json(proofs.head),
        "entries": [_entry_json(entry) for entry in proofs.entries],
    }
