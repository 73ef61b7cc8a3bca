"""Rate limits on anonymous verification, per client address.

A prefecture system verifying in bulk uses a token scoped ``verify`` and is exempt; anybody
else (a phone scanning a QR code, a visitor dropping a PDF) shares the limit of their address.
Counters live in Redis when SCEAU_REDIS_URL is set, so that every worker process sees the
same count; in memory otherwise (one process, development).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from verifier.config import settings_of
from verifier.tokens import Scope

__all__ = ["anonymous_verification", "init_app", "limiter"]

# One limiter for the process: its storage is set by the last init_app. A server runs one
# application per process, so this is that app's; tests build apps one after another.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def _has_verify_token() -> bool:
    from verifier.auth import current_token

    token = current_token()
    return token is not None and str(Scope.VERIFY) in token.scope_set


def _verify_limit() -> str:
    return settings_of(current_app).verify_rate_limit


# Shared by every anonymous verification route (scan page, upload page, API): one budget.
anonymous_verification = limiter.shared_limit(
    _verify_limit, scope="anonymous-verification", exempt_when=_has_verify_token
)


def init_app(app: Flask) -> None:
    settings = settings_of(app)
    app.config["RATELIMIT_STORAGE_URI"] = settings.rate_limit_storage
    app.config["RATELIMIT_KEY_PREFIX"] = "sceau"
    limiter.init_app(app)
