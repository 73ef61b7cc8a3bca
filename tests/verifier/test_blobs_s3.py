"""The blob stores' contract, run over the folder and over an S3 bucket on a real HTTP endpoint
(moto's server on loopback, started once per test process), and an instance whose signed PDFs
live in S3 only."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from moto.server import ThreadedMotoServer

from tests.verifier.conftest import Staff, issue_body
from verifier import Settings, db
from verifier.blobs import BlobNotFound, BlobStore, BlobStoreError, FolderBlobStore
from verifier.blobs_s3 import S3BlobStore
from verifier.config import ConfigError
from verifier.instance import blob_store
from verifier.models import Certificate
from verifier.tokens import Scope

ACCESS, SECRET = "AKIDSCEAUTEST", "sceau-test-secret-key-never-in-a-message"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _client(endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
    )


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"sceau-{secrets.token_hex(6)}"
    _client(s3_endpoint).create_bucket(Bucket=name)
    return name


def _s3_store(endpoint: str, bucket: str, prefix: str = "blobs") -> S3BlobStore:
    return S3BlobStore(
        bucket=bucket,
        prefix=prefix,
        endpoint_url=endpoint,
        region="us-east-1",
        access_key=ACCESS,
        secret_key=SECRET,
    )


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "folder":
        return FolderBlobStore(tmp_path / "blobs")
    endpoint = request.getfixturevalue("s3_endpoint")
    return _s3_store(endpoint, request.getfixturevalue("bucket"))


# --- the contract, both stores ------------------------------------------------------------------


def test_a_blob_is_stored_under_its_sha256_and_read_back(store: BlobStore) -> None:
    data = b"%PDF-1.7 certificate " + secrets.token_bytes(16)
    key = store.put(data)
    assert key == hashlib.sha256(data).hexdigest()
    assert store.put(data) == key  # idempotent
    assert store.exists(key)
    assert store.get(key) == data


def test_a_missing_or_hostile_key_is_not_found(store: BlobStore) -> None:
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(missing)
    for key in (missing, "../../etc/passwd", "A" * 64, "", missing[:-1]):
        with pytest.raises(BlobNotFound):
            store.get(key)
        assert not store.exists(key)


def test_delete_and_sweep_keep_young_and_referenced_blobs(store: BlobStore) -> None:
    kept, orphan = store.put(b"named by a row"), store.put(b"left by a crash")
    assert store.sweep([], older_than=3600) == []  # young: may belong to a request in flight
    time.sleep(1.1)  # S3's LastModified has whole seconds
    assert store.sweep([kept], older_than=0) == [orphan]
    assert store.exists(kept)
    assert not store.exists(orphan)
    store.delete(kept)
    store.delete(kept)  # deleting twice is harmless
    assert not store.exists(kept)


# --- S3 only ----------------------------------------------------------------------------------


def test_s3_objects_fan_out_like_the_folder_and_carry_their_sha256(
    s3_endpoint: str, bucket: str
) -> None:
    key = _s3_store(s3_endpoint, bucket, prefix="/prod/blobs/").put(b"a signed PDF")
    client = _client(s3_endpoint)
    listed = [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == [f"prod/blobs/{key[:2]}/{key[2:4]}/{key}"]
    # The server was given the SHA-256 to check the body against (AWS and MinIO refuse a
    # mismatch; moto records it without checking, so the test reads back what it recorded).
    head = client.head_object(Bucket=bucket, Key=listed[0], ChecksumMode="ENABLED")
    assert base64.b64decode(head["ChecksumSHA256"]) == bytes.fromhex(key)


def test_a_damaged_object_is_never_served_and_put_repairs_it(s3_endpoint: str, bucket: str) -> None:
    store = _s3_store(s3_endpoint, bucket)
    data = b"%PDF-1.7 the real certificate"
    key = store.put(data)
    _client(s3_endpoint).put_object(
        Bucket=bucket, Key=f"blobs/{key[:2]}/{key[2:4]}/{key}", Body=b"truncated"
    )
    with pytest.raises(BlobStoreError, match="damaged"):
        store.get(key)
    assert store.put(data) == key  # a different size: uploaded again
    assert store.get(key) == data


def test_keys_older_than_pages_through_long_listings(s3_endpoint: str, bucket: str) -> None:
    store = S3BlobStore(
        bucket=bucket,
        prefix="blobs",
        endpoint_url=s3_endpoint,
        region="us-east-1",
        access_key=ACCESS,
        secret_key=SECRET,
        page_size=2,  # five blobs: three listing requests
    )
    keys = {store.put(f"blob {n}".encode()) for n in range(5)}
    _client(s3_endpoint).put_object(Bucket=bucket, Key="blobs/README.txt", Body=b"not a blob")
    time.sleep(1.1)
    assert set(store.keys_older_than(0)) == keys


def test_s3_failures_are_typed_and_name_no_credentials(s3_endpoint: str) -> None:
    no_bucket = _s3_store(s3_endpoint, "no-such-bucket-here")
    with pytest.raises(BlobStoreError) as missing:
        no_bucket.put(b"x")
    assert "no-such-bucket-here" in str(missing.value)
    assert "NoSuchBucket" in str(missing.value)
    with pytest.raises(BlobStoreError) as listing:
        list(no_bucket.keys_older_than(0))
    with pytest.raises(BlobStoreError):
        no_bucket.check()

    down = _s3_store(f"http://127.0.0.1:{_free_port()}", "sceau")
    with pytest.raises(BlobStoreError) as refused:
        down.get(hashlib.sha256(b"x").hexdigest())
    assert "127.0.0.1" in str(refused.value)
    for error in (missing.value, listing.value, refused.value):
        assert SECRET not in str(error)
        assert ACCESS not in str(error)
    assert SECRET not in repr(down)


def test_settings_choose_the_store(tmp_path: Path) -> None:
    env = {"SCEAU_INSTANCE": str(tmp_path), "SCEAU_BLOB_STORE": "s3"}
    with pytest.raises(ConfigError, match="SCEAU_S3_BUCKET"):
        Settings.from_env(env)
    with pytest.raises(ConfigError, match="folder, s3"):
        Settings.from_env({**env, "SCEAU_BLOB_STORE": "nfs"})
    settings = Settings.from_env(
        {
            **env,
            "SCEAU_S3_BUCKET": "sceau-prod",
            "SCEAU_S3_ENDPOINT": "https://minio.internal:9000",
            "SCEAU_S3_ACCESS_KEY": ACCESS,
            "SCEAU_S3_SECRET_KEY": SECRET,
        }
    )
    assert (settings.blob_store, settings.s3_bucket, settings.s3_prefix) == (
        "s3",
        "sceau-prod",
        "blobs",
    )
    assert SECRET not in repr(settings)
    assert Settings.from_env({"SCEAU_INSTANCE": str(tmp_path)}).blob_store == "folder"


# --- an instance with its blobs in S3 ----------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path, database_url: str, s3_endpoint: str, bucket: str) -> Settings:
    """The suite's settings, with the blobs in a fresh bucket."""
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        key_passphrase=b"test passphrase",
        secret_key="test",
        verify_rate_limit="100000 per minute",
        blob_store="s3",
        s3_endpoint=s3_endpoint,
        s3_bucket=bucket,
        s3_prefix="sceau",
        s3_region="us-east-1",
        s3_access_key=ACCESS,
        s3_secret_key=SECRET,
    )


