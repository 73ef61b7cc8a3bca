"""The integration journey as OFII records it: trainings (with days and attendance) and the
certificates issued FROM them, appointments and their sealed convocations, correspondence.

Why certificates are built here and never typed: a certificate of attendance must say what the
register says. The civic-training certificate lists the days marked *present*, and its hours are
summed from those days, so an agent cannot print a day the person missed. Pages and the API
parse their input into the dataclasses below; every rule on values lives here, once, and is
reported as a :class:`JourneyError` naming the field (pages translate ``code``, the API shows
``field`` and ``detail``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bundles.certificate import DetailValue
from signing.seal import CertificateType
from verifier import audit
from verifier.blobs import BlobStore
from verifier.issuance import IssueRequest, issue
from verifier.keyring import Keyring
from verifier.models import (
    ApiToken,
    Appointment,
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    Certificate,
    Office,
    Person,
    Training,
    TrainingDay,
    TrainingKind,
)

__all__ = [
    "HOURS_PRESCRIBED",
    "PARIS",
    "PURPOSE_FR",
    "AppointmentInput",
    "DayInput",
    "JourneyError",
    "TrainingInput",
    "certificate_request",
    "convocation_details",
    "issue_training_certificate",
    "paris_input",
    "record_training",
    "schedule_appointment",
    "set_appointment_status",
    "update_attendance",
]

PARIS = ZoneInfo("Europe/Paris")
HOURS_PRESCRIBED = (100, 200, 400, 600)  # the language-training packages of the CIR
MAX_DAYS = 30
MAX_DAY_HOURS = 12
MAX_TEXT = 200

# The purpose as printed on the convocation (the certificate is in French).
PURPOSE_FR: dict[AppointmentPurpose, str] = {
    AppointmentPurpose.RECEPTION_INTERVIEW: "Entretien d'accueil",
    AppointmentPurpose.MEDICAL_VISIT: "Visite médicale",
    AppointmentPurpose.CIR_SIGNATURE: "Signature du contrat d'intégration républicaine",
    AppointmentPurpose.TRAINING: "Formation",
    AppointmentPurpose.END_OF_CONTRACT_INTERVIEW: "Entretien de fin de contrat",
    AppointmentPurpose.OTHER: "Rendez-vous à l'OFII",
}

_CERTIFICATE_OF: dict[TrainingKind, CertificateType] = {
    TrainingKind.CIVIC: CertificateType.CIVIC_TRAINING,
    TrainingKind.LANGUAGE: CertificateType.LANGUAGE_TRAINING,
    TrainingKind.LIFE_IN_FRANCE: CertificateType.LIFE_IN_FRANCE,
    TrainingKind.SKILLS_ORIENTATION: CertificateType.SKILLS_ORIENTATION,
}

# Status changes an agent may make by hand; "rescheduled" only comes with a new appointment.
_FINAL = frozenset(
    {AppointmentStatus.ATTENDED, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED}
)


class JourneyError(ValueError):
    """A value the journey refuses: ``code`` is a message key (journey_messages.py),
    ``field`` the input at fault, ``detail`` a plain English sentence for API clients."""

    def __init__(self, code: str, *, field: str = "", detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.field = field
        self.detail = detail or code


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class DayInput:
    day: date
    hours: int
    attendance: Attendance


@dataclass(frozen=True, kw_only=True)
class TrainingInput:
    kind: TrainingKind
    title: str = ""
    provider: str = ""
    place: str = ""
    days: Sequence[DayInput] = ()
    assessment_result: str | None = None
    hours_prescribed: int | None = None
    hours_attended: int | None = None
    level_reached: str | None = None
    exempt: bool = False
    exemption_reason: str | None = None

    def check(self) -> None:
        """Refuse what no certificate could honestly be built from."""
        for name in ("title", "provider", "place"):
            if len(getattr(self, name)) > MAX_TEXT:
                raise JourneyError("journey-error-too-long", field=name, detail="too long")
        if len(self.days) > MAX_DAYS:
            raise JourneyError("journey-error-days", field="days", detail="too many days")
        seen: set[date] = set()
        for number, day in enumerate(self.days):
            if day.day in seen:
                raise JourneyError(
                    "journey-error-day-twice", field=f"days[{number}].day", detail="same day twice"
                )
            seen.add(day.day)
            if not 0 < day.hours <= MAX_DAY_HOURS:
                raise JourneyError(
                    "journey-error-hours", field=f"days[{number}].hours", detail="1 to 12 hours"
                )
        if self.kind is TrainingKind.LANGUAGE:
            self._check_language()

    def _check_language(self) -> None:
        if self.exempt:
            if not (self.exemption_reason or "").strip():
                raise JourneyError(
                    "journey-error-exemption", field="exemption_reason", detail="give the reason"
                )
            return
        if self.hours_prescribed not in HOURS_PRESCRIBED:
            raise JourneyError(
                "journey-error-hours-prescribed",
                field="hours_prescribed",
                detail="one of 100, 200, 400, 600",
            )
        attended = self.hours_attended
        if attended is None or not 0 <= attended <= self.hours_prescribed:
            raise JourneyError(
                "journey-error-hours-attended",
                field="hours_attended",
                detail="from 0 to the hours prescribed",
            )


@dataclass(frozen=True, kw_only=True)
class AppointmentInput:
    purpose: AppointmentPurpose
    at: datetime  # aware
    place: str
    note: str = ""
    bring: Sequence[str] = field(default_factory=tuple)

    def check(self) -> None:
        if self.at.tzinfo is None:
            raise JourneyError("journey-error-at", field="at", detail="give a time zone")
        if not self.place.strip() or len(self.place) > 300:
            raise JourneyError("journey-error-place", field="place", detail="1 to 300 characters")
        if len(self.note) > 2000:
            raise JourneyError("journey-error-too-long", field="note", detail="too long")
        if len(self.bring) > 20 or any(len(item) > MAX_TEXT for item in self.bring):
            raise JourneyError("journey-error-too-long", field="bring", detail="too long")


# ----------------------------------------------------------------------------- trainings


def record_training(
    session: Session,
    *,
    person: Person,
    office: Office,
    data: TrainingInput,
    actor: str,
    user_id: int | None = None,
) -> Training:
    """Add a training and its days, audited, in the caller's unit of work (not committed)."""
    data.check()
    language = data.kind is TrainingKind.LANGUAGE
    training = Training(
        person_id=person.id,
        office_id=office.id,
        kind=str(data.kind),
        title=data.title.strip(),
        provider=data.provider.strip(),
        place=data.place.strip(),
        assessment_result=(data.assessment_result or "").strip() or None if language else None,
        hours_prescribed=data.hours_prescribed if language and not data.exempt else None,
        hours_attended=data.hours_attended if language and not data.exempt else None,
        level_reached=(data.level_reached or "").strip() or None if language else None,
        exempt=language and data.exempt,
        exemption_reason=(data.exemption_reason or "").strip() or None if language else None,
        recorded_by_id=user_id,
        days=[
            TrainingDay(day=d.day, hours=d.hours, attendance=str(d.attendance)) for d in data.days
        ],
    )
    session.add(training)
    session.flush()
    audit.append(
        session,
        actor=actor,
        action="training.record",
        object_type="training",
        object_id=training.id,
        details={"person": person.id, "kind": training.kind, "days": len(training.days)},
    )
    return training


