"""Signing in and out, the second factor, and resetting a forgotten password.

Signing in is two steps for anyone with a second factor, and staff must have one: after the
password the session holds only a half-signed-in marker (``pending_user``), which no page but
the code and enrolment pages accepts; the session becomes signed in only after the code. Both
steps count failures for throttling (per account and per address) and refuse to check
anything once throttled, so that a guesser learns nothing from the 6th attempt on, not even a
right password. An unknown address and a wrong password get the same words and take the same
time (the password is checked against a dummy hash), so that the form does not tell who has
an account.
"""

from __future__ import annotations

import base64
import logging
import time
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user
from sqlalchemy import or_, select, update

from bundles.certificate.qr import qr_matrix
from verifier import audit, db
from verifier.access import actor_label
from verifier.accounts import (
    SessionUser,
    client_address,
    is_throttled,
    record_failure,
    require_role,
)
from verifier.accounts import signed_in_user as _signed_in_user
from verifier.codes import CodePurpose, find_code, issue_code, redeem_code
from verifier.config import settings_of
from verifier.db import utcnow
from verifier.i18n import translate
from verifier.limits import rate_limit
from verifier.mail import queue_mail
from verifier.models import Role, User
from verifier.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    new_totp_secret,
    password_problem,
    totp_step_accepted,
    totp_uri,
)

__all__ = ["bp", "complete_sign_in", "home_of", "safe_next"]

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

HOMES = {
    Role.MIGRANT: "/my",
    Role.LAWYER: "/lawyer",
    Role.OFII_AGENT: "/agent",
    Role.PREFECTURE_AGENT: "/prefecture",
    Role.ADMINISTRATOR: "/admin",
}
# A half sign-in (password given, code not yet) lasts this long.
PENDING_LIFETIME = timedelta(minutes=10)
ANONYMOUS = "anonymous"


