"""The transparency log in the database: appending in the unit of work, proofs, the audit.

Every issuance and every revocation appends one leaf (signing.transparency.LogEntry: no
personal data) in the same transaction as the act it records, so that the register and the
log commit together or not at all. Appending locks the ``log_state`` row (SELECT ... FOR UPDATE
on PostgreSQL; SQLite serialises writers anyway), and the leaf index is the primary key, so two
concurrent issuances can neither take the same index nor leave a gap.

Each append stores the perfect subtrees it completes (``log_nodes``) and signs a tree head of
the new size (``log_heads``) with the LOG key: one signed head per size, so that `sceau log
verify` can say exactly which leaf a rewrite changed, and any head a third party kept can be
checked against today's tree with a consistency proof.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from signing.errors import KeyNotFoundError, TransparencyLogError
from signing.keys import KeyPurpose, KeyStore
from signing.transparency import (
    ConsistencyProof,
    InclusionProof,
    LogEntry,
    LogEvent,
    MerkleTree,
    Node,
    SignedTreeHead,
    TreeHead,
    completed_by_append,
    consistency_proof,
    inclusion_proof,
    node_hash,
    sign_tree_head,
    tree_root,
)
from verifier.models import Certificate, LogHead, LogLeaf, LogNode, LogState, Revocation

__all__ = [
    "MAX_LEAVES",
    "CertificateProofs",
    "LeafProof",
    "LogProblem",
    "LogStoreError",
    "append",
    "backfill",
    "certificate_proofs",
    "consistency",
    "entry_of",
    "head_of",
    "latest_head",
    "leaves",
    "log_issue",
    "log_revoke",
    "verify_log",
]

#: Most leaves one page of /api/v1/log/leaves returns.
MAX_LEAVES = 1000


class LogStoreError(RuntimeError):
    """The log's own tables lack a row a proof needs: corruption, for `sceau log verify`."""


class DatabaseNodes:
    """The log's tables as a :class:`signing.transparency.NodeSource` of ``size`` leaves."""

    def __init__(self, session: Session, size: int) -> None:
        self._session = session
        self.size = size

    def node_hashes(self, nodes: Sequence[Node]) -> Mapping[Node, bytes]:
        by_level: dict[int, list[int]] = defaultdict(list)
        for node in nodes:
            by_level[node.level].append(node.index)
        found: dict[Node, bytes] = {}
        leaves = by_level.pop(0, None)
        if leaves:
            leaf_rows = self._session.execute(
                select(LogLeaf.leaf_index, LogLeaf.leaf_hash).where(LogLeaf.leaf_index.in_(leaves))
            )
            found.update({Node(0, index): bytes.fromhex(value) for index, value in leaf_rows})
        if by_level:
            condition = or_(
                *(
                    and_(LogNode.level == level, LogNode.node_index.in_(indexes))
                    for level, indexes in by_level.items()
                )
            )
            rows = self._session.execute(
                select(LogNode.level, LogNode.node_index, LogNode.hash).where(condition)
            )
            found.update({Node(level, index): bytes.fromhex(value) for level, index, value in rows})
        missing = [node for node in nodes if node not in found]
        if missing:
            raise LogStoreError(f"the log's tables lack {len(missing)} node(s), e.g. {missing[0]}")
        return found


# ----------------------------------------------------------------------------- appending


def entry_of(certificate: Certificate, event: LogEvent) -> LogEntry:
    """The leaf of ``event`` for ``certificate``: its id, type and seal hash, nothing more."""
    return LogEntry(
        event=event,
        certificate_id=bytes.fromhex(certificate.id),
        certificate_type=certificate.type,
        seal_sha256=bytes.fromhex(certificate.seal_sha256),
    )


def _head_row(sth: SignedTreeHead) -> LogHead:
    return LogHead(
        tree_size=sth.tree_size,
        timestamp=sth.head.timestamp,
        root_hash=sth.root_hash.hex(),
        key_id=sth.key_id.hex(),
        signature=sth.to_document()["signature"],
    )


def _sth(row: LogHead) -> SignedTreeHead:
    return SignedTreeHead.from_document(
        {
            "tree_size": row.tree_size,
            "timestamp": row.timestamp,
            "root_hash": row.root_hash,
            "key_id": row.key_id,
            "signature": row.signature,
        }
    )


