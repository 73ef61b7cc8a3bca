"""The journey as JSON for the API: stable keys, ISO dates, enum values as stored.

What an OFII system reads back is what the register holds; file contents are never inlined
(a stored file is named by its id, kind, pages and SHA-256s).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier.models import Appointment, Correspondence, Person, StoredFile, Training

__all__ = ["appointment_json", "correspondence_json", "journey_json", "training_json"]


def training_json(training: Training) -> dict[str, Any]:
    return {
        "id": training.id,
        "person_id": training.person_id,
        "kind": training.kind,
        "title": training.title,
        "provider": training.provider,
        "place": training.place,
        "days": [
            {"id": d.id, "day": d.day.isoformat(), "hours": d.hours, "attendance": d.attendance}
            for d in training.days
        ],
        "assessment_result": training.assessment_result,
        "hours_prescribed": training.hours_prescribed,
        "hours_attended": training.hours_attended,
        "level_reached": training.level_reached,
        "exempt": training.exempt,
        "exemption_reason": training.exemption_reason,
        "created_at": training.created_at.isoformat(),
    }


def appointment_json(appointment: Appointment) -> dict[str, Any]:
    return {
        "id": appointment.id,
        "person_id": appointment.person_id,
        "purpose": appointment.purpose,
        "at": appointment.at.isoformat(),
        "place": appointment.place,
        "status": appointment.status,
        "note": appointment.note,
        "convocation_id": appointment.convocation_id,
        "rescheduled_to_id": appointment.rescheduled_to_id,
        "mailed": appointment.mailed_at is not None,
    }


def _file_json(stored: StoredFile) -> dict[str, Any]:
    return {
        "id": stored.id,
        "parent_id": stored.parent_id,
        "kind": stored.kind,
        "title": stored.title,
        "pages": stored.pages,
        "size": stored.size,
        "original_sha256": stored.original_sha256,
        "pdf_sha256": stored.pdf_sha256,
        "removed": stored.removed.split(),
    }


def correspondence_json(entry: Correspondence) -> dict[str, Any]:
    return {
        "id": entry.id,
        "on": entry.on.isoformat(),
        "direction": entry.direction,
        "sender": entry.sender,
        "recipient": entry.recipient,
        "channel": entry.channel,
        "tracking_number": entry.tracking_number,
        "acknowledged_on": entry.acknowledged_on.isoformat() if entry.acknowledged_on else None,
        "subject": entry.subject,
        "added_by_role": entry.added_by_role,
        "files": [_file_json(f) for f in entry.files],
    }


def journey_json(session: Session, person: Person) -> dict[str, Any]:
    trainings = session.scalars(
        select(Training).where(Training.person_id == person.id).order_by(Training.id)
    )
    appointments = session.scalars(
        select(Appointment).where(Appointment.person_id == person.id).order_by(Appointment.at)
    )
    letters = session.scalars(
        select(Correspondence)
        .where(Correspondence.person_id == person.id)
        .order_by(Correspondence.on, Correspondence.id)
    )
    return {
        "person_id": person.id,
        "trainings": [training_json(t) for t in trainings],
        "appointments": [appointment_json(a) for a in appointments],
        "correspondence": [correspondence_json(c) for c in letters],
    }
