"""Headers and cookie settings every response carries, and CSRF protection of every form.

The Content-Security-Policy allows scripts, styles and images from this origin only: no
inline script or style, so an injected ``<script>`` in a name would not run even if escaping
failed. Frames are refused (clickjacking of the sign-in and revocation forms). HSTS is sent
only over https, where it means something (behind a proxy, SCEAU_BEHIND_PROXY=1 lets the
app see the original scheme).

The Permissions-Policy refuses the camera, microphone and location to every page, except the
camera to the pages that carry the QR scanner (verifier/static/scan.js), whose views say so with
:func:`allow_camera`: an injected script elsewhere still cannot film the desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from verifier.config import settings_of
from verifier.errors import respond

__all__ = ["CSP", "PERMISSIONS", "PERMISSIONS_WITH_CAMERA", "allow_camera", "csrf", "init_app"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"
PERMISSIONS = "camera=(), microphone=(), geolocation=()"
PERMISSIONS_WITH_CAMERA = "camera=(self), microphone=(), geolocation=()"
_CAMERA_MARK = "sceau_allows_camera"

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])

csrf = CSRFProtect()


def allow_camera(view: View) -> View:
    """Mark a view whose page carries the QR scanner: its answers let this origin use the
    camera. Put it right under the route decorator, so that the function the route registers
    is the marked one (``require_role`` and the like go below it)."""
    setattr(view, _CAMERA_MARK, True)
    return view


def _camera_allowed() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _CAMERA_MARK, False))


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    permissions = PERMISSIONS_WITH_CAMERA if _camera_allowed() else PERMISSIONS
    headers.setdefault("Permissions-Policy", permissions)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    return respond(400, "csrf-failed")


def init_app(app: Flask) -> None:
    settings = settings_of(app)
    secure = settings.seal_base_url.startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="__Host-sceau" if secure else "sceau",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    if settings.behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.after_request(_headers)
