"""The public web pages: the seal page a phone camera opens, and the PDF drop page.

Who reads them: a prefecture or court agent holding a paper, who must see at once whether to
accept it and whose it is; so the verdict comes first, in words and with an icon (never colour
alone), then only the facts the seal itself carries. Nationality, foreigner number and contact
details are never shown; for a seal that is not genuine nothing of its claims is shown at all,
since nothing in it can be trusted.

The pages work without JavaScript and carry no inline script or style (a strict
Content-Security-Policy comes with accounts, issue 5). Every answer of this blueprint is
``no-store`` (a status changes when a certificate is revoked, and the pages show personal
data) and ``no-referrer`` (the seal URL itself carries the holder's name).

One addition for signed-in prefecture agents: the seal page also shows the certificate's status
history (issued, replaced, revoked, with dates and the reason's category), and their look is
recorded in the holder's access log. Anonymous visitors see exactly what they saw before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from signing.errors import SealFormatError
from signing.seal import BirthDate, SealClaims, decode
from verifier import db, seal_cache
from verifier.access import record_access
from verifier.accounts import signed_in_user
from verifier.config import settings_of
from verifier.errors import ApiError, prefers_json
from verifier.i18n import current_language, gettext, has_message
from verifier.instance import keyring
from verifier.limits import anonymous_verification
from verifier.log_view import log_view
from verifier.models import Certificate, Office, Role, VerificationChannel
from verifier.representation import seal_check_json
from verifier.security import allow_camera
from verifier.verification import (
    DocumentCheck,
    DocumentMatch,
    NotAPdfError,
    SealCheck,
    SealStatus,
    check_document,
    check_seal,
    record_verification,
)
from verifier.wedge import scanned_seal_path

__all__ = ["bp"]

bp = Blueprint("pages", __name__)

COOKIE_MAX_AGE = 365 * 24 * 3600
_MIB = 1024 * 1024
_PARIS = "Europe/Paris"

# Tone (CSS class) and icon of each verdict; the words come from page_messages.
_OK, _WARN, _BAD = "ok", "warn", "bad"
_ICONS = {
    _OK: ("valid.svg", "icon-valid"),
    _WARN: ("warning.svg", "icon-warning"),
    _BAD: ("stop.svg", "icon-stop"),
}
_STATUS_TONES = {
    SealStatus.VALID: _OK,
    SealStatus.REVOKED: _BAD,
    SealStatus.SUPERSEDED: _WARN,
    SealStatus.EXPIRED: _WARN,
    SealStatus.NOT_GENUINE: _BAD,
    SealStatus.NOT_TRUSTED: _BAD,
    SealStatus.UNREGISTERED: _BAD,
}
_MATCH_TONES = {DocumentMatch.EXACT: _OK, DocumentMatch.MODIFIED: _BAD, DocumentMatch.UNKNOWN: _BAD}


@dataclass(frozen=True)
class Verdict:
    """One banner: ``marker`` is the machine-readable status the e2e tests read."""

    marker: str
    tone: str
    title: str
    text: str
    action: str | None = None

    @property
    def icon(self) -> str:
        return _ICONS[self.tone][0]

    @property
    def icon_alt(self) -> str:
        return gettext(_ICONS[self.tone][1])


@dataclass(frozen=True)
class Row:
    label: str
    value: str


# ----------------------------------------------------------------------------- formatting


def _day(value: date) -> str:
    """Dates as on the paper certificate: DD/MM/YYYY in every language."""
    return value.strftime("%d/%m/%Y")


def _birth_date(value: str | BirthDate) -> str:
    """A birth date with its unknown parts as XX, as printed on the paper (``XX/02/1991``)."""
    parts = str(value).split("-")
    year = parts[0]
    month = parts[1] if len(parts) > 1 else "XX"
    day = parts[2] if len(parts) > 2 else "XX"
    return f"{day}/{month}/{year}"


def _paris_day(moment: datetime) -> str:
    """The day of a UTC instant as seen in France, where revocations are decided."""
    try:
        return _day(moment.astimezone(ZoneInfo(_PARIS)).date())
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without tzdata
        return _day(moment.date())


def _name(value: str) -> str:
    return value or gettext("no-name")


# ----------------------------------------------------------------------------- verdicts


def _status_verdict(
    status: SealStatus, certificate: Certificate | None, *, key_reason: str | None = None
) -> Verdict:
    """The banner of a register status, with the date and reason words where they exist (for
    a seal whose key OFII revoked, the reason OFII gave, as it wrote it)."""
    params: dict[str, object] = {}
    if status is SealStatus.NOT_TRUSTED:
        params["reason"] = key_reason or gettext("key-reason-unknown")
    revocation = certificate.revocation if certificate is not None else None
    if status is SealStatus.REVOKED and revocation is not None:
        params["date"] = _paris_day(revocation.revoked_at)
        params["reason"] = gettext(f"reason-{revocation.reason}")
    if status is SealStatus.EXPIRED and certificate is not None and certificate.valid_until:
        # In force through valid_until: no longer from the next day on.
        params["date"] = _day(certificate.valid_until + timedelta(days=1))
    key = f"status-{status}"
    action = f"{key}-action"
    return Verdict(
        marker=str(status),
        tone=_STATUS_TONES[status],
        title=gettext(f"{key}-title"),
        text=gettext(f"{key}-text", **params),
        action=gettext(action) if has_message(action) else None,
    )


def _match_verdict(match: DocumentMatch) -> Verdict:
    key = f"match-{match}"
    return Verdict(
        marker=str(match),
        tone=_MATCH_TONES[match],
        title=gettext(f"{key}-title"),
        text=gettext(f"{key}-text"),
    )


# ----------------------------------------------------------------------------- details


def _certificate_rows(certificate: Certificate, code: str) -> list[Row]:
    """What the register says of a certificate, names as written (accents kept)."""
    person = certificate.person
    return _rows(
        kind=certificate.type,
        family_name=person.family_name,
        given_names=person.given_names,
        birth_date=_birth_date(person.birth_date),
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        office=f"{certificate.office.name} ({certificate.office.code})",
        code=code,
    )


def _claims_rows(claims: SealClaims) -> list[Row]:
    """What a genuine seal states, for a certificate the register does not know."""
    office = db.session().scalars(select(Office).where(Office.code == claims.office)).first()
    return _rows(
        kind=str(claims.certificate_type),
        family_name=claims.family_name,
        given_names=claims.given_names,
        birth_date=_birth_date(claims.birth_date),
        issued_on=claims.issued_on,
        valid_until=claims.valid_until,
        office=f"{office.name} ({office.code})" if office else claims.office,
        code=claims.verification_code,
    )


def _rows(
    *,
    kind: str,
    family_name: str,
    given_names: str,
    birth_date: str,
    issued_on: date,
    valid_until: date | None,
    office: str,
    code: str,
) -> list[Row]:
    return [
        Row(gettext("field-type"), gettext(f"type-{kind}")),
        Row(gettext("field-family-name"), _name(family_name)),
        Row(gettext("field-given-names"), _name(given_names)),
        Row(gettext("field-birth-date"), birth_date),
        Row(gettext("field-issued-on"), _day(issued_on)),
        Row(
            gettext("field-valid-until"),
            _day(valid_until) if valid_until else gettext("no-end-date"),
        ),
        Row(gettext("field-office"), office),
        Row(gettext("field-code"), code),
    ]


def _verification_code(certificate: Certificate) -> str:
    """The code printed under the QR, read from the seal the register keeps."""
    return decode(certificate.seal_url).claims.verification_code


def _seal_rows(check: SealCheck) -> tuple[list[Row], bool]:
    """The details to show and whether they come from the seal alone (not the register)."""
    if not check.genuine:
        return [], False
    code = check.verification.claims.verification_code
    if check.certificate is not None:
        return _certificate_rows(check.certificate, code), False
    return _claims_rows(check.verification.claims), True


# ----------------------------------------------------------------------------- responses


@bp.after_request
def _page_headers(response: Response) -> Response:
    """Privacy and caching headers of every page (the language cookie is set app-wide, by
    verifier/i18n.py)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Language"] = current_language()
    response.vary.update(("Accept", "Accept-Language", "Cookie"))
    return response


