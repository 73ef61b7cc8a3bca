"""The transparency log as its users meet it: every issuance and revocation is in it, the API's
proofs convince an independent RFC 6962 implementation (tests/rfc6962.py), the seal page and
the seal API show the inclusion proof, and a history rewritten afterwards does not go unseen,
by `sceau log verify` nor by a monitor who kept an earlier signed tree head."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import threading
from datetime import date
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select, update

from signing.seal import CertificateType
from signing.transparency import MerkleTree, leaf_hash
from tests import rfc6962
from tests.verifier.conftest import OFFICE, Staff, issue_body, make_person
from verifier import db, transparency
from verifier.instance import keyring
from verifier.models import Certificate, LogHead, LogLeaf, LogNode, LogState, Office
from verifier.tokens import Scope

HOLDER = "N'Guessan-Kouamé"  # the CIVIC_TRAINING sample holder (issue_body's default)


def _issue(client: FlaskClient, staff: Staff, **body: object) -> dict[str, Any]:
    response = client.post(
        "/api/v1/certificates",
        json=issue_body(**body),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": secrets.token_hex(8)}),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def _revoke(client: FlaskClient, staff: Staff, certificate_id: str) -> None:
    response = client.post(
        f"/api/v1/certificates/{certificate_id}/revoke",
        json={"reason": "issued-in-error"},
        headers=staff.headers(Scope.REVOKE),
    )
    assert response.status_code == 200, response.get_json()


def _register(app: Flask, count: int) -> list[str]:
    """``count`` certificates put straight in the register and logged (no PDF: quick), for tests
    about the log itself rather than issuance."""
    person_id = make_person(app)
    ids = []
    with app.app_context():
        session = db.session()
        office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
        store = keyring().store
        for _ in range(count):
            certificate = Certificate(
                id=secrets.token_hex(12),
                type=str(CertificateType.MEDICAL_VISIT),
                person_id=person_id,
                office_id=office.id,
                details={},
                issued_on=date.today(),
                key_id="00" * 8,
                seal_url="http://x/V/none",
                seal_sha256=secrets.token_hex(32),
                pdf_sha256=secrets.token_hex(32),
            )
            session.add(certificate)
            session.flush()
            transparency.log_issue(session, store, certificate)
            session.commit()
            ids.append(certificate.id)
    return ids


def _get(client: FlaskClient, url: str, status: int = 200, **headers: str) -> dict[str, Any]:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.get_json())
    return response.get_json()  # type: ignore[no-any-return]


def _all_leaf_data(client: FlaskClient) -> list[bytes]:
    page = _get(client, "/api/v1/log/leaves?start=0")
    return [bytes.fromhex(leaf["leaf_data"]) for leaf in page["leaves"]]


def _check_head_signature(client: FlaskClient, head: dict[str, Any]) -> None:
    """Check a signed tree head as a third party would: RFC 6962 §3.5's bytes, the published key."""
    keys = {k["kid"]: k for k in _get(client, "/api/v1/log/keys")["keys"]}
    public = serialization.load_pem_public_key(keys[head["key_id"]]["pem"].encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    signed = struct.pack(">BBQQ", 0, 1, head["timestamp"], head["tree_size"]) + bytes.fromhex(
        head["root_hash"]
    )
    public.verify(base64.b64decode(head["signature"]), signed, ec.ECDSA(hashes.SHA256()))


def _verify(runner: FlaskCliRunner) -> tuple[int, str]:
    result = runner.invoke(args=["log", "verify"])
    return result.exit_code, result.output


# ----------------------------------------------------------------------------- what is logged


def test_issuing_and_revoking_append_leaves_without_personal_data(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    first = _issue(client, staff)
    second = _issue(client, staff, kind=CertificateType.MEDICAL_VISIT)
    _revoke(client, staff, first["id"])
    page = _get(client, "/api/v1/log/leaves")
    assert page["tree_size"] == 3
    assert [(leaf["event"], leaf["certificate_id"]) for leaf in page["leaves"]] == [
        ("issue", first["id"]),
        ("issue", second["id"]),
        ("revoke", first["id"]),
    ]
    with ready_app.app_context():
        seals = {c.id: c.seal_sha256 for c in db.session().scalars(select(Certificate))}
    for leaf in page["leaves"]:
        data = bytes.fromhex(leaf["leaf_data"])
        assert leaf["leaf_hash"] == hashlib.sha256(b"\x00" + data).hexdigest()
        # Version 1, event, id, type and seal hash: exactly the documented bytes.
        kind = leaf["certificate_type"].encode()
        event_code = b"\x01" if leaf["event"] == "issue" else b"\x02"
        assert data == (
            b"\x01"
            + event_code
            + bytes.fromhex(leaf["certificate_id"])
            + bytes([len(kind)])
            + kind
            + bytes.fromhex(seals[leaf["certificate_id"]])
        )
    text = str(page)
    for personal in (HOLDER, "7501234567", "SEN", "1994"):
        assert personal not in text
    head = _get(client, "/api/v1/log/head")
    assert head["tree_size"] == 3
    assert head["root_hash"] == rfc6962.mth(_all_leaf_data(client)).hex()
    _check_head_signature(client, head)


def test_the_demo_data_is_logged(ready_app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    with ready_app.app_context():
        session = db.session()
        certificates = session.scalars(select(Certificate)).all()
        revoked = [c for c in certificates if c.revocation is not None]
        assert revoked, "the demo has a revoked certificate"
        events = {(leaf.certificate_id, leaf.event) for leaf in session.scalars(select(LogLeaf))}
    assert events == {(c.id, "issue") for c in certificates} | {(c.id, "revoke") for c in revoked}
    code, output = _verify(runner)
    assert code == 0, output


# ----------------------------------------------------------------------------- proofs


def test_inclusion_proofs_from_the_api_convince_an_independent_implementation(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    _register(ready_app, 5)
    revoked = _issue(client, staff)
    _register(ready_app, 3)
    _revoke(client, staff, revoked["id"])
    _register(ready_app, 2)
    data = _all_leaf_data(client)
    answer = _get(client, f"/api/v1/log/certificates/{revoked['id']}")
    head = answer["tree_head"]
    assert head["tree_size"] == len(data) == 12
    _check_head_signature(client, head)
    assert [e["event"] for e in answer["entries"]] == ["issue", "revoke"]
    assert [e["leaf_index"] for e in answer["entries"]] == [5, 9]
    for entry in answer["entries"]:
        index, path = entry["leaf_index"], [bytes.fromhex(h) for h in entry["audit_path"]]
        assert path == rfc6962.path(index, data)
        root = rfc6962.root_from_path(index, len(data), rfc6962.leaf(data[index]), path)
        assert root is not None
        assert root.hex() == head["root_hash"]
    # Against an earlier tree, only the issuance was there yet.
    earlier = _get(client, f"/api/v1/log/certificates/{revoked['id']}?tree_size=7")
    assert earlier["tree_head"]["tree_size"] == 7
    assert [e["event"] for e in earlier["entries"]] == ["issue"]
    path = [bytes.fromhex(h) for h in earlier["entries"][0]["audit_path"]]
    assert rfc6962.root_from_path(5, 7, rfc6962.leaf(data[5]), path) == rfc6962.mth(data[:7])
    _get(client, f"/api/v1/log/certificates/{revoked['id']}?tree_size=5", 404)


def test_consistency_proofs_between_every_pair_of_sizes_verify_independently(
    ready_app: Flask,
) -> None:
    client = ready_app.test_client()
    _register(ready_app, 13)
    data = _all_leaf_data(client)
    heads = {n: _get(client, f"/api/v1/log/head?tree_size={n}") for n in range(1, 14)}
    for n, head in heads.items():
        assert head["root_hash"] == rfc6962.mth(data[:n]).hex()
    for second in range(1, 14):
        for first in range(1, second + 1):
            answer = _get(client, f"/api/v1/log/consistency?first={first}&second={second}")
            proof = [bytes.fromhex(h) for h in answer["proof"]]
            assert proof == rfc6962.proof(first, data[:second])
            old, new = (bytes.fromhex(heads[s]["root_hash"]) for s in (first, second))
            assert rfc6962.roots_from_proof(first, second, proof, old) == (old, new)
            assert answer["first_head"] == heads[first]
            assert answer["second_head"] == heads[second]
    latest = _get(client, "/api/v1/log/consistency?first=4")
    assert latest["second"] == 13


def test_a_proof_reads_the_same_few_rows_whatever_the_size_of_the_log(
    ready_app: Flask,
) -> None:
    """O(log n): the queries for a proof do not grow with the log (they fetch stored subtrees)."""

    def statements_for_proof(leaf: str, size: int) -> int:
        seen: list[str] = []
        with ready_app.app_context():
            engine = db.engine()

            def count(*args: Any) -> None:
                seen.append(args[2])

            event.listen(engine, "before_cursor_execute", count)
            try:
                proofs = transparency.certificate_proofs(db.session(), leaf)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            assert proofs is not None
            assert proofs.head.tree_size == size
        return len(seen)

    small = _register(ready_app, 3)
    at_3 = statements_for_proof(small[1], 3)
    _register(ready_app, 300)
    at_303 = statements_for_proof(small[1], 303)
    # The head, the certificate's leaves, then one query per kind of node (leaves, subtrees).
    assert at_3 <= at_303 <= 4


# ----------------------------------------------------------------------------- verification


def test_the_seal_api_and_page_show_the_inclusion_proof(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    _register(ready_app, 2)
    made = _issue(client, staff)
    _register(ready_app, 3)
    answer = client.post("/api/v1/verify", json={"seal": made["seal_url"]}).get_json()
    log = answer["transparency"]
    assert log["tree_head"]["tree_size"] == 6
    (entry,) = log["entries"]
    assert entry["event"] == "issue"
    assert entry["leaf_index"] == 2
    data = _all_leaf_data(client)
    path = [bytes.fromhex(h) for h in entry["audit_path"]]
    assert rfc6962.root_from_path(2, 6, rfc6962.leaf(data[2]), path) == rfc6962.mth(data)
    page = client.get("/V/" + made["seal_url"].rsplit("/", 1)[1] + "?lang=en")
    html = page.get_data(as_text=True)
    assert 'data-log="logged"' in html
    assert "<bdi data-leaf-index>2</bdi>" in html
    assert "<bdi data-tree-size>6</bdi>" in html
    assert log["tree_head"]["root_hash"] in html
    assert "<details" in html
    for node in entry["audit_path"]:
        assert node in html
    assert "Transparency log" in html
    french = client.get("/V/" + made["seal_url"].rsplit("/", 1)[1] + "?lang=fr")
    assert "Journal de transparence" in french.get_data(as_text=True)


def test_a_revoked_seal_shows_both_of_its_leaves(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    made = _issue(client, staff)
    _revoke(client, staff, made["id"])
    answer = client.post("/api/v1/verify", json={"seal": made["seal_url"]}).get_json()
    assert answer["status"] == "revoked"
    assert [e["event"] for e in answer["transparency"]["entries"]] == ["issue", "revoke"]
    html = client.get("/V/" + made["seal_url"].rsplit("/", 1)[1] + "?lang=en").get_data(
        as_text=True
    )
    assert 'data-entry="revoke"' in html
    assert "Its revocation is recorded there too." in html


def test_a_forged_seal_gets_no_proof(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    made = _issue(client, staff)
    base, payload = made["seal_url"].rsplit("/", 1)
    index = len(payload) - 80  # one character of the signature: still a well-formed seal
    forged = (
        f"{base}/{payload[:index]}{'A' if payload[index] != 'A' else 'B'}{payload[index + 1 :]}"
    )
    answer = client.post("/api/v1/verify", json={"seal": forged}).get_json()
    assert answer["status"] == "not-genuine"
    assert answer["transparency"] is None
    html = client.get("/V/" + forged.rsplit("/", 1)[1]).get_data(as_text=True)
    assert "data-log=" not in html


# ----------------------------------------------------------------------------- the audit


def test_an_untouched_log_verifies_and_its_head_is_printed(
    ready_app: Flask, staff: Staff, runner: FlaskCliRunner
) -> None:
    client = ready_app.test_client()
    made = _issue(client, staff)
    _register(ready_app, 6)
    _revoke(client, staff, made["id"])
    code, output = _verify(runner)
    assert code == 0, output
    assert "8 leaves" in output
    printed = runner.invoke(args=["log", "head"])
    assert printed.exit_code == 0
    head = json.loads(printed.output)
    api_head = _get(client, "/api/v1/log/head")
    assert head == {k: v for k, v in api_head.items() if k != "time"}


def test_an_empty_log_verifies_and_has_no_head(ready_app: Flask, runner: FlaskCliRunner) -> None:
    code, output = _verify(runner)
    assert code == 0, output
    printed = runner.invoke(args=["log", "head"])
    assert printed.exit_code == 1
    assert "empty" in printed.output
    assert _get(ready_app.test_client(), "/api/v1/log/head", 404)["error"] == "log-empty"


def _edit_leaf(app: Flask, index: int, *, rehash: bool) -> None:
    """Change the seal hash in leaf ``index``; with ``rehash``, also its leaf hash and every
    stored subtree, as someone covering their tracks would (they cannot re-sign old heads)."""
    with app.app_context():
        session = db.session()
        leaf = session.get(LogLeaf, index)
        assert leaf is not None
        data = bytearray(bytes.fromhex(leaf.leaf_data))
        data[-1] ^= 1
        leaf.leaf_data = bytes(data).hex()
        if rehash:
            leaf.leaf_hash = leaf_hash(bytes(data)).hex()
        session.commit()
        if rehash:
            _rebuild_nodes(session)


def _rebuild_nodes(session: Any) -> None:
    hashes = [
        bytes.fromhex(h)
        for h in session.scalars(select(LogLeaf.leaf_hash).order_by(LogLeaf.leaf_index))
    ]
    tree = MerkleTree(hashes)
    session.execute(delete(LogNode))
    session.add_all(
        LogNode(level=node.level, node_index=node.index, hash=value.hex())
        for node, value in tree.perfect_nodes()
    )
    session.execute(update(LogState).values(tree_size=tree.size))
    session.commit()


def test_an_edited_leaf_is_named(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _register(ready_app, 8)
    _edit_leaf(ready_app, 3, rehash=False)
    code, output = _verify(runner)
    assert code == 1
    assert "leaf 3: leaf hash does not match its data" in output
    assert "first bad leaf: 3" in output


def test_a_rewritten_history_is_found_by_the_audit_and_by_a_monitor(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    client = ready_app.test_client()
    _register(ready_app, 8)
    kept = _get(client, "/api/v1/log/head")  # a monitor keeps the head of size 8
    _register(ready_app, 4)
    before = _get(client, "/api/v1/log/consistency?first=8")
    old_root = bytes.fromhex(kept["root_hash"])
    new_root = bytes.fromhex(before["second_head"]["root_hash"])
    proof = [bytes.fromhex(h) for h in before["proof"]]
    assert rfc6962.roots_from_proof(8, 12, proof, old_root) == (old_root, new_root)

    _edit_leaf(ready_app, 5, rehash=True)  # leaf, hash and subtrees all consistent again

    code, output = _verify(runner)
    assert code == 1
    assert "signed head 6 does not match the leaves: history rewritten" in output
    assert "first bad leaf: 5" in output
    # The monitor asks for a proof from its head to today's tree: no proof joins them.
    data = _all_leaf_data(client)
    today = rfc6962.mth(data)
    after = _get(client, f"/api/v1/log/consistency?first=8&second={len(data)}")
    proof = [bytes.fromhex(h) for h in after["proof"]]
    assert rfc6962.roots_from_proof(8, 12, proof, old_root) != (old_root, today)


def test_a_deleted_leaf_is_found_whether_or_not_the_rest_is_renumbered(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    ids = _register(ready_app, 9)
    with ready_app.app_context():
        db.session().execute(delete(LogLeaf).where(LogLeaf.leaf_index == 4))
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "leaf 4: missing (the next leaf is 5)" in output
    assert f"certificate {ids[4]} is not in the log" in output
    # Renumbered and re-hashed: no gap left, yet the signed heads still remember.
    with ready_app.app_context():
        session = db.session()
        for index in range(5, 9):
            session.execute(
                update(LogLeaf).where(LogLeaf.leaf_index == index).values(leaf_index=index - 1)
            )
        session.commit()
        _rebuild_nodes(session)
    code, output = _verify(runner)
    assert code == 1
    assert "first bad leaf: 4" in output
    assert "signed head 5 does not match the leaves: history rewritten" in output


def test_a_tampered_subtree_is_found(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _register(ready_app, 8)
    with ready_app.app_context():
        db.session().execute(
            update(LogNode)
            .where(LogNode.level == 1, LogNode.node_index == 2)
            .values(hash="00" * 32)
        )
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "leaf 4: stored subtree 1/2 differs from the leaves below it" in output


def test_a_forged_head_signature_is_found(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _register(ready_app, 3)
    with ready_app.app_context():
        db.session().execute(
            update(LogHead).where(LogHead.tree_size == 2).values(timestamp=LogHead.timestamp + 1)
        )
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "signed head 2: signature does not hold" in output


# ----------------------------------------------------------------------------- backfill


def test_certificates_older_than_the_log_are_backfilled(
    ready_app: Flask, staff: Staff, runner: FlaskCliRunner
) -> None:
    client = ready_app.test_client()
    old = _issue(client, staff)
    _revoke(client, staff, old["id"])
    with ready_app.app_context():  # as an instance upgraded to 0006 finds itself
        session = db.session()
        for table in (LogLeaf, LogNode, LogHead):
            session.execute(delete(table))
        session.execute(update(LogState).values(tree_size=0))
        session.commit()
    code, output = _verify(runner)
    assert code == 1
    assert f"certificate {old['id']} is not in the log" in output
    assert f"the revocation of {old['id']} is not in the log" in output
    result = runner.invoke(args=["init"])  # what every start runs
    assert result.exit_code == 0, result.output
    assert "transparency log: 2 leaves (2 backfilled)" in result.output
    code, output = _verify(runner)
    assert code == 0, output
    answer = _get(client, f"/api/v1/log/certificates/{old['id']}")
    assert [e["event"] for e in answer["entries"]] == ["issue", "revoke"]
    again = runner.invoke(args=["log", "backfill"])
    assert "0 entries appended" in again.output


# ----------------------------------------------------------------------------- concurrency


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"),
    reason="SQLite lets one writer in at a time; the lock row matters on PostgreSQL",
)
def test_concurrent_appends_take_distinct_indexes(ready_app: Flask) -> None:
    ids = _register(ready_app, 1)
    person_id = make_person(ready_app)
    errors: list[BaseException] = []

    def issue_some(worker: int) -> None:
        try:
            with ready_app.app_context():
                session = db.session()
                office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
                for _ in range(5):
                    certificate = Certificate(
                        id=secrets.token_hex(12),
                        type="medical-visit",
                        person_id=person_id,
                        office_id=office.id,
                        details={"worker": worker},
                        issued_on=date.today(),
                        key_id="00" * 8,
                        seal_url="http://x/V/none",
                        seal_sha256=secrets.token_hex(32),
                        pdf_sha256=secrets.token_hex(32),
                    )
                    session.add(certificate)
                    session.flush()
                    transparency.log_issue(session, keyring().store, certificate)
                    session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=issue_some, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with ready_app.app_context():
        indexes = sorted(db.session().scalars(select(LogLeaf.leaf_index)))
        problems = transparency.verify_log(db.session(), keyring().store)
    assert indexes == list(range(1 + 4 * 5))
    assert problems == []
    assert ids


# ----------------------------------------------------------------------------- hostile input

HOSTILE_URLS = [
    ("/api/v1/log/consistency?first=-1", "log-bad-number", "first"),
    ("/api/v1/log/consistency?first=1.5", "log-bad-number", "first"),
    ("/api/v1/log/consistency?first=abc", "log-bad-number", "first"),
    ("/api/v1/log/consistency", "log-bad-number", "first"),
    ("/api/v1/log/consistency?first=%20%31", "log-bad-number", "first"),
    ("/api/v1/log/consistency?first=٣", "log-bad-number", "first"),  # an Arabic-Indic digit
    ("/api/v1/log/consistency?first=3&second=2", "log-order", "first"),
    ("/api/v1/log/consistency?first=1&second=99999999999999999999999", "log-beyond-tree", "second"),
    ("/api/v1/log/consistency?first=" + "9" * 41, "log-bad-number", "first"),
    ("/api/v1/log/head?tree_size=0", "log-bad-number", "tree_size"),
    ("/api/v1/log/head?tree_size=4", "log-beyond-tree", "tree_size"),
    ("/api/v1/log/head?tree_size=1e3", "log-bad-number", "tree_size"),
    ("/api/v1/log/leaves?start=-3", "log-bad-number", "start"),
    ("/api/v1/log/leaves?start=4", "log-beyond-tree", "start"),
    ("/api/v1/log/leaves?start=2&end=1", "log-order", "end"),
    ("/api/v1/log/leaves?end=0x10", "log-bad-number", "end"),
    ("/api/v1/log/leaves?end=", "log-bad-number", "end"),
    ("/api/v1/log/leaves?start=1&start=2", "log-bad-number", "start"),
]


@pytest.mark.parametrize(("url", "code", "field"), HOSTILE_URLS)
def test_hostile_sizes_get_a_400_in_the_visitors_language(
    ready_app: Flask, url: str, code: str, field: str
) -> None:
    _register(ready_app, 3)
    client = ready_app.test_client()
    answers = {
        lang: client.get(url, headers={"Accept-Language": lang}) for lang in ("fr", "en", "ar")
    }
    for lang, response in answers.items():
        assert response.status_code == 400, (lang, response.get_json())
        assert response.headers["Content-Language"] == lang
        body = response.get_json()
        assert body["error"] == code
        assert body["field"] == field
        assert "{" not in body["message"]
    messages = {response.get_json()["message"] for response in answers.values()}
    assert len(messages) == 3  # really translated, not the same words thrice
    if code != "log-order":
        assert field in answers["en"].get_json()["message"]


def test_unknown_certificates_and_an_empty_log_get_a_404(ready_app: Flask) -> None:
    client = ready_app.test_client()
    assert _get(client, "/api/v1/log/consistency?first=0", 404)["error"] == "log-empty"
    assert _get(client, "/api/v1/log/leaves")["leaves"] == []
    _register(ready_app, 2)
    for certificate_id in ("0" * 24, "not-an-id", "A" * 24, "0" * 500):
        answer = _get(client, f"/api/v1/log/certificates/{certificate_id}", 404)
        assert answer["error"] == "certificate-not-found"


def test_a_page_of_leaves_is_bounded(ready_app: Flask) -> None:
    client = ready_app.test_client()
    _register(ready_app, 5)
    page = _get(client, "/api/v1/log/leaves?start=1&end=99999999999999999999")
    assert (page["start"], page["end"], len(page["leaves"])) == (1, 5, 4)
    assert transparency.MAX_LEAVES == 1000


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["first", "second", "tree_size", "start", "end"]),
    value=st.text(max_size=30),
    path=st.sampled_from(
        [("consistency", {"first": "1"}), ("head", {}), ("leaves", {}), ("consistency", {})]
    ),
)
def test_any_query_gets_an_answer_or_a_4xx(
    ready_app: Flask, name: str, value: str, path: tuple[str, dict[str, str]]
) -> None:
    if _size(ready_app) == 0:
        _register(ready_app, 3)
    route, fixed = path
    response = ready_app.test_client().get(
        f"/api/v1/log/{route}", query_string={**fixed, name: value}
    )
    assert response.status_code in (200, 400), response.get_json()
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"].startswith("log-")
        assert body["message"]


def _size(app: Flask) -> int:
    with app.app_context():
        head = transparency.latest_head(db.session())
        return head.tree_size if head is not None else 0


def test_the_head_signature_check_above_can_fail(ready_app: Flask) -> None:
    """The third-party check used throughout refuses a head whose bytes were changed."""
    client = ready_app.test_client()
    _register(ready_app, 2)
    head = _get(client, "/api/v1/log/head")
    with pytest.raises(InvalidSignature):
        _check_head_signature(client, {**head, "tree_size": 1})
