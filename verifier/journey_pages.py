"""Pages of the journey area (issue 6): trainings, appointments (OFII agents), correspondence
(the migrant, a mandated lawyer, the agent; verifier/correspondence_pages.py).

Every page opens the file through ``open_file`` (the one access rule: here an OFII agent of the
office holding the file), and every object named in a URL (a training, an appointment) is
looked up *through* that person: another person's id answers 404 like an unknown one. Every
change is audited; every page that shows someone else's file is recorded for the migrant.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from bundles.errors import CertificateError
from signing.errors import ClaimsError
from verifier import correspondence_pages, db
from verifier.access import actor_label, record_access
from verifier.accounts import require_role
from verifier.i18n import gettext
from verifier.instance import blob_store, keyring
from verifier.issuance import IssuanceError
from verifier.journey import (
    HOURS_PRESCRIBED,
    JourneyError,
    issue_training_certificate,
    record_training,
    schedule_appointment,
    set_appointment_status,
    update_attendance,
)
from verifier.journey_forms import (
    DAY_ROWS,
    Form,
    appointment_input,
    attendance_marks,
    path_id,
    status_input,
    training_input,
)
from verifier.journey_mail import mail_convocation
from verifier.journey_views import appointment_views, training_view, training_views
from verifier.models import (
    Appointment,
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    Office,
    Person,
    Role,
    Training,
    TrainingKind,
    User,
)
from verifier.portal_pages import current_user_or_403, no_store, open_file

__all__ = ["bp"]

bp = Blueprint("journey", __name__)
bp.after_request(no_store)
correspondence_pages.register(bp)


@dataclass(frozen=True)
class _Agent:
    """The signed-in agent, their office and the file they opened."""

    session: Session
    user: User
    office: Office
    person: Person

    def page(
        self, template: str, *, looked_at: tuple[str, int], status: int, **context: object
    ) -> ResponseReturnValue:
        """Render a page of the file, recording the look for the migrant in the same commit."""
        object_type, object_id = looked_at
        record_access(
            self.session,
            self.user,
            self.person,
            action="journey",
            object_type=object_type,
            object_id=object_id,
        )
        page = render_template(template, person=self.person, **context)
        self.session.commit()
        return page, status


def _agent(person_id: int) -> _Agent:
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, path_id(person_id))
    if user.office is None:  # pragma: no cover - may_open_file needs the office
        abort(404)
    return _Agent(session, user, user.office, person)


def _training_of(session: Session, person: Person, training_id: int) -> Training:
    training = session.get(Training, path_id(training_id))
    if training is None or training.person_id != person.id:
        abort(404)
    return training


def _appointment_of(session: Session, person: Person, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, path_id(appointment_id))
    if appointment is None or appointment.person_id != person.id:
        abort(404)
    return appointment


# ----------------------------------------------------------------------------- trainings


def _trainings_page(
    agent: _Agent, *, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    found = agent.session.scalars(
        select(Training)
        .where(Training.person_id == agent.person.id)
        .order_by(Training.created_at.desc(), Training.id.desc())
    )
    return agent.page(
        "journey/trainings.html",
        looked_at=("person", agent.person.id),
        status=status,
        trainings=training_views(list(found)),
        kinds=list(TrainingKind),
        attendances=list(Attendance),
        hours_prescribed=HOURS_PRESCRIBED,
        day_rows=range(DAY_ROWS),
        form=request.form,
        error=error,
        issued=request.args.get("issued"),
    )


@bp.get("/agent/persons/<int:person_id>/trainings")
@require_role(Role.OFII_AGENT)
def trainings(person_id: int) -> ResponseReturnValue:
    return _trainings_page(_agent(person_id))


@bp.post("/agent/persons/<int:person_id>/trainings")
@require_role(Role.OFII_AGENT)
def add_training(person_id: int) -> ResponseReturnValue:
    agent = _agent(person_id)
    try:
        training = record_training(
            agent.session,
            person=agent.person,
            office=agent.office,
            data=training_input(request.form),
            actor=actor_label(agent.user),
            user_id=agent.user.id,
        )
    except JourneyError as error:
        agent.session.rollback()
        return _trainings_page(agent, error=gettext(error.code), status=400)
    agent.session.commit()
    return redirect(url_for(".training", person_id=person_id, training_id=training.id), 303)


def _training_page(
    agent: _Agent, training: Training, *, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return agent.page(
        "journey/training.html",
        looked_at=("training", training.id),
        status=status,
        training=training_view(training),
        attendances=list(Attendance),
        error=error,
    )


@bp.get("/agent/persons/<int:person_id>/trainings/<int:training_id>")
@require_role(Role.OFII_AGENT)
def training(person_id: int, training_id: int) -> ResponseReturnValue:
    agent = _agent(person_id)
    return _training_page(agent, _training_of(agent.session, agent.person, training_id))


@bp.post("/agent/persons/<int:person_id>/trainings/<int:training_id>")
@require_role(Role.OFII_AGENT)
def update_training(person_id: int, training_id: int) -> ResponseReturnValue:
    """Attendance of the days: marks change, days are not added or removed (a certificate
    may already have been issued from them; a new record is the honest correction)."""
    agent = _agent(person_id)
    found = _training_of(agent.session, agent.person, training_id)
    try:
        marks = attendance_marks(request.form)
    except JourneyError as error:
        return _training_page(agent, found, error=gettext(error.code), status=400)
    update_attendance(agent.session, found, marks, actor=actor_label(agent.user))
    agent.session.commit()
    return redirect(url_for(".training", person_id=person_id, training_id=training_id), 303)


@bp.post("/agent/persons/<int:person_id>/trainings/<int:training_id>/certificate")
@require_role(Role.OFII_AGENT)
def training_certificate(person_id: int, training_id: int) -> ResponseReturnValue:
    """Issue the certificate the record supports, then back to the person's page."""
    agent = _agent(person_id)
    found = _training_of(agent.session, agent.person, training_id)
    try:
        issue_training_certificate(
            agent.session,
            found,
            keyring=keyring(),
            blobs=blob_store(),
            office=agent.office,
            actor=actor_label(agent.user),
        )
    except JourneyError as error:
        return _training_page(agent, found, error=gettext(error.code), status=400)
    except (IssuanceError, ClaimsError, CertificateError):
        agent.session.rollback()
        return _training_page(agent, found, error=gettext("journey-error-cannot-issue"), status=400)
    return redirect(url_for("agent.person", person_id=person_id), 303)


