"""Issuance is one unit of work: the PDF is durable before its row, and a crash anywhere leaves
no row without its PDF; orphans are swept, never referenced files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signing import files
from tests.verifier.conftest import Staff, issue_body
from verifier import db
from verifier.blobs import BlobNotFound, FolderBlobStore
from verifier.instance import blob_store
from verifier.models import Certificate, IdempotencyRecord, Person
from verifier.tokens import Scope


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so no handler turns it into a 500."""


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        session = db.session()
        return (
            session.scalar(select(func.count()).select_from(Certificate)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(IdempotencyRecord)) or 0,
        )


def _every_row_has_its_pdf(app: Flask) -> None:
    with app.app_context():
        for certificate in db.session().scalars(select(Certificate)):
            assert blob_store().get(certificate.pdf_sha256)  # raises BlobNotFound otherwise


def test_a_crash_between_blob_write_and_commit_leaves_an_orphan_not_a_row(
    ready_app: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = ready_app.test_client()
    headers = staff.headers(Scope.ISSUE, **{"Idempotency-Key": "crash"})
    blobs_before = set(Path(ready_app.instance_path, "blobs").rglob("*"))

    def die(self: Session) -> None:
        raise Crash

    monkeypatch.setattr(Session, "commit", die)
    with pytest.raises(Crash):
        client.post("/api/v1/certificates", json=issue_body(), headers=headers)
    monkeypatch.undo()

    assert _counts(ready_app) == (0, 0, 0)
    orphans = [p for p in Path(ready_app.instance_path, "blobs").rglob("*") if p.is_file()]
    assert len(orphans) == 1  # the PDF, durable but named by no row
    assert orphans[0] not in blobs_before

    retry = client.post("/api/v1/certificates", json=issue_body(), headers=headers)
    assert retry.status_code == 201  # the retry issues: nothing of the crashed attempt counts
    _every_row_has_its_pdf(ready_app)

    old = time.time() - 7200
    os.utime(orphans[0], (old, old))
    with ready_app.app_context():
        referenced = db.session().scalars(select(Certificate.pdf_sha256)).all()
        removed = blob_store().sweep(referenced)
    assert removed == [orphans[0].name]
    _every_row_has_its_pdf(ready_app)


def test_a_crash_while_writing_the_blob_leaves_nothing(
    ready_app: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    def torn_rename(self: Path, target: Path) -> Path:
        raise Crash

    monkeypatch.setattr(Path, "replace", torn_rename)
    with pytest.raises(Crash):
        ready_app.test_client().post(
            "/api/v1/certificates",
            json=issue_body(),
            headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "torn"}),
        )
    monkeypatch.undo()
    assert _counts(ready_app) == (0, 0, 0)
    assert [p for p in Path(ready_app.instance_path, "blobs").rglob("*") if p.is_file()] == []


def test_blobs_are_content_addressed_and_written_whole(tmp_path: Path) -> None:
    store = FolderBlobStore(tmp_path)
    key = store.put(b"%PDF-1.7 certificate")
    assert store.put(b"%PDF-1.7 certificate") == key  # idempotent
    assert store.get(key) == b"%PDF-1.7 certificate"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]  # no temporary left
    for hostile in ("../../etc/passwd", "A" * 64, "", key[:-1]):
        with pytest.raises(BlobNotFound):
            store.get(hostile)
    assert store.sweep([], older_than=3600) == []  # young: may belong to a request in flight


def test_write_atomic_never_leaves_half_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "blob"
    target.write_bytes(b"old")

    def fail(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["blob"]
