"""The acceptance of issue 7 as an operator would run it: `sceau demo`, then `sceau bundle` for a
demo person, then the outside tools on what came out — bagit, openssl against the instance's
own timestamp authority, pdfsig trusting the instance's root — and one byte changed."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from bundles.pack import verify_pack
from tests.tools import require_tool, trusting_nss_db
from verifier import db
from verifier.instance import keyring
from verifier.models import Certificate, Person


@pytest.fixture
def demo_pack(ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Path:
    demo = runner.invoke(args=["demo"])
    assert demo.exit_code == 0, demo.output
    with ready_app.app_context():
        session = db.session()
        person = session.scalars(select(Person).where(Person.family_name == "Haddad")).first()
        assert person is not None
        person_id = person.id
        certificates = session.scalars(
            select(Certificate.id).where(Certificate.person_id == person_id)
        ).all()
    assert certificates
    out = tmp_path / "pack.zip"
    built = runner.invoke(
        args=["bundle", "--person", str(person_id), "--purpose", "renewal", "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    (bag,) = [p for p in folder.iterdir() if p.is_dir()]
    return bag


def test_bagit_accepts_the_bag(demo_pack: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bagit", "--validate", str(demo_pack)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr


def test_openssl_verifies_the_timestamp_of_the_embedded_authority(demo_pack: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    result = subprocess.run(
        [
            *(openssl, "ts", "-verify", "-data", "tagmanifest-sha256.txt"),
            *("-in", "timestamp.tsr", "-CAfile", "tsa-chain.pem"),
        ],
        cwd=demo_pack,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in result.stdout, result.stdout + result.stderr


def test_pdfsig_trusts_the_signed_ebundle_and_inventory(
    demo_pack: Path, ready_app: Flask, tmp_path: Path
) -> None:
    pdfsig = require_tool("pdfsig", "poppler-utils")
    root = Path(ready_app.instance_path) / "pki" / "root-ca.pem"
    database = trusting_nss_db(root, tmp_path / "nss")
    signed = sorted((demo_pack / "data").glob("*.pdf"))
    assert len(signed) == 2  # the e-bundle and the inventory; pieces are in data/pieces/
    for pdf in signed:
        output = subprocess.run(
            [pdfsig, "-nssdir", database, str(pdf)], capture_output=True, text=True, check=False
        ).stdout
        assert "Signature is Valid." in output, (pdf.name, output)
        assert "Certificate is Trusted." in output, (pdf.name, output)


def test_one_changed_byte_is_named(demo_pack: Path, ready_app: Flask) -> None:
    target = sorted((demo_pack / "data").rglob("PJ*.pdf"))[0]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(demo_pack.rglob("*")):
            if path.is_file():
                archive.write(path, f"{demo_pack.name}/{path.relative_to(demo_pack)}")
    with ready_app.app_context():
        keys = keyring()
        roots = [keys.chain.root]
    report = verify_pack(buffer.getvalue(), trust_roots=roots)
    assert not report.ok
    changed = [f.name for f in report.files if f.status != "ok"]
    assert changed == [f"data/pieces/{target.name}"] or [
        c.endswith(target.name) for c in changed
    ] == [True]
