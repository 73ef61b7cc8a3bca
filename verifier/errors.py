"""Errors the service answers with: a status, a stable code and a message in the visitor's
language; JSON under /api/, an HTML page elsewhere.

Every HTTP error goes through here (Werkzeug's 404/405/413/429 included), so a client never
gets Werkzeug's English HTML in the middle of a JSON API, and an unexpected exception becomes a
500 whose message says nothing was recorded (the unit of work was rolled back).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from verifier.config import settings_of
from verifier.i18n import current_language, translate

__all__ = ["ApiError", "ScanError", "init_app", "prefers_json", "respond"]

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


def _unexpected(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException):
        return _http_error(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return respond(500, "internal-error")


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
