"""The message catalogues (gettext, verifier/translations) and the choice of language.

A migrant reading Arabic must never meet a key or a French sentence in the middle of a page,
and a translator's slip in a placeholder must not become a 500: the catalogues are checked
whole here, and every message the code and templates name is found in them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.verifier.conftest import make_account, sign_in
from verifier import db
from verifier.i18n import LANGUAGES, TRANSLATIONS, has_message, message_keys, translate
from verifier.models import Role, User

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_text_in_every_language(language: str) -> None:
    catalog = _catalog(language)
    assert {str(m.id) for m in catalog if m.id} == message_keys("fr")
    for message in catalog:
        if not message.id:
            continue
        assert isinstance(message.string, str), message.id
        assert message.string.strip(), f"{language}: {message.id} has no text"
        assert message.string != message.id, f"{language}: {message.id} is its own key"
        assert not message.fuzzy, f"{language}: {message.id} is fuzzy"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_placeholders_are_those_of_the_french_text(language: str) -> None:
    french = {str(m.id): str(m.string) for m in _catalog("fr") if m.id}
    for message in _catalog(language):
        if not message.id:
            continue
        ours = set(PLACEHOLDER.findall(str(message.string)))
        assert ours == set(PLACEHOLDER.findall(french[str(message.id)])), (language, message.id)


def test_catalogues_compile_without_errors(tmp_path: Path) -> None:
    """What `make catalogs` runs, with its format checks; a % alone would fail here."""
    for language in LANGUAGES:
        for message, errors in _catalog(language).check():
            assert not errors, (language, message.id, errors)
    target = tmp_path / "translations"
    subprocess.run(["cp", "-r", str(TRANSLATIONS), str(target)], check=True, capture_output=True)
    compiled = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stderr
    for language in LANGUAGES:
        assert (target / language / "LC_MESSAGES" / "messages.mo").stat().st_size > 1000


def test_every_message_the_code_and_templates_name_is_in_the_catalogues() -> None:
    """The keys `pybabel extract -F babel.cfg` finds (literal `_('key')`, `gettext('key')`,
    `translate('key')`...) exist; keys composed at run time are walked by their own tests."""
    found = extract_from_dir(
        str(ROOT),
        method_map=[("verifier/**.py", "python"), ("templates/**.html", "jinja2")],
        keywords={"_": None, "gettext": None, "translate": None, "translated": None, "t": None},
    )
    named = {(filename, lineno, message) for filename, lineno, message, _, _ in found}
    assert len(named) > 300  # the extraction sees the templates and the code
    missing = sorted(
        f"{filename}:{lineno} {message}"
        for filename, lineno, message in named
        if isinstance(message, str) and not has_message(message)
    )
    assert not missing, missing


def test_a_percent_sign_and_a_missing_value_never_break_a_page() -> None:
    assert translate("too-large", {"limit": 20}, lang="fr") == (
        "Le fichier dépasse la taille maximale de 20 Mo."
    )
    assert "—" in translate("too-large", lang="en")  # the value is missing: a dash
    assert translate("no-such-message", lang="ar") == "no-such-message"


# ----------------------------------------------------------------------------- choice


def _lang_of(client: FlaskClient, path: str = "/", **headers: str) -> str:
    page = client.get(path, headers=headers).get_data(as_text=True)
    match = re.search(r'<html lang="(\w+)" dir="(\w+)"', page)
    assert match is not None, page[:300]
    return f"{match.group(1)}/{match.group(2)}"


def test_the_browser_language_then_french(client: FlaskClient) -> None:
    assert _lang_of(client, **{"Accept-Language": "ar-MA,ar;q=0.9"}) == "ar/rtl"
    assert _lang_of(client, **{"Accept-Language": "en-GB,en;q=0.8"}) == "en/ltr"
    assert _lang_of(client, **{"Accept-Language": "de-DE"}) == "fr/ltr"
    assert _lang_of(client) == "fr/ltr"


def test_the_switcher_wins_and_is_remembered(client: FlaskClient) -> None:
    assert _lang_of(client, "/?lang=ar", **{"Accept-Language": "en"}) == "ar/rtl"
    assert _lang_of(client, "/", **{"Accept-Language": "en"}) == "ar/rtl"  # the cookie


def test_the_account_language_comes_before_the_browser_and_follows_the_switcher(
    ready_app: Flask,
) -> None:
    migrant = make_account(ready_app, Role.MIGRANT)
    with ready_app.app_context():
        db.session().get(User, migrant.id).preferred_language = "ar"  # type: ignore[union-attr]
        db.session().commit()
    client = ready_app.test_client()
    sign_in(client, migrant)
    assert _lang_of(client, "/my", **{"Accept-Language": "en"}) == "ar/rtl"
    assert _lang_of(client, "/my?lang=en") == "en/ltr"
    with ready_app.app_context():
        assert db.session().get(User, migrant.id).preferred_language == "en"  # type: ignore[union-attr]
    # A new session of the same person (another device, no cookie) opens in English.
    other = ready_app.test_client()
    sign_in(other, migrant)
    assert _lang_of(other, "/my", **{"Accept-Language": "ar"}) == "en/ltr"


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "n'existe pas"), ("en", "does not exist"), ("ar", "غير موجود")],
)
def test_api_errors_carry_a_stable_code_and_a_translated_text(
    client: FlaskClient, language: str, words: str
) -> None:
    response = client.get("/api/v1/certificates/nothing", headers={"Accept-Language": language})
    assert response.status_code in (401, 404)
    body = response.get_json()
    assert body["error"] in ("certificate-not-found", "unauthorized", "not-found")
    assert response.headers["Content-Language"] == language
    missing = client.get("/api/v1/no-such-route", headers={"Accept-Language": language})
    assert missing.get_json() == {
        "error": "not-found",
        "message": translate("not-found", lang=language),
    }
    assert words in missing.get_json()["message"]
