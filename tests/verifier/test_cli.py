from __future__ import annotations

import json
import stat
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from verifier import Settings, create_app, db
from verifier.models import Office


def test_init_creates_database_key_and_office_once(runner: FlaskCliRunner, app: Flask) -> None:
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "(created" in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    assert "(created" not in second.output
    metadata = [
        json.loads(p.read_text()) for p in (Path(app.instance_path) / "keys").glob("*.json")
    ]
    purposes = [m["purpose"] for m in metadata]
    assert len(purposes) == len(set(purposes))  # one key of each purpose, made once
    assert {"document", "seal", "timestamp", "trust-list"} <= set(purposes)
    (seal_kid,) = [m["kid"] for m in metadata if m["purpose"] == "seal"]
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Office)) == 1

    exported = runner.invoke(args=["trust", "export"])
    assert exported.exit_code == 0, exported.output
    (entry,) = json.loads(exported.output)["keys"]
    assert entry["kid"] == seal_kid
    assert entry["status"] == "active"


def test_init_without_a_passphrase_makes_a_private_development_one(settings: Settings) -> None:
    dev = Settings(
        instance_path=settings.instance_path,
        database_url=settings.database_url,
        key_passphrase=None,
    )
    app = create_app(dev)
    try:
        result = app.test_cli_runner().invoke(args=["init"])
        assert result.exit_code == 0, result.output
    finally:
        app.extensions["sceau.engine"].dispose()
    assert stat.S_IMODE(dev.passphrase_file.stat().st_mode) == 0o600
    assert len(dev.passphrase_file.read_bytes().strip()) >= 32


def test_demo_certificates_writes_one_valid_signed_pdf_per_type(
    runner: FlaskCliRunner, settings: Settings, tmp_path: Path
) -> None:
    from cryptography import x509

    from signing.pades import validate_pdf
    from signing.seal import CertificateType

    assert runner.invoke(args=["init"]).exit_code == 0
    result = runner.invoke(args=["demo-certificates", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    root = x509.load_pem_x509_certificate((settings.pki_path / "root-ca.pem").read_bytes())
    written = sorted(p.stem for p in (tmp_path / "demo").glob("*.pdf"))
    assert written == sorted(str(kind) for kind in CertificateType)
    for path in (tmp_path / "demo").glob("*.pdf"):
        assert validate_pdf(path.read_bytes(), [root]).bottom_line, path.name