def update_attendance(
    session: Session, training: Training, marks: Mapping[int, Attendance], *, actor: str
) -> int:
    """Set the attendance of the training's days named in ``marks`` (day row id -> mark);
    ids of other trainings' days are ignored. Returns how many changed (audited)."""
    changed = {}
    for day in training.days:
        mark = marks.get(day.id)
        if mark is not None and day.attendance != str(mark):
            changed[day.day.isoformat()] = f"{day.attendance}->{mark}"
            day.attendance = str(mark)
    if changed:
        audit.append(
            session,
            actor=actor,
            action="training.attendance",
            object_type="training",
            object_id=training.id,
            details={"person": training.person_id, "changes": changed},
        )
    return len(changed)


def _present(training: Training) -> list[TrainingDay]:
    return [d for d in training.days if d.attendance == Attendance.PRESENT]


def _require(value: str, field_name: str) -> str:
    if not value.strip():
        raise JourneyError(
            f"journey-error-missing-{field_name}", field=field_name, detail=f"{field_name} missing"
        )
    return value.strip()


def _no_present_day() -> JourneyError:
    return JourneyError(
        "journey-error-no-present-day", field="days", detail="no day marked present"
    )


def _civic(training: Training) -> dict[str, DetailValue]:
    present = _present(training)
    if not present:
        raise _no_present_day()
    attended = sum(d.hours for d in present)
    planned = sum(d.hours for d in training.days)
    return {
        "session": _require(training.title, "title"),
        "days_attended": [d.day.strftime("%d/%m/%Y") for d in present],
        "hours_attended": f"{attended} h sur {planned} h",
        "place": _require(training.place, "place"),
    }


