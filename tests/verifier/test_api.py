"""The JSON API as OFII's systems and prefectures use it: issue, read, download, revoke,
verify; and as an attacker or a broken client hits it: every bad request a clear 4xx."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from signing.seal import CertificateType, decode
from tests.verifier.conftest import Staff, issue_body
from verifier import Settings, create_app
from verifier.tokens import Scope


def _issue(client: FlaskClient, staff: Staff, key: str, **body: object) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/certificates",
        json=issue_body(**body),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": key}),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", list(CertificateType))
def test_every_type_is_issued_read_downloaded_and_verified(
    ready_app: Flask, staff: Staff, kind: CertificateType
) -> None:
    client = ready_app.test_client()
    body = issue_body(kind)
    made = client.post(
        "/api/v1/certificates",
        json=body,
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": f"k-{kind}"}),
    )
    assert made.status_code == 201
    certificate = made.get_json()
    assert made.headers["Location"] == f"/api/v1/certificates/{certificate['id']}"
    assert certificate["type"] == str(kind)
    assert certificate["holder"]["family_name"] == body["holder"]["family_name"]  # as written
    assert "7501234567" not in made.get_data(as_text=True)  # the foreigner number stays home
    assert decode(certificate["seal_url"]).claims.certificate_id.hex() == certificate["id"]

    read = client.get(
        f"/api/v1/certificates/{certificate['id']}", headers=staff.headers(Scope.VERIFY)
    )
    assert read.get_json() == certificate
    pdf = client.get(certificate["pdf_url"], headers=staff.headers(Scope.VERIFY))
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")

    verdict = client.post("/api/v1/verify", json={"seal": certificate["seal_url"]}).get_json()
    assert verdict["status"] == "valid"
    assert verdict["certificate"]["id"] == certificate["id"]
    document = client.post(
        "/api/v1/verify/document", data={"file": (io.BytesIO(pdf.data), "c.pdf")}
    ).get_json()
    assert document["match"] == "exact-match"
    assert document["signature"]["trusted"] is True


def test_a_retried_issuance_returns_the_first_certificate(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    headers = staff.headers(Scope.ISSUE, **{"Idempotency-Key": "retry-1"})
    first = client.post("/api/v1/certificates", json=issue_body(), headers=headers)
    again = client.post("/api/v1/certificates", json=issue_body(), headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    other_body = client.post(
        "/api/v1/certificates", json=issue_body(CertificateType.MEDICAL_VISIT), headers=headers
    )
    assert other_body.status_code == 409
    assert other_body.get_json()["error"] == "idempotency-conflict"


def test_issuing_without_an_idempotency_key_is_refused(ready_app: Flask, staff: Staff) -> None:
    response = ready_app.test_client().post(
        "/api/v1/certificates", json=issue_body(), headers=staff.headers(Scope.ISSUE)
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "idempotency-key-missing"


def test_reissuing_supersedes_and_revoking_is_seen_by_every_verifier(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    old = _issue(client, staff, "old")
    new = _issue(
        client, staff, "new", supersedes=old["id"], holder=None, person_id=old["person_id"]
    )
    assert new["supersedes"] == old["id"]
    old_verdict = client.post("/api/v1/verify", json={"seal": old["seal_url"]}).get_json()
    assert old_verdict["status"] == "superseded"
    assert old_verdict["certificate"]["superseded_by"] == new["id"]

    revoked = client.post(
        f"/api/v1/certificates/{new['id']}/revoke",
        json={"reason": "issued-in-error", "text": "wrong session"},
        headers=staff.headers(Scope.REVOKE),
    )
    assert revoked.status_code == 200
    assert revoked.get_json()["revocation"]["reason"] == "issued-in-error"
    verdict = client.post("/api/v1/verify", json={"seal": new["seal_url"]}).get_json()
    assert verdict["status"] == "revoked"
    assert verdict["certificate"]["revocation"]["reason"] == "issued-in-error"
    assert "text" not in verdict["certificate"]["revocation"]  # the free text is staff-only
    again = client.post(
        f"/api/v1/certificates/{new['id']}/revoke",
        json={"reason": "fraud"},
        headers=staff.headers(Scope.REVOKE),
    )
    assert again.status_code == 409


def test_a_forged_seal_is_not_genuine_and_shows_no_claims(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    url = _issue(client, staff, "forge")["seal_url"]
    payload = url.rsplit("/", 1)[1]
    index = len(payload) // 2
    flipped = payload[:index] + ("A" if payload[index] != "A" else "B") + payload[index + 1 :]
    verdict = client.post("/api/v1/verify", json={"seal": flipped})
    if verdict.status_code == 422:  # the flip broke the structure: also a refusal
        assert verdict.get_json()["error"] == "malformed-seal"
        return
    body = verdict.get_json()
    assert body["status"] == "not-genuine"
    assert body["certificate"] is None
    assert body["seal_claims"] is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"seal": ""}, "malformed-seal"),
        ({"seal": "HTTPS://EXAMPLE.ORG/V/ABC"}, "malformed-seal"),
        ({"seal": "é" * 5000}, "malformed-seal"),
        ({"seal": 42}, "invalid-field"),
        ({}, "invalid-field"),
        ([], "bad-json"),
    ],
)
def test_malformed_seals_get_a_4xx_with_a_message(
    ready_app: Flask, body: object, code: str
) -> None:
    response = ready_app.test_client().post("/api/v1/verify", json=body)
    assert 400 <= response.status_code < 500
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]


def test_messages_follow_the_language_asked_for(ready_app: Flask) -> None:
    client = ready_app.test_client()
    texts = {}
    for language in ("fr", "en", "ar"):
        response = client.post(
            "/api/v1/verify", json={"seal": "!"}, headers={"Accept-Language": language}
        )
        assert response.headers["Content-Language"] == language
        texts[language] = response.get_json()["message"]
    assert "sceau" in texts["fr"].lower()
    assert "seal" in texts["en"]
    assert "ختم" in texts["ar"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({}, 400, "no-file"),
        ({"file": (io.BytesIO(b""), "empty.pdf")}, 400, "empty-file"),
        ({"file": (io.BytesIO(b"GIF89a not a pdf"), "x.pdf")}, 415, "not-a-pdf"),
        ({"file": (io.BytesIO(b"%PDF-1.7\n garbage \x00\xff"), "x.pdf")}, 200, None),
    ],
)
def test_bad_uploads_get_a_clear_answer(
    ready_app: Flask,
    data: dict,
    status: int,
    code: str | None,  # type: ignore[type-arg]
) -> None:
    response = ready_app.test_client().post("/api/v1/verify/document", data=data)
    assert response.status_code == status
    if code is None:
        assert response.get_json()["match"] == "unknown"
    else:
        assert response.get_json()["error"] == code


def test_an_oversized_upload_is_refused_before_it_is_read(settings: Settings) -> None:
    small = replace(settings, max_upload_bytes=1024 * 1024)
    small.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(small)
    try:
        # The multipart body is built here: the test client would spool a big form to a
        # temporary file that it never closes once the server refuses to read it.
        body = (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
            + bytes(2 * 1024 * 1024)
            + b"\r\n--b--\r\n"
        )
        response = app.test_client().post(
            "/api/v1/verify/document",
            data=body,
            content_type="multipart/form-data; boundary=b",
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 413
        assert response.get_json() == {
            "error": "too-large",
            "message": "The file is larger than the maximum of 1 MB.",
        }
    finally:
        app.extensions["sceau.engine"].dispose()


def test_modified_documents_are_told_apart_from_the_original(
    ready_app: Flask, staff: Staff
) -> None:
    client = ready_app.test_client()
    certificate = _issue(client, staff, "modified")
    pdf = client.get(certificate["pdf_url"], headers=staff.headers(Scope.VERIFY)).data

    def check(data: bytes) -> dict:  # type: ignore[type-arg]
        response = client.post(
            "/api/v1/verify/document", data={"file": (io.BytesIO(data), "x.pdf")}
        )
        assert response.status_code == 200
        return response.get_json()  # type: ignore[no-any-return]

    assert check(pdf)["match"] == "exact-match"
    appended = check(pdf + b"\n% an incremental update\n")
    assert appended["match"] == "modified"
    assert "content-appended-after-signing" in appended["reasons"]
    assert appended["certificate"]["id"] == certificate["id"]
    inside = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else len(pdf) // 3
    altered = bytearray(pdf)
    altered[inside] ^= 0x01
    changed = check(bytes(altered))
    assert changed["match"] == "modified"
    assert "signed-content-altered" in changed["reasons"]
    assert changed["certificate"]["id"] == certificate["id"]


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Type": "text/plain"}, b"{}", 415),
        ({"Content-Type": "application/json"}, b"{not json", 400),
        ({"Content-Type": "application/json"}, b"[1, 2]", 400),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(
    ready_app: Flask,
    staff: Staff,
    headers: dict,
    body: bytes,
    status: int,  # type: ignore[type-arg]
) -> None:
    response = ready_app.test_client().post(
        "/api/v1/certificates",
        data=body,
        headers={**staff.headers(Scope.ISSUE, **{"Idempotency-Key": "x"}), **headers},
    )
    assert response.status_code == status
    assert response.get_json()["message"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"type": "passport"}, "type"),
        (
            {"holder": {"family_name": "A", "given_names": "B", "birth_date": "1990-02-30"}},
            "holder.birth_date",
        ),
        ({"holder": {"family_name": "陈", "given_names": "伟", "birth_date": "1990"}}, None),
        ({"details": {}}, None),
        ({"details": {"place": ["x"] * 1000}}, "details.place"),
        ({"valid_until": "2020-01-01", "issued_on": "2021-01-01"}, "valid_until"),
        ({"person_id": 99}, "holder"),
        ({"person_id": 2**63, "holder": None}, "person_id"),  # beyond any database integer
    ],
)
def test_invalid_issuance_requests_name_what_is_wrong_and_issue_nothing(
    ready_app: Flask,
    staff: Staff,
    override: dict,
    field: str | None,  # type: ignore[type-arg]
) -> None:
    client = ready_app.test_client()
    response = client.post(
        "/api/v1/certificates",
        json=issue_body(**override),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "bad"}),
    )
    assert response.status_code == 422, response.get_json()
    if field is not None:
        assert response.get_json()["field"] == field
    retry = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "bad"}),
    )
    assert retry.status_code == 201  # the failed attempt left no idempotency record behind


def test_the_trust_list_is_cacheable_and_revalidates(ready_app: Flask) -> None:
    client = ready_app.test_client()
    first = client.get("/.well-known/sceau/trust.json")
    assert first.status_code == 200
    assert first.get_json()["keys"][0]["status"] == "active"
    assert "max-age=" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = client.get("/.well-known/sceau/trust.json", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_batch_verification_answers_each_seal_in_order(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    good = _issue(client, staff, "batch-1")["seal_url"]
    revoked = _issue(client, staff, "batch-2")
    client.post(
        f"/api/v1/certificates/{revoked['id']}/revoke",
        json={"reason": "fraud"},
        headers=staff.headers(Scope.REVOKE),
    )
    answer = client.post(
        "/api/v1/verify/batch",
        json={"seals": [good, "not a seal", revoked["seal_url"]]},
        headers=staff.headers(Scope.VERIFY),
    )
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert results[0]["status"] == "valid"
    assert results[1]["error"] == "malformed-seal"
    assert results[2]["status"] == "revoked"
    too_many = client.post(
        "/api/v1/verify/batch", json={"seals": [good] * 101}, headers=staff.headers(Scope.VERIFY)
    )
    assert too_many.status_code == 422
    anonymous = client.post("/api/v1/verify/batch", json={"seals": [good]})
    assert anonymous.status_code == 401


def test_a_staff_read_is_recorded_in_the_persons_access_log(ready_app: Flask, staff: Staff) -> None:
    from sqlalchemy import select

    from verifier import db
    from verifier.models import FileAccess

    client = ready_app.test_client()
    made = _issue(client, staff, "read-log")
    client.get(f"/api/v1/certificates/{made['id']}", headers=staff.headers(Scope.VERIFY))
    client.get(made["pdf_url"], headers=staff.headers(Scope.VERIFY))
    with ready_app.app_context():
        accesses = db.session().scalars(select(FileAccess).order_by(FileAccess.id)).all()
        assert [(a.person_id, a.action, a.object_id) for a in accesses] == [
            (made["person_id"], "api-read", made["id"]),
            (made["person_id"], "api-download", made["id"]),
        ]
