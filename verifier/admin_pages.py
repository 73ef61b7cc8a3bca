"""The administrators' pages: the accounts, and disabling one.

Administrators manage accounts, not files: they see who has an account and with what reach
(office, prefecture, bar), never a migrant's person record or certificates (``may_open_file``
refuses them, and no page here names a person). Disabling ends the account's sessions at their
next request (``session_version`` is part of the session id) and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from verifier import audit, db
from verifier.access import actor_label
from verifier.accounts import require_role
from verifier.db import utcnow
from verifier.i18n import gettext
from verifier.models import Role, User
from verifier.portal_pages import current_user_or_403, format_moment, no_store

__all__ = ["bp"]

bp = Blueprint("admin", __name__)
bp.after_request(no_store)


@dataclass(frozen=True)
class UserLine:
    id: int
    email: str
    name: str
    role: str
    reach: str
    totp: bool
    disabled: str
    may_disable: bool


def _reach(user: User) -> str:
    """What the account is scoped to; for a migrant nothing (their file is not ours to see)."""
    role = user.role_enum
    if role is Role.OFII_AGENT:
        return user.office.code if user.office is not None else ""
    if role is Role.PREFECTURE_AGENT:
        return user.prefecture or ""
    if role is Role.LAWYER:
        bar = gettext("lawyer-bar", bar=user.bar) if user.bar else ""
        return ", ".join(part for part in (bar, user.bar_number or "") if part)
    return ""


def _line(user: User, me: User) -> UserLine:
    return UserLine(
        id=user.id,
        email=user.email,
        name=user.display_name,
        role=gettext(f"role-{user.role}"),
        reach=_reach(user),
        totp=user.has_totp,
        disabled=format_moment(user.disabled_at) if user.disabled_at else "",
        may_disable=user.disabled_at is None and user.id != me.id,
    )


@bp.get("/admin")
@require_role(Role.ADMINISTRATOR)
def users() -> ResponseReturnValue:
    me = current_user_or_403()
    found = db.session().scalars(select(User).order_by(User.role, User.email))
    return render_template("admin/users.html", users=[_line(u, me) for u in found])


@bp.post("/admin/users/<int:user_id>/disable")
@require_role(Role.ADMINISTRATOR)
def disable(user_id: int) -> ResponseReturnValue:
    """An administrator cannot disable themselves (the last one would lock everybody out);
    disabling twice changes nothing."""
    session = db.session()
    me = current_user_or_403()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == me.id:
        abort(400)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        user.session_version += 1
        audit.append(
            session,
            actor=actor_label(me),
            action="user.disable",
            object_type="user",
            object_id=user.id,
            details={"role": user.role},
        )
        session.commit()
    return redirect(url_for("admin.users"), 303)
