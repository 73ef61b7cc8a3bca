"""The migrant's portal: my certificates, my appointments, my lawyers, who looked at my file.

The signed-in migrant only ever reaches their own person record (``user.person_id``): no URL
of this area names a person, and every object named by id in a URL (a certificate, a mandate)
is looked up *through* that person, so another migrant's id answers 404 exactly as an id that
does not exist (its existence is not revealed).

The helpers of the "file" section are shared with the lawyer and agent areas
(verifier/lawyer_pages.py, verifier/agent_pages.py): one way to open a file (through
``may_open_file``, the one access rule), one way to send a certificate's PDF, one way to show a
certificate's status in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import (
    Blueprint,
    Response,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier import audit, db
from verifier.access import actor_label, may_open_file
from verifier.accounts import require_role, signed_in_user
from verifier.blobs import BlobNotFound
from verifier.db import utcnow
from verifier.i18n import gettext
from verifier.instance import blob_store
from verifier.models import Appointment as AppointmentRow
from verifier.models import (
    Certificate,
    FileAccess,
    Mandate,
    MandateScope,
    Person,
    Role,
    User,
)
from verifier.verification import online_status

__all__ = [
    "CertificateView",
    "bp",
    "certificate_of",
    "certificate_views",
    "current_user_or_403",
    "format_day",
    "format_moment",
    "no_store",
    "one_year_after",
    "open_file",
    "pdf_response",
    "scope_words",
]

bp = Blueprint("portal", __name__)

_PARIS = "Europe/Paris"
ACCESS_LOG_LIMIT = 500  # the most recent entries; older ones stay in the database
_OPTIONAL_SCOPES = (MandateScope.BUILD_PACKS, MandateScope.UPLOAD)


# ----------------------------------------------------------------------------- formatting


def format_day(value: date) -> str:
    """Dates as on the paper certificates: DD/MM/YYYY in every language."""
    return value.strftime("%d/%m/%Y")


def _paris(moment: datetime) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(_PARIS))
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without tzdata
        return moment


def format_moment(moment: datetime) -> str:
    """A UTC instant as seen in France (where the offices are): DD/MM/YYYY HH:MM."""
    return _paris(moment).strftime("%d/%m/%Y %H:%M")


def scope_words(scopes: frozenset[str]) -> str:
    """A mandate's scopes in words, in a fixed order (read first)."""
    return ", ".join(gettext(f"scope-{scope}") for scope in MandateScope if str(scope) in scopes)


# ----------------------------------------------------------------------------- responses


def no_store(response: Response) -> Response:
    """Pages of a person's file change (revocations, mandates) and show personal data: no
    cache may keep them, and no link may leak their address to another site."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


bp.after_request(no_store)


def current_user_or_403() -> User:
    """The signed-in user; views behind ``require_role`` always have one."""
    user = signed_in_user()
    if user is None:  # pragma: no cover - require_role redirected already
        abort(403)
    return user


# ----------------------------------------------------------------------------- the file


@dataclass(frozen=True)
class CertificateView:
    """One line of a list of certificates: what the holder and their helpers need to read."""

    id: str
    kind: str
    issued_on: str
    valid_until: str
    status: str
    status_words: str


def certificate_views(session: Session, person: Person) -> list[CertificateView]:
    """The person's certificates, newest first, with their status in words."""
    found = session.scalars(
        select(Certificate)
        .where(Certificate.person_id == person.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id)
    )
    return [_certificate_view(certificate) for certificate in found]


def _certificate_view(certificate: Certificate) -> CertificateView:
    status = online_status(certificate)
    return CertificateView(
        id=certificate.id,
        kind=gettext(f"type-{certificate.type}"),
        issued_on=format_day(certificate.issued_on),
        valid_until=(
            format_day(certificate.valid_until)
            if certificate.valid_until
            else gettext("no-end-date")
        ),
        status=str(status),
        status_words=gettext(f"status-{status}-title"),
    )


def open_file(
    session: Session, user: User, person_id: int, scope: MandateScope = MandateScope.READ
) -> Person:
    """The person whose file ``user`` asks for, or 404: asked at every request through the
    one access rule, so a mandate revoked or ended a second ago is refused now. A refusal
    looks like an unknown id, so that nobody learns which files exist."""
    person = session.get(Person, person_id)
    if person is None or not may_open_file(session, user, person, scope):
        abort(404)
    return person


def certificate_of(session: Session, person: Person, certificate_id: str) -> Certificate:
    """The certificate ``certificate_id`` *of this person*, or 404 (another person's
    certificate is not found here, whatever its id)."""
    certificate = session.get(Certificate, certificate_id[:24])
    if certificate is None or certificate.person_id != person.id:
        abort(404)
    return certificate