def append(session: Session, store: KeyStore, certificate: Certificate, event: LogEvent) -> LogLeaf:
    """Append the leaf of ``event`` to the session's transaction, with its nodes and a signed
    head of the new size; the caller commits with its own work."""
    key = store.active_key(KeyPurpose.LOG)  # before any row: no key, nothing half-written
    state = session.scalar(select(LogState).where(LogState.id == 1).with_for_update())
    if state is None:  # pragma: no cover - migration 0006 inserts it
        state = LogState(id=1, tree_size=0)
        session.add(state)
    index = state.tree_size
    entry = entry_of(certificate, event)
    leaf = entry.leaf_hash()
    row = LogLeaf(
        leaf_index=index,
        leaf_hash=leaf.hex(),
        leaf_data=entry.encode().hex(),
        event=str(event),
        certificate_id=certificate.id,
    )
    session.add(row)
    completed = completed_by_append(index)
    lefts = DatabaseNodes(session, index).node_hashes(
        [Node(node.level - 1, 2 * node.index) for node in completed]
    )
    right = leaf
    for node in completed:
        right = node_hash(lefts[Node(node.level - 1, 2 * node.index)], right)
        session.add(LogNode(level=node.level, node_index=node.index, hash=right.hex()))
    state.tree_size = index + 1
    session.flush()
    previous = session.get(LogHead, index) if index else None
    now = time.time_ns() // 1_000_000
    head = TreeHead(
        tree_size=index + 1,
        # Heads never go back in time, even if the clock does.
        timestamp=max(now, previous.timestamp if previous is not None else 0),
        root_hash=tree_root(DatabaseNodes(session, index + 1), index + 1),
    )
    session.add(_head_row(sign_tree_head(store, key.key_id, head)))
    return row


def log_issue(session: Session, store: KeyStore, certificate: Certificate) -> LogLeaf:
    return append(session, store, certificate, LogEvent.ISSUE)


def log_revoke(session: Session, store: KeyStore, certificate: Certificate) -> LogLeaf:
    return append(session, store, certificate, LogEvent.REVOKE)


def backfill(session: Session, store: KeyStore) -> int:
    """Log what the register holds and the log does not (certificates issued before the log
    existed, their revocations), oldest first; commits; returns how many leaves it added.

    A late entry is honest about being late: its ``created_at`` is today, and only the order
    among the backfilled entries follows the register's dates.
    """
    logged = {(c, e) for c, e in session.execute(select(LogLeaf.certificate_id, LogLeaf.event))}
    events: list[tuple[datetime, int, Certificate, LogEvent]] = []
    for certificate in session.scalars(select(Certificate)):
        if (certificate.id, str(LogEvent.ISSUE)) not in logged:
            events.append((certificate.issued_at, 0, certificate, LogEvent.ISSUE))
        revocation = certificate.revocation
        if revocation is not None and (certificate.id, str(LogEvent.REVOKE)) not in logged:
            # Never before its own issuance, whatever the clocks said.
            when = max(revocation.revoked_at, certificate.issued_at)
            events.append((when, 1, certificate, LogEvent.REVOKE))
    events.sort(key=lambda e: (e[0], e[1], e[2].id))
    for _, _, certificate, event in events:
        append(session, store, certificate, event)
    session.commit()
    return len(events)


# ----------------------------------------------------------------------------- reading


def latest_head(session: Session) -> SignedTreeHead | None:
    row = session.scalars(select(LogHead).order_by(LogHead.tree_size.desc()).limit(1)).first()
    return _sth(row) if row is not None else None


def head_of(session: Session, tree_size: int) -> SignedTreeHead | None:
    row = session.get(LogHead, tree_size)
    return _sth(row) if row is not None else None


def _size(session: Session) -> int:
    head = latest_head(session)
    return head.tree_size if head is not None else 0


@dataclass(frozen=True)
class LeafProof:
    leaf: LogLeaf
    proof: InclusionProof


@dataclass(frozen=True)
class CertificateProofs:
    """A certificate's leaves (issuance, then revocation if any) proven against ``head``."""

    head: SignedTreeHead
    entries: tuple[LeafProof, ...]


