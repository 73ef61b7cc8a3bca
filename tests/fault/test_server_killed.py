"""kill -9 of a `sceau serve` process during an issuance, after the PDF is in the blob store
and before the commit: no certificate row, no log leaf, no audit entry; the PDF is an orphan
blob that `sceau gc` removes (``--older-than 0`` here: by default gc spares blobs younger
than an hour, which may belong to an issuance still in flight)."""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from signing.seal import CertificateType
from tests.fault.conftest import Instance, free_port, kill_9, wait_for_marker
from tests.verifier.conftest import issue_body
from verifier import db
from verifier.models import AuditEntry, Certificate, IdempotencyRecord, LogLeaf, Office
from verifier.tokens import Scope, create_token


def issue_token(instance: Instance) -> str:
    with instance.app.app_context():
        session = db.session()
        office = session.scalars(select(Office)).first()
        assert office is not None
        _, secret = create_token(session, office=office, scopes={Scope.ISSUE}, label="fault")
        session.commit()
        return secret


def wait_until_up(base_url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:  # noqa: S310
                assert answer.status == 200
                return
        except (urllib.error.URLError, ConnectionError):
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.1)


def count(instance: Instance, model: type[object]) -> int:
    with instance.app.app_context():
        found = db.session().scalar(select(func.count()).select_from(model))
        return int(found or 0)


def test_a_server_killed_mid_issuance_leaves_no_row_and_gc_sweeps_the_pdf(
    instance: Instance, tmp_path: Path
) -> None:
    secret = issue_token(instance)
    before = instance.blob_keys()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    marker, log = tmp_path / "paused", tmp_path / "server.log"
    server = instance.start(
        "serve", "--port", str(port), pause="issue-before-commit", marker=marker, log=log
    )
    outcome: list[object] = []

    def post() -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{base_url}/api/v1/certificates",
            data=json.dumps(issue_body(CertificateType.CIVIC_TRAINING)).encode(),
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Idempotency-Key": secrets.token_hex(8),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
                outcome.append(answer.status)
        except (urllib.error.URLError, ConnectionError) as exc:
            outcome.append(exc)

    client = threading.Thread(target=post)
    try:
        wait_until_up(base_url)
        client.start()
        wait_for_marker(marker, server, log)
    finally:
        kill_9(server)
    client.join(timeout=30)
    assert len(outcome) == 1
    assert not isinstance(outcome[0], int)  # the client saw the connection drop

    # Nothing of the issuance was committed...
    assert count(instance, Certificate) == 0
    assert count(instance, LogLeaf) == 0
    assert count(instance, IdempotencyRecord) == 0
    with instance.app.app_context():
        actions = db.session().scalars(select(AuditEntry.action)).all()
        assert "certificate.issue" not in actions
    # ...but its signed PDF reached the blob store first: an orphan, which gc removes.
    (orphan,) = instance.blob_keys() - before
    gc = instance.app.test_cli_runner().invoke(args=["gc", "--older-than", "0"])
    assert gc.exit_code == 0, gc.output
    assert "1 orphan blob(s) removed" in gc.output
    assert instance.blob_keys() == before
    assert orphan not in instance.blob_keys()
