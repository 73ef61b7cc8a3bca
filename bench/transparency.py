"""Transparency-log proofs from a log of 100,000 leaves, through the API, against the same proofs
from the tree in memory.

The anchor is MerkleTree (signing/transparency) holding every perfect subtree in lists: what a
proof costs with no database at all. The service reads the few stored subtrees a proof folds
from (O(log n) rows, one query per kind of node), so its time must not grow with the log. Goal
(issue 8): a proof from a 100,000-leaf log "in well under a second"; printed as the median
milliseconds of an inclusion proof, a consistency proof and an append, and the ratio to the
anchor.

    .venv/bin/python bench/transparency.py [--leaves 100000] [--queries 200]
    DATABASE_URL=postgresql://... .venv/bin/python bench/transparency.py   # on PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from signing.keys import KeyPurpose
from signing.transparency import LogEntry, LogEvent, MerkleTree, TreeHead, sign_tree_head
from verifier import Settings, create_app, db, transparency
from verifier.instance import keyring
from verifier.models import Certificate, LogHead, LogLeaf, LogNode, LogState, Office, Person

GOAL_MS = 1000.0
_BATCH = 5000


def _fill(count: int) -> tuple[list[str], MerkleTree]:
    """``count`` certificates and their issue leaves, nodes and latest signed head, in bulk."""
    session = db.session()
    office = session.scalars(select(Office)).one()
    person = Person(
        family_name="Bench",
        given_names="Mark",
        family_name_normalized="BENCH",
        given_names_normalized="MARK",
        birth_date="1990-01-01",
        office_id=office.id,
    )
    session.add(person)
    session.commit()
    now = datetime.now(UTC)
    ids = [secrets.token_hex(12) for _ in range(count)]
    tree = MerkleTree()
    leaves = []
    certificates = []
    for index, certificate_id in enumerate(ids):
        seal = secrets.token_bytes(32)
        entry = LogEntry(
            event=LogEvent.ISSUE,
            certificate_id=bytes.fromhex(certificate_id),
            certificate_type="medical-visit",
            seal_sha256=seal,
        )
        leaf = entry.leaf_hash()
        tree.append(leaf)
        certificates.append(
            {
                "id": certificate_id,
                "type": "medical-visit",
                "person_id": person.id,
                "office_id": office.id,
                "details": {},
                "status": "valid",
                "issued_on": date.today(),
                "issued_at": now,
                "key_id": "00" * 8,
                "seal_url": "bench",
                "seal_sha256": seal.hex(),
                "pdf_sha256": "00" * 32,
            }
        )
        leaves.append(
            {
                "leaf_index": index,
                "leaf_hash": leaf.hex(),
                "leaf_data": entry.encode().hex(),
                "event": "issue",
                "certificate_id": certificate_id,
                "created_at": now,
            }
        )
    nodes = [
        {"level": node.level, "node_index": node.index, "hash": value.hex()}
        for node, value in tree.perfect_nodes()
    ]
    for table, rows in ((Certificate, certificates), (LogLeaf, leaves), (LogNode, nodes)):
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(table), rows[start : start + _BATCH])
    store = keyring().store
    key = store.active_key(KeyPurpose.LOG)
    head = TreeHead(tree_size=count, timestamp=time.time_ns() // 1_000_000, root_hash=tree.root())
    sth = sign_tree_head(store, key.key_id, head)
    session.add(
        LogHead(
            tree_size=count,
            timestamp=head.timestamp,
            root_hash=head.root_hash.hex(),
            key_id=sth.key_id.hex(),
            signature=sth.to_document()["signature"],
        )
    )
    session.get(LogState, 1).tree_size = count  # type: ignore[union-attr]
    session.commit()
    return ids, tree


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        settings = Settings(
            instance_path=instance,
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'sceau.db'}",
            key_passphrase=b"bench",
            secret_key="bench",  # noqa: S106 - a throwaway instance
        )
        app = create_app(settings)
        result = app.test_cli_runner().invoke(args=["init"])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        with app.app_context():
            started = time.perf_counter()
            ids, tree = _fill(args.leaves)
            print(f"filled {args.leaves} leaves in {time.perf_counter() - started:.1f} s")

            inclusion, inclusion_anchor, consistency, consistency_anchor = [], [], [], []
            for _ in range(args.queries):
                index = rng.randrange(args.leaves)
                started = time.perf_counter()
                answer = client.get(f"/api/v1/log/certificates/{ids[index]}")
                inclusion.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.get_json()
                started = time.perf_counter()
                expected = tree.inclusion_proof(index)
                inclusion_anchor.append(time.perf_counter() - started)
                path = answer.get_json()["entries"][0]["audit_path"]
                assert path == [h.hex() for h in expected.audit_path]

                first = rng.randint(1, args.leaves)
                started = time.perf_counter()
                answer = client.get(f"/api/v1/log/consistency?first={first}")
                consistency.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.get_json()
                started = time.perf_counter()
                tree.consistency_proof(first)
                consistency_anchor.append(time.perf_counter() - started)

            person_id = db.session().scalars(select(Person.id)).first()
            office_id = db.session().scalars(select(Office.id)).first()
            appends = []
            for _ in range(20):
                certificate = Certificate(
                    id=secrets.token_hex(12),
                    type="medical-visit",
                    person_id=person_id,
                    office_id=office_id,
                    details={},
                    issued_on=date.today(),
                    key_id="00" * 8,
                    seal_url="bench",
                    seal_sha256=secrets.token_hex(32),
                    pdf_sha256="00" * 32,
                )
                db.session().add(certificate)
                db.session().flush()
                started = time.perf_counter()
                transparency.log_issue(db.session(), keyring().store, certificate)
                db.session().commit()
                appends.append(time.perf_counter() - started)
            started = time.perf_counter()
            problems = transparency.verify_log(db.session(), keyring().store)
            audit_seconds = time.perf_counter() - started
            assert problems == [], problems[:3]
        app.extensions["sceau.engine"].dispose()

    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    rows = [
        ("inclusion proof (API)", inclusion, inclusion_anchor),
        ("consistency proof (API)", consistency, consistency_anchor),
    ]
    print(f"{engine}, {args.leaves} leaves, {args.queries} queries, median:")
    worst = 0.0
    for name, measured, anchor in rows:
        ms, anchor_ms = _median_ms(measured), _median_ms(anchor)
        worst = max(worst, ms)
        ratio = ms / anchor_ms
        print(f"  {name:26} {ms:7.2f} ms   in memory {anchor_ms:6.3f} ms   ratio {ratio:6.0f}")
    print(f"  {'append + signed head':26} {_median_ms(appends):7.2f} ms")
    print(f"  {'sceau log verify (whole)':26} {audit_seconds:7.2f} s (bulk-filled: 21 heads)")
    verdict = "OK" if worst < GOAL_MS else "SLOWER THAN THE GOAL"
    print(f"goal: a proof in under {GOAL_MS:.0f} ms from {args.leaves} leaves: {verdict}")
    return 0 if worst < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
