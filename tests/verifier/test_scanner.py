"""The QR scanner of the home and prefecture pages: its block and scripts, the camera allowed
there and nowhere else, the keyboard-wedge reading (AZERTY-mangled URLs), the public scan form,
and the vendored decoder matching what package-lock.json pins."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from signing.errors import SealFormatError
from signing.keys import KeyPurpose
from signing.seal import decode, encode
from tests.signing.conftest import make_claims
from tests.signing.memory_store import MemoryKeyStore
from tests.verifier.conftest import Staff, form_token, make_person
from tests.verifier.test_portal import issue_for, signed_in
from verifier.i18n import LANGUAGES, translate
from verifier.models import Role
from verifier.security import PERMISSIONS, PERMISSIONS_WITH_CAMERA
from verifier.wedge import US_ON_AZERTY, from_azerty, scanned_seal_path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "verifier" / "static" / "vendor"
STATES = (
    *("starting", "scanning", "stopped", "found", "not-sceau"),
    *("denied", "no-camera", "unavailable", "failed"),
)


def _on_azerty(text: str) -> str:
    """What an AZERTY computer shows when a US-layout barcode reader types ``text``."""
    return "".join(US_ON_AZERTY.get(char, char) for char in text)


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def seal_url() -> str:
    store = MemoryKeyStore()
    key = store.generate(purpose=KeyPurpose.SEAL)
    return encode(make_claims(), store, key.key_id, base_url="http://127.0.0.1:8000")


# ----------------------------------------------------------------------------- the decoder


def test_the_committed_decoder_is_the_one_package_lock_pins() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    package = json.loads((ROOT / "package.json").read_text())
    assert package["private"] is True
    assert package["dependencies"]["jsqr"] == "1.4.0"  # exact: no ^ or ~ range
    pinned = lock["packages"]["node_modules/jsqr"]["version"]
    lines = [
        line.split()
        for line in (VENDOR / "VERSIONS.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == [["jsqr", pinned, "jsQR.js", lines[0][3]]]
    assert hashlib.sha256((VENDOR / "jsQR.js").read_bytes()).hexdigest() == lines[0][3]
    assert (VENDOR / "jsQR.LICENSE.txt").read_text().lstrip().startswith("Apache License")


# ----------------------------------------------------------------------------- keyboard wedge


def test_a_us_reader_on_an_azerty_computer_types_what_the_layouts_say() -> None:
    # Worked out key by key (US position -> French PC layout), not from the table under test.
    assert _on_azerty("HTTP://127.0.0.1:8000/V/") == "HTTPM!!&éè:à:à:&M_ààà!V!"
    assert _on_azerty("HTTPS://SCEAU-OFII.EXAMPLE.FR/V/QAZWM234567") == (
        "HTTPSM!!SCEQU)OFII:EXQ?PLE:FR!V!AQWZ?é\"'(-è"
    )
    assert from_azerty("HTTPM!!&éè:à:à:&M_ààà!V!") == "HTTP://127.0.0.1:8000/V/"
    # One-to-one, so that every mangled text has exactly one reading.
    assert len(set(US_ON_AZERTY.values())) == len(US_ON_AZERTY)


def test_a_scanned_seal_is_read_as_typed_with_whitespace_around(seal_url: str) -> None:
    expected = _path(seal_url)
    assert scanned_seal_path(seal_url) == expected
    assert scanned_seal_path(f"  {seal_url}\r\n") == expected  # the reader's Enter, a paste
    assert scanned_seal_path(seal_url.lower() + "/") == expected  # a chat app's copy


def test_an_azerty_mangled_seal_url_is_read_back(seal_url: str) -> None:
    mangled = _on_azerty(seal_url)
    with pytest.raises(SealFormatError):
        decode(mangled)  # as typed, not a seal
    assert scanned_seal_path(mangled + "\n") == _path(seal_url)


def test_garbage_is_not_a_seal_either_way() -> None:
    for text in ("", "   ", "not a seal", "https://example.org/", "HTTPM!!EXQ?PLE:ORG!V!é"):
        with pytest.raises(SealFormatError):
            scanned_seal_path(text)


# ----------------------------------------------------------------------------- the pages


def _prefecture_agent(app: Flask) -> FlaskClient:
    agent, _ = signed_in(app, Role.PREFECTURE_AGENT)
    return agent


def test_the_home_and_prefecture_pages_carry_the_scanner(ready_app: Flask) -> None:
    anonymous = ready_app.test_client()
    agent = _prefecture_agent(ready_app)
    for client, path in ((anonymous, "/"), (agent, "/prefecture")):
        for lang in LANGUAGES:
            page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
            assert "data-scanner" in page, path
            assert '<script src="/static/vendor/jsQR.js" defer></script>' in page
            assert '<script src="/static/scan.js" defer></script>' in page
            assert re.search(r'role="status" aria-live="polite" data-scanner-status', page)
            assert f">{translate('scanner-start', lang=lang)}</button>" in page
            assert f">{translate('scanner-stop', lang=lang)}</button>" in page
            assert '<label for="seal">' in page
            for state in STATES:  # the script's words, translated by the server
                text = translate(f"scanner-status-{state}", lang=lang)
                assert f'data-text-{state}="{text}"' in page.replace("&#39;", "'"), state
    # The prefecture desk's reader types into the focused field; a visitor's page keeps focus
    # at the top, where a screen reader starts.
    assert re.search(r"<input id=\"seal\"[^>]*autofocus", agent.get("/prefecture").text)
    assert "autofocus" not in anonymous.get("/").text
    # The home page still offers the upload and, to visitors, signing in.
    home = anonymous.get("/?lang=en").text
    assert 'href="/verifier"' in home
    assert translate("home-sign-in", lang="en") in home
    assert translate("home-sign-in", lang="en") not in agent.get("/?lang=en").text


def test_the_scripts_are_served_from_this_origin(client: FlaskClient) -> None:
    for path in ("/static/scan.js", "/static/vendor/jsQR.js"):
        with client.get(path) as answer:
            assert answer.status_code == 200, path
            assert "javascript" in answer.content_type
    with client.get("/static/scan.js") as answer:
        script = answer.get_data(as_text=True)
    assert "getUserMedia" in script
    assert "facingMode" in script
    assert "BarcodeDetector" in script
    assert "jsQR" in script


def test_the_camera_is_allowed_only_where_the_scanner_is(ready_app: Flask, staff: Staff) -> None:
    anonymous = ready_app.test_client()
    agent = _prefecture_agent(ready_app)
    made = issue_for(ready_app.test_client(), staff, make_person(ready_app))
    token = form_token(anonymous, "/")
    scanning = [
        anonymous.get("/"),
        anonymous.post("/scan", data={"seal": "nope", "csrf_token": token}),
        agent.get("/prefecture"),
        agent.post(
            "/prefecture", data={"seal": "nope", "csrf_token": form_token(agent, "/prefecture")}
        ),
    ]
    for answer in scanning:
        assert answer.headers["Permissions-Policy"] == PERMISSIONS_WITH_CAMERA
        assert "camera=(self)" in answer.headers["Permissions-Policy"]
    elsewhere = [
        anonymous.get("/verifier"),
        anonymous.get("/sign-in"),
        anonymous.get(_path(made["seal_url"])),
        anonymous.get("/api/v1/openapi.json"),
        anonymous.get("/nowhere"),
        agent.get(_path(made["seal_url"])),
    ]
    for answer in elsewhere:
        assert answer.headers["Permissions-Policy"] == PERMISSIONS
        assert "camera=()" in answer.headers["Permissions-Policy"]


def test_an_azerty_scan_on_the_prefecture_page_opens_the_seal_page(
    ready_app: Flask, staff: Staff
) -> None:
    made = issue_for(ready_app.test_client(), staff, make_person(ready_app))
    agent = _prefecture_agent(ready_app)
    token = form_token(agent, "/prefecture")
    mangled = _on_azerty(made["seal_url"]) + "\r\n"
    moved = agent.post("/prefecture", data={"seal": mangled, "csrf_token": token})
    assert moved.status_code == 303
    assert moved.headers["Location"] == _path(made["seal_url"])
    page = agent.get(moved.headers["Location"]).text
    assert 'data-status="valid"' in page
    assert 'data-history="issued"' in page  # the prefecture agent's view of the seal page


def test_the_public_scan_form_takes_anyone_to_this_sites_seal_page(
    ready_app: Flask, staff: Staff
) -> None:
    made = issue_for(ready_app.test_client(), staff, make_person(ready_app))
    visitor = ready_app.test_client()
    token = form_token(visitor, "/")
    for scanned in (
        made["seal_url"],
        f" {made['seal_url']}\n",
        "https://evil.example" + _path(made["seal_url"]),  # never an open redirect
        _on_azerty(made["seal_url"]),
    ):
        moved = visitor.post("/scan", data={"seal": scanned, "csrf_token": token})
        assert moved.status_code == 303, scanned
        assert moved.headers["Location"] == _path(made["seal_url"])
    landed = visitor.get(_path(made["seal_url"])).text
    assert 'data-status="valid"' in landed
    assert "data-history" not in landed  # an anonymous visitor: no status history
    assert visitor.post("/scan", data={"seal": made["seal_url"]}).status_code == 400  # no CSRF


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_scan_that_is_not_a_seal_is_a_400_in_the_visitors_language(
    ready_app: Flask, lang: str
) -> None:
    visitor = ready_app.test_client()
    agent = _prefecture_agent(ready_app)
    message = translate("scanner-error-seal", lang=lang)
    for client, page in ((visitor, "/"), (agent, "/prefecture")):
        action = "/scan" if page == "/" else "/prefecture"
        token = form_token(client, page)
        garbage = "HTTPM!!EXQ?PLE:ORG <b>bold</b>"
        answer = client.post(f"{action}?lang={lang}", data={"seal": garbage, "csrf_token": token})
        assert answer.status_code == 400
        text = answer.text.replace("&#39;", "'")
        assert "data-error" in text
        assert message in text
        assert "<b>bold</b>" not in text  # the rejected text is shown, escaped
        assert "HTTPM!!EXQ?PLE:ORG &lt;b&gt;bold&lt;/b&gt;" in text
        # The field is empty again: a reader's next scan is not appended to the rejected text.
        field = re.search(r"<input id=\"seal\"[^>]*>", text)
        assert field is not None
        assert "value=" not in field.group(0)
        assert 'aria-invalid="true"' in field.group(0)
        assert "data-scanner" in text  # the scanner is still there to try again
