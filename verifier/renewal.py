"""What a multi-year card renewal needs under the integration contract, present or missing.

Why computed here and not typed: the prefect checks assiduity and seriousness in the civic and
language trainings "mainly from what OFII transmits" (CESEDA L.433-4, R.433-5); Sceau holds
exactly that record (trainings with their days, certificates issued from them, appointments).
So the checklist reads the same rows the certificates were issued from, and names the
certificates that prove each line, so that the pack page can tick them as pieces.

Requirements found only in secondary sources are marked ``[check]`` in :data:`REQUIREMENTS`,
the one table to correct.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signing.seal import CertificateType
from verifier.deadlines import PARIS
from verifier.i18n import translated
from verifier.instance import keyring
from verifier.models import (
    Appointment,
    AppointmentStatus,
    Attendance,
    Certificate,
    Person,
    Training,
    TrainingKind,
)
from verifier.verification import SealStatus, online_status

__all__ = [
    "CIVIC_DAYS",
    "CIVIC_HOURS",
    "LEVELS",
    "REQUIREMENTS",
    "Checklist",
    "Line",
    "cefr_level",
    "renewal_checklist",
]

CIVIC_DAYS = 4
CIVIC_HOURS = 24
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

# key -> the rule it checks and its source (shown on the page and the cover).
REQUIREMENTS: Mapping[str, str] = {
    "cir": "CESEDA L.433-4: contrat d'intégration républicaine signé",
    "civic": "CESEDA R.433-5: formation civique suivie (4 jours, 24 heures)",
    "language-hours": "CESEDA R.433-5: assiduité à la formation linguistique prescrite",
    "language-level": "Français A2 pour une première carte pluriannuelle dès 2026 [check]",
    "civic-exam": "Examen civique pour une première carte pluriannuelle dès 2026 [check]",
    "life-in-france": "Session « Vivre en France » (CIR) [check]",
    "appointments": "CESEDA R.433-5: assiduité aux rendez-vous de l'OFII",
}
REQUIRED_LEVEL = "A2"  # [check] with REQUIREMENTS["language-level"]

_LEVEL = re.compile(r"\b([ABC][12])\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """One requirement: present or missing, with the facts that say so."""

    key: str
    present: bool
    params: Mapping[str, object] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()  # "certificate:ID" of the pieces that prove it
    variant: str = ""  # "-exempt": the same requirement met by an exemption

    @property
    def status(self) -> str:
        return "present" if self.present else "missing"

    @property
    def source(self) -> str:
        return REQUIREMENTS[self.key]

    def text(self, lang: str | None = None) -> str:
        """The line in words: what is there, or what is missing."""
        return translated(
            f"renewal-{self.key}-{self.status}{self.variant}", lang=lang, **self.params
        )


@dataclass(frozen=True)
class Checklist:
    lines: tuple[Line, ...]

    @property
    def missing(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.present)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def evidence(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for line in self.lines:
            seen.update(dict.fromkeys(line.evidence))
        return tuple(seen)

    def front_matter(self) -> tuple[str, ...]:
        """The cover's lines, in French (the prefecture reads French), sources included."""
        return tuple(
            f"[{translated(f'renewal-status-{line.status}', lang='fr')}] "
            f"{line.text('fr')} — {line.source}"
            for line in self.lines
        )


def cefr_level(text: str | None) -> str | None:
    """The highest CEFR level named in ``text`` ("A2 (CECRL)" -> "A2"), or None."""
    found = [m.upper() for m in _LEVEL.findall(text or "")]
    return max(found, key=LEVELS.index) if found else None


