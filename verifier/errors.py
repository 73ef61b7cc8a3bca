"""Errors the service answers with: a status, a stable code and a message in the visitor's
language; JSON under /api/, an HTML page elsewhere.

Every HTTP error goes through here (Werkzeug's 404/405/413/429 included), so a client never
gets Werkzeug's English HTML in the middle of a JSON API, and an unexpected exception becomes a
500 whose message says nothing was recorded (the unit of work was rolled back).

A database that cannot be reached (PostgreSQL restarting, a failover, the network) is not the
client's fault nor a bug: it answers 503 ``database-unavailable`` with ``Retry-After``, so that
a phone's visitor reads "try again in a moment" and a load balancer or API client retries. The
engine's pool drops the dead connections (verifier/db.py), so the same process serves again as
soon as the database is back.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from verifier.config import settings_of
from verifier.i18n import current_language, translate
from verifier.logs import route_of

__all__ = [
    "DATABASE_RETRY_AFTER",
    "ApiError",
    "ScanError",
    "database_unreachable",
    "init_app",
    "prefers_json",
    "respond",
]

log = logging.getLogger(__name__)

# Werkzeug's status codes -> our stable error codes.
_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
}

#: Seconds a client is told to wait when the database cannot be reached: a PostgreSQL restart
#: or a failover to a replica takes about that long.
DATABASE_RETRY_AFTER = 5


class ApiError(Exception):
    """An answer the client must change its request to avoid (or be allowed to make)."""

    def __init__(
        self, status: int, code: str, *, field: str | None = None, **params: object
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.params = {"field": field, **params} if field is not None else params


class ScanError(ValueError):
    """No seal can be read from what was given (verifier/scan.py): not an image or PDF we
    read, too large, a decompression bomb, no QR code, a QR code that is not a seal, or
    several different seals. ``code`` is stable; the message says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def prefers_json() -> bool:
    """True when the client ranks application/json strictly above text/html (a verifier app
    fetching a seal URL): it gets JSON answers, errors included, on any path."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/.well-known/")) or prefers_json()


def respond(
    status: int, code: str, *, field: str | None = None, params: dict[str, object] | None = None
) -> ResponseReturnValue:
    message = translate(code, params)
    if _wants_json():
        body: dict[str, object] = {"error": code, "message": message}
        if field is not None:
            body["field"] = field
        response = jsonify(body)
    else:
        page = render_template("error.html", status=status, code=code, message=message)
        response = make_response(page)
    response.status_code = status
    response.headers["Content-Language"] = current_language()
    return response


def _api_error(error: ApiError) -> ResponseReturnValue:
    return respond(error.status, error.code, field=error.field, params=error.params)


def _http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    code = _HTTP_CODES.get(status, "bad-request" if status < 500 else "internal-error")
    params: dict[str, object] = {}
    if code == "too-large":
        params["limit"] = settings_of(current_app).max_upload_bytes // (1024 * 1024)
    if code == "unsupported-media-type":
        params["expected"] = "application/json"
    response = make_response(respond(status, code, params=params))
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached now (connection refused or lost,
    server shutting down, no pooled connection free in time), rather than a wrong query."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _database_unavailable(error: Exception) -> ResponseReturnValue:
    # The URL rule, not the path: a seal URL carries the holder's name.
    rule = request.url_rule.rule if request.url_rule is not None else "-"
    cause = type(getattr(error, "orig", None) or error).__name__
    log.warning("database unavailable on %s %s: %s", request.method, rule, cause)
    params: dict[str, object] = {"seconds": DATABASE_RETRY_AFTER}
    # The page's layout names the signed-in account, which it would load from the database:
    # render it for an anonymous visitor; and should anything else need the database, plain
    # text in the visitor's language still beats Flask's bare 500.
    g._login_user = AnonymousUserMixin()
    try:
        response = make_response(respond(503, "database-unavailable", params=params))
    except Exception as again:
        if not database_unreachable(again):
            raise
        response = make_response(translate("database-unavailable", params))
        response.mimetype = "text/plain"
        response.status_code = 503
        response.headers["Content-Language"] = current_language()
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def _unexpected(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException):
        return _http_error(error)
    if database_unreachable(error):
        return _database_unavailable(error)
    # The URL rule, not the path: a path can carry a seal payload or a name (verifier/logs.py).
    log.exception("unexpected error on %s %s", request.method, route_of())
    return respond(500, "internal-error")


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
