"""An instance whose seal, document-signing and timestamping keys are in a PKCS#11 token
(SoftHSM2): it issues, seals, signs and timestamps; pdfsig accepts the PDF; and no private key
of the service exists outside the token (the instance folder is searched)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskCliRunner
from pkcs11 import Attribute, ObjectClass
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.keys import KeyPurpose, Pkcs11KeyStore
from signing.pades import validate_pdf
from signing.seal import decode
from tests.softhsm import SoftHsm, SoftToken
from tests.tools import pdfsig_report
from tests.verifier.conftest import Staff, issue_body
from verifier import Settings, create_app
from verifier.config import ConfigError
from verifier.instance import keyring
from verifier.keys import open_key_store
from verifier.tokens import Scope

PASSPHRASE = b"test passphrase"
#: The one private key an instance keeps in a file: the development root CA's (signing/pki.py).
ROOT_CA_KEY = Path("pki") / "root-ca.key.pem"


@pytest.fixture
def settings(tmp_path: Path, database_url: str, token: SoftToken) -> Settings:
    """The suite's settings (tests/conftest.py), with the keys in a fresh SoftHSM2 token."""
    return Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        key_passphrase=PASSPHRASE,
        secret_key="test",
        verify_rate_limit="100000 per minute",
        key_store="pkcs11",
        pkcs11_module=token.module,
        pkcs11_token=token.label,
        pkcs11_pin=token.pin,
    )


@pytest.fixture
def issued(ready_app: Flask, staff: Staff) -> tuple[dict[str, str], bytes]:
    """One certificate issued through the API: its JSON and its PDF."""
    client = ready_app.test_client()
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "hsm-1"}),
    )
    assert made.status_code == 201, made.get_json()
    certificate = made.get_json()
    pdf = client.get(certificate["pdf_url"], headers=staff.headers(Scope.VERIFY))
    assert pdf.status_code == 200
    return certificate, pdf.data


# ----------------------------------------------------------------------------- settings


def test_the_key_store_is_chosen_in_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SCEAU_INSTANCE": str(tmp_path),
            "SCEAU_KEY_STORE": "pkcs11",
            "SCEAU_PKCS11_MODULE": "/opt/hsm/libvendor.so",
            "SCEAU_PKCS11_TOKEN": "sceau",
            "SCEAU_PKCS11_PIN": "4321-secret",
        }
    )
    assert settings.key_store == "pkcs11"
    assert settings.pkcs11_module == Path("/opt/hsm/libvendor.so")
    assert (settings.pkcs11_token, settings.pkcs11_pin) == ("sceau", "4321-secret")
    assert "4321-secret" not in repr(settings)
    default = Settings.from_env({"SCEAU_INSTANCE": str(tmp_path)})
    assert default.key_store == "file"
    assert default.pkcs11_module == Path("/usr/lib/softhsm/libsofthsm2.so")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SCEAU_KEY_STORE": "vault"}, "SCEAU_KEY_STORE"),
        ({"SCEAU_KEY_STORE": "pkcs11", "SCEAU_PKCS11_PIN": "1"}, "SCEAU_PKCS11_TOKEN"),
        ({"SCEAU_KEY_STORE": "pkcs11", "SCEAU_PKCS11_TOKEN": "t"}, "PIN"),
        (
            {
                "SCEAU_KEY_STORE": "pkcs11",
                "SCEAU_PKCS11_TOKEN": "t",
                "SCEAU_PKCS11_PIN": "1",
                "SCEAU_PKCS11_PIN_FILE": "/run/secrets/pin",
            },
            "one of",
        ),
    ],
)
def test_an_incomplete_pkcs11_setting_is_refused(
    tmp_path: Path, extra: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"SCEAU_INSTANCE": str(tmp_path), **extra})


def test_the_pin_can_come_from_a_file(settings: Settings, token: SoftToken, tmp_path: Path) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text(token.pin + "\n")
    from dataclasses import replace

    from_file = replace(settings, pkcs11_pin=None, pkcs11_pin_file=pin_file)
    assert isinstance(open_key_store(from_file), Pkcs11KeyStore)
    pin_file.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        open_key_store(from_file)


def test_init_with_a_wrong_pin_says_so_without_showing_it(settings: Settings) -> None:
    from dataclasses import replace

    wrong = replace(settings, pkcs11_pin="not-the-pin-0000")
    app = create_app(wrong)
    try:
        result = app.test_cli_runner().invoke(args=["init"])
    finally:
        app.extensions["sceau.engine"].dispose()
    assert result.exit_code == 1
    assert "wrong PIN" in result.output
    assert "not-the-pin-0000" not in result.output


# ----------------------------------------------------------------------------- acceptance


def test_init_makes_the_three_keys_in_the_token(
    runner: FlaskCliRunner, settings: Settings, token: SoftToken
) -> None:
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert f"token {token.label!r}" in first.output
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0, again.output
    assert "(created" not in again.output

    records = [json.loads(p.read_text()) for p in settings.keys_path.glob("*.json")]
    assert {"document", "seal", "timestamp"} <= {r["purpose"] for r in records}
    assert not list(settings.keys_path.glob("*.pem"))
    # The token holds exactly the private keys the records name, under their key ids.
    session = pkcs11.lib(str(token.module)).get_token(token_label=token.label).open()
    try:
        ids = {
            bytes(obj[Attribute.ID]).hex()
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})
        }
    finally:
        session.close()
    assert ids == {r["kid"] for r in records}

    exported = runner.invoke(args=["trust", "export"])
    assert exported.exit_code == 0, exported.output
    (seal,) = [r["kid"] for r in records if r["purpose"] == "seal"]
    assert seal in exported.output  # the token's seal key is the one verifiers trust