@bp.get("/")
@allow_camera
def home() -> ResponseReturnValue:
    """Scan (camera or barcode reader) or upload to verify; sign in for staff."""
    return render_template("home.html", error=None, seal="")


@bp.post("/scan")
@allow_camera
def scan_check() -> ResponseReturnValue:
    """The home page's scanner form: the scanned text to this site's seal page, as the
    prefecture page does (verifier/wedge.py), for anyone. Nothing is checked here, so no rate
    limit: the seal page it redirects to counts the verification."""
    text = request.form.get("seal", "")
    try:
        return redirect(scanned_seal_path(text), 303)
    except SealFormatError:
        error = gettext("scanner-error-seal")
        return render_template("home.html", error=error, seal=text.strip()[:2000]), 400


@bp.get("/V/<path:payload>")
@bp.get("/v/<path:payload>")
@anonymous_verification
def seal(payload: str) -> ResponseReturnValue:
    """The page a phone camera opens from the QR code (``path:`` tolerates a trailing slash
    that chat apps append; the seal decoder takes the last path segment).

    An anonymous visitor's answer about a registered certificate is kept in memory until its
    register row changes (verifier/seal_cache.py); the scan is recorded either way."""
    as_json = prefers_json()
    cache = seal_cache.of()
    keys, today = keyring(), date.today()
    key = None if signed_in_user() else (payload, current_language(), str(as_json))
    if key is not None and (kept := cache.get(key, keys, today)) is not None:
        record_verification(VerificationChannel.SCAN, kept.outcome, kept.certificate_id)
        return Response(kept.body, mimetype=kept.mimetype)
    epoch = cache.epoch
    try:
        check = check_seal(db.session(), keys, payload, channel=VerificationChannel.SCAN)
    except SealFormatError as exc:
        if as_json:
            body = {"error": "malformed-seal", "message": gettext("malformed-seal", detail=exc)}
            return jsonify(body), 400
        raise ApiError(400, "seal-unreadable") from None
    history = _prefecture_history(check)
    if as_json:
        response = jsonify(seal_check_json(check))
    else:
        rows, from_seal = _seal_rows(check)
        verdict = _status_verdict(check.status, check.certificate, key_reason=check.key_reason)
        page = render_template(
            "seal.html",
            verdict=verdict,
            rows=rows,
            from_seal=from_seal,
            history=history,
            log=log_view(check),
        )
        response = Response(page, mimetype="text/html")
    if key is not None and check.certificate is not None and check.genuine:
        answer = seal_cache.CachedAnswer(
            body=response.get_data(),
            mimetype=response.mimetype or "text/html",
            outcome=str(check.status),
            certificate_id=check.certificate.id,
            keyring=keys,
            day=today,
            until=time.monotonic() + seal_cache.TTL_SECONDS,
        )
        cache.put(key, answer, epoch=epoch)
    return response


