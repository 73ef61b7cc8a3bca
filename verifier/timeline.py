"""One chronology per person, and the gaps in it that matter.

A lawyer preparing an appeal, or a migrant preparing a renewal, needs the file as a story:
what happened when (certificates, training days, appointments, letters) and, above all, what
*did not* happen that should have (no summons after the visa validation, a missed appointment
nobody rescheduled, a registered letter whose acknowledgment never came back). The events are
read from the database as they are; the gaps are found by the rules of ``GAP_RULES``, ONE table
with each rule's threshold, severity and source, so that a rule found wrong is corrected in one
line (DOMAIN.md: facts marked [check] live in one place).

Certificates that were revoked or superseded still appear in the chronology (a lawyer must see
them) but no rule relies on them: a revoked certificate attests nothing, and a superseded one
was replaced by its correction, which the rules read instead.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bundles.timeline import Gap as PdfGap
from bundles.timeline import Severity, TimelineEvent, render_timeline
from verifier.i18n import current_language, translate
from verifier.models import (
    Appointment,
    AppointmentStatus,
    Attendance,
    Certificate,
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    Person,
    Training,
    TrainingKind,
)
from verifier.verification import SealStatus, online_status

__all__ = [
    "GAP_RULES",
    "Event",
    "Gap",
    "GapRule",
    "Severity",
    "Source",
    "Timeline",
    "build_timeline",
    "render_pdf",
    "timeline_pdf",
    "verification_code",
]

_PARIS = "Europe/Paris"

# The day a certificate's fact happened, when it is not the day of issue: the chronology puts
# a VLS-TS validation on the day it was validated, not on the day OFII attested it.
FACT_DATE_FIELD: dict[str, str] = {
    "vls-ts-validation": "validated_on",
    "medical-visit": "visit_date",
    "cir-signature": "signed_on",
    "life-in-france": "session_date",
    "family-reunification-deposit": "filed_on",
    "asylum-reception": "since",
    "skills-orientation": "referred_on",
}


# ----------------------------------------------------------------------------- what is shown


@dataclass(frozen=True)
class Source:
    """The row an event or gap comes from: ``type`` is certificate, training, appointment or
    correspondence; ``id`` its id (a certificate's hex id, else the integer as text)."""

    type: str
    id: str


@dataclass(frozen=True)
class Event:
    """One dated line of the chronology, its texts in the reader's language.

    ``kind`` says what it is (certificate, training, training-absence, appointment,
    correspondence, acknowledgment); ``time`` is the Paris hour when the event has one."""

    on: date
    kind: str
    label: str
    source: Source
    source_label: str
    time: str = ""
    detail: str = ""
    status: str = ""


@dataclass(frozen=True)
class Gap:
    """A gap found by rule ``rule``: its severity, short title and message (what is missing
    and what to do), the dates it concerns, the day it opened (``due``) and the rows it is
    about."""

    rule: str
    severity: Severity
    message_key: str
    title: str
    message: str
    dates: tuple[date, ...]
    due: date | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Timeline:
    person_id: int
    person_name: str
    today: date
    language: str
    events: tuple[Event, ...]
    gaps: tuple[Gap, ...]

    def gap_numbers(self, event: Event) -> tuple[int, ...]:
        """The 1-based numbers of the gaps that concern ``event`` (how the page marks it)."""
        return tuple(n for n, gap in enumerate(self.gaps, start=1) if event.source in gap.sources)

    @property
    def critical(self) -> int:
        return sum(1 for gap in self.gaps if gap.severity is Severity.CRITICAL)


# ----------------------------------------------------------------------------- the facts


@dataclass
class _Facts:
    """The person's rows, loaded once, that events and rules read."""

    certificates: list[Certificate]
    trainings: list[Training]
    appointments: list[Appointment]
    letters: list[Correspondence]
    today: date
    language: str
    live: list[Certificate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.live = [
            c
            for c in self.certificates
            if online_status(c, self.today) not in (SealStatus.REVOKED, SealStatus.SUPERSEDED)
        ]


def _load(session: Session, person: Person, today: date, language: str) -> _Facts:
    certificates = session.scalars(
        select(Certificate).where(Certificate.person_id == person.id).order_by(Certificate.id)
    ).all()
    trainings = session.scalars(
        select(Training)
        .where(Training.person_id == person.id)
        .options(selectinload(Training.days))
        .order_by(Training.id)
    ).all()
    appointments = session.scalars(
        select(Appointment).where(Appointment.person_id == person.id).order_by(Appointment.id)
    ).all()
    letters = session.scalars(
        select(Correspondence)
        .where(Correspondence.person_id == person.id)
        .order_by(Correspondence.id)
    ).all()
    return _Facts(
        list(certificates), list(trainings), list(appointments), list(letters), today, language
    )


def _paris(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # the database gives aware UTC; be safe with a bare value
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(ZoneInfo(_PARIS))
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without tzdata
        return moment


def _detail_date(certificate: Certificate, key: str) -> date | None:
    """A date field of a certificate's details (stored as ISO text), or None."""
    value: Any = certificate.details.get(key)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _convocation_moment(certificate: Certificate) -> datetime | None:
    """A convocation's appointment, as written on it (local French time when naive)."""
    value = certificate.details.get("appointment_at")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(_PARIS))
        except ZoneInfoNotFoundError:  # pragma: no cover
            moment = moment.replace(tzinfo=UTC)
    return moment


def _appointment_day(appointment: Appointment) -> date:
    return _paris(appointment.at).date()


def _summoned_on(appointment: Appointment) -> date:
    """When the person learnt of the appointment: the day its letter was mailed (or, not
    known, recorded), and never after the appointment itself."""
    told = appointment.mailed_at or appointment.created_at
    return min(_paris(told).date(), _appointment_day(appointment))


def _missed_days(training: Training, today: date) -> list[date]:
    return [
        d.day
        for d in training.days
        if d.attendance in (Attendance.ABSENT, Attendance.EXCUSED) and d.day <= today
    ]


def _certificate_source(certificate: Certificate) -> Source:
    return Source("certificate", certificate.id)


def verification_code(certificate_id: str) -> str:
    """The code printed under a certificate's QR (base32 in fours): what a lawyer finds on
    the paper, so the chronology names certificates by it."""
    try:
        raw = bytes.fromhex(certificate_id)
    except ValueError:
        return certificate_id
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


# ----------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class _Finding:
    dates: tuple[date, ...]
    due: date | None
    sources: tuple[Source, ...]
    params: dict[str, str]


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _rule_no_summons(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(1) A VLS-TS validated, and no appointment or convocation within ``days`` after."""
    summons: list[date] = [_summoned_on(a) for a in facts.appointments]
    summons += [c.issued_on for c in facts.live if c.type == "convocation"]
    for certificate in facts.live:
        if certificate.type != "vls-ts-validation":
            continue
        validated = _detail_date(certificate, "validated_on") or certificate.issued_on
        due = validated + timedelta(days=days)
        if facts.today <= due:
            continue  # the delay has not run out yet
        if any(validated <= day <= due for day in summons):
            continue
        yield _Finding(
            (validated, due),
            due,
            (_certificate_source(certificate),),
            {"validated": _day(validated), "due": _day(due), "days": str(days)},
        )


def _later_appointment(facts: _Facts, after: Appointment) -> bool:
    """Is there a new appointment for the same purpose after ``after`` (its own reschedule,
    a later one not cancelled, or a later convocation not tied to an appointment row)?"""
    if after.rescheduled_to_id is not None:
        return True
    for other in facts.appointments:
        if (
            other.id != after.id
            and other.purpose == after.purpose
            and other.status != AppointmentStatus.CANCELLED
            and other.at > after.at
        ):
            return True
    tied = {a.convocation_id for a in facts.appointments if a.convocation_id}
    for certificate in facts.live:
        if certificate.type == "convocation" and certificate.id not in tied:
            moment = _convocation_moment(certificate)
            if moment is not None and moment > after.at:
                return True
    return False


def _appointment_findings(facts: _Facts, statuses: Sequence[str]) -> Iterable[_Finding]:
    for appointment in facts.appointments:
        if appointment.status not in statuses or _later_appointment(facts, appointment):
            continue
        day = _appointment_day(appointment)
        if appointment.status == AppointmentStatus.MISSED and day > facts.today:
            continue  # recorded ahead of time by mistake: not a missed appointment yet
        yield _Finding(
            (day,),
            day,
            (Source("appointment", str(appointment.id)),),
            {
                "day": _day(day),
                "purpose": _purpose_words(appointment.purpose, facts.language),
            },
        )


def _rule_missed(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(2) A missed appointment with no later appointment scheduled."""
    return _appointment_findings(facts, (AppointmentStatus.MISSED,))


def _rule_not_replaced(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(5) An appointment rescheduled or cancelled, and no new one."""
    return _appointment_findings(
        facts, (AppointmentStatus.RESCHEDULED, AppointmentStatus.CANCELLED)
    )


def _renewal(facts: _Facts, opens: int, closes: int) -> Iterable[_Finding]:
    """The VLS-TS's end of validity (``visa_valid_until``) is the only residence-permit
    expiry Sceau records; with none, nothing is said."""
    for certificate in facts.live:
        if certificate.type != "vls-ts-validation":
            continue
        expiry = _detail_date(certificate, "visa_valid_until")
        if expiry is None or facts.today > expiry:
            continue
        start, end = expiry - timedelta(days=opens), expiry - timedelta(days=closes)
        if start <= facts.today:
            yield _Finding(
                (start, end, expiry),
                start,
                (_certificate_source(certificate),),
                {"start": _day(start), "end": _day(end), "expiry": _day(expiry)},
            )


def _rule_renewal_open(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(3a) The renewal window (from the 120th to the 60th day before expiry) is open."""
    for finding in _renewal(facts, days, RENEWAL_CLOSES_DAYS):
        if facts.today < finding.dates[1]:
            yield finding


def _rule_renewal_late(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(3b) Fewer than 60 days before expiry: the window has closed."""
    for finding in _renewal(facts, RENEWAL_OPENS_DAYS, days):
        if facts.today >= finding.dates[1]:
            yield _Finding(finding.dates, finding.dates[1], finding.sources, finding.params)


def _rule_civic_absence(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(4) A civic training with days missed, and no later civic session."""
    civic = [t for t in facts.trainings if t.kind == TrainingKind.CIVIC and not t.exempt]
    for training in civic:
        missed = _missed_days(training, facts.today)
        if not missed:
            continue
        last = max(missed)
        later = any(
            other.id != training.id and any(d.day > last for d in other.days) for other in civic
        )
        if later:
            continue
        yield _Finding(
            tuple(missed),
            last,
            (Source("training", str(training.id)),),
            {
                "dates": ", ".join(_day(d) for d in missed),
                "session": training.title or "—",
            },
        )


def _rule_no_acknowledgment(facts: _Facts, days: int) -> Iterable[_Finding]:
    """(6) Registered mail sent, no acknowledgment of receipt recorded after ``days``."""
    for letter in facts.letters:
        if (
            letter.direction != CorrespondenceDirection.SENT
            or letter.channel != CorrespondenceChannel.REGISTERED_MAIL
            or letter.acknowledged_on is not None
        ):
            continue
        due = letter.on + timedelta(days=days)
        if facts.today <= due:
            continue
        yield _Finding(
            (letter.on, due),
            due,
            (Source("correspondence", str(letter.id)),),
            {
                "sent": _day(letter.on),
                "recipient": letter.recipient,
                "tracking": letter.tracking_number or "—",
                "days": str(days),
            },
        )


@dataclass(frozen=True)
class GapRule:
    """One rule of ``GAP_RULES``: ``days`` is its threshold (what ``find`` is given),
    ``source`` where the rule comes from ([check]: found only in secondary sources)."""

    id: str
    severity: Severity
    days: int
    message_key: str
    source: str
    find: Callable[[_Facts, int], Iterable[_Finding]]

    @property
    def title_key(self) -> str:
        """The gap's short title (the summary's first line, the chronology's marker)."""
        return f"{self.message_key}-title"


RENEWAL_OPENS_DAYS = 120
RENEWAL_CLOSES_DAYS = 60

GAP_RULES: tuple[GapRule, ...] = (
    GapRule(
        "no-summons-after-vls-ts",
        Severity.CRITICAL,
        45,
        "timeline-gap-no-summons",
        "ofii.fr (VLS-TS validation): without an OFII summons within 45 days, send OFII a "
        "copy of the passport and of the validation confirmation (DOMAIN.md) [check]",
        _rule_no_summons,
    ),
    GapRule(
        "missed-appointment",
        Severity.CRITICAL,
        0,
        "timeline-gap-missed",
        "DOMAIN.md (convocation): missing an appointment delays the file by weeks; keep "
        "proof of every follow-up",
        _rule_missed,
    ),
    GapRule(
        "renewal-window-open",
        Severity.WARNING,
        RENEWAL_OPENS_DAYS,
        "timeline-gap-renewal-open",
        "R.431-5 CESEDA: a renewal is requested between the 120th and the 60th day before "
        "the card expires; the VLS-TS end of validity is the expiry Sceau records [check]",
        _rule_renewal_open,
    ),
    GapRule(
        "renewal-window-closed",
        Severity.CRITICAL,
        RENEWAL_CLOSES_DAYS,
        "timeline-gap-renewal-late",
        "R.431-5 CESEDA: fewer than 60 days before expiry, the request is late [check]",
        _rule_renewal_late,
    ),
    GapRule(
        "civic-absence-not-made-up",
        Severity.CRITICAL,
        0,
        "timeline-gap-civic-absence",
        "L.433-4, R.433-5 CESEDA: renewal checks assiduity in the CIR trainings (civic "
        "training: 4 days, 24 hours)",
        _rule_civic_absence,
    ),
    GapRule(
        "appointment-not-replaced",
        Severity.WARNING,
        0,
        "timeline-gap-not-replaced",
        "DOMAIN.md (convocation): an appointment moved or cancelled needs a new one",
        _rule_not_replaced,
    ),
    GapRule(
        "registered-mail-without-acknowledgment",
        Severity.WARNING,
        15,
        "timeline-gap-no-acknowledgment",
        "La Poste: a registered letter not collected is kept 15 days at the post office, "
        "then returned; by then the acknowledgment should be back [check]",
        _rule_no_acknowledgment,
    ),
)


def _find_gaps(facts: _Facts) -> list[Gap]:
    """Every rule's findings; critical first, then by the day they opened."""
    found: list[Gap] = []
    for rule in GAP_RULES:
        for finding in rule.find(facts, rule.days):
            found.append(
                Gap(
                    rule=rule.id,
                    severity=rule.severity,
                    message_key=rule.message_key,
                    title=translate(rule.title_key, finding.params, lang=facts.language),
                    message=translate(rule.message_key, finding.params, lang=facts.language),
                    dates=finding.dates,
                    due=finding.due,
                    sources=finding.sources,
                )
            )
    order = {Severity.CRITICAL: 0, Severity.WARNING: 1}
    return sorted(found, key=lambda g: (order[g.severity], g.due or date.min, g.rule))


# ----------------------------------------------------------------------------- the events


def _purpose_words(purpose: str, language: str) -> str:
    key = f"timeline-purpose-{purpose}"
    words = translate(key, lang=language)
    return purpose if words == key else words


def _words(key: str, language: str, **params: object) -> str:
    return translate(key, params, lang=language)


def _certificate_events(facts: _Facts) -> Iterable[Event]:
    language = facts.language
    for certificate in facts.certificates:
        status = str(online_status(certificate, facts.today))
        kind = _words(f"type-{certificate.type}", language)
        issued = _words(
            "timeline-certificate-issued",
            language,
            day=_day(certificate.issued_on),
            status=_words(f"status-{status}-title", language),
        )
        source_label = _words(
            "timeline-source-certificate", language, code=verification_code(certificate.id)
        )
        on = certificate.issued_on
        label = kind
        if certificate.type == "convocation":
            moment = _convocation_moment(certificate)
            if moment is not None:
                local = _paris(moment)
                label = _words(
                    "timeline-convocation",
                    language,
                    day=_day(local.date()),
                    time=local.strftime("%H:%M"),
                )
        elif certificate.type in FACT_DATE_FIELD:
            on = _detail_date(certificate, FACT_DATE_FIELD[certificate.type]) or on
        yield Event(
            on=on,
            kind="certificate",
            label=label,
            source=_certificate_source(certificate),
            source_label=source_label,
            detail=issued,
            status=status,
        )


def _training_events(facts: _Facts) -> Iterable[Event]:
    language = facts.language
    for training in facts.trainings:
        source = Source("training", str(training.id))
        source_label = _words("timeline-source-training", language, id=training.id)
        kind = _words(f"timeline-training-{training.kind}", language)
        label = _words("timeline-training", language, kind=kind, title=training.title or "—")
        days = training.days
        on = days[0].day if days else _paris(training.created_at).date()
        if training.exempt:
            detail = _words("timeline-training-exempt", language)
        elif days:
            counts = {a: sum(1 for d in days if d.attendance == a) for a in Attendance}
            detail = _words(
                "timeline-training-days",
                language,
                total=len(days),
                present=counts[Attendance.PRESENT],
                absent=counts[Attendance.ABSENT],
                excused=counts[Attendance.EXCUSED],
            )
        elif training.hours_prescribed is not None:
            detail = _words(
                "timeline-training-hours",
                language,
                attended=training.hours_attended or 0,
                prescribed=training.hours_prescribed,
                level=training.level_reached or "—",
            )
        else:
            detail = ""
        yield Event(on, "training", label, source, source_label, detail=detail)
        for day in days:
            if day.attendance == Attendance.PRESENT:
                continue
            yield Event(
                on=day.day,
                kind="training-absence",
                label=_words(f"timeline-training-{day.attendance}", language, kind=kind),
                source=source,
                source_label=source_label,
                detail=training.title,
                status=day.attendance,
            )


def _appointment_events(facts: _Facts) -> Iterable[Event]:
    language = facts.language
    for appointment in facts.appointments:
        local = _paris(appointment.at)
        yield Event(
            on=local.date(),
            kind="appointment",
            label=_words(
                "timeline-appointment",
                language,
                purpose=_purpose_words(appointment.purpose, language),
                status=_words(f"timeline-appointment-{appointment.status}", language),
            ),
            source=Source("appointment", str(appointment.id)),
            source_label=_words("timeline-source-appointment", language, id=appointment.id),
            time=local.strftime("%H:%M"),
            detail=appointment.place,
            status=appointment.status,
        )


def _correspondence_events(facts: _Facts) -> Iterable[Event]:
    language = facts.language
    for letter in facts.letters:
        source = Source("correspondence", str(letter.id))
        source_label = _words("timeline-source-correspondence", language, id=letter.id)
        if letter.direction == CorrespondenceDirection.SENT:
            label = _words(
                "timeline-letter-sent", language, who=letter.recipient, subject=letter.subject
            )
        else:
            label = _words(
                "timeline-letter-received", language, who=letter.sender, subject=letter.subject
            )
        channel = _words(f"timeline-channel-{letter.channel}", language)
        detail = channel
        if letter.tracking_number:
            detail += " — " + _words("timeline-tracking", language, number=letter.tracking_number)
        yield Event(letter.on, "correspondence", label, source, source_label, detail=detail)
        if letter.acknowledged_on is not None:
            yield Event(
                on=letter.acknowledged_on,
                kind="acknowledgment",
                label=_words("timeline-acknowledged", language, subject=letter.subject),
                source=source,
                source_label=source_label,
                detail=letter.tracking_number or "",
            )


_KIND_ORDER = {
    "certificate": 0,
    "training": 1,
    "training-absence": 2,
    "appointment": 3,
    "correspondence": 4,
    "acknowledgment": 5,
}


def build_timeline(
    session: Session, person: Person, today: date | None = None, *, language: str | None = None
) -> Timeline:
    """The person's chronology (oldest first) and its gaps (critical first), texts in
    ``language`` (the visitor's, by default). ``today`` is when the rules look from: a test,
    or a pack dated in the past, passes its own."""
    day = today or date.today()
    chosen = language or current_language()
    facts = _load(session, person, day, chosen)
    events = [
        *_certificate_events(facts),
        *_training_events(facts),
        *_appointment_events(facts),
        *_correspondence_events(facts),
    ]
    events.sort(key=lambda e: (e.on, e.time, _KIND_ORDER.get(e.kind, 9), e.source.id))
    return Timeline(
        person_id=person.id,
        person_name=f"{person.family_name} {person.given_names}".strip(),
        today=day,
        language=chosen,
        events=tuple(events),
        gaps=tuple(_find_gaps(facts)),
    )


PDF_LANGUAGES = ("fr", "en")


def timeline_pdf(session: Session, person: Person, today: date | None = None) -> bytes:
    """The timeline as PDF pages (bundles/timeline.py), in the visitor's language when the
    page can print it: Arabic readers get French (reportlab cannot shape Arabic script)."""
    language = current_language()
    timeline = build_timeline(
        session, person, today, language=language if language in PDF_LANGUAGES else "fr"
    )
    return render_pdf(timeline)


def render_pdf(timeline: Timeline) -> bytes:
    """A built timeline as PDF pages: what a pack builder calls with its own timeline."""
    events = [
        TimelineEvent(
            on=event.on,
            time=event.time,
            label=event.label,
            detail=event.detail,
            source=event.source_label,
            gaps=timeline.gap_numbers(event),
        )
        for event in timeline.events
    ]
    gaps = [
        PdfGap(
            severity=gap.severity,
            title=gap.title,
            message=gap.message,
            dates=gap.dates,
            due=gap.due,
        )
        for gap in timeline.gaps
    ]
    return render_timeline(
        timeline.person_name,
        events,
        gaps,
        generated_on=timeline.today,
        language=timeline.language,
    )