# ----------------------------------------------------------------------------- appointments


def _appointments_page(
    agent: _Agent, *, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    found = agent.session.scalars(
        select(Appointment)
        .where(Appointment.person_id == agent.person.id)
        .order_by(Appointment.at.desc(), Appointment.id.desc())
    )
    return agent.page(
        "journey/appointments.html",
        looked_at=("person", agent.person.id),
        status=status,
        appointments=appointment_views(list(found)),
        purposes=list(AppointmentPurpose),
        form=request.form,
        error=error,
        mail=request.args.get("mail"),
    )


@bp.get("/agent/persons/<int:person_id>/appointments")
@require_role(Role.OFII_AGENT)
def appointments(person_id: int) -> ResponseReturnValue:
    return _appointments_page(_agent(person_id))


def _schedule(
    agent: _Agent, form: Form, replaces: Appointment | None = None
) -> ResponseReturnValue:
    """Schedule (or reschedule) from the form; the convocation is sealed and, if asked and
    possible, its mail queued: the page says it will be sent (a worker sends it; the list
    marks the appointment once it went), or that it cannot be (the person has no address)."""
    try:
        data = appointment_input(form)
        appointment = schedule_appointment(
            agent.session,
            person=agent.person,
            office=agent.office,
            data=data,
            keyring=keyring(),
            blobs=blob_store(),
            actor=actor_label(agent.user),
            user_id=agent.user.id,
            replaces=replaces,
            commit=False,
        )
    except JourneyError as error:
        agent.session.rollback()
        return _appointments_page(agent, error=gettext(error.code), status=400)
    except (IssuanceError, ClaimsError, CertificateError):
        agent.session.rollback()
        return _appointments_page(agent, error=gettext("journey-error-cannot-issue"), status=400)
    mail = None
    if form.get("send_mail") == "1":
        queued = mail_convocation(agent.session, appointment, actor=actor_label(agent.user))
        mail = "queued" if queued else "failed"
    agent.session.commit()  # the appointment and its mail's job together
    target = url_for(".appointments", person_id=agent.person.id, mail=mail)
    return redirect(target, 303)


@bp.post("/agent/persons/<int:person_id>/appointments")
@require_role(Role.OFII_AGENT)
def schedule(person_id: int) -> ResponseReturnValue:
    return _schedule(_agent(person_id), request.form)


def _rescheduling_form(old: Appointment) -> Form:
    """The status form's new date (and place, else the old one) with the old purpose."""
    form: Form = MultiDict(request.form)
    form["purpose"] = old.purpose
    if not form.get("place", "").strip():
        form["place"] = old.place
    return form


@bp.post("/agent/persons/<int:person_id>/appointments/<int:appointment_id>/status")
@require_role(Role.OFII_AGENT)
def appointment_status(person_id: int, appointment_id: int) -> ResponseReturnValue:
    """Attended, missed, cancelled; or rescheduled, which schedules the new appointment
    (date and place of this form, same purpose) and links the old one to it."""
    agent = _agent(person_id)
    found = _appointment_of(agent.session, agent.person, appointment_id)
    try:
        status = status_input(request.form)
        if status is AppointmentStatus.RESCHEDULED:
            if found.status != AppointmentStatus.SCHEDULED:
                raise JourneyError("journey-error-status-final", field="status")
            return _schedule(agent, _rescheduling_form(found), replaces=found)
        set_appointment_status(agent.session, found, status, actor=actor_label(agent.user))
    except JourneyError as error:
        agent.session.rollback()
        return _appointments_page(agent, error=gettext(error.code), status=400)
    agent.session.commit()
    return redirect(url_for(".appointments", person_id=person_id), 303)