def certificate_proofs(
    session: Session, certificate_id: str, tree_size: int | None = None
) -> CertificateProofs | None:
    """Inclusion proofs of a certificate's leaves in the tree of ``tree_size`` (the latest by
    default); None when the log has no head of that size or the certificate no leaf in it."""
    if tree_size is None:
        # The latest head and the certificate's leaves under it in one query: the seal page
        # asks this on every scan, and each round trip to the database is paid by every scan.
        latest = select(func.max(LogHead.tree_size)).scalar_subquery()
        found = session.execute(
            select(LogLeaf, LogHead)
            .join(LogHead, LogHead.tree_size == latest)
            .where(LogLeaf.certificate_id == certificate_id, LogLeaf.leaf_index < LogHead.tree_size)
            .order_by(LogLeaf.leaf_index)
        ).all()
        if not found:
            return None
        head = _sth(found[0][1])
        rows = [leaf for leaf, _ in found]
    else:
        asked = head_of(session, tree_size)
        if asked is None:
            return None
        head = asked
        rows = list(
            session.scalars(
                select(LogLeaf)
                .where(
                    LogLeaf.certificate_id == certificate_id, LogLeaf.leaf_index < head.tree_size
                )
                .order_by(LogLeaf.leaf_index)
            )
        )
        if not rows:
            return None
    source = DatabaseNodes(session, head.tree_size)
    return CertificateProofs(
        head, tuple(LeafProof(row, _inclusion(source, row.leaf_index, head)) for row in rows)
    )


#: Inclusion proofs already built, by (root hash, tree size, leaf index): a root hash commits
#: to every leaf of its tree, so a proof under it never changes, whichever database (or test)
#: it came from. A QR code scanned again before the next issuance costs no node query.
_PROOFS: OrderedDict[tuple[bytes, int, int], InclusionProof] = OrderedDict()
_PROOFS_KEPT = 4096
_proofs_lock = threading.Lock()


def _inclusion(source: DatabaseNodes, leaf_index: int, head: SignedTreeHead) -> InclusionProof:
    key = (head.root_hash, head.tree_size, leaf_index)
    with _proofs_lock:
        found = _PROOFS.get(key)
        if found is not None:
            _PROOFS.move_to_end(key)
            return found
    proof = inclusion_proof(source, leaf_index, head.tree_size)
    with _proofs_lock:
        _PROOFS[key] = proof
        while len(_PROOFS) > _PROOFS_KEPT:
            _PROOFS.popitem(last=False)
    return proof


def consistency(session: Session, first: int, second: int) -> ConsistencyProof:
    """PROOF(first, second) from the stored nodes; TransparencyLogError for impossible sizes."""
    return consistency_proof(DatabaseNodes(session, _size(session)), first, second)


def leaves(session: Session, start: int, end: int) -> list[LogLeaf]:
    """Leaves ``[start, end)``, at most MAX_LEAVES of them."""
    end = min(end, start + MAX_LEAVES)
    return list(
        session.scalars(
            select(LogLeaf)
            .where(LogLeaf.leaf_index >= start, LogLeaf.leaf_index < end)
            .order_by(LogLeaf.leaf_index)
        )
    )


# ----------------------------------------------------------------------------- the audit


@dataclass(frozen=True)
class LogProblem:
    """One thing wrong; ``index`` is the first leaf it concerns (None: not a leaf's fault)."""

    index: int | None
    what: str

    def __str__(self) -> str:
        return f"leaf {self.index}: {self.what}" if self.index is not None else self.what


def verify_log(session: Session, store: KeyStore) -> list[LogProblem]:
    """Recompute the whole log from the leaf data and check everything kept against it.

    Every leaf hash from its data; the data against the register (type, seal hash, event);
    indexes without gaps; every stored node against the tree of the stored leaf hashes (proofs
    are served from them); every signed head's signature, and its root against the tree rebuilt
    from the leaf data, which a rewrite of any earlier leaf breaks: with one head per size, the
    first head that fails names the first leaf that changed. Last, every certificate and
    revocation of the register must be logged. Problems come sorted, the first bad leaf first.
    """
    problems: list[LogProblem] = []
    rebuilt, stored = MerkleTree(), MerkleTree()
    logged: set[tuple[str, str]] = set()
    rows = session.execute(
        select(
            LogLeaf.leaf_index,
            LogLeaf.leaf_hash,
            LogLeaf.leaf_data,
            LogLeaf.event,
            LogLeaf.certificate_id,
            Certificate.type,
            Certificate.seal_sha256,
        )
        .outerjoin(Certificate, Certificate.id == LogLeaf.certificate_id)
        .order_by(LogLeaf.leaf_index)
    )
    for index, stored_hash, data_hex, event, certificate_id, kind, seal in rows:
        if index != rebuilt.size:
            problems.append(LogProblem(rebuilt.size, f"missing (the next leaf is {index})"))
            break  # every later leaf is out of place: the signed heads tell the rest
        logged.add((certificate_id, event))
        stored.append(bytes.fromhex(stored_hash))
        try:
            entry = LogEntry.decode(bytes.fromhex(data_hex))
        except (ValueError, TransparencyLogError) as exc:
            problems.append(LogProblem(index, f"leaf data unreadable ({exc})"))
            rebuilt.append(bytes(32))  # no hash can stand for it; the heads will fail
            continue
        recomputed = entry.leaf_hash()
        rebuilt.append(recomputed)
        if recomputed.hex() != stored_hash:
            problems.append(LogProblem(index, "leaf hash does not match its data"))
        if kind is None or entry != _register_entry(event, certificate_id, kind, seal):
            problems.append(
                LogProblem(index, f"leaf differs from the register's {event} of {certificate_id}")
            )
    state = session.get(LogState, 1)
    if state is not None and state.tree_size != rebuilt.size:
        problems.append(
            LogProblem(
                rebuilt.size,
                f"the log's size is {state.tree_size} but {rebuilt.size} leaves follow on",
            )
        )
    problems += _check_nodes(session, stored)
    problems += _check_heads(session, store, rebuilt)
    problems += _check_register(session, logged)
    return sorted(problems, key=lambda p: (p.index is None, p.index or 0))


