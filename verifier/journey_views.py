"""What the journey pages show of the records: words in the visitor's language, dates as in
France (DD/MM/YYYY, Paris time), no raw enum values."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.i18n import gettext
from verifier.journey import PARIS
from verifier.models import Appointment, Attendance, Correspondence, StoredFile, Training
from verifier.portal_pages import format_day

__all__ = [
    "AppointmentView",
    "CorrespondenceView",
    "DayView",
    "FileView",
    "TrainingView",
    "appointment_views",
    "correspondence_views",
    "removed_words",
    "training_view",
    "training_views",
]


@dataclass(frozen=True)
class DayView:
    id: int
    day: str
    hours: int
    attendance: str
    attendance_words: str


@dataclass(frozen=True)
class TrainingView:
    id: int
    kind: str
    kind_words: str
    title: str
    provider: str
    place: str
    days: list[DayView]
    hours_present: int
    hours_planned: int
    language: list[tuple[str, str]]  # (label, value) lines of a language training


def _language_lines(training: Training) -> list[tuple[str, str]]:
    if training.kind != "language":
        return []
    if training.exempt:
        return [(gettext("journey-exempt"), training.exemption_reason or "")]
    lines = [
        (gettext("journey-assessment"), training.assessment_result or ""),
        (gettext("journey-hours-prescribed"), f"{training.hours_prescribed or 0} h"),
        (gettext("journey-hours-attended"), f"{training.hours_attended or 0} h"),
    ]
    if training.level_reached:
        lines.append((gettext("journey-level"), training.level_reached))
    return lines


def training_view(training: Training) -> TrainingView:
    days = [
        DayView(
            d.id, format_day(d.day), d.hours, d.attendance, gettext(f"attendance-{d.attendance}")
        )
        for d in training.days
    ]
    return TrainingView(
        id=training.id,
        kind=training.kind,
        kind_words=gettext(f"training-kind-{training.kind}"),
        title=training.title,
        provider=training.provider,
        place=training.place,
        days=days,
        hours_present=sum(d.hours for d in training.days if d.attendance == Attendance.PRESENT),
        hours_planned=sum(d.hours for d in training.days),
        language=_language_lines(training),
    )


def training_views(trainings: list[Training]) -> list[TrainingView]:
    return [training_view(t) for t in trainings]


@dataclass(frozen=True)
class AppointmentView:
    id: int
    when: str
    purpose_words: str
    place: str
    note: str
    status: str
    status_words: str
    convocation_id: str | None
    mailed: bool
    rescheduled_to_id: int | None


def appointment_views(appointments: list[Appointment]) -> list[AppointmentView]:
    return [
        AppointmentView(
            id=a.id,
            when=a.at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
            purpose_words=gettext(f"purpose-{a.purpose}"),
            place=a.place,
            note=a.note,
            status=a.status,
            status_words=gettext(f"appointment-status-{a.status}"),
            convocation_id=a.convocation_id,
            mailed=a.mailed_at is not None,
            rescheduled_to_id=a.rescheduled_to_id,
        )
        for a in appointments
    ]


def removed_words(codes: str) -> list[str]:
    """What the intake stripped from a file, in words (an unknown code shown as it is)."""
    words = []
    for code in codes.split():
        key = f"intake-removed-{code.split(':', 1)[0]}"
        text = gettext(key)
        words.append(code if text == key else text)
    return words


@dataclass(frozen=True)
class FileView:
    id: int
    title: str
    kind: str
    pages: int
    removed: list[str]
    attachments: list[FileView]


@dataclass(frozen=True)
class CorrespondenceView:
    id: int
    on: str
    direction_words: str
    sender: str
    recipient: str
    channel_words: str
    tracking_number: str | None
    acknowledged_on: str | None
    subject: str
    added_by_words: str
    files: list[FileView]


def _file_views(files: list[StoredFile], parent: int | None = None) -> list[FileView]:
    return [
        FileView(f.id, f.title, f.kind, f.pages, removed_words(f.removed), _file_views(files, f.id))
        for f in files
        if f.parent_id == parent
    ]


def correspondence_views(entries: list[Correspondence]) -> list[CorrespondenceView]:
    return [
        CorrespondenceView(
            id=c.id,
            on=format_day(c.on),
            direction_words=gettext(f"direction-{c.direction}"),
            sender=c.sender,
            recipient=c.recipient,
            channel_words=gettext(f"channel-{c.channel}"),
            tracking_number=c.tracking_number,
            acknowledged_on=format_day(c.acknowledged_on) if c.acknowledged_on else None,
            subject=c.subject,
            added_by_words=gettext(f"role-{c.added_by_role}"),
            files=_file_views(list(c.files)),
        )
        for c in entries
    ]
