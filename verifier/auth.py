"""Staff credentials on requests: the token, if any, and the scope a route demands.

A route that issues, revokes or reads personal data is wrapped in :func:`require_scope`; the
test tests/verifier/test_access.py walks the URL map so that a new route cannot forget it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import g, request

from verifier import db
from verifier.errors import ApiError
from verifier.models import ApiToken
from verifier.tokens import Scope, authenticate

__all__ = ["current_token", "require_scope"]

P = ParamSpec("P")
R = TypeVar("R")


def current_token() -> ApiToken | None:
    """The live token of this request, or None (looked up once per request)."""
    if "api_token" not in g:
        header = request.headers.get("Authorization")
        # No header, no session: the seal page asks this of every anonymous scan.
        g.api_token = authenticate(db.session(), header) if header else None
    found: ApiToken | None = g.api_token
    return found


def require_scope(*scopes: Scope) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """401 without a live token, 403 unless the token holds one of ``scopes``."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            token = current_token()
            if token is None:
                raise ApiError(401, "unauthorized")
            if not token.scope_set & {str(s) for s in scopes}:
                raise ApiError(403, "forbidden-scope", scope=" | ".join(scopes))
            return view(*args, **kwargs)

        wrapped.required_scopes = frozenset(scopes)  # type: ignore[attr-defined]
        return wrapped

    return decorate