def _register_entry(event: str, certificate_id: str, kind: str, seal: str) -> LogEntry | None:
    try:
        return LogEntry(
            event=LogEvent(event),
            certificate_id=bytes.fromhex(certificate_id),
            certificate_type=kind,
            seal_sha256=bytes.fromhex(seal),
        )
    except (ValueError, TransparencyLogError):
        return None


def _check_nodes(session: Session, tree: MerkleTree) -> Iterable[LogProblem]:
    stored = {
        Node(level, index): value
        for level, index, value in session.execute(
            select(LogNode.level, LogNode.node_index, LogNode.hash)
        )
    }
    for node, value in tree.perfect_nodes():
        found = stored.pop(node, None)
        if found != value.hex():
            what = "missing" if found is None else "differs from the leaves below it"
            yield LogProblem(node.start, f"stored subtree {node.level}/{node.index} {what}")
    for node in sorted(stored):
        yield LogProblem(node.start, f"stored subtree {node.level}/{node.index} beyond the log")


def _check_heads(session: Session, store: KeyStore, tree: MerkleTree) -> Iterable[LogProblem]:
    keys: dict[bytes, ec.EllipticCurvePublicKey] = {}
    for info in store.keys(purpose=KeyPurpose.LOG):
        try:
            keys[info.key_id] = store.public_key(info.key_id)
        except KeyNotFoundError:  # pragma: no cover - a store naming a key it lacks
            yield LogProblem(None, f"log key {info.key_id.hex()} is missing from the store")
    latest = 0
    for row in session.scalars(select(LogHead).order_by(LogHead.tree_size)):
        latest = row.tree_size
        try:
            sth = _sth(row)
        except TransparencyLogError as exc:
            yield LogProblem(
                max(row.tree_size - 1, 0), f"signed head {row.tree_size} unreadable ({exc})"
            )
            continue
        key = keys.get(sth.key_id)
        if key is None or not sth.verify(key):
            yield LogProblem(
                max(sth.tree_size - 1, 0), f"signed head {sth.tree_size}: signature does not hold"
            )
        if sth.tree_size > tree.size:
            yield LogProblem(
                tree.size, f"signed head {sth.tree_size} is beyond the {tree.size} leaves left"
            )
        elif tree.root(sth.tree_size) != sth.root_hash:
            yield LogProblem(
                sth.tree_size - 1,
                f"signed head {sth.tree_size} does not match the leaves: history rewritten",
            )
    if latest != tree.size:
        yield LogProblem(
            min(latest, tree.size), f"the last signed head is of size {latest}, not {tree.size}"
        )


def _check_register(session: Session, logged: set[tuple[str, str]]) -> Iterable[LogProblem]:
    for certificate_id in session.scalars(select(Certificate.id).order_by(Certificate.id)):
        if (certificate_id, str(LogEvent.ISSUE)) not in logged:
            yield LogProblem(None, f"certificate {certificate_id} is not in the log")
    for certificate_id in session.scalars(
        select(Revocation.certificate_id).order_by(Revocation.certificate_id)
    ):
        if (certificate_id, str(LogEvent.REVOKE)) not in logged:
            yield LogProblem(None, f"the revocation of {certificate_id} is not in the log")
