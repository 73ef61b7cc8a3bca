"""`sceau backup` / `sceau restore`: an instance with the demo data comes back whole in a fresh
instance on a fresh database (same verdicts, same PDFs, audit chain and transparency log intact,
able to issue again); a damaged archive restores nothing; no private key in clear ever leaves.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select

from tests.conftest import SERVER_URL
from tests.tools import postgres_schema, require_postgresql
from tests.verifier.conftest import OFFICE, issue_body
from verifier import Settings, close_app, create_app, db
from verifier import backup as backup_module
from verifier.config import settings_of
from verifier.instance import blob_store
from verifier.models import Certificate, Office
from verifier.tokens import Scope, create_token

PASSPHRASE = b"test passphrase"
_STATUS = re.compile(r'data-status="([^"]+)"')


@contextmanager
def _fresh_instance(tmp_path: Path, name: str, *, sqlite: bool = False) -> Iterator[Flask]:
    """A new instance folder on a new, empty database (a new schema on PostgreSQL, unless
    ``sqlite``)."""
    with ExitStack() as stack:
        if SERVER_URL and not sqlite:
            url = stack.enter_context(postgres_schema(SERVER_URL))
        else:
            url = f"sqlite:///{tmp_path / name / 'sceau.db'}"
        settings = Settings(
            instance_path=tmp_path / name,
            database_url=url,
            key_passphrase=PASSPHRASE,
            secret_key="test",
            verify_rate_limit="100000 per minute",
        )
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        app = create_app(settings)
        app.config["TESTING"] = True
        stack.callback(close_app, app)  # before its schema is dropped
        yield app


def _certificates(app: Flask) -> dict[str, tuple[str, str, bytes]]:
    """id -> (verdict on the seal page, seal URL path, PDF bytes)."""
    found = {}
    client = app.test_client()
    with app.app_context():
        for certificate in db.session().scalars(select(Certificate)):
            path = urlsplit(certificate.seal_url).path
            page = client.get(path)
            assert page.status_code == 200
            status = _STATUS.search(page.get_data(as_text=True))
            assert status is not None
            found[certificate.id] = (
                status.group(1),
                path,
                blob_store().get(certificate.pdf_sha256),
            )
    return found


def _private_key_in_clear(data: bytes) -> bool:
    """A PEM private block that is not encrypted, a key any loader reads without a password,
    or the heart of a DER EC private key (SEC1 version 1 + 32-byte scalar) anywhere."""
    for match in re.finditer(rb"-----BEGIN ([A-Z ]*)PRIVATE KEY-----", data):
        if match.group(1) != b"ENCRYPTED ":
            return True
    for load in (serialization.load_pem_private_key, serialization.load_der_private_key):
        try:
            load(data, None)
        except (TypeError, ValueError):
            continue
        return True
    return b"\x02\x01\x01\x04\x20" in data


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {
            member.name: tar.extractfile(member).read()  # type: ignore[union-attr]
            for member in tar.getmembers()
        }


@pytest.fixture
def demo_app(ready_app: Flask, runner: FlaskCliRunner) -> Flask:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return ready_app


def test_a_backup_restores_into_a_fresh_instance_that_verifies_the_same(
    demo_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = _certificates(demo_app)
    assert {status for status, _, _ in before.values()} >= {"valid", "revoked"}
    archive = tmp_path / "sceau-backup.tar"
    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert f"{len(before)} " in made.output or "blob(s)" in made.output

    members = _members(archive)
    assert "MANIFEST.json" in members
    assert any(name.startswith("database/") for name in members)
    for name, data in members.items():
        assert not _private_key_in_clear(data), f"{name} holds a private key in clear"
        assert PASSPHRASE not in data, f"{name} holds the passphrase"
    assert any(b"ENCRYPTED PRIVATE KEY" in data for data in members.values())

    with _fresh_instance(tmp_path, "restored") as restored:
        cli = restored.test_cli_runner()
        result = cli.invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert _certificates(restored) == before  # same verdicts, byte-identical PDFs
        for command in (["audit", "verify"], ["log", "verify"]):
            checked = cli.invoke(args=command)
            assert checked.exit_code == 0, checked.output
        assert "OK" in cli.invoke(args=["log", "verify"]).output

        again = cli.invoke(args=["restore", str(archive)])
        assert again.exit_code != 0
        assert "not empty" in again.output
        assert "--force" in again.output
        forced = cli.invoke(args=["restore", "--force", str(archive)])
        assert forced.exit_code == 0, forced.output
        assert _certificates(restored) == before
        aside = list(Path(restored.instance_path).glob("replaced-*/keys/*.json"))
        assert aside, "--force moves the key folders it replaces aside"

        # The restored instance signs again (keys came back encrypted, ids continue).
        with restored.app_context():
            session = db.session()
            office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
            _, token = create_token(session, office=office, scopes={Scope.ISSUE}, label="after")
            session.commit()
        issued = restored.test_client().post(
            "/api/v1/certificates",
            json=issue_body(),
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "after-restore"},
        )
        assert issued.status_code == 201, issued.get_json()
        assert cli.invoke(args=["log", "verify"]).exit_code == 0
        assert cli.invoke(args=["audit", "verify"]).exit_code == 0


def _rewrite(archive: Path, target: Path, *, drop: str | None = None) -> None:
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            if member.name != drop:
                out.addfile(member, source.extractfile(member))


def _nothing_restored(app: Flask) -> None:
    with app.app_context():
        tables = set(inspect(db.engine()).get_table_names())
        assert not tables - {"alembic_version"}, tables
    instance = Path(app.instance_path)
    assert not [p for p in instance.rglob("*") if p.is_file() and not p.name.startswith("sceau.db")]


def test_a_damaged_archive_is_refused_and_restores_nothing(
    demo_app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "good.tar"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        blob = next(m for m in tar.getmembers() if m.name.startswith("blobs/"))
        rows = next(m for m in tar.getmembers() if m.name.endswith("-certificates.jsonl"))
    flipped = tmp_path / "flipped.tar"
    data = bytearray(archive.read_bytes())
    data[blob.offset_data + blob.size // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    missing = tmp_path / "missing.tar"
    _rewrite(archive, missing, drop=rows.name)
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: blob.offset_data + 100])

    with _fresh_instance(tmp_path, "target") as target:
        cli = target.test_cli_runner()
        for damaged, reason in (
            (flipped, f"{blob.name} is damaged"),
            (missing, "missing from the archive"),
            (cut, "damaged archive"),
        ):
            result = cli.invoke(args=["restore", str(damaged)])
            assert result.exit_code != 0, damaged
            assert reason in result.output, result.output
            assert "Traceback" not in result.output
            _nothing_restored(target)

        # A failure while the rows go in (here: the last step) rolls them back and takes the
        # key files it wrote away again.
        def fail(connection: object) -> None:
            raise OSError("the database server went away")

        monkeypatch.setattr(backup_module, "_reset_sequences", fail)
        with target.app_context():
            settings = settings_of(target)
            with pytest.raises(OSError, match="went away"):
                backup_module.restore(
                    archive, engine=db.engine(), blobs=blob_store(), settings=settings
                )
            session = db.session()
            assert session.scalar(select(func.count()).select_from(Certificate)) == 0
            assert session.scalar(select(func.count()).select_from(Office)) == 0
            for folder in (settings.keys_path, settings.pki_path, settings.trust_path):
                assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]


def test_backup_refuses_a_private_key_in_clear_and_can_leave_keys_out(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path, settings: Settings
) -> None:
    without = tmp_path / "without-keys.tar"
    result = runner.invoke(args=["backup", "--without-private-keys", str(without)])
    assert result.exit_code == 0, result.output
    members = _members(without)
    assert not any(b"PRIVATE KEY" in data for data in members.values())
    assert any(name.startswith("instance/keys/") for name in members)  # records stay

    clear = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (settings.pki_path / "left-in-clear.key.pem").write_bytes(clear)
    refused = tmp_path / "refused.tar"
    result = runner.invoke(args=["backup", str(refused)])
    assert result.exit_code != 0
    assert "pki/left-in-clear.key.pem holds a private key in clear" in result.output
    assert not refused.exists()
    assert not list(tmp_path.glob(".refused.tar*"))


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A schema on PostgreSQL whichever back end the suite runs on (the machine's server in
    the SQLite pass): the move from PostgreSQL runs in both."""
    with postgres_schema(require_postgresql()) as url:
        yield url


def test_an_archive_moves_from_postgresql_to_sqlite(
    postgresql_url: str, settings: Settings, tmp_path: Path
) -> None:
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    source = create_app(replace(settings, database_url=postgresql_url))
    try:
        runner = source.test_cli_runner()
        assert runner.invoke(args=["init"]).exit_code == 0
        assert runner.invoke(args=["demo"]).exit_code == 0
        before = _certificates(source)
        archive = tmp_path / "from-postgresql.tar"
        assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    finally:
        close_app(source)  # before its schema is dropped
    with _fresh_instance(tmp_path, "on-sqlite", sqlite=True) as restored:
        cli = restored.test_cli_runner()
        result = cli.invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert _certificates(restored) == before
        for command in (["audit", "verify"], ["log", "verify"]):
            checked = cli.invoke(args=command)
            assert checked.exit_code == 0, checked.output
