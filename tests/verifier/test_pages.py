"""The public pages as a prefecture agent meets them: the seal page a phone camera opens, in
French, English and Arabic, for every status; the PDF drop page; the home page; the language
that sticks. And what they must never do: show the foreigner number, trust a forged seal's
claims, answer 500 to a damaged link, or carry inline script."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pikepdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from signing.seal import (
    BirthDate,
    CertificateType,
    SealClaims,
    decode,
    encode,
    new_certificate_id,
)
from tests.verifier.conftest import Staff, form_token, issue_body
from verifier import db, verification_log
from verifier.i18n import COOKIE, LANGUAGES, has_message, translate
from verifier.instance import keyring
from verifier.models import Certificate, RevocationReason, VerificationEvent
from verifier.tokens import Scope

FOREIGNER_NUMBER = "7501234567"  # in issue_body(); never on a page
HOLDER = "N'Guessan-Kouamé"  # the CIVIC_TRAINING sample holder, accents and apostrophe kept
STATUSES = ("valid", "revoked", "superseded", "expired", "not-genuine", "unregistered")
# The reasons verifier/verification.py's check_document can give.
DOCUMENT_REASONS = (
    "content-appended-after-signing",
    "signed-content-altered",
    "signature-invalid",
    "signer-not-trusted",
    "not-signed",
    "signature-unreadable",
    "not-in-register",
)


def _issue(client: FlaskClient, staff: Staff, key: str, **body: object) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/certificates",
        json=issue_body(**body),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": key}),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def _path(seal_url: str) -> str:
    """What the browser requests for a seal URL: the path (scheme and host lowercased)."""
    return urlsplit(seal_url).path


def _text(page: bytes | str) -> str:
    return html.unescape(page if isinstance(page, str) else page.decode("utf-8"))


def _marker(page: str, attribute: str = "data-status") -> list[str]:
    return re.findall(rf'{attribute}="([a-z-]+)"', page)


def _unregistered_url(app: Flask) -> str:
    """A seal genuinely signed by the instance key, for a certificate never registered."""
    with app.app_context():
        keys = keyring()
        claims = SealClaims(
            certificate_id=new_certificate_id(),
            certificate_type=CertificateType.LANGUAGE_TRAINING,
            family_name="Fantôme",
            given_names="Jean",
            birth_date=BirthDate(1990, 5),
            issued_on=date.today(),
            valid_until=date.today() + timedelta(days=30),
            office="DT-PARIS",
        )
        return encode(claims, keys.store, keys.seal_key_id, base_url=keys.base_url)


def _forged(seal_url: str) -> str:
    """One base32 character changed inside the signature (r): still a well-formed seal."""
    base, payload = seal_url.rsplit("/", 1)
    index = len(payload) - 80
    changed = "A" if payload[index] != "A" else "B"
    return f"{base}/{payload[:index]}{changed}{payload[index + 1 :]}"


def _expire(app: Flask, certificate_id: str) -> None:
    """Keys are valid from today only, so an expired certificate is made in the register."""
    with app.app_context():
        session = db.session()
        row = session.get(Certificate, certificate_id)
        assert row is not None
        row.valid_until = date.today() - timedelta(days=10)
        session.commit()


@dataclass
class Seals:
    """One seal URL per status, all in the same instance."""

    urls: dict[str, str]


@pytest.fixture
def seals(ready_app: Flask, staff: Staff) -> Seals:
    client = ready_app.test_client()
    valid = _issue(client, staff, "valid")
    revoked = _issue(client, staff, "revoked")
    answer = client.post(
        f"/api/v1/certificates/{revoked['id']}/revoke",
        json={"reason": "fraud"},
        headers=staff.headers(Scope.REVOKE),
    )
    assert answer.status_code == 200, answer.get_json()
    old = _issue(client, staff, "old")
    _issue(client, staff, "new", supersedes=old["id"])
    expired = _issue(client, staff, "expired")
    _expire(ready_app, expired["id"])
    return Seals(
        {
            "valid": valid["seal_url"],
            "revoked": revoked["seal_url"],
            "superseded": old["seal_url"],
            "expired": expired["seal_url"],
            "not-genuine": _forged(valid["seal_url"]),
            "unregistered": _unregistered_url(ready_app),
        }
    )


@pytest.fixture
def client(ready_app: Flask) -> FlaskClient:
    """Every page test runs on an initialised instance: verifying needs its keys."""
    return ready_app.test_client()


# ----------------------------------------------------------------------------- seal page


def test_each_status_is_told_in_words_and_marker_in_every_language(
    client: FlaskClient, seals: Seals
) -> None:
    for status, url in seals.urls.items():
        for lang in LANGUAGES:
            response = client.get(f"{_path(url)}?lang={lang}")
            assert response.status_code == 200, (status, lang)
            page = _text(response.data)
            assert _marker(page) == [status], (status, lang)
            assert translate(f"status-{status}-title", lang=lang) in page, (status, lang)
            assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
            assert response.headers["Content-Language"] == lang
            assert FOREIGNER_NUMBER not in page


def test_a_revoked_certificate_shows_the_reason_in_words(client: FlaskClient, seals: Seals) -> None:
    for lang, reason in (("fr", "fraude"), ("en", "fraud"), ("ar", "احتيال")):
        page = _text(client.get(f"{_path(seals.urls['revoked'])}?lang={lang}").data)
        assert reason in page
        assert re.search(r"\d{2}/\d{2}/\d{4}", page)  # the revocation date


def test_an_expired_certificate_says_since_when(client: FlaskClient, seals: Seals) -> None:
    page = _text(client.get(f"{_path(seals.urls['expired'])}?lang=en").data)
    since = (date.today() - timedelta(days=9)).strftime("%d/%m/%Y")
    assert f"since {since}" in page


def test_the_holder_is_shown_as_written_unless_the_seal_is_forged(
    client: FlaskClient, seals: Seals
) -> None:
    for status in ("valid", "revoked", "superseded", "expired"):
        page = _text(client.get(_path(seals.urls[status])).data)
        assert HOLDER in page, status
        assert "Adjoua Marie-Ève" in page
        assert "XX/02/1991" in page  # the unknown birth day as XX
        assert "Formation civique" in page  # the type's title
        assert "DT-PARIS" in page
    forged = _text(client.get(_path(seals.urls["not-genuine"])).data)
    assert "GUESSAN" not in forged.upper()
    assert "1991" not in forged
    assert "<dl" not in forged  # no details at all, only the verdict and what to do


def test_an_unregistered_seal_is_not_valid_and_shows_what_the_seal_states(
    client: FlaskClient, seals: Seals
) -> None:
    page = _text(client.get(f"{_path(seals.urls['unregistered'])}?lang=fr").data)
    assert _marker(page) == ["unregistered"]
    assert "contactez l'ofii" in page.lower()
    assert "FANTOME" in page  # the seal's normalised form: the register knows nothing else
    assert "XX/05/1990" in page
    assert translate("details-from-seal", lang="fr") in page


def test_the_seal_page_shows_the_verification_code_and_dates(
    client: FlaskClient, ready_app: Flask, staff: Staff
) -> None:
    made = _issue(client, staff, "code")
    page = _text(client.get(_path(made["seal_url"])).data)
    assert decode(made["seal_url"]).claims.verification_code in page
    assert date.today().strftime("%d/%m/%Y") in page
    assert date.fromisoformat(made["valid_until"]).strftime("%d/%m/%Y") in page


def test_the_lowercase_path_and_a_trailing_slash_are_accepted(
    client: FlaskClient, seals: Seals
) -> None:
    path = _path(seals.urls["valid"])
    for variant in (path.replace("/V/", "/v/"), path + "/", "/V/" + path[3:].lower()):
        response = client.get(variant)
        assert response.status_code == 200, variant
        assert _marker(_text(response.data)) == ["valid"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("payload", ["ABC1", "AAAA", "A" * 3000, "%00", "ÉTÉ"])
def test_a_malformed_seal_is_a_400_page_in_the_visitors_language(
    client: FlaskClient, lang: str, payload: str
) -> None:
    response = client.get(f"/V/{payload}", headers={"Accept-Language": lang})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert translate("seal-unreadable", lang=lang) in _text(response.data)
    assert response.headers["Content-Language"] == lang
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_seal_page_is_never_cached_nor_leaked_by_referrer(
    client: FlaskClient, seals: Seals
) -> None:
    response = client.get(_path(seals.urls["valid"]))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Accept" in response.headers["Vary"]


def test_a_client_preferring_json_gets_what_the_api_answers(
    client: FlaskClient, seals: Seals
) -> None:
    for status, url in seals.urls.items():
        page = client.get(_path(url), headers={"Accept": "application/json"})
        assert page.mimetype == "application/json", status
        api = client.post("/api/v1/verify", json={"seal": url})
        assert page.get_json() == api.get_json(), status
        assert page.get_json()["status"] == status
    html_first = client.get(
        _path(seals.urls["valid"]), headers={"Accept": "text/html,application/json;q=0.9"}
    )
    assert html_first.mimetype == "text/html"
    browser = client.get(_path(seals.urls["valid"]), headers={"Accept": "*/*"})
    assert browser.mimetype == "text/html"
    broken = client.get("/V/ABC1", headers={"Accept": "application/json"})
    assert broken.status_code == 400
    assert broken.get_json()["error"] == "malformed-seal"


def test_a_scan_is_recorded_as_such(client: FlaskClient, ready_app: Flask, seals: Seals) -> None:
    client.get(_path(seals.urls["valid"]))
    verification_log.of(ready_app).flush()  # written in batches, at most a second later
    with ready_app.app_context():
        channels = db.session().scalars(select(VerificationEvent.channel)).all()
    assert channels == ["scan"]


# ----------------------------------------------------------------------------- upload page


def _drop(client: FlaskClient, data: bytes | None, lang: str = "fr") -> TestResponse:
    form: dict[str, object] = {"csrf_token": form_token(client, "/verifier")}
    if data is not None:
        form["file"] = (io.BytesIO(data), "c.pdf")
    return client.post(f"/verifier?lang={lang}", data=form, content_type="multipart/form-data")


def _unsigned_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        document.save(out)
    return out.getvalue()


def test_the_upload_page_is_a_plain_form(client: FlaskClient) -> None:
    page = _text(client.get("/verifier").data)
    assert 'enctype="multipart/form-data"' in page
    assert 'method="post"' in page
    assert 'type="file"' in page
    assert 'name="file"' in page


def test_dropped_documents_are_told_apart(
    client: FlaskClient, ready_app: Flask, staff: Staff
) -> None:
    made = _issue(client, staff, "drop")
    pdf = client.get(made["pdf_url"], headers=staff.headers(Scope.VERIFY)).data

    exact = _text(_drop(client, pdf).data)
    assert _marker(exact, "data-match") == ["exact-match"]
    assert _marker(exact) == ["valid"]
    assert HOLDER in exact
    assert FOREIGNER_NUMBER not in exact

    appended = _drop(client, pdf + b"\n% x\n", lang="en")
    assert appended.status_code == 200
    page = _text(appended.data)
    assert _marker(page, "data-match") == ["modified"]
    assert translate("doc-content-appended-after-signing", lang="en") in page

    inside = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else len(pdf) // 3
    altered = bytearray(pdf)
    altered[inside] ^= 0x01
    page = _text(_drop(client, bytes(altered), lang="ar").data)
    assert _marker(page, "data-match") == ["modified"]
    assert translate("doc-signed-content-altered", lang="ar") in page
    assert 'dir="rtl"' in page

    unknown = _text(_drop(client, _unsigned_pdf()).data)
    assert _marker(unknown, "data-match") == ["unknown"]
    assert _marker(unknown) == []
    assert translate("doc-not-signed", lang="fr") in unknown


def test_a_dropped_revoked_document_says_so(client: FlaskClient, staff: Staff) -> None:
    made = _issue(client, staff, "drop-revoked")
    pdf = client.get(made["pdf_url"], headers=staff.headers(Scope.VERIFY)).data
    client.post(
        f"/api/v1/certificates/{made['id']}/revoke",
        json={"reason": "data-corrected"},
        headers=staff.headers(Scope.REVOKE),
    )
    page = _text(_drop(client, pdf, lang="en").data)
    assert _marker(page, "data-match") == ["exact-match"]
    assert _marker(page) == ["revoked"]
    assert "details corrected" in page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("data", "code"),
    [(None, "upload-no-file"), (b"", "upload-empty-file"), (b"GIF89a...", "upload-not-a-pdf")],
)
def test_bad_drops_are_a_400_page_in_the_visitors_language(
    client: FlaskClient, data: bytes | None, code: str, lang: str
) -> None:
    response = _drop(client, data, lang=lang)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert translate(code, lang=lang) in _text(response.data)


def test_a_drop_is_recorded_as_an_upload(
    client: FlaskClient, ready_app: Flask, staff: Staff
) -> None:
    _drop(client, b"%PDF-1.7\n%%EOF\n")
    verification_log.of(ready_app).flush()
    with ready_app.app_context():
        channels = db.session().scalars(select(VerificationEvent.channel)).all()
    assert channels == ["upload"]


# ----------------------------------------------------------------------------- home, languages


def test_the_home_page_says_what_sceau_is_and_links_onwards(client: FlaskClient) -> None:
    for lang in LANGUAGES:
        page = _text(client.get(f"/?lang={lang}").data)
        assert translate("home-intro", lang=lang) in page
        for link in ("/verifier", "/.well-known/sceau/trust.json", "/api/v1/openapi.json"):
            assert f'href="{link}"' in page, link


def test_the_language_chosen_sticks(client: FlaskClient) -> None:
    chosen = client.get("/?lang=ar")
    cookie = chosen.headers["Set-Cookie"]
    assert f"{COOKIE}=ar" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    later = client.get("/verifier", headers={"Accept-Language": "en"})
    assert '<html lang="ar" dir="rtl">' in _text(later.data)
    # Only an explicit choice sets the language cookie (the form's session cookie may come).
    assert not any(c.startswith(f"{COOKIE}=") for c in later.headers.getlist("Set-Cookie"))
    client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in _text(client.get("/").data)
    ignored = client.get("/?lang=xx")
    assert not any(c.startswith(f"{COOKIE}=") for c in ignored.headers.getlist("Set-Cookie"))


def test_the_language_switcher_links_every_language(client: FlaskClient) -> None:
    page = _text(client.get("/").data)
    for lang in LANGUAGES:
        assert f'href="?lang={lang}"' in page


def test_pages_carry_no_inline_script_style_or_handler(client: FlaskClient, seals: Seals) -> None:
    pages = [client.get(path).data for path in ("/", "/verifier", "/nowhere", "/V/ABC1")]
    pages += [client.get(_path(url)).data for url in seals.urls.values()]
    for raw in pages:
        page = raw.decode("utf-8")
        # Scripts come from files of this origin only (the home page's QR scanner).
        assert not re.search(r"<script(?![^>]*\ssrc=\"/static/)", page)
        assert "<style" not in page
        assert " style=" not in page
        assert not re.search(r"\son[a-z]+\s*=", page)
        assert '<meta name="viewport"' in page


def test_icons_have_alt_text_and_the_static_files_are_served(
    client: FlaskClient, seals: Seals
) -> None:
    for status in STATUSES:
        page = _text(client.get(_path(seals.urls[status])).data)
        icons = re.findall(r'<img class="verdict__icon" src="([^"]+)" alt="([^"]+)"', page)
        assert len(icons) == 1, status
        with client.get(icons[0][0]) as icon:
            assert icon.mimetype == "image/svg+xml"
    with client.get("/static/sceau.css") as sheet:
        assert sheet.mimetype == "text/css"


def test_the_error_page_keeps_its_shape(client: FlaskClient) -> None:
    response = client.get("/nowhere?lang=en")
    assert response.status_code == 404
    page = _text(response.data)
    assert 'data-error="not-found"' in page
    assert translate("not-found", lang="en") in page


# ----------------------------------------------------------------------------- catalog


def test_every_code_the_pages_show_has_words_in_every_language() -> None:
    keys = [f"type-{kind}" for kind in CertificateType]
    keys += [f"reason-{reason}" for reason in RevocationReason]
    keys += [f"doc-{reason}" for reason in DOCUMENT_REASONS]
    keys += [f"status-{status}-title" for status in STATUSES]
    keys += [f"status-{status}-text" for status in STATUSES]
    for key in keys:
        assert has_message(key), key