def test_issue_seal_sign_and_timestamp_with_every_key_in_the_token(
    ready_app: Flask, settings: Settings, issued: tuple[dict[str, str], bytes]
) -> None:
    certificate, pdf = issued
    with ready_app.app_context():
        ring = keyring()
    store = ring.store
    assert isinstance(store, Pkcs11KeyStore)

    # The seal: signed by the token's seal key, and genuine to a verifier.
    assert decode(certificate["seal_url"]).key_id == store.active_key(KeyPurpose.SEAL).key_id
    client = ready_app.test_client()
    verdict = client.post("/api/v1/verify", json={"seal": certificate["seal_url"]}).get_json()
    assert verdict["status"] == "valid", verdict

    # The PDF: PAdES B-T, signed by the token's document key, stamped by the embedded authority
    # whose key is the token's timestamp key.
    root = x509.load_pem_x509_certificate((settings.pki_path / "root-ca.pem").read_bytes())
    report = validate_pdf(pdf, [root])
    assert report.bottom_line
    assert report.timestamped
    assert ring.authority is not None  # the embedded one, not an external TSA
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    root_asn1 = ValidationContext(trust_roots=[_asn1(root)])
    status = validate_pdf_signature(signature, root_asn1)
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.trusted
    assert _spki(status.signing_cert.dump()) == _public_der(
        store, store.active_key(KeyPurpose.DOCUMENT).key_id
    )
    assert _spki(status.timestamp_validity.signing_cert.dump()) == _public_der(
        store, store.active_key(KeyPurpose.TIMESTAMP).key_id
    )
    document = client.post(
        "/api/v1/verify/document", data={"file": (io.BytesIO(pdf), "c.pdf")}
    ).get_json()
    assert document["match"] == "exact-match"


def test_pdfsig_accepts_the_signature_made_in_the_token(
    settings: Settings, issued: tuple[dict[str, str], bytes], tmp_path: Path
) -> None:
    _, pdf = issued
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    output = pdfsig_report(path, settings.pki_path / "root-ca.pem", tmp_path / "nss")
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output


def test_no_private_key_of_the_service_exists_outside_the_token(
    settings: Settings, issued: tuple[dict[str, str], bytes], softhsm: SoftHsm
) -> None:
    instance = settings.instance_path
    assert not softhsm.tokendir.is_relative_to(instance)  # the token's own files are elsewhere
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in files)  # the key records are searched too
    assert any("blobs" in p.relative_to(instance).parts for p in files)  # and the PDFs
    found = {str(p.relative_to(instance)) for p in files if _holds_a_private_key(p.read_bytes())}
    assert found == {str(ROOT_CA_KEY)}, found
    # And that one file is the development root CA's key, not one of the service's.
    root_key = serialization.load_pem_private_key((instance / ROOT_CA_KEY).read_bytes(), PASSPHRASE)
    assert isinstance(root_key, ec.EllipticCurvePrivateKey)
    root = x509.load_pem_x509_certificate((settings.pki_path / "root-ca.pem").read_bytes())
    assert root_key.public_key() == root.public_key()


def test_the_search_finds_a_private_key_in_any_of_its_forms() -> None:
    """The control of the test above: it would have seen a key written out, however encoded."""
    key = ec.generate_private_key(ec.SECP256R1())
    none = serialization.NoEncryption()
    locked = serialization.BestAvailableEncryption(PASSPHRASE)
    pem, der = serialization.Encoding.PEM, serialization.Encoding.DER
    pkcs8, sec1 = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
    forms = [
        key.private_bytes(pem, pkcs8, none),
        key.private_bytes(pem, sec1, none),
        key.private_bytes(pem, pkcs8, locked),
        key.private_bytes(der, pkcs8, none),
        key.private_bytes(der, sec1, none),
        key.private_bytes(der, pkcs8, locked),
        b"%PDF-1.7 stream " + key.private_bytes(der, sec1, none) + b" endstream",
    ]
    for form in forms:
        assert _holds_a_private_key(form), form[:40]
    public = key.public_key().public_bytes(pem, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert not _holds_a_private_key(public)


# ----------------------------------------------------------------------------- helpers


_PEM_PRIVATE = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----")
#: The heart of every DER EC private key (SEC1 ECPrivateKey, alone or inside PKCS#8):
#: INTEGER 1 (version), then OCTET STRING of 32 bytes (the P-256 scalar).
_SEC1_CORE = b"\x02\x01\x01\x04\x20"


def _holds_a_private_key(data: bytes) -> bool:
    """Whether a file holds private key material in any form cryptography or a PEM reader
    would recognise: a PEM private block, a whole-file DER or PEM key (encrypted with the
    instance passphrase, or not), or a DER EC private key structure anywhere inside."""
    if _PEM_PRIVATE.search(data):
        return True
    for load in (serialization.load_pem_private_key, serialization.load_der_private_key):
        for password in (None, PASSPHRASE):
            try:
                load(data, password)
            except ValueError:
                continue  # not a key at all
            except Exception:  # encrypted, of an unsupported kind...: a key all the same
                return True
            return True
    return _SEC1_CORE in data


def _asn1(certificate: x509.Certificate) -> object:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _spki(der_certificate: bytes) -> bytes:
    return (
        x509.load_der_x509_certificate(der_certificate)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _public_der(store: Pkcs11KeyStore, key_id: bytes) -> bytes:
    return store.public_key(key_id).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