def pdf_response(certificate: Certificate) -> ResponseReturnValue:
    """The signed PDF exactly as issued (any re-save would break its signature)."""
    try:
        pdf = blob_store().get(certificate.pdf_sha256)
    except BlobNotFound:
        abort(404)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    name = f"sceau-{certificate.type}-{certificate.id}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------- migrant


def _my_person(session: Session, user: User) -> Person:
    """The migrant's own person record (an account not linked to one has no file: 403)."""
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None or not may_open_file(session, user, person):
        abort(403)
    return person


@dataclass(frozen=True)
class Appointment:
    when: str
    place: str
    purpose: str
    status_words: str


def _appointments(session: Session, person: Person) -> list[Appointment]:
    """The person's appointments as OFII recorded them (with their status: attended, missed,
    rescheduled...), plus any convocation issued without an appointment record, by date."""
    from verifier.journey_views import appointment_views  # it imports this module

    recorded = list(
        session.scalars(
            select(AppointmentRow)
            .where(AppointmentRow.person_id == person.id)
            .order_by(AppointmentRow.at)
        )
    )
    linked = {row.convocation_id for row in recorded}
    views = [
        (
            row.at.isoformat(),
            Appointment(
                when=view.when,
                place=view.place,
                purpose=view.purpose_words,
                status_words=view.status_words,
            ),
        )
        for row, view in zip(recorded, appointment_views(recorded), strict=True)
    ]
    convocations = session.scalars(
        select(Certificate).where(
            Certificate.person_id == person.id, Certificate.type == "convocation"
        )
    )
    for certificate in convocations:
        if certificate.id not in linked:
            when = str(certificate.details.get("appointment_at", ""))
            views.append((when, _appointment(when, certificate)))
    return [view for _, view in sorted(views, key=lambda pair: pair[0])]


def _appointment(when: str, certificate: Certificate) -> Appointment:
    details: dict[str, Any] = certificate.details
    try:
        moment = datetime.fromisoformat(when)
        shown = moment.strftime("%d/%m/%Y %H:%M")
    except ValueError:
        shown = when
    return Appointment(
        when=shown,
        place=str(details.get("place", "")),
        purpose=str(details.get("purpose", "")),
        status_words=gettext(f"status-{online_status(certificate)}-title"),
    )


def _active_mandates(session: Session, person: Person) -> list[Mandate]:
    today = date.today()
    found = session.scalars(
        select(Mandate)
        .where(
            Mandate.person_id == person.id,
            Mandate.revoked_at.is_(None),
            Mandate.ends_on >= today,
        )
        .order_by(Mandate.granted_at.desc())
    )
    return list(found)


@bp.get("/my")
@require_role(Role.MIGRANT)
def home() -> ResponseReturnValue:
    session = db.session()
    person = _my_person(session, current_user_or_403())
    return render_template(
        "portal/home.html",
        person=person,
        certificates=certificate_views(session, person),
        appointments=_appointments(session, person),
        mandates=[_mandate_view(m) for m in _active_mandates(session, person)],
    )


@bp.get("/my/certificates/<certificate_id>/pdf")
@require_role(Role.MIGRANT)
def certificate_pdf(certificate_id: str) -> ResponseReturnValue:
    session = db.session()
    person = _my_person(session, current_user_or_403())
    return pdf_response(certificate_of(session, person, certificate_id))


# ----------------------------------------------------------------------------- access log


@dataclass(frozen=True)
class AccessView:
    at: str
    who: str
    role: str
    action: str


def who_is(user: User | None, role: str) -> str:
    """How a person who looked is named to the migrant: their name and what makes them
    answerable (a lawyer's bar and number, an agent's office, a prefecture)."""
    if user is None:
        return gettext("access-by-service")
    name = user.display_name or user.email
    if role == Role.LAWYER and user.bar:
        bar = gettext("lawyer-bar", bar=user.bar)
        return f"{name} ({bar}{', ' + user.bar_number if user.bar_number else ''})"
    if role == Role.OFII_AGENT and user.office is not None:
        return f"{name} ({user.office.name})"
    if role == Role.PREFECTURE_AGENT and user.prefecture:
        return f"{name} ({user.prefecture})"
    return name


def _access_view(access: FileAccess) -> AccessView:
    return AccessView(
        at=format_moment(access.at),
        who=who_is(access.user, access.role),
        role=gettext(f"role-{access.role}"),
        action=gettext(f"access-action-{access.action}"),
    )


@bp.get("/my/accesses")
@require_role(Role.MIGRANT)
def accesses() -> ResponseReturnValue:
    session = db.session()
    person = _my_person(session, current_user_or_403())
    found = session.scalars(
        select(FileAccess)
        .where(FileAccess.person_id == person.id)
        .order_by(FileAccess.at.desc(), FileAccess.id.desc())
        .limit(ACCESS_LOG_LIMIT)
    )
    return render_template("portal/accesses.html", accesses=[_access_view(a) for a in found])