def test_an_instance_issues_and_serves_pdfs_from_s3_and_gc_sweeps_there(
    ready_app: Flask, staff: Staff, runner: FlaskCliRunner, s3_endpoint: str, bucket: str
) -> None:
    client = ready_app.test_client()
    issued = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "s3"}),
    )
    assert issued.status_code == 201, issued.get_json()
    certificate_id = issued.get_json()["id"]
    pdf = client.get(
        f"/api/v1/certificates/{certificate_id}/pdf", headers=staff.headers(Scope.ISSUE)
    )
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    with ready_app.app_context():
        assert isinstance(blob_store(), S3BlobStore)
        named = db.session().get(Certificate, certificate_id)
        assert named is not None
        assert named.pdf_sha256 == hashlib.sha256(pdf.data).hexdigest()
        orphan = blob_store().put(b"left by an issuance that crashed before its commit")
    blobs_folder = Path(ready_app.instance_path, "blobs")
    assert not blobs_folder.exists() or not [p for p in blobs_folder.rglob("*") if p.is_file()]
    s3 = _client(s3_endpoint)
    in_bucket = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert any(key.endswith(named.pdf_sha256) for key in in_bucket)

    time.sleep(1.1)
    result = runner.invoke(args=["gc", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "1 orphan blob(s) removed" in result.output
    with ready_app.app_context():
        assert not blob_store().exists(orphan)
        assert blob_store().get(named.pdf_sha256) == pdf.data

    # `sceau backup` takes the blobs from the bucket.
    archive = Path(ready_app.instance_path).parent / "backup.tar"
    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    with tarfile.open(archive) as tar:
        member = tar.extractfile(f"blobs/{named.pdf_sha256}")
        assert member is not None
        assert member.read() == pdf.data
        assert f"blobs/{orphan}" not in tar.getnames()
