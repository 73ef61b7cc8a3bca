"""Correspondence with files: who may add and read, and hostile uploads refused with their own
message, a 4xx and nothing stored (no row, no blob)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

import pikepdf
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from tests.verifier.conftest import form_token, make_person
from tests.verifier.test_portal import accesses_of, grant, signed_in
from verifier import db
from verifier.config import settings_of
from verifier.models import Correspondence, Role, StoredFile

# ----------------------------------------------------------------------------- files


def good_pdf(*, javascript: bool = False, encrypted: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if javascript:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')")
        )
    out = io.BytesIO()
    encryption = pikepdf.Encryption(owner="owner", user="") if encrypted else False
    pdf.save(out, encryption=encryption)
    return out.getvalue()


def good_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def huge_png_header(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny file whose header claims billions of pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def good_eml() -> bytes:
    return (
        b"From: Prefecture <contact@rhone.gouv.fr>\r\n"
        b"To: amina@example.org\r\n"
        b"Date: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
        b"Subject: Votre demande de titre\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Votre dossier est complet.\r\n"
    )


# ----------------------------------------------------------------------------- helpers


def letter(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "on": "2026-03-02",
        "direction": "sent",
        "sender": "Amina Haddad",
        "recipient": "Préfecture du Rhône",
        "channel": "registered-mail",
        "tracking_number": "1A 234 567 8901 2",
        "acknowledged_on": "2026-03-04",
        "subject": "Demande de rendez-vous",
    }
    form.update(overrides)
    return form


def send(client: FlaskClient, page: str, files: list[tuple[bytes, str]], **overrides: Any) -> Any:
    data = letter(**overrides)
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    data["csrf_token"] = form_token(client, page)
    return client.post(page, data=data, content_type="multipart/form-data")


def counts(app: Flask) -> tuple[int, int, int]:
    """Rows of stored_files, rows of correspondence, files in the blob folder."""
    with app.app_context():
        session = db.session()
        files = session.scalar(select(func.count(StoredFile.id))) or 0
        letters = session.scalar(select(func.count(Correspondence.id))) or 0
        blobs = settings_of(app).blobs_path
    on_disk = sum(1 for path in blobs.rglob("*") if path.is_file()) if blobs.exists() else 0
    return files, letters, on_disk


# ----------------------------------------------------------------------------- who adds


def test_the_migrant_adds_a_letter_with_files_and_downloads_them(ready_app: Flask) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    page = "/my/correspondence"
    made = send(client, page, [(good_pdf(), "demande.pdf"), (good_png(), "recu.png")])
    assert made.status_code == 303, made.get_data(as_text=True)[:2000]
    listing = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Demande de rendez-vous" in listing
    assert "1A 234 567 8901 2" in listing
    file_ids = [int(x) for x in re.findall(r"/my/files/(\d+)/pdf", listing)]
    assert len(file_ids) == 2
    pdf = client.get(f"/my/files/{file_ids[0]}/pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    original = client.get(f"/my/files/{file_ids[1]}/original")
    assert original.data == good_png()
    assert original.mimetype == "application/octet-stream"
    with ready_app.app_context():
        entry = db.session().scalars(select(Correspondence)).one()
        assert entry.added_by_role == "migrant"
        assert entry.person_id == me.person_id


def test_an_email_is_stored_with_its_attachments_as_children(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)
    attachment = good_pdf()
    import base64

    eml = good_eml().replace(
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nVotre dossier est complet.\r\n",
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain\r\n\r\nCi-joint.\r\n--B\r\n"
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="r.pdf"'
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(attachment).replace(b"\n", b"\r\n")
        + b"--B--\r\n",
    )
    page = f"/agent/persons/{person_id}/correspondence"
    made = send(
        agent,
        page,
        [(eml, "message.eml")],
        direction="received",
        channel="email",
        tracking_number="",
        acknowledged_on="",
    )
    assert made.status_code == 303, made.get_data(as_text=True)[:2000]
    with ready_app.app_context():
        rows = list(db.session().scalars(select(StoredFile).order_by(StoredFile.id)))
    assert [r.kind for r in rows] == ["eml", "pdf"]
    assert rows[1].parent_id == rows[0].id
    assert rows[0].title == "Votre demande de titre"


def test_a_lawyer_needs_the_upload_scope_to_add(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    reader, reader_account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, person_id, reader_account.id, scopes="read")
    page = f"/lawyer/clients/{person_id}/correspondence"
    listing = reader.get(page)
    assert listing.status_code == 200
    assert 'enctype="multipart/form-data"' not in listing.get_data(as_text=True)
    token = form_token(reader, "/verifier")
    refused = reader.post(page, data={**letter(), "csrf_token": token})
    assert refused.status_code == 403
    assert counts(ready_app)[1] == 0
    uploader, uploader_account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, person_id, uploader_account.id, scopes="read upload")
    made = send(uploader, page, [(good_pdf(), "recours.pdf")])
    assert made.status_code == 303, made.get_data(as_text=True)[:2000]
    listing_text = uploader.get(page).get_data(as_text=True)
    [file_id] = re.findall(rf"/lawyer/clients/{person_id}/files/(\d+)/pdf", listing_text)
    assert uploader.get(f"/lawyer/clients/{person_id}/files/{file_id}/pdf").status_code == 200
    assert "/original" not in listing_text  # the lawyer gets the normalised PDF only
    assert any(a.action == "file-download" for a in accesses_of(ready_app, person_id))
    with ready_app.app_context():
        assert db.session().scalars(select(Correspondence.added_by_role)).one() == "lawyer"


def test_nothing_can_be_edited_or_deleted(ready_app: Flask) -> None:
    """Records are evidence: no route changes or removes one, whoever asks."""
    rules = [r for r in ready_app.url_map.iter_rules() if "correspondence" in r.rule]
    assert rules
    for rule in rules:
        assert (rule.methods or set()) <= {"GET", "HEAD", "OPTIONS", "POST"}
    assert not [
        r
        for r in ready_app.url_map.iter_rules()
        if "/files/" in r.rule and "POST" in (r.methods or set())
    ]


# ----------------------------------------------------------------------------- hostile


HOSTILE = [
    (b"", "vide.pdf", 400, "it is empty"),
    (good_png(), "lettre.pdf", 400, "does not match its extension"),
    (b"MZ\x90\x00" + b"\0" * 200, "programme.exe", 400, "not accepted"),
    (good_pdf(encrypted=True), "protege.pdf", 400, "password-protected or encrypted"),
    (huge_png_header(), "photo.png", 400, "too many pixels"),
    (b"hello\nthis is not an e-mail\n", "courriel.eml", 400, "cannot be read"),
]


def test_hostile_uploads_are_refused_and_nothing_is_stored(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    page = "/my/correspondence?lang=en"
    before = counts(ready_app)
    for content, name, status, words in HOSTILE:
        # A good file beside the bad one: the whole form is refused all the same.
        response = send(client, page, [(good_pdf(), "bon.pdf"), (content, name)])
        text = response.get_data(as_text=True)
        assert response.status_code == status, (name, text[:500])
        assert name in text, name
        assert words in text, name
        assert "Nothing was saved" in text
        assert counts(ready_app) == before, name


def test_too_many_files_and_too_large_bodies_are_refused(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    before = counts(ready_app)
    six = [(good_png(), f"p{i}.png") for i in range(6)]
    response = send(client, "/my/correspondence?lang=en", six)
    assert response.status_code == 400
    assert "at most 5 files" in response.get_data(as_text=True)
    limit = settings_of(ready_app).max_upload_bytes
    # Built by hand: the test client would spool a big form to a temporary file that it never
    # closes once the server refuses to read it (see test_api.py).
    body = (
        b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n" + bytes(limit) + b"\r\n--b--\r\n"
    )
    big = client.post(
        "/my/correspondence?lang=en", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert big.status_code == 413
    assert "larger than the maximum" in big.get_data(as_text=True)
    assert counts(ready_app) == before


def test_a_javascript_pdf_is_accepted_cleaned_and_the_removal_shown(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    made = send(client, "/my/correspondence?lang=en", [(good_pdf(javascript=True), "js.pdf")])
    assert made.status_code == 303
    listing = client.get("/my/correspondence?lang=en").get_data(as_text=True)
    assert "Removed for your safety" in listing
    assert "JavaScript" in listing
    with ready_app.app_context():
        stored = db.session().scalars(select(StoredFile)).one()
    assert "javascript" in stored.removed.split()
    pdf = client.get(f"/my/files/{stored.id}/pdf").data
    assert b"/JavaScript" not in pdf


def test_a_wrong_field_refuses_the_form_before_any_file_is_stored(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    before = counts(ready_app)
    response = send(client, "/my/correspondence?lang=en", [(good_pdf(), "a.pdf")], channel="email")
    assert response.status_code == 400
    assert "registered mail only" in response.get_data(as_text=True)
    assert counts(ready_app) == before


# ----------------------------------------------------------------------------- IDOR


def test_files_and_correspondence_of_others_answer_404(ready_app: Flask) -> None:
    owner, me = signed_in(ready_app, Role.MIGRANT)
    assert send(owner, "/my/correspondence", [(good_pdf(), "a.pdf")]).status_code == 303
    with ready_app.app_context():
        file_id = db.session().scalars(select(StoredFile.id)).one()
    assert me.person_id is not None
    other, _ = signed_in(ready_app, Role.MIGRANT)
    assert other.get(f"/my/files/{file_id}/pdf").status_code == 404
    assert other.get(f"/my/files/{file_id}/original").status_code == 404
    lawyer, _ = signed_in(ready_app, Role.LAWYER)  # no mandate
    for path in (
        f"/lawyer/clients/{me.person_id}/correspondence",
        f"/lawyer/clients/{me.person_id}/files/{file_id}/pdf",
    ):
        assert lawyer.get(path).status_code == 404, path
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    elsewhere = make_person(ready_app, "Autre", "Dossier")
    assert agent.get(f"/agent/persons/{elsewhere}/files/{file_id}/pdf").status_code == 404
    assert agent.get(f"/agent/persons/{me.person_id}/files/{file_id}/original").status_code == 200
    stranger, _ = signed_in(ready_app, Role.OFII_AGENT, office=None)
    for path in (
        f"/agent/persons/{me.person_id}/correspondence",
        f"/agent/persons/{me.person_id}/files/{file_id}/pdf",
    ):
        assert stranger.get(path).status_code == 404, path
