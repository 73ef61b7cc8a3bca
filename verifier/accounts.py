"""Who is signed in, and what their role lets them reach.

Flask-Login keeps the session; the id it stores is ``"<user id>:<session version>"``, so that
changing a password or disabling an account ends every other session at its next request.
A staff account (administrator, OFII or prefecture agent) is signed in only after its second
factor; until then the session holds a half-signed-in marker and nothing else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import ParamSpec, TypeVar

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from verifier import db
from verifier.db import utcnow
from verifier.errors import ApiError
from verifier.models import Role, SignInFailure, User

__all__ = [
    "THROTTLE_ACCOUNT",
    "THROTTLE_ADDRESS",
    "SessionUser",
    "client_address",
    "init_app",
    "is_throttled",
    "record_failure",
    "require_role",
    "signed_in_user",
]

P = ParamSpec("P")
R = TypeVar("R")

# Failed sign-ins allowed in the window before refusing further attempts.
THROTTLE_ACCOUNT = 5
THROTTLE_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)


class SessionUser:
    """What Flask-Login holds for a request: the row, plus the interface it expects."""

    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.user.disabled_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"


def _load(identifier: str) -> SessionUser | None:
    user_id, _, version = identifier.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session().get(User, int(user_id))
    if user is None or user.disabled_at is not None or user.session_version != int(version):
        return None
    return SessionUser(user)


def signed_in_user() -> User | None:
    """The fully signed-in user of this request (second factor done), or None."""
    if "signed_in_user" not in g:
        found = current_user._get_current_object() if current_user.is_authenticated else None
        g.signed_in_user = found.user if isinstance(found, SessionUser) else None
    user: User | None = g.signed_in_user
    return user


def require_role(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Pages: anonymous -> the sign-in page; signed in with another role -> 403."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            user = signed_in_user()
            if user is None:
                if request.path.startswith("/api/"):
                    raise ApiError(401, "unauthorized")
                return redirect(url_for("auth.sign_in", next=request.path))  # type: ignore[return-value]
            if user.role not in {str(r) for r in roles}:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorate


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


def record_failure(db_session: Session, email: str, address: str) -> None:
    db_session.add(SignInFailure(email=email.lower()[:254], address=address[:64]))
    db_session.execute(  # forget what no longer counts, so the table stays small
        delete(SignInFailure).where(SignInFailure.at < utcnow() - timedelta(days=1))
    )
    db_session.commit()


def is_throttled(db_session: Session, email: str, address: str) -> bool:
    """Too many recent failures for this account or from this address."""
    since = utcnow() - THROTTLE_WINDOW
    count = func.count(SignInFailure.id)
    per_account = db_session.scalar(
        select(count).where(SignInFailure.email == email.lower(), SignInFailure.at >= since)
    )
    per_address = db_session.scalar(
        select(count).where(SignInFailure.address == address, SignInFailure.at >= since)
    )
    return (per_account or 0) >= THROTTLE_ACCOUNT or (per_address or 0) >= THROTTLE_ADDRESS


def forget_half_sign_in() -> None:
    session.pop("pending_user", None)


def _template_context() -> dict[str, object]:
    from verifier.auth_pages import home_of  # the pages import this module

    return {"account": signed_in_user(), "home_of": home_of}


def init_app(app: Flask) -> None:
    app.context_processor(_template_context)
    manager = LoginManager()
    manager.user_loader(_load)
    manager.session_protection = "strong"
    manager.init_app(app)
