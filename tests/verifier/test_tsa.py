"""The embedded timestamp authority of the service: `POST /tsa`, and B-T certificates."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from flask import Flask
from flask.testing import FlaskClient
from rfc3161_client import TimestampRequestBuilder, VerifierBuilder, decode_timestamp_response

from signing.pades import validate_pdf
from signing.timestamps import (
    POLICY_OID,
    QUERY_MEDIA_TYPE,
    REPLY_MEDIA_TYPE,
    HttpTimestampClient,
    InProcessTimestampClient,
    request_for,
    token_of_reply,
    verify_token,
)
from signing.timestamps._asn1 import TimeStampResp
from tests.tools import pdfsig_report, require_tool
from tests.verifier.conftest import Staff, issue_body
from verifier import Settings, create_app, security, tsa
from verifier.instance import keyring
from verifier.tokens import Scope

DATA = b"Manifest-Version: 1.0\n"


def _with_tsa(app: Flask) -> Flask:
    """The blueprint, registered by the factory once verifier/__init__.py names it."""
    if "tsa" not in app.blueprints:
        security.csrf.exempt(tsa.bp)
        app.register_blueprint(tsa.bp)
    return app


@pytest.fixture
def tsa_app(ready_app: Flask) -> Flask:
    return _with_tsa(ready_app)


@pytest.fixture
def tsa_client(tsa_app: Flask) -> FlaskClient:
    return tsa_app.test_client()


def _chain_pem(app: Flask) -> bytes:
    with app.app_context():
        timestamps = keyring().timestamps
        assert timestamps is not None
        return timestamps.chain_pem()


def _post(client: FlaskClient, body: bytes, media_type: str = QUERY_MEDIA_TYPE) -> bytes:
    response = client.post("/tsa", data=body, headers={"Content-Type": media_type})
    assert response.status_code == 200
    assert response.mimetype == REPLY_MEDIA_TYPE
    return response.data


def test_an_openssl_query_is_answered_and_openssl_verifies_it(
    tsa_app: Flask, tsa_client: FlaskClient, tmp_path: Path
) -> None:
    openssl = require_tool("openssl", "openssl")
    (tmp_path / "data.txt").write_bytes(DATA)
    subprocess.run(
        [openssl, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "q.tsq"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    reply = _post(tsa_client, (tmp_path / "q.tsq").read_bytes())
    (tmp_path / "timestamp.tsr").write_bytes(reply)
    (tmp_path / "tsa-chain.pem").write_bytes(_chain_pem(tsa_app))

    def verify(*source: str) -> str:
        done = subprocess.run(
            [openssl, "ts", "-verify", *source, "-in", "timestamp.tsr", "-CAfile", "tsa-chain.pem"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout + done.stderr

    assert "Verification: OK" in verify("-data", "data.txt")
    assert "Verification: OK" in verify("-queryfile", "q.tsq")  # nonce echoed, imprint kept
    (tmp_path / "data.txt").write_bytes(DATA.replace(b"1.0", b"1.1"))
    assert "Verification: FAILED" in verify("-data", "data.txt")


def test_our_own_request_is_granted_and_its_token_verifies(
    tsa_app: Flask, tsa_client: FlaskClient
) -> None:
    request, _ = request_for(DATA)
    reply = _post(tsa_client, request)
    with tsa_app.app_context():
        root = keyring().chain.root
        assert isinstance(keyring().timestamps, InProcessTimestampClient)
    assert verify_token(token_of_reply(reply), DATA, trust_roots=[root]).ok


def test_rfc3161_client_verifies_what_post_tsa_answers(
    tsa_app: Flask, tsa_client: FlaskClient
) -> None:
    with tsa_app.app_context():
        root = keyring().chain.root
    for cert_req in (True, False):
        request = TimestampRequestBuilder().data(DATA).cert_request(cert_request=cert_req).build()
        response = decode_timestamp_response(_post(tsa_client, request.as_bytes()))
        assert len(response.signed_data.certificates) == (2 if cert_req else 0)
        builder = VerifierBuilder.from_request(request).add_root_certificate(root)
        if not cert_req:
            with tsa_app.app_context():
                authority = keyring().authority
                assert authority is not None
                builder = builder.tsa_certificate(authority.chain.certificate)
        verifier = builder.policy_id(x509.ObjectIdentifier(POLICY_OID)).build()
        assert verifier.verify_message(response, DATA)


def test_garbage_gets_a_rejection_reply_not_an_error(tsa_client: FlaskClient) -> None:
    for body in (b"", b"\x30\x03\x02\x01\x01", b"not DER at all" * 10):
        status = TimeStampResp.load(_post(tsa_client, body))["status"]
        assert status["status"].native == "rejection"


def test_other_media_types_get_415(tsa_client: FlaskClient) -> None:
    request, _ = request_for(DATA)
    for media_type in ("application/octet-stream", "application/json", "text/plain"):
        response = tsa_client.post("/tsa", data=request, headers={"Content-Type": media_type})
        assert response.status_code == 415
    assert tsa_client.post("/tsa", data=request).status_code == 415


def test_bodies_over_64_kib_get_413(tsa_client: FlaskClient) -> None:
    response = tsa_client.post(
        "/tsa", data=bytes(64 * 1024 + 1), headers={"Content-Type": QUERY_MEDIA_TYPE}
    )
    assert response.status_code == 413


def test_only_post(tsa_client: FlaskClient) -> None:
    assert tsa_client.get("/tsa").status_code == 405


@pytest.fixture
def external_app(settings: Settings) -> Iterator[Flask]:
    app = _with_tsa(create_app(replace(settings, tsa_url="http://127.0.0.1:9/tsa")))
    app.config["TESTING"] = True
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "not used: SCEAU_TSA_URL" in result.output
    yield app
    app.extensions["sceau.engine"].dispose()


def test_with_an_external_tsa_the_embedded_one_is_off(external_app: Flask) -> None:
    request, _ = request_for(DATA)
    response = external_app.test_client().post(
        "/tsa", data=request, headers={"Content-Type": QUERY_MEDIA_TYPE}
    )
    assert response.status_code == 404
    with external_app.app_context():
        found = keyring()
        assert isinstance(found.timestamps, HttpTimestampClient)
        assert found.timestamps.url == "http://127.0.0.1:9/tsa"
        assert found.authority is None


def test_init_creates_the_tsa_certificate_once(ready_app: Flask, settings: Settings) -> None:
    made = sorted(settings.pki_path.glob("tsa-*.pem"))
    assert len(made) == 1
    result = ready_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "timestamping:" in result.output
    assert sorted(settings.pki_path.glob("tsa-*.pem")) == made


def test_a_certificate_issued_by_the_service_is_b_t_and_pdfsig_accepts_it(
    ready_app: Flask, staff: Staff, settings: Settings, tmp_path: Path
) -> None:
    client = ready_app.test_client()
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "b-t"}),
    )
    assert made.status_code == 201, made.get_json()
    pdf = client.get(made.get_json()["pdf_url"], headers=staff.headers(Scope.VERIFY)).data
    with ready_app.app_context():
        root = keyring().chain.root
    report = validate_pdf(pdf, [root])
    assert report.bottom_line
    assert report.timestamped

    (tmp_path / "c.pdf").write_bytes(pdf)
    output = pdfsig_report(tmp_path / "c.pdf", settings.pki_path / "root-ca.pem", tmp_path / "nss")
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output