def _number(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    match = _NUMBER.search(str(value or ""))
    return int(match.group()) if match else None


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _refs(certificates: Iterable[Certificate]) -> tuple[str, ...]:
    return tuple(f"certificate:{c.id}" for c in certificates)


# A revoked certificate, one replaced by another, and one sealed by a revoked key prove nothing.
_NOT_COUNTED = (SealStatus.REVOKED, SealStatus.SUPERSEDED, SealStatus.NOT_TRUSTED)


class _Facts:
    def __init__(self, session: Session, person: Person, today: date) -> None:
        self.today = today
        trust = keyring().trust
        self.certificates = [
            c
            for c in session.scalars(
                select(Certificate)
                .where(Certificate.person_id == person.id)
                .order_by(Certificate.issued_at, Certificate.id)
            )
            if online_status(c, today, trust=trust) not in _NOT_COUNTED
        ]
        self.trainings = list(
            session.scalars(
                select(Training)
                .where(Training.person_id == person.id)
                .options(selectinload(Training.days))
                .order_by(Training.id)
            )
        )
        self.appointments = list(
            session.scalars(
                select(Appointment)
                .where(Appointment.person_id == person.id)
                .order_by(Appointment.at, Appointment.id)
            )
        )

    def of_type(self, kind: CertificateType) -> list[Certificate]:
        return [c for c in self.certificates if c.type == kind]

    def of_kind(self, kind: TrainingKind) -> list[Training]:
        return [t for t in self.trainings if t.kind == kind]


def _cir(facts: _Facts) -> Line:
    found = facts.of_type(CertificateType.CIR_SIGNATURE)
    if not found:
        return Line("cir", False)
    signed = found[-1].details.get("signed_on")
    return Line("cir", True, {"date": _shown_date(signed, found[-1].issued_on)}, _refs(found))


def _shown_date(value: Any, fallback: date) -> str:
    if isinstance(value, str):
        try:
            return _day(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return _day(fallback)


def _civic(facts: _Facts) -> Line:
    certificates = facts.of_type(CertificateType.CIVIC_TRAINING)
    trainings = facts.of_kind(TrainingKind.CIVIC)
    refs = _refs(certificates)
    if trainings:
        present = [d for t in trainings for d in t.days if d.attendance == Attendance.PRESENT]
        days = len({d.day for d in present})
        hours = sum(d.hours for d in present)
        params = {"days": days, "hours": hours, "need_days": CIVIC_DAYS, "need_hours": CIVIC_HOURS}
        return Line("civic", days >= CIVIC_DAYS and hours >= CIVIC_HOURS, params, refs)
    if certificates:
        hours = _number(certificates[-1].details.get("hours_attended")) or 0
        days = len(certificates[-1].details.get("days_attended") or [])
        params = {"days": days, "hours": hours, "need_days": CIVIC_DAYS, "need_hours": CIVIC_HOURS}
        return Line("civic", days >= CIVIC_DAYS and hours >= CIVIC_HOURS, params, refs)
    return Line("civic", False, {"days": 0, "hours": 0, "need_days": CIVIC_DAYS, "need_hours": 24})


def _language(facts: _Facts) -> tuple[Line, Line]:
    certificates = facts.of_type(CertificateType.LANGUAGE_TRAINING)
    refs = _refs(certificates)
    trainings = facts.of_kind(TrainingKind.LANGUAGE)
    reason = next((t.exemption_reason or "—" for t in trainings if t.exempt), None)
    if reason is None:
        reason = next(
            (str(c.details["exemption"]) for c in certificates if c.details.get("exemption")),
            None,
        )
    if reason is not None:
        params = {"reason": reason, "need": REQUIRED_LEVEL}
        return (
            Line("language-hours", True, params, refs, "-exempt"),
            Line("language-level", True, params, refs, "-exempt"),
        )
    prescribed = attended = None
    level = None
    for training in trainings:
        if training.hours_prescribed is not None:
            prescribed = (prescribed or 0) + training.hours_prescribed
            attended = (attended or 0) + (training.hours_attended or 0)
        level = cefr_level(training.level_reached) or level
    if prescribed is None and certificates:
        details = certificates[-1].details
        prescribed = _number(details.get("hours_prescribed"))
        attended = _number(details.get("hours_attended"))
    for certificate in certificates:
        level = max(
            (
                x
                for x in (level, cefr_level(str(certificate.details.get("level_reached", ""))))
                if x
            ),
            key=LEVELS.index,
            default=None,
        )
    if prescribed is None:
        hours = Line("language-hours", False, {"attended": 0, "prescribed": "?"})
    else:
        done = attended or 0
        hours = Line(
            "language-hours",
            done >= prescribed,
            {"attended": done, "prescribed": prescribed, "short": max(prescribed - done, 0)},
            refs,
        )
    reached = level is not None and LEVELS.index(level) >= LEVELS.index(REQUIRED_LEVEL)
    level_line = Line(
        "language-level", reached, {"level": level or "—", "need": REQUIRED_LEVEL}, refs
    )
    return hours, level_line


def _life_in_france(facts: _Facts) -> Line:
    certificates = facts.of_type(CertificateType.LIFE_IN_FRANCE)
    attended = [
        d.day
        for t in facts.of_kind(TrainingKind.LIFE_IN_FRANCE)
        for d in t.days
        if d.attendance == Attendance.PRESENT
    ]
    if attended:
        return Line("life-in-france", True, {"date": _day(min(attended))}, _refs(certificates))
    if certificates:
        shown = _shown_date(
            certificates[-1].details.get("session_date"), certificates[-1].issued_on
        )
        return Line("life-in-france", True, {"date": shown}, _refs(certificates))
    return Line("life-in-france", False)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def _appointments(facts: _Facts) -> Line:
    """Missed appointments not made good by a later attended one of the same purpose."""
    unresolved = []
    for appointment in facts.appointments:
        if appointment.status != AppointmentStatus.MISSED:
            continue
        later = any(
            other.purpose == appointment.purpose
            and other.status == AppointmentStatus.ATTENDED
            and other.at > appointment.at
            for other in facts.appointments
        )
        if not later:
            unresolved.append(appointment)
    missed = sum(1 for a in facts.appointments if a.status == AppointmentStatus.MISSED)
    if unresolved:
        days = ", ".join(_day(_local_day(a.at)) for a in unresolved)
        refs = tuple(
            f"certificate:{a.convocation_id}" for a in unresolved if a.convocation_id is not None
        )
        return Line("appointments", False, {"count": len(unresolved), "dates": days}, refs)
    return Line("appointments", True, {"count": missed})


def renewal_checklist(session: Session, person: Person, today: date | None = None) -> Checklist:
    """The checklist of ``person``'s file, as of ``today``."""
    facts = _Facts(session, person, today or date.today())
    hours, level = _language(facts)
    return Checklist(
        (
            _cir(facts),
            _civic(facts),
            hours,
            level,
            Line("civic-exam", False),  # Sceau holds no record of the exam: always to bring
            _life_in_france(facts),
            _appointments(facts),
        )
    )
