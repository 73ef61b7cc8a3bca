"""The journey for OFII systems: record trainings and appointments, issue certificates from
trainings, read a person's journey. Under /api/v1 with bearer tokens (CSRF-exempt, like
verifier/api.py: no cookie can carry these credentials).

The token's office is the office acting: a person whose file another office holds answers
404, exactly like an unknown id (nobody learns which files exist elsewhere). Path ids are
taken as text and parsed after authentication, so that a bad credential always gets its 401.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from bundles.errors import CertificateError
from signing.errors import ClaimsError
from verifier import db
from verifier.access import record_access
from verifier.api_input import json_object
from verifier.auth import current_token, require_scope
from verifier.errors import ApiError
from verifier.instance import blob_store, keyring
from verifier.issuance import IdempotencyConflict, IssuanceError
from verifier.journey import (
    PARIS,
    AppointmentInput,
    DayInput,
    JourneyError,
    TrainingInput,
    issue_training_certificate,
    record_training,
    schedule_appointment,
)
from verifier.journey_json import appointment_json, journey_json, training_json
from verifier.journey_mail import mail_convocation
from verifier.models import (
    ApiToken,
    AppointmentPurpose,
    Attendance,
    Office,
    Person,
    Training,
    TrainingKind,
)
from verifier.representation import certificate_json
from verifier.tokens import Scope

__all__ = ["bp"]

bp = Blueprint("journey_api", __name__, url_prefix="/api/v1")

_MAX_ID = 2**31 - 1
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?")
_MAX_IDEMPOTENCY_KEY = 200
E = TypeVar("E", bound=StrEnum)


def _token_office() -> tuple[ApiToken, Office]:
    token = current_token()
    assert token is not None  # require_scope let the request through
    if token.office is None:
        raise ApiError(404, "not-found")
    return token, token.office


def _id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or not 0 < int(text) <= _MAX_ID:
        raise ApiError(404, "not-found")
    return int(text)


def _person(person_id: str, office: Office) -> Person:
    person = db.session().get(Person, _id(person_id))
    if person is None or person.office_id != office.id:
        raise ApiError(404, "not-found")
    return person


def _invalid(error: JourneyError) -> ApiError:
    return ApiError(422, "invalid-field", field=error.field or "body", detail=error.detail)


def _field(field: str, detail: str) -> ApiError:
    return ApiError(422, "invalid-field", field=field, detail=detail)


# ----------------------------------------------------------------------------- parsing


def _string(body: dict[str, Any], key: str, limit: int = 200, *, required: bool = False) -> str:
    value = body.get(key)
    if value is None:
        if required:
            raise _field(key, "required")
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise _field(key, f"a string of at most {limit} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise _field(key, "control characters are not allowed")
    return value


def _whole(body: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _field(key, f"a whole number from {low} to {high}")
    return value


def _choice(kind: type[E], value: Any, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise _field(field, "one of " + ", ".join(kind)) from None


def _day(value: Any, index: int) -> DayInput:
    field = f"days[{index}]"
    if not isinstance(value, dict):
        raise _field(field, "an object")
    text = value.get("day")
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise _field(f"{field}.day", "a date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise _field(f"{field}.day", "no such date") from None
    hours = _whole(value, "hours", 1, 12)
    attendance = _choice(Attendance, value.get("attendance", "present"), f"{field}.attendance")
    return DayInput(day=day, hours=hours if hours is not None else 6, attendance=attendance)


def _training_input(body: dict[str, Any]) -> TrainingInput:
    days = body.get("days", [])
    if not isinstance(days, list) or len(days) > 30:
        raise _field("days", "a list of at most 30 days")
    exempt = body.get("exempt", False)
    if not isinstance(exempt, bool):
        raise _field("exempt", "true or false")
    return TrainingInput(
        kind=_choice(TrainingKind, body.get("kind"), "kind"),
        title=_string(body, "title"),
        provider=_string(body, "provider"),
        place=_string(body, "place"),
        days=[_day(d, i) for i, d in enumerate(days)],
        assessment_result=_string(body, "assessment_result") or None,
        hours_prescribed=_whole(body, "hours_prescribed", 0, 600),
        hours_attended=_whole(body, "hours_attended", 0, 600),
        level_reached=_string(body, "level_reached", 40) or None,
        exempt=exempt,
        exemption_reason=_string(body, "exemption_reason") or None,
    )


def _moment(value: Any) -> datetime:
    """ISO 8601 with an offset, or without one read as Paris time."""
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value):
        raise _field("at", "a date-time such as 2026-05-04T09:30:00+02:00")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _field("at", "no such date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment


def _appointment_input(body: dict[str, Any]) -> AppointmentInput:
    bring = body.get("bring", [])
    if (
        not isinstance(bring, list)
        or len(bring) > 20
        or not all(isinstance(item, str) and 0 < len(item) <= 200 for item in bring)
    ):
        raise _field("bring", "a list of at most 20 strings")
    return AppointmentInput(
        purpose=_choice(AppointmentPurpose, body.get("purpose"), "purpose"),
        at=_moment(body.get("at")),
        place=_string(body, "place", 300, required=True),
        note=_string(body, "note", 2000),
        bring=bring,
    )


# ----------------------------------------------------------------------------- routes


@bp.post("/persons/<person_id>/trainings")
@require_scope(Scope.ISSUE)
def add_training(person_id: str) -> ResponseReturnValue:
    token, office = _token_office()
    body = json_object()
    person = _person(person_id, office)
    session = db.session()
    try:
        training = record_training(
            session,
            person=person,
            office=office,
            data=_training_input(body),
            actor=f"token:{token.prefix}",
        )
    except JourneyError as error:
        session.rollback()
        raise _invalid(error) from None
    session.commit()
    return jsonify(training_json(training)), 201


@bp.post("/persons/<person_id>/appointments")
@require_scope(Scope.ISSUE)
def add_appointment(person_id: str) -> ResponseReturnValue:
    """Schedules and issues the convocation; ``"send_mail": true`` also queues its mail.

    The answer's ``"mail_queued"`` says whether it was queued (false without ``send_mail``, or
    when the person has no address); a worker sends it afterwards, so ``"mailed"`` (the mail
    server took it) is false in this answer and true in the person's journey once it went.
    """
    token, office = _token_office()
    body = json_object()
    person = _person(person_id, office)
    send = body.get("send_mail", False)
    if not isinstance(send, bool):
        raise _field("send_mail", "true or false")
    session = db.session()
    actor = f"token:{token.prefix}"
    try:
        appointment = schedule_appointment(
            session,
            person=person,
            office=office,
            data=_appointment_input(body),
            keyring=keyring(),
            blobs=blob_store(),
            actor=actor,
            token=token,
            commit=False,
        )
    except JourneyError as error:
        session.rollback()
        raise _invalid(error) from None
    except (IssuanceError, ClaimsError, CertificateError) as error:
        session.rollback()
        raise ApiError(422, "cannot-issue", detail=str(error)) from None
    queued = send and mail_convocation(session, appointment, actor=actor)
    session.commit()  # the appointment and its mail's job together
    return jsonify({**appointment_json(appointment), "mail_queued": queued}), 201


@bp.post("/trainings/<training_id>/certificate")
@require_scope(Scope.ISSUE)
def training_certificate(training_id: str) -> ResponseReturnValue:
    """Issue the certificate the training supports. An optional Idempotency-Key makes a
    retry return the first certificate (200, Idempotent-Replayed) instead of a second one."""
    token, office = _token_office()
    session = db.session()
    training = session.get(Training, _id(training_id))
    if training is None or training.person.office_id != office.id:
        raise ApiError(404, "not-found")
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and (len(key) > _MAX_IDEMPOTENCY_KEY or not key.isprintable()):
        raise ApiError(400, "idempotency-key-missing")
    try:
        certificate, created = issue_training_certificate(
            session,
            training,
            keyring=keyring(),
            blobs=blob_store(),
            office=office,
            actor=f"token:{token.prefix}",
            token=token,
            idempotency_key=key,
        )
    except JourneyError as error:
        raise _invalid(error) from None
    except IdempotencyConflict:
        raise ApiError(409, "idempotency-conflict") from None
    except (IssuanceError, ClaimsError, CertificateError) as error:
        session.rollback()
        raise ApiError(422, "cannot-issue", detail=str(error)) from None
    response = jsonify(certificate_json(certificate))
    response.status_code = 201 if created else 200
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/persons/<person_id>/journey")
@require_scope(Scope.ISSUE, Scope.REVOKE, Scope.VERIFY)
def journey(person_id: str) -> ResponseReturnValue:
    """Trainings, appointments and correspondence of a person of the token's office; the
    read is recorded in the person's access log."""
    token, office = _token_office()
    person = _person(person_id, office)
    session = db.session()
    found = journey_json(session, person)
    record_access(
        session,
        token.user,
        person,
        action="api-journey",
        object_type="person",
        object_id=person.id,
    )
    session.commit()
    return jsonify(found)
