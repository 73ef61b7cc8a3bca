"""The audit log: append-only and hash-chained, so that an edited or deleted entry shows.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical
content; the head row holds the last sequence number and hash. Appending happens inside the
unit of work of the action it records (issuing, revoking, signing in...), so an action and its
entry commit together or not at all. The head row is locked while appending (SELECT ... FOR
UPDATE on PostgreSQL; SQLite serialises writers anyway), so concurrent appends cannot fork
the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier.db import utcnow
from verifier.models import AuditEntry, AuditHead

__all__ = ["GENESIS", "AuditHead", "AuditProblem", "append", "entry_hash", "verify_chain"]

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    content = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + _canonical(entry)).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Add an entry to the session's transaction; the caller commits with its own work."""
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    entry = AuditEntry(
        seq=head.seq + 1,
        # Microseconds are kept exactly on both engines: the hash covers them.
        at=utcnow(),
        actor=actor[:80],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=json.dumps(dict(details or {}), sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=head.hash,
        hash="",
    )
    entry.hash = entry_hash(head.hash, entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    what: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.what}"


def verify_chain(session: Session) -> list[AuditProblem]:
    """Every problem found: a changed entry, a gap (deleted entry), a broken link, a head
    that does not match the last entry (the last entries deleted)."""
    problems: list[AuditProblem] = []
    previous_hash, expected_seq = GENESIS, 1
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        if entry.seq != expected_seq:
            problems.append(AuditProblem(expected_seq, f"missing (next entry is {entry.seq})"))
        if entry.prev_hash != previous_hash:
            problems.append(AuditProblem(entry.seq, "does not follow the previous entry"))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(AuditProblem(entry.seq, "content changed after it was written"))
        previous_hash, expected_seq = entry.hash, entry.seq + 1
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != previous_hash):
        problems.append(
            AuditProblem(head.seq, f"the head names entry {head.seq}; the log ends at {last_seq}")
        )
    return problems