def _language(training: Training) -> dict[str, DetailValue]:
    result = (training.assessment_result or "").strip()
    if training.exempt:
        return {
            "assessment_result": result or "Non requis",
            "hours_prescribed": "Aucune (dispense)",
            "hours_attended": "Aucune (dispense)",
            "exemption": training.exemption_reason or "Dispense",
        }
    if training.hours_prescribed is None or training.hours_attended is None:
        raise JourneyError(
            "journey-error-hours-prescribed", field="hours_prescribed", detail="hours missing"
        )
    details: dict[str, DetailValue] = {
        "assessment_result": _require(result, "assessment_result"),
        "hours_prescribed": f"{training.hours_prescribed} h",
        "hours_attended": f"{training.hours_attended} h",
    }
    if training.level_reached:
        details["level_reached"] = training.level_reached
    return details


def _life_in_france(training: Training) -> dict[str, DetailValue]:
    present = _present(training)
    if not present:
        raise _no_present_day()
    hours = sum(d.hours for d in present)
    return {
        "session_date": present[0].day,
        "duration": f"{hours} heure{'s' if hours > 1 else ''}",
        "provider": _require(training.provider, "provider"),
    }


def _skills_orientation(training: Training) -> dict[str, DetailValue]:
    if not training.days:
        raise JourneyError("journey-error-no-day", field="days", detail="give the referral date")
    return {
        "referred_on": training.days[0].day,
        "provider": _require(training.provider, "provider"),
    }


def certificate_request(training: Training) -> IssueRequest:
    """The certificate the record supports, or JourneyError saying why there is none."""
    kind = TrainingKind(training.kind)
    build = {
        TrainingKind.CIVIC: _civic,
        TrainingKind.LANGUAGE: _language,
        TrainingKind.LIFE_IN_FRANCE: _life_in_france,
        TrainingKind.SKILLS_ORIENTATION: _skills_orientation,
    }[kind]
    return IssueRequest(
        certificate_type=_CERTIFICATE_OF[kind],
        person_id=training.person_id,
        details=build(training),
    )


def issue_training_certificate(
    session: Session,
    training: Training,
    *,
    keyring: Keyring,
    blobs: BlobStore,
    office: Office,
    actor: str,
    token: ApiToken | None = None,
    idempotency_key: str | None = None,
) -> tuple[Certificate, bool]:
    """Issue (and commit) the certificate built from ``training``; (certificate, created)."""
    request = certificate_request(training)
    # A retry with the same key must be the same request: the same training, and the same
    # record (attendance changed in between makes it a different certificate: 409).
    described = f"training:{training.id}:{sorted(request.details.items())!r}"
    fingerprint = hashlib.sha256(described.encode("utf-8")).hexdigest()
    return issue(
        session,
        keyring=keyring,
        blobs=blobs,
        office=office,
        request=request,
        token=token,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        actor=actor,
    )


