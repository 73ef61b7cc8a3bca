"""The visitor's language (French, English or Arabic) and the messages in it.

Messages are gettext catalogues, ``verifier/translations/<lang>/LC_MESSAGES/messages.po``,
compiled to ``.mo`` by ``make`` (``pybabel compile``). A msgid is the message's stable key
(``prefecture-title``, ``not-found``): the API returns the same key as its error code beside
the translated text, keys are composed from enums (``type-<certificate type>``), and the French
text sits beside each English and Arabic entry as the translator's comment. Placeholders are
``%(name)s``; a literal percent sign is ``%%``.

Flask-Babel chooses the language of a request (``_negotiate``): the switcher's explicit
``?lang=``, then the signed-in account's language, then the ``sceau_lang`` cookie the
switcher sets for visitors, then the browser's Accept-Language, then French. A signed-in
person who uses the switcher changes their account's language, so e-mails and letters follow.

A message missing in English or Arabic falls back to French, then to its key: a gap shows as
an untranslated string rather than a 500 (tests/verifier/test_i18n.py keeps the catalogues
complete). A ``.mo`` missing or older than its ``.po`` (a checkout where ``make`` has not run)
is compiled in memory, with a warning.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel

if TYPE_CHECKING:
    from verifier.models import User

__all__ = [
    "COOKIE",
    "DEFAULT",
    "LANGUAGES",
    "TRANSLATIONS",
    "chosen_language",
    "current_language",
    "direction",
    "gettext",
    "has_message",
    "init_app",
    "message_keys",
    "translate",
    "translated",
]

LANGUAGES = ("fr", "en", "ar")
DEFAULT = "fr"
COOKIE = "sceau_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"

log = logging.getLogger(__name__)


def _paths(language: str) -> tuple[Path, Path]:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _compile_in_memory(po: Path) -> Translations:
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _load(language: str) -> _gettext.NullTranslations:
    po, mo = _paths(language)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return Translations(compiled, domain=DOMAIN)
    if not po.exists():
        log.error("no message catalogue for %r in %s", language, TRANSLATIONS)
        return _gettext.NullTranslations()
    log.warning("%s is missing or older than its .po: compiled in memory (run make)", mo)
    return _compile_in_memory(po)


@functools.cache
def _catalog(language: str) -> _gettext.NullTranslations:
    """``language``'s catalogue, falling back to French's for a missing message."""
    catalog = _load(language)
    if language != DEFAULT:
        catalog.add_fallback(_catalog(DEFAULT))
    return catalog


def message_keys(language: str = DEFAULT) -> frozenset[str]:
    """Every msgid of ``language``'s catalogue (read from the ``.po``, the source)."""
    po, _ = _paths(language)
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    return frozenset(str(message.id) for message in catalog if message.id)


def has_message(key: str) -> bool:
    """Whether ``key`` is a message of the catalogues (a code without one shows as itself)."""
    return _catalog(DEFAULT).gettext(key) != key


class _Params(dict[str, object]):
    """A placeholder with no value shows as a dash, never a KeyError in a page."""

    def __missing__(self, key: str) -> object:
        return "—"


def translate(
    key: str, params: Mapping[str, object] | None = None, *, lang: str | None = None
) -> str:
    """The message ``key`` in ``lang`` (the visitor's by default), ``%(name)s`` filled."""
    language = lang if lang in LANGUAGES else current_language()
    template = _catalog(language).gettext(key)
    # Always formatted, so that a catalogue's %% means % whether or not there are params.
    return template % _Params(params or {})


def gettext(key: str, /, **params: object) -> str:
    """The message ``key`` in the visitor's language, ``%(name)s`` filled from ``params``."""
    return translate(key, params)


def translated(key: str, /, lang: str | None = None, **params: object) -> str:
    """``translate`` for call sites that name the language beside the message's params."""
    return translate(key, params, lang=lang)


def _account() -> User | None:
    from verifier.accounts import signed_in_user  # accounts words its errors with this module

    return signed_in_user()


def _account_language() -> str | None:
    user = _account()
    language = user.preferred_language if user is not None else None
    return language if language in LANGUAGES else None


def chosen_language() -> str | None:
    """The language the visitor picked with the switcher (this request's ``?lang=`` or the
    cookie it left), or None: a choice, not a guess from the browser."""
    if not has_request_context():
        return None
    for picked in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if picked in LANGUAGES:
            return picked
    return None


def _negotiate() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = _account_language() or request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(LANGUAGES)
    return best or DEFAULT


def current_language() -> str:
    if not has_request_context():
        return DEFAULT
    if "sceau_lang" not in g:
        g.sceau_lang = _negotiate()
    found: str = g.sceau_lang
    return found


def direction(language: str | None = None) -> str:
    return "rtl" if (language or current_language()) == "ar" else "ltr"


def _template_context() -> dict[str, object]:
    language = current_language()
    return {"lang": language, "dir": direction(language), "_": gettext, "languages": LANGUAGES}


def _remember_choice(response: Response) -> Response:
    """An explicit ``?lang=`` on a page becomes the visitor's choice for the next ones: a
    cookie, and the account's language when signed in."""
    asked = request.args.get("lang")
    if asked not in LANGUAGES or response.mimetype != "text/html":
        return response
    response.set_cookie(
        COOKIE,
        asked,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    if _account_language() not in (None, asked):
        _save_account_language(asked)
    return response


def _save_account_language(language: str) -> None:
    from verifier import db

    user = _account()
    if user is not None:
        user.preferred_language = language
        db.session().commit()


def init_app(app: Flask) -> None:
    babel = Babel()
    babel.init_app(
        app,
        locale_selector=current_language,
        default_locale=DEFAULT,
        default_domain=DOMAIN,
        default_translation_directories=str(TRANSLATIONS),
    )
    # Templates and macros imported without context get the same ``_`` as the pages.
    app.jinja_env.globals.update(_=gettext, gettext=gettext)
    app.context_processor(_template_context)
    app.after_request(_remember_choice)