# ----------------------------------------------------------------------------- mandates


@dataclass(frozen=True)
class MandateView:
    id: int
    lawyer: str
    scopes: str
    ends_on: str
    state: str
    state_words: str
    active: bool


def _mandate_state(mandate: Mandate, today: date) -> str:
    if mandate.revoked_at is not None:
        return "revoked"
    return "active" if mandate.active_on(today) else "ended"


def _mandate_view(mandate: Mandate) -> MandateView:
    state = _mandate_state(mandate, date.today())
    return MandateView(
        id=mandate.id,
        lawyer=who_is(mandate.lawyer, Role.LAWYER),
        scopes=scope_words(mandate.scope_set),
        ends_on=format_day(mandate.ends_on),
        state=state,
        state_words=gettext(f"mandate-state-{state}"),
        active=state == "active",
    )


def _mandates_page(
    session: Session, person: Person, *, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    found = session.scalars(
        select(Mandate)
        .where(Mandate.person_id == person.id)
        .order_by(Mandate.granted_at.desc(), Mandate.id.desc())
    )
    today = date.today()
    page = render_template(
        "portal/mandates.html",
        mandates=[_mandate_view(m) for m in found],
        error=gettext(error) if error else None,
        form=request.form,
        min_day=(today + timedelta(days=1)).isoformat(),
        max_day=one_year_after(today).isoformat(),
    )
    return page, status


@bp.get("/my/mandates")
@require_role(Role.MIGRANT)
def mandates() -> ResponseReturnValue:
    session = db.session()
    return _mandates_page(session, _my_person(session, current_user_or_403()))


class _FormError(Exception):
    """A wrong field of the grant form; the code is a message key."""


def _lawyer_by_email(session: Session, email: str) -> User:
    lawyer = session.scalars(
        select(User).where(User.email == email.strip().lower(), User.role == str(Role.LAWYER))
    ).first()
    if lawyer is None or lawyer.disabled_at is not None:
        raise _FormError("mandate-error-no-lawyer")
    return lawyer


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for a 29 February): a mandate's latest end."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _end_date(text: str) -> date:
    """The mandate's last day: after today, at most a year away (a mandate must be renewed
    on purpose rather than forgotten)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise _FormError("mandate-error-date") from None
    today = date.today()
    if not today < day <= one_year_after(today):
        raise _FormError("mandate-error-date-range")
    return day


def _scopes(asked: list[str]) -> str:
    """Read is always granted (nothing else works without it); the others when ticked."""
    chosen = [str(MandateScope.READ)]
    chosen += [str(s) for s in _OPTIONAL_SCOPES if str(s) in asked]
    return " ".join(chosen)


def _grant(session: Session, user: User, person: Person) -> Mandate:
    lawyer = _lawyer_by_email(session, request.form.get("lawyer_email", ""))
    ends_on = _end_date(request.form.get("ends_on", ""))
    if any(m.lawyer_id == lawyer.id for m in _active_mandates(session, person)):
        raise _FormError("mandate-error-duplicate")
    mandate = Mandate(
        person_id=person.id,
        lawyer_id=lawyer.id,
        scopes=_scopes(request.form.getlist("scopes")),
        ends_on=ends_on,
    )
    session.add(mandate)
    session.flush()
    audit.append(
        session,
        actor=actor_label(user),
        action="mandate.grant",
        object_type="mandate",
        object_id=mandate.id,
        details={
            "person": person.id,
            "lawyer": lawyer.id,
            "scopes": mandate.scopes,
            "ends_on": ends_on.isoformat(),
        },
    )
    return mandate


@bp.post("/my/mandates")
@require_role(Role.MIGRANT)
def grant_mandate() -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    person = _my_person(session, user)
    try:
        _grant(session, user, person)
    except _FormError as error:
        session.rollback()
        return _mandates_page(session, person, error=str(error), status=400)
    session.commit()
    return redirect(url_for("portal.mandates"), 303)


@bp.post("/my/mandates/<int:mandate_id>/revoke")
@require_role(Role.MIGRANT)
def revoke_mandate(mandate_id: int) -> ResponseReturnValue:
    """Takes effect at once: the lawyer's next request asks ``may_open_file`` again."""
    session = db.session()
    user = current_user_or_403()
    person = _my_person(session, user)
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or mandate.person_id != person.id:
        abort(404)
    if mandate.revoked_at is None:
        mandate.revoked_at = utcnow()
        audit.append(
            session,
            actor=actor_label(user),
            action="mandate.revoke",
            object_type="mandate",
            object_id=mandate.id,
            details={"person": person.id, "lawyer": mandate.lawyer_id},
        )
        session.commit()
    return redirect(url_for("portal.mandates"), 303)
