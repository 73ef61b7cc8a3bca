"""The timeline: the chronology of a file, its gap rules one by one, the pages of the three
roles (and who may not open them), the PDF, and the demo persons' highlighted gaps."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from tests.verifier.conftest import OFFICE, make_account, make_person, sign_in
from verifier import db
from verifier.i18n import has_message, translate
from verifier.models import (
    Appointment,
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    Certificate,
    CertificateStatus,
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    FileAccess,
    Mandate,
    Office,
    Person,
    Role,
    Training,
    TrainingDay,
    TrainingKind,
)
from verifier.timeline import GAP_RULES, Severity, Timeline, build_timeline, verification_code

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def at(days_ago: int, hour: int = 10) -> datetime:
    day = ago(days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# ----------------------------------------------------------------------------- rows


def _office_id(code: str = OFFICE) -> int:
    return db.session().scalars(select(Office.id).where(Office.code == code)).one()


def add_certificate(
    app: Flask,
    person_id: int,
    kind: str,
    details: dict[str, Any] | None = None,
    *,
    issued_on: date = TODAY,
    status: str = CertificateStatus.VALID,
) -> str:
    """A register row as issuance leaves it (no PDF: the timeline never opens one)."""
    with app.app_context():
        session = db.session()
        certificate = Certificate(
            id=secrets.token_hex(12),
            type=kind,
            person_id=person_id,
            office_id=_office_id(),
            details=details or {},
            status=status,
            issued_on=issued_on,
            valid_until=issued_on + timedelta(days=365),
            key_id="test",
            seal_url="http://sceau.example/V/test",
            seal_sha256=secrets.token_hex(32),
            pdf_sha256=secrets.token_hex(32),
        )
        session.add(certificate)
        session.commit()
        return certificate.id


def add_appointment(
    app: Flask,
    person_id: int,
    when: datetime,
    status: str = AppointmentStatus.SCHEDULED,
    purpose: str = AppointmentPurpose.RECEPTION_INTERVIEW,
    **extra: Any,
) -> int:
    with app.app_context():
        session = db.session()
        appointment = Appointment(
            person_id=person_id,
            office_id=_office_id(),
            purpose=purpose,
            at=when,
            place="OFII, Paris 11e",
            status=status,
            **extra,
        )
        session.add(appointment)
        session.commit()
        return appointment.id


def add_training(
    app: Flask,
    person_id: int,
    days: list[tuple[date, str]],
    kind: str = TrainingKind.CIVIC,
    title: str = "Session 2026-14",
) -> int:
    with app.app_context():
        session = db.session()
        training = Training(person_id=person_id, office_id=_office_id(), kind=kind, title=title)
        training.days = [TrainingDay(day=d, attendance=a) for d, a in days]
        session.add(training)
        session.commit()
        return training.id


def add_letter(
    app: Flask,
    person_id: int,
    on: date,
    *,
    direction: str = CorrespondenceDirection.SENT,
    channel: str = CorrespondenceChannel.REGISTERED_MAIL,
    acknowledged_on: date | None = None,
) -> int:
    with app.app_context():
        session = db.session()
        letter = Correspondence(
            person_id=person_id,
            on=on,
            direction=direction,
            sender="Amina Haddad",
            recipient="OFII Paris",
            channel=channel,
            tracking_number="1A23456789012",
            acknowledged_on=acknowledged_on,
            subject="Copie du passeport",
            added_by_role=Role.MIGRANT,
        )
        session.add(letter)
        session.commit()
        return letter.id


def timeline_of(app: Flask, person_id: int, language: str = "en") -> Timeline:
    with app.app_context():
        session = db.session()
        person = session.get(Person, person_id)
        assert person is not None
        return build_timeline(session, person, TODAY, language=language)


def rules(timeline: Timeline) -> list[str]:
    return [gap.rule for gap in timeline.gaps]


@pytest.fixture
def person(ready_app: Flask) -> int:
    return make_person(ready_app)


# ----------------------------------------------------------------------------- the table


def test_every_rule_has_a_source_a_severity_and_its_message_in_three_languages() -> None:
    ids = [rule.id for rule in GAP_RULES]
    assert len(ids) == len(set(ids))
    for rule in GAP_RULES:
        assert rule.source.strip(), rule.id
        assert isinstance(rule.severity, Severity)
        assert has_message(rule.message_key)
        assert has_message(rule.title_key)
    for enum, prefix in (
        (AppointmentPurpose, "timeline-purpose-"),
        (AppointmentStatus, "timeline-appointment-"),
        (CorrespondenceChannel, "timeline-channel-"),
        (TrainingKind, "timeline-training-"),
    ):
        for value in enum:
            assert has_message(f"{prefix}{value}")
    for value in (Attendance.ABSENT, Attendance.EXCUSED):
        assert has_message(f"timeline-training-{value}")


# ----------------------------------------------------------------------------- events


def test_events_come_from_every_source_in_date_order_with_labels_and_sources(
    ready_app: Flask, person: int
) -> None:
    certificate = add_certificate(
        ready_app, person, "vls-ts-validation", {"validated_on": ago(70).isoformat()}
    )
    appointment = add_appointment(ready_app, person, at(50, 8), AppointmentStatus.ATTENDED)
    training = add_training(ready_app, person, [(ago(40), Attendance.PRESENT)])
    letter = add_letter(ready_app, person, ago(30), acknowledged_on=ago(27))
    found = timeline_of(ready_app, person)
    assert [(e.kind, e.source.type, e.source.id) for e in found.events] == [
        ("certificate", "certificate", certificate),
        ("appointment", "appointment", str(appointment)),
        ("training", "training", str(training)),
        ("correspondence", "correspondence", str(letter)),
        ("acknowledgment", "correspondence", str(letter)),
    ]
    dates = [e.on for e in found.events]
    assert dates == sorted(dates)
    # The VLS-TS is dated by its validation, not its issue; named by its printed code.
    first = found.events[0]
    assert first.on == ago(70)
    assert first.label == "VLS-TS validation" or "VLS-TS" in first.label
    assert verification_code(certificate) in first.source_label
    # Appointments carry their Paris hour (UTC+1 or +2).
    assert found.events[1].time in ("09:00", "10:00")
    assert "reception interview" in found.events[1].label
    assert "attended" in found.events[1].label
    assert found.gaps == ()
    french = timeline_of(ready_app, person, language="fr")
    assert "entretien d'accueil" in french.events[1].label


def test_revoked_certificates_are_shown_but_no_rule_relies_on_them(
    ready_app: Flask, person: int
) -> None:
    add_certificate(
        ready_app,
        person,
        "vls-ts-validation",
        {"validated_on": ago(90).isoformat()},
        status=CertificateStatus.REVOKED,
    )
    found = timeline_of(ready_app, person)
    assert [e.status for e in found.events] == ["revoked"]
    assert found.gaps == ()


# ----------------------------------------------------------------------------- rule 1


def _vls(app: Flask, person: int, validated_days_ago: int) -> str:
    return add_certificate(
        app,
        person,
        "vls-ts-validation",
        {"validated_on": ago(validated_days_ago).isoformat()},
        issued_on=ago(validated_days_ago - 5),
    )


def test_no_summons_45_days_after_the_vls_ts_validation_is_critical(
    ready_app: Flask, person: int
) -> None:
    certificate = _vls(ready_app, person, 70)
    found = timeline_of(ready_app, person)
    [gap] = found.gaps
    assert gap.rule == "no-summons-after-vls-ts"
    assert gap.severity is Severity.CRITICAL
    assert gap.dates == (ago(70), ago(25))
    assert gap.due == ago(25)
    assert gap.sources[0].id == certificate
    assert ago(70).strftime("%d/%m/%Y") in gap.message
    assert "45 days" in gap.message
    assert gap.title == "No OFII summons 45 days after the VLS-TS validation"
    assert found.gap_numbers(found.events[0]) == (1,)


def test_no_gap_while_the_45_days_run_or_once_summoned_within_them(
    ready_app: Flask, person: int
) -> None:
    _vls(ready_app, person, 40)
    assert timeline_of(ready_app, person).gaps == ()

    other = make_person(ready_app, "Diallo", "Fatou")
    _vls(ready_app, other, 90)
    add_appointment(ready_app, other, at(60), AppointmentStatus.ATTENDED)  # day 30
    assert rules(timeline_of(ready_app, other)) == []

    third = make_person(ready_app, "Sow", "Ali")
    _vls(ready_app, third, 90)
    add_certificate(ready_app, third, "convocation", issued_on=ago(80))  # day 10
    assert rules(timeline_of(ready_app, third)) == []


def test_a_summons_after_the_45_days_does_not_hide_the_gap(ready_app: Flask, person: int) -> None:
    _vls(ready_app, person, 90)
    add_certificate(ready_app, person, "convocation", issued_on=ago(10))  # day 80
    assert rules(timeline_of(ready_app, person)) == ["no-summons-after-vls-ts"]


# ----------------------------------------------------------------------------- rules 2 and 5


def test_a_missed_appointment_without_a_new_one_is_critical(ready_app: Flask, person: int) -> None:
    missed = add_appointment(ready_app, person, at(12), AppointmentStatus.MISSED)
    found = timeline_of(ready_app, person)
    [gap] = found.gaps
    assert gap.rule == "missed-appointment"
    assert gap.severity is Severity.CRITICAL
    assert gap.dates == (ago(12),)
    assert [s.id for s in gap.sources] == [str(missed)]
    assert "reception interview" in gap.message
    # Another purpose later does not replace it...
    add_appointment(ready_app, person, at(-5), purpose=AppointmentPurpose.MEDICAL_VISIT)
    assert rules(timeline_of(ready_app, person)) == ["missed-appointment"]
    # ...a new one for the same purpose does.
    add_appointment(ready_app, person, at(-10))
    assert rules(timeline_of(ready_app, person)) == []


def test_a_missed_appointment_rescheduled_is_no_gap(ready_app: Flask, person: int) -> None:
    new = add_appointment(ready_app, person, at(-3))
    add_appointment(ready_app, person, at(12), AppointmentStatus.MISSED, rescheduled_to_id=new)
    assert rules(timeline_of(ready_app, person)) == []


@pytest.mark.parametrize("status", [AppointmentStatus.RESCHEDULED, AppointmentStatus.CANCELLED])
def test_an_appointment_moved_or_cancelled_without_a_new_one_is_a_warning(
    ready_app: Flask, person: int, status: str
) -> None:
    add_appointment(ready_app, person, at(5), status)
    [gap] = timeline_of(ready_app, person).gaps
    assert gap.rule == "appointment-not-replaced"
    assert gap.severity is Severity.WARNING
    # A later appointment cancelled is not a new one (and is itself not replaced).
    add_appointment(ready_app, person, at(-20), AppointmentStatus.CANCELLED)
    assert rules(timeline_of(ready_app, person)) == ["appointment-not-replaced"] * 2
    add_appointment(ready_app, person, at(-21))
    assert rules(timeline_of(ready_app, person)) == []


# ----------------------------------------------------------------------------- rule 3


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (200, []),
        (100, ["renewal-window-open"]),
        (30, ["renewal-window-closed"]),
        (-5, []),  # expired: the VLS-TS renewal rule no longer applies
    ],
)
def test_the_renewal_window_is_read_from_the_vls_ts_end_of_validity(
    ready_app: Flask, person: int, days_left: int, expected: list[str]
) -> None:
    add_appointment(ready_app, person, at(20), AppointmentStatus.ATTENDED)  # summoned
    add_certificate(
        ready_app,
        person,
        "vls-ts-validation",
        {
            "validated_on": ago(30).isoformat(),
            "visa_valid_until": (TODAY + timedelta(days=days_left)).isoformat(),
        },
    )
    found = timeline_of(ready_app, person)
    assert rules(found) == expected
    if expected == ["renewal-window-closed"]:
        assert found.gaps[0].severity is Severity.CRITICAL


def test_no_expiry_recorded_means_no_renewal_gap(ready_app: Flask, person: int) -> None:
    add_certificate(ready_app, person, "cir-signature", {"signed_on": ago(300).isoformat()})
    assert timeline_of(ready_app, person).gaps == ()


# ----------------------------------------------------------------------------- rule 4


def test_a_civic_absence_without_a_later_session_is_critical(ready_app: Flask, person: int) -> None:
    training = add_training(
        ready_app,
        person,
        [
            (ago(30), Attendance.PRESENT),
            (ago(29), Attendance.ABSENT),
            (ago(23), Attendance.EXCUSED),
            (ago(22), Attendance.PRESENT),
        ],
    )
    found = timeline_of(ready_app, person)
    [gap] = found.gaps
    assert gap.rule == "civic-absence-not-made-up"
    assert gap.severity is Severity.CRITICAL
    assert gap.dates == (ago(29), ago(23))
    assert gap.sources[0].id == str(training)
    absences = [e for e in found.events if e.kind == "training-absence"]
    assert [e.on for e in absences] == [ago(29), ago(23)]
    assert all(found.gap_numbers(e) == (1,) for e in absences)
    add_training(ready_app, person, [(ago(2), Attendance.PRESENT)], title="Session 2026-20")
    assert timeline_of(ready_app, person).gaps == ()


def test_absences_from_other_trainings_are_not_this_rule(ready_app: Flask, person: int) -> None:
    add_training(ready_app, person, [(ago(9), Attendance.ABSENT)], kind=TrainingKind.LANGUAGE)
    assert timeline_of(ready_app, person).gaps == ()


# ----------------------------------------------------------------------------- rule 6


def test_registered_mail_without_acknowledgment_after_15_days_is_a_warning(
    ready_app: Flask, person: int
) -> None:
    letter = add_letter(ready_app, person, ago(20))
    [gap] = timeline_of(ready_app, person).gaps
    assert gap.rule == "registered-mail-without-acknowledgment"
    assert gap.severity is Severity.WARNING
    assert gap.dates == (ago(20), ago(5))
    assert gap.sources[0].id == str(letter)
    assert "1A23456789012" in gap.message


@pytest.mark.parametrize(
    "letter",
    [
        {"on": ago(10)},  # within the 15 days
        {"on": ago(40), "acknowledged_on": ago(35)},
        {"on": ago(40), "direction": CorrespondenceDirection.RECEIVED},
        {"on": ago(40), "channel": CorrespondenceChannel.POST},
    ],
)
def test_other_letters_are_no_gap(ready_app: Flask, person: int, letter: dict[str, Any]) -> None:
    add_letter(ready_app, person, **letter)
    assert timeline_of(ready_app, person).gaps == ()


def test_critical_gaps_come_first(ready_app: Flask, person: int) -> None:
    add_letter(ready_app, person, ago(100))
    add_appointment(ready_app, person, at(3), AppointmentStatus.MISSED)
    found = timeline_of(ready_app, person)
    assert [g.severity for g in found.gaps] == [Severity.CRITICAL, Severity.WARNING]
    assert found.critical == 1


# ----------------------------------------------------------------------------- pages


def _pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def _client(app: Flask, role: Role, **account: Any) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_account(app, role, **account))
    return client


def _mandate(app: Flask, person_id: int, lawyer_id: int, **extra: Any) -> None:
    with app.app_context():
        session = db.session()
        session.add(
            Mandate(
                person_id=person_id,
                lawyer_id=lawyer_id,
                scopes="read",
                ends_on=TODAY + timedelta(days=30),
                **extra,
            )
        )
        session.commit()


def _accesses(app: Flask, person_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session().scalars(
            select(FileAccess).where(FileAccess.person_id == person_id).order_by(FileAccess.id)
        )
        return [(a.role, a.action, a.object_type) for a in rows]


def _with_gaps(app: Flask, person_id: int) -> None:
    _vls(app, person_id, 70)
    add_letter(app, person_id, ago(20))


def _assert_page_shows_gaps(html: str) -> None:
    assert 'data-gap="no-summons-after-vls-ts"' in html
    assert 'data-gap="registered-mail-without-acknowledgment"' in html
    # Gaps first, then the chronology; marked with an icon and words, not colour alone.
    assert html.index('id="gaps-heading"') < html.index('id="chronology-heading"')
    assert "icons/stop.svg" in html
    assert "icons/warning.svg" in html
    assert 'class="timeline__item timeline__item--flagged' in html
    assert 'href="#gap-1"' in html


def test_the_migrant_sees_their_own_timeline_and_pdf(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    _with_gaps(ready_app, person_id)
    other = make_person(ready_app, "Diallo", "Fatou")
    add_appointment(ready_app, other, at(12), AppointmentStatus.MISSED)
    client = _client(ready_app, Role.MIGRANT, person_id=person_id)
    page = client.get("/my/timeline?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    _assert_page_shows_gaps(html)
    assert "missed-appointment" not in html  # another person's gap never shows here
    assert page.headers["Cache-Control"] == "no-store"
    assert "No OFII summons within 45 days" in html
    pdf = client.get("/my/timeline.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(pdf.data)
    assert "No OFII summons within 45 days" in text  # the language chosen on the page sticks
    assert _accesses(ready_app, person_id) == []  # one's own visits are not logged


def test_the_pdf_carries_the_gap_messages_in_the_pages_language(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    _with_gaps(ready_app, person_id)
    client = _client(ready_app, Role.MIGRANT, person_id=person_id)
    with ready_app.app_context():
        session = db.session()
        found = session.get(Person, person_id)
        assert found is not None
        french = build_timeline(session, found, language="fr")
        english = build_timeline(session, found, language="en")
    text = _pdf_text(client.get("/my/timeline.pdf?lang=fr").data)
    for gap in french.gaps:
        assert gap.message in text
    assert "Points d'attention" in text
    text = _pdf_text(client.get("/my/timeline.pdf?lang=en").data)
    for gap in english.gaps:
        assert gap.message in text
    # Arabic cannot be shaped in the PDF: the page itself says the PDF is in French.
    arabic = client.get("/my/timeline?lang=ar").get_data(as_text=True)
    assert translate("timeline-pdf-in-french", lang="ar") in arabic
    text = _pdf_text(client.get("/my/timeline.pdf?lang=ar").data)
    for gap in french.gaps:
        assert gap.message in text


def test_the_lawyer_with_a_live_mandate_and_no_one_else(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    _with_gaps(ready_app, person_id)
    lawyer = make_account(ready_app, Role.LAWYER)
    _mandate(ready_app, person_id, lawyer.id)
    client = ready_app.test_client()
    sign_in(client, lawyer)
    page = client.get(f"/lawyer/clients/{person_id}/timeline")
    assert page.status_code == 200
    _assert_page_shows_gaps(page.get_data(as_text=True))
    pdf = client.get(f"/lawyer/clients/{person_id}/timeline.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert _accesses(ready_app, person_id) == [
        ("lawyer", "view", "timeline"),
        ("lawyer", "download", "timeline"),
    ]
    # A lawyer without a mandate from this person, or with a revoked one: 404, as unknown.
    stranger = _client(ready_app, Role.LAWYER)
    for path in (
        f"/lawyer/clients/{person_id}/timeline",
        f"/lawyer/clients/{person_id}/timeline.pdf",
    ):
        assert stranger.get(path).status_code == 404
    revoked = make_account(ready_app, Role.LAWYER)
    _mandate(ready_app, person_id, revoked.id, revoked_at=datetime.now(UTC))
    former = ready_app.test_client()
    sign_in(former, revoked)
    assert former.get(f"/lawyer/clients/{person_id}/timeline").status_code == 404
    assert client.get("/lawyer/clients/999999/timeline").status_code == 404


def test_the_agent_of_the_office_and_not_of_another(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    _with_gaps(ready_app, person_id)
    agent = _client(ready_app, Role.OFII_AGENT)
    page = agent.get(f"/agent/persons/{person_id}/timeline")
    assert page.status_code == 200
    _assert_page_shows_gaps(page.get_data(as_text=True))
    pdf = agent.get(f"/agent/persons/{person_id}/timeline.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF-")
    assert _accesses(ready_app, person_id) == [
        ("ofii-agent", "view", "timeline"),
        ("ofii-agent", "download", "timeline"),
    ]
    with ready_app.app_context():
        session = db.session()
        session.add(Office(code="DT-LILLE", name="OFII — Lille"))
        session.commit()
    elsewhere = _client(ready_app, Role.OFII_AGENT, office="DT-LILLE")
    for path in (
        f"/agent/persons/{person_id}/timeline",
        f"/agent/persons/{person_id}/timeline.pdf",
    ):
        assert elsewhere.get(path).status_code == 404


def test_other_roles_and_visitors_are_refused(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    anonymous = ready_app.test_client()
    for path in (
        "/my/timeline",
        "/my/timeline.pdf",
        f"/lawyer/clients/{person_id}/timeline",
        f"/agent/persons/{person_id}/timeline.pdf",
    ):
        answer = anonymous.get(path)
        assert answer.status_code in (302, 401), path
        if answer.status_code == 302:
            assert "/sign-in" in answer.headers["Location"]
    migrant = _client(ready_app, Role.MIGRANT)
    assert migrant.get(f"/agent/persons/{person_id}/timeline").status_code in (403, 404)
    assert migrant.get(f"/lawyer/clients/{person_id}/timeline").status_code in (403, 404)
    prefecture = _client(ready_app, Role.PREFECTURE_AGENT)
    assert prefecture.get(f"/agent/persons/{person_id}/timeline").status_code in (403, 404)
    assert prefecture.get("/my/timeline").status_code in (403, 404)


# ----------------------------------------------------------------------------- the demo


def _demo_person(app: Flask, family_name: str) -> tuple[int, str]:
    with app.app_context():
        found = (
            db.session()
            .scalars(select(Person).where(Person.family_name == family_name).order_by(Person.id))
            .first()
        )
        assert found is not None
        assert found.office is not None
        return found.id, found.office.code


def test_the_demo_persons_timelines_show_the_highlighted_gaps(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    expected = {
        "Haddad": ["no-summons-after-vls-ts", "registered-mail-without-acknowledgment"],
        "Abdelkader-Benyamina": ["civic-absence-not-made-up"],
        "Tesfaye": ["missed-appointment"],  # the rescheduled interview was attended: no gap
        "": [],  # Suharto: a convocation and its scheduled appointment
    }
    agents: dict[str, FlaskClient] = {}
    for family_name, gaps in expected.items():
        person_id, office = _demo_person(ready_app, family_name)
        assert rules(timeline_of(ready_app, person_id)) == gaps, family_name
        if office not in agents:
            agents[office] = _client(ready_app, Role.OFII_AGENT, office=office)
        html = agents[office].get(f"/agent/persons/{person_id}/timeline").get_data(as_text=True)
        assert re.findall(r'data-gap="([^"]+)"', html) == gaps
        assert html.count("timeline__item--flagged") >= len(gaps)
    # The PDF of the main demo person says it too.
    person_id, office = _demo_person(ready_app, "Haddad")
    text = _pdf_text(agents[office].get(f"/agent/persons/{person_id}/timeline.pdf?lang=fr").data)
    assert "Aucune convocation de l'OFII dans les 45 jours" in text
    assert "aucun accusé de réception enregistré après 15 jours" in text