# ----------------------------------------------------------------------------- prefecture


@dataclass(frozen=True)
class HistoryEvent:
    """One step of a certificate's life; ``marker`` (issued, replaces, superseded, revoked)
    is machine-readable."""

    marker: str
    date: str
    text: str


def _prefecture_history(check: SealCheck) -> list[HistoryEvent]:
    """For a signed-in prefecture agent, the status history of a registered certificate (and
    a record, shown to the holder, that an agent looked); for anybody else nothing.

    A prefecture agent decides on residence: knowing *when* a certificate was replaced or
    revoked, and the category of the reason, tells them which paper was in force at a given
    date. The free text of a revocation and who revoked are never shown (they may name
    people); the replacing certificate is named by its id only."""
    user = signed_in_user()
    certificate = check.certificate
    if user is None or user.role_enum is not Role.PREFECTURE_AGENT or certificate is None:
        return []
    if not check.genuine:
        return []
    session = db.session()
    record_access(
        session,
        user,
        certificate.person,
        action="verify",
        object_type="certificate",
        object_id=certificate.id,
    )
    session.commit()
    return _history(certificate)


def _history(certificate: Certificate) -> list[HistoryEvent]:
    events = [HistoryEvent("issued", _day(certificate.issued_on), gettext("history-issued"))]
    if certificate.supersedes_id:
        text = gettext("history-replaces", id=certificate.supersedes_id)
        events.append(HistoryEvent("replaces", _day(certificate.issued_on), text))
    if certificate.superseded_by_id:
        newer = db.session().get(Certificate, certificate.superseded_by_id)
        when = _paris_day(newer.issued_at) if newer is not None else ""
        text = gettext("history-superseded", id=certificate.superseded_by_id)
        events.append(HistoryEvent("superseded", when, text))
    revocation = certificate.revocation
    if revocation is not None:
        reason = gettext(f"reason-{revocation.reason}")
        text = gettext("history-revoked", reason=reason)
        events.append(HistoryEvent("revoked", _paris_day(revocation.revoked_at), text))
    return events


def _upload_limit_mb() -> int:
    return settings_of(current_app).max_upload_bytes // _MIB


@bp.get("/verifier")
def upload_form() -> ResponseReturnValue:
    return render_template("upload.html", limit=_upload_limit_mb())


@bp.post("/verifier")
@anonymous_verification
def upload_check() -> ResponseReturnValue:
    """Check a dropped PDF. No CSRF token yet: the form changes nothing on the server (it only
    reads the register and counts a check); tokens come with accounts in issue 5."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "upload-no-file")
    pdf = upload.read()
    if not pdf:
        raise ApiError(400, "upload-empty-file")
    try:
        check = check_document(db.session(), keyring(), pdf, channel=VerificationChannel.UPLOAD)
    except NotAPdfError:
        raise ApiError(400, "upload-not-a-pdf") from None
    return render_template("document.html", limit=_upload_limit_mb(), **_document_view(check))


def _document_view(check: DocumentCheck) -> dict[str, object]:
    """The match banner, the findings in words, and the certificate's status and details."""
    certificate = check.certificate
    status = None
    rows: list[Row] = []
    if certificate is not None and check.status is not None:
        status = _status_verdict(check.status, certificate)
        rows = _certificate_rows(certificate, _verification_code(certificate))
    return {
        "match": _match_verdict(check.match),
        "findings": [gettext(f"doc-{reason}") for reason in check.reasons],
        "status": status,
        "rows": rows,
    }
