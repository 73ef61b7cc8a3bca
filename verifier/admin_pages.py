"""The administrators' pages: the accounts and disabling one, the keys, the audit log.

Administrators manage accounts, not files: they see who has an account and with what reach
(office, prefecture, bar), never a migrant's person record or certificates (``may_open_file``
refuses them, and no page here names a person). Disabling ends the account's sessions at their
next request (``session_version`` is part of the session id) and is audited.

The keys page only reads: generating, rotating, retiring and revoking a key stay acts of the
command line (`sceau keys ...`), where the operator holds the passphrase or the token's PIN and
confirms; a browser session, however well guarded, is not where a signing key should change.
The audit page lists the entries (newest first, by action) and runs the same hash-chain check
as `sceau audit verify` (``verify_chain``), so a changed, missing or cut entry shows here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from signing.keys import KeyInfo, KeyStore
from signing.trust import key_fingerprint
from verifier import audit, db
from verifier.access import actor_label
from verifier.accounts import require_role
from verifier.db import utcnow
from verifier.errors import ApiError
from verifier.i18n import gettext
from verifier.instance import keyring
from verifier.models import AuditEntry, Role, User
from verifier.portal_pages import current_user_or_403, format_day, format_moment, no_store

__all__ = ["AUDIT_PAGE_SIZE", "bp"]

log = logging.getLogger(__name__)

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


# ----------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class KeyLine:
    kid: str
    purpose: str
    purpose_words: str
    status: str
    status_words: str
    created: str
    created_iso: str
    window: str
    reason: str
    fingerprint: str


def _key_line(store: KeyStore, key: KeyInfo) -> KeyLine:
    end = format_day(key.not_after) if key.not_after else gettext("no-end-date")
    try:
        fingerprint = key_fingerprint(store.public_key(key.key_id))
    except Exception:  # a token that cannot answer for one key must not hide the others
        log.warning("no public key for key %s", key.key_id.hex(), exc_info=True)
        fingerprint = ""
    return KeyLine(
        kid=key.key_id.hex(),
        purpose=str(key.purpose),
        purpose_words=gettext(f"admin-key-purpose-{key.purpose}"),
        status=str(key.status),
        status_words=gettext(f"admin-key-status-{key.status}"),
        created=format_moment(key.created_at),
        created_iso=key.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        window=gettext("admin-key-window", start=format_day(key.not_before), end=end),
        reason=key.reason or "",
        fingerprint=fingerprint,
    )


# What the page points to for changes (README, "Command line"); commands are not translated.
_COMMANDS = (
    "sceau keys rotate --purpose seal",
    "sceau keys retire KID --reason TEXT",
    "sceau keys revoke KID --reason TEXT",
)


@bp.get("/admin/keys")
@require_role(Role.ADMINISTRATOR)
def keys() -> ResponseReturnValue:
    """Every key of the instance's store, by purpose then oldest first; read only."""
    try:
        store = keyring().store
        found = store.keys(purpose=None)
    except Exception:  # keys not made yet (`sceau init`), or the token unreachable: say so
        log.warning("the key store cannot be read", exc_info=True)
        return render_template("admin/keys.html", keys=None, commands=_COMMANDS)
    ordered = sorted(found, key=lambda k: (str(k.purpose), k.created_at, k.key_id))
    return render_template(
        "admin/keys.html", keys=[_key_line(store, k) for k in ordered], commands=_COMMANDS
    )


# ----------------------------------------------------------------------------- audit

AUDIT_PAGE_SIZE = 50
_MAX_ACTION = 60  # AuditEntry.action's length


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: str
    at_iso: str
    actor: str
    action: str
    object: str
    details: str


def _audit_line(entry: AuditEntry) -> AuditLine:
    at = entry.at if entry.at.tzinfo is not None else entry.at.replace(tzinfo=UTC)
    return AuditLine(
        seq=entry.seq,
        at=format_moment(at),
        at_iso=at.astimezone(UTC).isoformat(timespec="seconds"),
        actor=entry.actor,
        action=entry.action,
        object=f"{entry.object_type} {entry.object_id}".strip(),
        details="" if entry.details in ("", "{}") else entry.details,
    )


@bp.get("/admin/audit")
@require_role(Role.ADMINISTRATOR)
def audit_log() -> ResponseReturnValue:
    """The latest entries, AUDIT_PAGE_SIZE a page, optionally of one action; and the chain
    check over the whole log (the same function as `sceau audit verify`)."""
    page_text = request.args.get("page", "1")
    action = request.args.get("action", "").strip()
    if not page_text.isdigit() or not 1 <= int(page_text) <= 1_000_000 or len(action) > _MAX_ACTION:
        raise ApiError(400, "admin-audit-bad-query")
    page = int(page_text)
    session = db.session()
    query = select(AuditEntry)
    count = select(func.count()).select_from(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
        count = count.where(AuditEntry.action == action)
    total = int(session.scalar(count) or 0)
    pages = max(1, -(-total // AUDIT_PAGE_SIZE))
    entries = session.scalars(
        query.order_by(AuditEntry.seq.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE)
    )
    actions = sorted(session.scalars(select(AuditEntry.action).distinct()))
    problems = audit.verify_chain(session)
    return render_template(
        "admin/audit.html",
        entries=[_audit_line(e) for e in entries],
        actions=actions,
        action=action,
        page=page,
        pages=pages,
        total=total,
        problems=[str(p) for p in problems],
        checked_at=format_moment(datetime.now(UTC)),
    )
