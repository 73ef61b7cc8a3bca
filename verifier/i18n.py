"""The visitor's language (French, English or Arabic) and the messages in it.

Order of choice: an explicit ``?lang=``, then the ``sceau_lang`` cookie the pages set when a
visitor picks a language, then the browser's Accept-Language, then French. Message texts live
in catalogs (verifier/messages.py for errors and the API, verifier/page_messages.py for pages);
a key missing in one language falls back to French, then to the key itself, so a gap shows as
an untranslated string rather than a 500.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, g, has_request_context, request

from verifier.auth_messages import AUTH_MESSAGES
from verifier.journey_messages import JOURNEY_MESSAGES
from verifier.log_messages import LOG_MESSAGES
from verifier.messages import MESSAGES
from verifier.pack_messages import PACK_MESSAGES
from verifier.page_messages import PAGE_MESSAGES
from verifier.portal_messages import PORTAL_MESSAGES
from verifier.timeline_messages import TIMELINE_MESSAGES

__all__ = [
    "COOKIE",
    "LANGUAGES",
    "current_language",
    "direction",
    "gettext",
    "init_app",
    "translate",
]

LANGUAGES = ("fr", "en", "ar")
DEFAULT = "fr"
COOKIE = "sceau_lang"
_CATALOG: Mapping[str, Mapping[str, str]] = {
    **MESSAGES,
    **PAGE_MESSAGES,
    **AUTH_MESSAGES,
    **PORTAL_MESSAGES,
    **JOURNEY_MESSAGES,
    **TIMELINE_MESSAGES,
    **PACK_MESSAGES,
    **LOG_MESSAGES,
}


def _negotiate() -> str:
    asked = request.args.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
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


def translate(
    key: str, params: Mapping[str, object] | None = None, *, lang: str | None = None
) -> str:
    texts = _CATALOG.get(key, {})
    template = texts.get(lang or current_language()) or texts.get(DEFAULT) or key
    return template.format(**params) if params else template


def gettext(key: str, /, **params: object) -> str:
    """The message ``key`` in the visitor's language, ``{name}`` filled from ``params``."""
    return translate(key, params)


def _template_context() -> dict[str, object]:
    language = current_language()
    return {"lang": language, "dir": direction(language), "_": gettext, "languages": LANGUAGES}


COOKIE_MAX_AGE = 365 * 24 * 3600


def _remember_choice(response: Response) -> Response:
    """An explicit ``?lang=`` on any page becomes the visitor's choice for the next ones."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and response.mimetype == "text/html":
        response.set_cookie(
            COOKIE,
            asked,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure,
            httponly=True,
        )
    return response


def init_app(app: Flask) -> None:
    app.context_processor(_template_context)
    app.after_request(_remember_choice)