# ----------------------------------------------------------------------------- appointments


def convocation_details(data: AppointmentInput) -> dict[str, DetailValue]:
    """The convocation's fields: the time as read in France, the purpose in French words."""
    details: dict[str, DetailValue] = {
        "appointment_at": data.at.astimezone(PARIS),
        "place": data.place.strip(),
        "purpose": PURPOSE_FR[data.purpose],
    }
    bring = [item.strip() for item in data.bring if item.strip()]
    if bring:
        details["bring"] = bring
    return details


def schedule_appointment(
    session: Session,
    *,
    person: Person,
    office: Office,
    data: AppointmentInput,
    keyring: Keyring,
    blobs: BlobStore,
    actor: str,
    user_id: int | None = None,
    token: ApiToken | None = None,
    replaces: Appointment | None = None,
    commit: bool = True,
) -> Appointment:
    """Issue the sealed convocation, then record the appointment that names it (committed,
    unless ``commit`` is False: the caller then adds to the same unit of work, the convocation
    mail's job, and commits it).

    Two commits, on purpose: issuing signs first and commits its own unit of work (no row
    lock held while signing); the appointment, its link and its audit entry commit together
    next. A crash in between leaves a valid convocation without its appointment row (visible,
    revocable), never an appointment claiming a convocation that does not exist.
    """
    data.check()
    convocation, _ = issue(
        session,
        keyring=keyring,
        blobs=blobs,
        office=office,
        request=IssueRequest(
            certificate_type=CertificateType.CONVOCATION,
            person_id=person.id,
            details=convocation_details(data),
        ),
        token=token,
        actor=actor,
    )
    appointment = Appointment(
        person_id=person.id,
        office_id=office.id,
        purpose=str(data.purpose),
        at=data.at.astimezone(UTC),
        place=data.place.strip(),
        note=data.note.strip(),
        status=str(AppointmentStatus.SCHEDULED),
        convocation_id=convocation.id,
        created_by_id=user_id,
    )
    session.add(appointment)
    session.flush()
    if replaces is not None:
        replaces.status = str(AppointmentStatus.RESCHEDULED)
        replaces.rescheduled_to_id = appointment.id
    audit.append(
        session,
        actor=actor,
        action="appointment.reschedule" if replaces is not None else "appointment.schedule",
        object_type="appointment",
        object_id=appointment.id,
        details={
            "person": person.id,
            "purpose": appointment.purpose,
            "convocation": convocation.id,
            "replaces": replaces.id if replaces is not None else None,
        },
    )
    if commit:
        session.commit()
    return appointment


def set_appointment_status(
    session: Session, appointment: Appointment, status: AppointmentStatus, *, actor: str
) -> None:
    """Attended, missed or cancelled (audited, not committed); a scheduled appointment only:
    the outcome of an appointment is recorded once."""
    if status not in _FINAL:
        raise JourneyError(
            "journey-error-status", field="status", detail="attended, missed or cancelled"
        )
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise JourneyError(
            "journey-error-status-final", field="status", detail="the appointment is not scheduled"
        )
    appointment.status = str(status)
    audit.append(
        session,
        actor=actor,
        action="appointment.status",
        object_type="appointment",
        object_id=appointment.id,
        details={"person": appointment.person_id, "status": str(status)},
    )


def paris_input(value: str) -> datetime:
    """A ``datetime-local`` field (YYYY-MM-DDTHH:MM, as read in France) as an aware instant."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise JourneyError("journey-error-at", field="at", detail="YYYY-MM-DDTHH:MM") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment
