"""The journey pages' forms, parsed into the service's inputs (verifier/journey.py).

A wrong field raises :class:`~verifier.journey.JourneyError` whose code is a message key, so
the page shows one translated sentence and keeps what was typed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from flask import abort
from werkzeug.datastructures import MultiDict

from verifier.correspondence import CorrespondenceInput
from verifier.journey import (
    AppointmentInput,
    DayInput,
    JourneyError,
    TrainingInput,
    paris_input,
)
from verifier.models import (
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    CorrespondenceChannel,
    CorrespondenceDirection,
    TrainingKind,
)

__all__ = [
    "DAY_ROWS",
    "Form",
    "appointment_input",
    "attendance_marks",
    "correspondence_input",
    "path_id",
    "status_input",
    "training_input",
]

MAX_ROW_ID = 2**31 - 1
DAY_ROWS = 6  # rows of the add-a-training form; blank rows are ignored

Form = MultiDict[str, str]
E = TypeVar("E", bound=StrEnum)


def path_id(value: int) -> int:
    """An id from a URL, or 404 beyond the database's integers (PostgreSQL would refuse to
    compare and answer a 500 where an unknown id must answer 404)."""
    if not 0 < value <= MAX_ROW_ID:
        abort(404)
    return value


def _text(form: Form, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    if len(value) > limit or any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise JourneyError("journey-error-too-long", field=name)
    return value.strip()


def _date(form: Form, name: str, *, required: bool = True, code: str | None = None) -> date | None:
    value = form.get(name, "").strip()
    error = JourneyError(code or f"journey-error-date-{name}", field=name)
    if not value:
        if required:
            raise error
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise error from None


def _int(form: Form, name: str, *, code: str) -> int | None:
    value = form.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 5:
        raise JourneyError(code, field=name)
    return int(value)


def _enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise JourneyError(f"journey-error-{field}", field=field) from None


def _day(form: Form, row: int) -> DayInput | None:
    when = form.get(f"day-{row}-date", "").strip()
    if not when:
        return None
    day = _date(form, f"day-{row}-date", code="journey-error-day-date")
    hours = _int(form, f"day-{row}-hours", code="journey-error-hours")
    attendance = _enum(Attendance, form.get(f"day-{row}-attendance", "present"), "attendance")
    assert day is not None
    return DayInput(day=day, hours=6 if hours is None else hours, attendance=attendance)


def training_input(form: Form) -> TrainingInput:
    kind = _enum(TrainingKind, form.get("kind", ""), "kind")
    days = [d for d in (_day(form, row) for row in range(DAY_ROWS)) if d is not None]
    language = kind is TrainingKind.LANGUAGE
    return TrainingInput(
        kind=kind,
        title=_text(form, "title"),
        provider=_text(form, "provider"),
        place=_text(form, "place"),
        days=days,
        assessment_result=_text(form, "assessment_result") if language else None,
        hours_prescribed=_int(form, "hours_prescribed", code="journey-error-hours-prescribed"),
        hours_attended=_int(form, "hours_attended", code="journey-error-hours-attended"),
        level_reached=_text(form, "level_reached", 40) if language else None,
        exempt=language and form.get("exempt") == "1",
        exemption_reason=_text(form, "exemption_reason") if language else None,
    )


def attendance_marks(form: Form) -> dict[int, Attendance]:
    """``attendance-<day id>`` fields -> marks (unknown names and values are refused)."""
    marks: dict[int, Attendance] = {}
    for name, value in form.items():
        if not name.startswith("attendance-"):
            continue
        day_id = name.removeprefix("attendance-")
        if not (day_id.isascii() and day_id.isdigit()) or len(day_id) > 12:
            raise JourneyError("journey-error-attendance", field=name)
        marks[int(day_id)] = _enum(Attendance, value, "attendance")
    return marks


def appointment_input(form: Form) -> AppointmentInput:
    purpose = _enum(AppointmentPurpose, form.get("purpose", ""), "purpose")
    if not form.get("at", "").strip():
        raise JourneyError("journey-error-at", field="at")
    bring = [line.strip() for line in _text(form, "bring", 2000).splitlines() if line.strip()]
    return AppointmentInput(
        purpose=purpose,
        at=paris_input(form.get("at", "")),
        place=_text(form, "place", 300),
        note=_text(form, "note", 2000),
        bring=bring,
    )


def status_input(form: Form) -> AppointmentStatus:
    return _enum(AppointmentStatus, form.get("status", ""), "status")


def correspondence_input(form: Form) -> CorrespondenceInput:
    on = _date(form, "on")
    assert on is not None
    return CorrespondenceInput(
        on=on,
        direction=_enum(CorrespondenceDirection, form.get("direction", ""), "direction"),
        sender=_text(form, "sender"),
        recipient=_text(form, "recipient"),
        channel=_enum(CorrespondenceChannel, form.get("channel", ""), "channel"),
        subject=_text(form, "subject", 300),
        tracking_number=_text(form, "tracking_number", 40) or None,
        acknowledged_on=_date(form, "acknowledged_on", required=False),
    )