@bp.after_request
def _private(response: Response) -> Response:
    """Nothing of these pages is cached, and their addresses (which may carry a one-time code)
    are never sent to another site as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# ----------------------------------------------------------------------------- helpers


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a path of this site, else None: ``//host`` and ``/\\host`` are
    other sites to a browser, and anything with a scheme is one too."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    return value


def home_of(user: User) -> str:
    return HOMES[user.role_enum]


def _normalized_email(value: str | None) -> str:
    return (value or "").strip().lower()[:254]


def complete_sign_in(user: User, next_path: str | None = None) -> ResponseReturnValue:
    """Start a fresh session for ``user`` (nothing of the previous one survives: no session
    fixation), record the sign-in, and go where they were going or to their home page."""
    session.clear()
    login_user(SessionUser(user))
    user.last_sign_in_at = utcnow()
    database = db.session()
    audit.append(
        database,
        actor=actor_label(user),
        action="auth.sign-in",
        object_type="user",
        object_id=user.id,
        details={"second_factor": user.has_totp},
    )
    database.commit()
    return redirect(safe_next(next_path) or home_of(user))


def _record_failed(email: str, user: User | None, reason: str) -> None:
    """Count the failure for throttling and leave an audit entry naming the account (never
    the typed address or password)."""
    database = db.session()
    audit.append(
        database,
        actor=ANONYMOUS,
        action="auth.sign-in-failed",
        object_type="user" if user is not None else "",
        object_id=user.id if user is not None else "",
        details={"reason": reason},
    )
    record_failure(database, email, client_address())  # commits both


def _throttled(template: str, **context: object) -> ResponseReturnValue:
    return render_template(template, error=translate("throttled"), **context), 429


def _set_pending(user: User, next_path: str | None) -> None:
    session.clear()
    session["pending_user"] = f"{user.id}:{user.session_version}"
    session["pending_at"] = int(time.time())
    if next_path:
        session["pending_next"] = next_path


def _pending() -> User | None:
    """The user who gave their password in this session and has yet to give their code."""
    marker = str(session.get("pending_user", ""))
    user_id, _, version = marker.partition(":")
    started = session.get("pending_at")
    if not (user_id.isdigit() and version.isdigit() and isinstance(started, int)):
        return None
    if time.time() - started > PENDING_LIFETIME.total_seconds():
        return None
    user = db.session().get(User, int(user_id))
    if user is None or user.disabled_at is not None or user.session_version != int(version):
        return None
    return user


def _qr_image(text: str) -> str:
    """A data: URI of an SVG QR code (the page's policy allows images from data: only, no
    script, so the code is drawn here rather than by a script in the browser)."""
    matrix = qr_matrix(text)
    size = len(matrix)
    modules = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{modules}" fill="#000"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def _enrolment_secret(user: User) -> str:
    """The user's not-yet-confirmed secret, made on first need and kept while they scan it
    (a reload shows the same one, so a code from an app that scanned it still works)."""
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        user.totp_secret = new_totp_secret()
        db.session().commit()
    return user.totp_secret


def _enrol_context(user: User) -> dict[str, object]:
    secret = _enrolment_secret(user)
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": _qr_image(totp_uri(secret, account=user.email)),
    }


def _accept_code(user: User, secret: str, code: str) -> bool:
    """True if ``code`` is right and of a step later than any used before. The step is
    stored with a conditional UPDATE, so that two requests racing with one code cannot both
    succeed."""
    step = totp_step_accepted(secret, code, last_step=user.totp_last_step)
    if step is None:
        return False
    database = db.session()
    result = database.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    database.commit()
    if getattr(result, "rowcount", 0) != 1:
        return False
    user.totp_last_step = step
    return True


# ----------------------------------------------------------------------------- sign in


@bp.get("/sign-in")
def sign_in() -> ResponseReturnValue:
    user = _signed_in_user()
    if user is not None:
        return redirect(safe_next(request.args.get("next")) or home_of(user))
    return render_template("auth/sign_in.html", next=safe_next(request.args.get("next")))


@bp.post("/sign-in")
def sign_in_post() -> ResponseReturnValue:
    email = _normalized_email(request.form.get("email"))
    password = request.form.get("password", "")
    next_path = safe_next(request.args.get("next") or request.form.get("next"))
    context = {"next": next_path, "email": email}
    database = db.session()
    if is_throttled(database, email, client_address()):
        return _throttled("auth/sign_in.html", **context)
    user = database.scalar(select(User).where(User.email == email)) if email else None
    if not check_password(user.password_hash if user is not None else None, password):
        _record_failed(email, user, "password")
        return render_template("auth/sign_in.html", error=translate("auth-failed"), **context), 401
    assert user is not None  # check_password said so
    assert user.password_hash is not None
    if user.disabled_at is not None:
        _record_failed(email, user, "disabled")
        return render_template(
            "auth/sign_in.html", error=translate("auth-disabled"), **context
        ), 403
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        database.commit()
    if user.has_totp:
        _set_pending(user, next_path)
        return redirect(url_for("auth.code"))
    if user.role_enum.is_staff:
        _set_pending(user, next_path)
        return redirect(url_for("auth.enrol"))
    return complete_sign_in(user, next_path)


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    user = _pending()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if not user.has_totp or user.totp_secret is None:
        return redirect(url_for("auth.enrol"))
    if request.method == "GET":
        return render_template("auth/code.html")
    if is_throttled(db.session(), user.email, client_address()):
        return _throttled("auth/code.html")
    if not _accept_code(user, user.totp_secret, request.form.get("code", "")):
        _record_failed(user.email, user, "code")
        return render_template("auth/code.html", error=translate("auth-code-wrong")), 401
    return complete_sign_in(user, session.get("pending_next"))


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
def enrol() -> ResponseReturnValue:
    """Staff without a second factor set one up before anything else (mandatory)."""
    user = _pending()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if user.has_totp:
        return redirect(url_for("auth.code"))
    if request.method == "POST":
        if is_throttled(db.session(), user.email, client_address()):
            return _throttled("auth/enrol.html", mandatory=True, **_enrol_context(user))
        if _confirm_enrolment(user, request.form.get("code", "")):
            return complete_sign_in(user, session.get("pending_next"))
        _record_failed(user.email, user, "code")
        context = _enrol_context(user)
        page = render_template(
            "auth/enrol.html", mandatory=True, error=translate("auth-code-wrong"), **context
        )
        return page, 401
    return render_template("auth/enrol.html", mandatory=True, **_enrol_context(user))


def _confirm_enrolment(user: User, code_text: str) -> bool:
    secret = _enrolment_secret(user)
    if not _accept_code(user, secret, code_text):
        return False
    user.totp_confirmed_at = utcnow()
    database = db.session()
    audit.append(
        database,
        actor=actor_label(user),
        action="auth.totp-enrol",
        object_type="user",
        object_id=user.id,
    )
    database.commit()
    return True


@bp.route("/account/second-factor", methods=["GET", "POST"])
@require_role(*Role)
def second_factor() -> ResponseReturnValue:
    """Where a signed-in user sees whether a second factor protects their account, and
    (migrants and lawyers, for whom it is optional) sets one up."""
    user = _signed_in_user()
    assert user is not None  # require_role let only signed-in users through
    if user.has_totp:
        return render_template("auth/second_factor.html", enabled=True)
    if request.method == "POST":
        if _confirm_enrolment(user, request.form.get("code", "")):
            return render_template("auth/second_factor.html", enabled=True, just_enabled=True)
        context = _enrol_context(user)
        page = render_template(
            "auth/enrol.html", mandatory=False, error=translate("auth-code-wrong"), **context
        )
        return page, 400
    return render_template("auth/enrol.html", mandatory=False, **_enrol_context(user))


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    user = _signed_in_user()
    if user is not None:
        database = db.session()
        audit.append(
            database,
            actor=actor_label(user),
            action="auth.sign-out",
            object_type="user",
            object_id=user.id,
        )
        database.commit()
    logout_user()
    session.clear()
    return redirect(url_for("pages.home"))


# ----------------------------------------------------------------------------- passwords


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limit("5 per minute; 30 per hour", scope="forgot-password", methods=["POST"])
def forgot() -> ResponseReturnValue:
    """The same answer whether or not the address has an account (no enumeration)."""
    if request.method == "GET":
        return render_template("auth/forgot.html")
    email = _normalized_email(request.form.get("email"))
    database = db.session()
    user = database.scalar(select(User).where(User.email == email)) if email else None
    if user is not None and user.disabled_at is None:
        _mail_reset_link(user)
    return render_template("auth/forgot.html", sent=True)


def _mail_reset_link(user: User) -> None:
    """Queue the reset mail with its code, in one commit: the page answers at once, so its
    timing does not tell whether an account exists, and a server down is retried."""
    database = db.session()
    _, reset_code = issue_code(database, CodePurpose.PASSWORD_RESET, user_id=user.id)
    audit.append(
        database,
        actor=ANONYMOUS,
        action="auth.password-reset-requested",
        object_type="user",
        object_id=user.id,
    )
    settings = settings_of(current_app)
    link = f"{settings.seal_base_url.lower()}/password/reset?code={reset_code}"
    language = user.preferred_language
    queue_mail(
        database,
        to=user.email,
        subject=translate("auth-reset-mail-subject", lang=language),
        body=translate("auth-reset-mail-body", {"link": link}, lang=language),
    )
    database.commit()


@bp.route("/password/reset", methods=["GET", "POST"])
def reset() -> ResponseReturnValue:
    reset_code = (request.form.get("code") or request.args.get("code") or "").strip()
    database = db.session()
    row = find_code(database, CodePurpose.PASSWORD_RESET, reset_code) if reset_code else None
    if row is None or row.user_id is None:
        return render_template("auth/code_invalid.html", kind="reset"), 410
    if request.method == "GET":
        return render_template("auth/reset.html", code=reset_code)
    password = request.form.get("password", "")
    problem = _new_password_problem(password, request.form.get("password_again", ""))
    if problem is not None:
        return render_template("auth/reset.html", code=reset_code, error=translate(problem)), 400
    return _apply_reset(reset_code, password)


def _new_password_problem(password: str, again: str) -> str | None:
    """A message key if the two typed passwords cannot become the new password."""
    if password != again:
        return "auth-passwords-differ"
    return password_problem(password)


def _apply_reset(reset_code: str, password: str) -> ResponseReturnValue:
    database = db.session()
    row = redeem_code(database, CodePurpose.PASSWORD_RESET, reset_code)
    user = database.get(User, row.user_id) if row is not None and row.user_id else None
    if user is None:
        database.rollback()
        return render_template("auth/code_invalid.html", kind="reset"), 410
    user.password_hash = hash_password(password)
    user.session_version += 1  # every session opened before this stops working
    audit.append(
        database,
        actor=actor_label(user),
        action="auth.password-reset",
        object_type="user",
        object_id=user.id,
    )
    database.commit()
    logout_user()
    session.clear()
    return render_template("auth/reset_done.html")
