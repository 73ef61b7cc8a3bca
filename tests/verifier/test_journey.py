"""Trainings under the integration contract, and the certificates issued FROM their records.

The helpers at the top are shared by test_appointments.py and test_uploads.py.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.verifier.conftest import Staff, make_account, make_person
from tests.verifier.test_portal import accesses_of, grant, post_form, signed_in
from verifier import db, journey_api, security
from verifier.i18n import has_message
from verifier.models import (
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    AuditEntry,
    Certificate,
    CorrespondenceChannel,
    CorrespondenceDirection,
    Office,
    Person,
    Role,
    TrainingKind,
    User,
)
from verifier.tokens import Scope, create_token

# ----------------------------------------------------------------------------- helpers


@pytest.fixture
def journey_app(ready_app: Flask) -> Flask:
    """The app with the journey API. The lead registers ``journey_api.bp`` in the factory;
    until then (and harmlessly after) this test registers it the same way."""
    if "journey_api" not in ready_app.blueprints:
        security.csrf.exempt(journey_api.bp)
        ready_app.register_blueprint(journey_api.bp)
    return ready_app


def lyon_person(app: Flask) -> tuple[int, str]:
    """A person whose file the DT-LYON office holds, and an issue token of that office."""
    person_id = make_person(app, "Tesfaye", "Mekdes")
    with app.app_context():
        session = db.session()
        lyon = session.scalars(select(Office).where(Office.code == "DT-LYON")).first()
        if lyon is None:
            lyon = Office(code="DT-LYON", name="OFII — Direction territoriale de Lyon")
            session.add(lyon)
            session.flush()
        person = session.get(Person, person_id)
        assert person is not None
        person.office_id = lyon.id
        _, secret = create_token(session, office=lyon, scopes={Scope.ISSUE}, label="lyon")
        session.commit()
    return person_id, secret


def civic_form(**overrides: str) -> dict[str, str]:
    """Four days: 1st and 3rd present, 2nd absent, 4th excused."""
    form = {
        "kind": "civic",
        "title": "Session 2026-14",
        "provider": "Maison de la formation",
        "place": "Lyon 7e",
        "day-0-date": "2026-03-02",
        "day-0-hours": "6",
        "day-0-attendance": "present",
        "day-1-date": "2026-03-03",
        "day-1-hours": "6",
        "day-1-attendance": "absent",
        "day-2-date": "2026-03-09",
        "day-2-hours": "6",
        "day-2-attendance": "present",
        "day-3-date": "2026-03-10",
        "day-3-hours": "6",
        "day-3-attendance": "excused",
    }
    form.update(overrides)
    return form


def add_training(client: FlaskClient, person_id: int, form: dict[str, str]) -> int:
    page = f"/agent/persons/{person_id}/trainings"
    response: Any = post_form(client, page, page, form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def certificates_of(app: Flask, person_id: int, kind: str) -> list[Certificate]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(Certificate).where(
                    Certificate.person_id == person_id, Certificate.type == kind
                )
            )
        )


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


# ----------------------------------------------------------------------------- pages


def test_a_civic_certificate_lists_exactly_the_days_attended(journey_app: Flask) -> None:
    agent, account = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    training_id = add_training(agent, person_id, civic_form())
    page = f"/agent/persons/{person_id}/trainings/{training_id}"
    issued: Any = post_form(agent, page, f"{page}/certificate", {})
    assert issued.status_code == 303
    assert issued.headers["Location"].endswith(f"/agent/persons/{person_id}")
    [certificate] = certificates_of(journey_app, person_id, "civic-training")
    assert certificate.details["days_attended"] == ["02/03/2026", "09/03/2026"]
    assert certificate.details["hours_attended"] == "12 h sur 24 h"
    assert certificate.details["session"] == "Session 2026-14"
    pdf = agent.get(f"/agent/persons/{person_id}/certificates/{certificate.id}/pdf").data
    text = pdf_text(pdf)
    assert "02/03/2026" in text
    assert "09/03/2026" in text
    assert "03/03/2026" not in text
    assert "10/03/2026" not in text
    actions = audit_actions(journey_app)
    assert "training.record" in actions
    assert "certificate.issue" in actions
    with journey_app.app_context():
        actors = db.session().scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "training.record")
        )
        assert list(actors) == [f"user:{account.id}"]


def test_attendance_changes_what_the_next_certificate_says(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    training_id = add_training(agent, person_id, civic_form())
    page = f"/agent/persons/{person_id}/trainings/{training_id}"
    body = agent.get(page).get_data(as_text=True)
    day_ids = [int(x) for x in re.findall(r'name="attendance-(\d+)"', body)]
    assert len(day_ids) == 4
    marks = {f"attendance-{day_ids[1]}": "present", f"attendance-{day_ids[0]}": "absent"}
    changed: Any = post_form(agent, page, page, marks)
    assert changed.status_code == 303
    assert "training.attendance" in audit_actions(journey_app)
    post_form(agent, page, f"{page}/certificate", {})
    [certificate] = certificates_of(journey_app, person_id, "civic-training")
    assert certificate.details["days_attended"] == ["03/03/2026", "09/03/2026"]


def test_no_certificate_without_a_day_attended(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    form = civic_form(**{"day-0-attendance": "absent", "day-2-attendance": "excused"})
    training_id = add_training(agent, person_id, form)
    page = f"/agent/persons/{person_id}/trainings/{training_id}"
    refused: Any = post_form(agent, page + "?lang=en", f"{page}/certificate?lang=en", {})
    assert refused.status_code == 400
    assert "No day is marked" in refused.get_data(as_text=True)
    assert certificates_of(journey_app, person_id, "civic-training") == []


def test_language_training_with_hours_and_with_an_exemption(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    hours = add_training(
        agent,
        person_id,
        {
            "kind": "language",
            "assessment_result": "A1 non atteint",
            "hours_prescribed": "400",
            "hours_attended": "388",
            "level_reached": "A2",
        },
    )
    exempt = add_training(
        agent,
        person_id,
        {"kind": "language", "exempt": "1", "exemption_reason": "Diplôme français (DELF B1)"},
    )
    for training_id in (hours, exempt):
        page = f"/agent/persons/{person_id}/trainings/{training_id}"
        assert post_form(agent, page, f"{page}/certificate", {}).status_code == 303  # type: ignore[attr-defined]
    first, second = sorted(
        certificates_of(journey_app, person_id, "language-training"), key=lambda c: c.issued_at
    )
    assert first.details["hours_prescribed"] == "400 h"
    assert first.details["hours_attended"] == "388 h"
    assert first.details["level_reached"] == "A2"
    assert "exemption" not in first.details
    assert second.details["exemption"] == "Diplôme français (DELF B1)"


def test_wrong_training_forms_are_refused_with_a_message(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    page = f"/agent/persons/{person_id}/trainings"
    cases = [
        ({"kind": "language", "hours_prescribed": "300", "hours_attended": "2"}, "100, 200"),
        ({"kind": "language", "exempt": "1"}, "reason for the exemption"),
        ({"kind": "nonsense"}, "kind of training"),
        (civic_form(**{"day-1-date": "2026-03-02"}), "same day"),
        (civic_form(**{"day-0-attendance": "maybe"}), "attendance"),
    ]
    for form, words in cases:
        refused: Any = post_form(agent, page + "?lang=en", page + "?lang=en", form)
        assert refused.status_code == 400, form
        assert words in refused.get_data(as_text=True), form


def test_life_in_france_and_skills_orientation_come_from_their_records(
    journey_app: Flask,
) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    life = add_training(
        agent,
        person_id,
        {"kind": "life-in-france", "provider": "Association", "day-0-date": "2026-04-01"},
    )
    skills = add_training(
        agent,
        person_id,
        {"kind": "skills-orientation", "provider": "France Travail", "day-0-date": "2026-04-02"},
    )
    for training_id in (life, skills):
        page = f"/agent/persons/{person_id}/trainings/{training_id}"
        assert post_form(agent, page, f"{page}/certificate", {}).status_code == 303  # type: ignore[attr-defined]
    [life_cert] = certificates_of(journey_app, person_id, "life-in-france")
    assert life_cert.details == {
        "session_date": "2026-04-01",
        "duration": "6 heures",
        "provider": "Association",
    }
    [skills_cert] = certificates_of(journey_app, person_id, "skills-orientation")
    assert skills_cert.details["referred_on"] == "2026-04-02"


def test_journey_pages_are_recorded_in_the_access_log(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    assert agent.get(f"/agent/persons/{person_id}/trainings").status_code == 200
    assert any(a.action == "journey" for a in accesses_of(journey_app, person_id))


def test_other_offices_migrants_and_lawyers_get_404(journey_app: Flask) -> None:
    agent, _ = signed_in(journey_app, Role.OFII_AGENT)
    person_id = make_person(journey_app)
    training_id = add_training(agent, person_id, civic_form())
    lyon_agent, _ = signed_in(journey_app, Role.OFII_AGENT, office=None)
    with journey_app.app_context():  # an agent of another office
        session = db.session()
        lyon = Office(code="DT-NICE", name="Nice")
        session.add(lyon)
        session.flush()
        user = session.scalars(
            select(User).where(User.role == "ofii-agent", User.office_id.is_(None))
        ).first()
        assert user is not None
        user.office_id = lyon.id
        session.commit()
    other_person = make_person(journey_app, "Autre", "Personne")
    lawyer, lawyer_account = signed_in(journey_app, Role.LAWYER)
    grant(journey_app, other_person, lawyer_account.id)
    paths = [
        f"/agent/persons/{person_id}/trainings",
        f"/agent/persons/{person_id}/trainings/{training_id}",
        f"/agent/persons/{other_person}/trainings/{training_id}",  # another person's training
        f"/agent/persons/{person_id}/appointments",
    ]
    for path in paths[:2] + paths[3:]:
        assert lyon_agent.get(path).status_code == 404, path
    assert agent.get(paths[2]).status_code == 404
    huge = 10**20
    for path in (
        f"/agent/persons/{huge}/trainings",
        f"/agent/persons/{person_id}/trainings/{huge}",
        f"/agent/persons/{person_id}/files/{huge}/pdf",
    ):
        assert agent.get(path).status_code == 404, path
    migrant, _ = signed_in(journey_app, Role.MIGRANT, person_id=person_id)
    assert migrant.get(paths[1]).status_code == 403  # not an agent at all
    assert lawyer.get(paths[1]).status_code == 403


def test_every_journey_text_exists_in_three_languages() -> None:
    enums = {
        "training-kind": TrainingKind,
        "attendance": Attendance,
        "purpose": AppointmentPurpose,
        "appointment-status": AppointmentStatus,
        "direction": CorrespondenceDirection,
        "channel": CorrespondenceChannel,
    }
    for prefix, kind in enums.items():
        for value in kind:
            assert has_message(f"{prefix}-{value}"), (prefix, value)
    for code in (
        "empty",
        "too-large",
        "too-many-pages",
        "unknown-type",
        "type-mismatch",
        "polyglot",
        "encrypted",
        "damaged",
        "image-too-large",
        "eml-malformed",
        "eml-nested",
        "too-many-attachments",
    ):
        assert has_message(f"intake-{code}"), code
    for action in ("journey", "correspondence", "file-download", "api-journey"):
        assert has_message(f"access-action-{action}")


# ----------------------------------------------------------------------------- API


def test_api_records_a_training_and_issues_its_certificate(
    journey_app: Flask, staff: Staff
) -> None:
    client = journey_app.test_client()
    person_id = make_person(journey_app)
    body = {
        "kind": "civic",
        "title": "Session 2026-15",
        "place": "Paris 11e",
        "days": [
            {"day": "2026-05-04", "hours": 6, "attendance": "present"},
            {"day": "2026-05-05", "hours": 6, "attendance": "absent"},
            {"day": "2026-05-11", "hours": 6},
        ],
    }
    made = client.post(
        f"/api/v1/persons/{person_id}/trainings", json=body, headers=staff.headers(Scope.ISSUE)
    )
    assert made.status_code == 201, made.get_json()
    training_id = made.get_json()["id"]
    headers = staff.headers(Scope.ISSUE, **{"Idempotency-Key": "civic-1"})
    issued = client.post(f"/api/v1/trainings/{training_id}/certificate", headers=headers)
    assert issued.status_code == 201, issued.get_json()
    details = issued.get_json()["details"]
    assert details["days_attended"] == ["04/05/2026", "11/05/2026"]
    assert details["hours_attended"] == "12 h sur 18 h"
    replay = client.post(f"/api/v1/trainings/{training_id}/certificate", headers=headers)
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json()["id"] == issued.get_json()["id"]
    journey = client.get(
        f"/api/v1/persons/{person_id}/journey", headers=staff.headers(Scope.VERIFY)
    )
    assert journey.status_code == 200
    assert [t["id"] for t in journey.get_json()["trainings"]] == [training_id]
    assert any(a.action == "api-journey" for a in accesses_of(journey_app, person_id))


def test_api_refuses_bad_trainings_and_other_offices(journey_app: Flask, staff: Staff) -> None:
    client = journey_app.test_client()
    person_id = make_person(journey_app)
    issue = staff.headers(Scope.ISSUE)
    bad = client.post(
        f"/api/v1/persons/{person_id}/trainings",
        json={"kind": "language", "hours_prescribed": 300, "hours_attended": 1},
        headers=issue,
    )
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "hours_prescribed"
    no_day = client.post(
        f"/api/v1/persons/{person_id}/trainings",
        json={"kind": "civic", "title": "S", "place": "P"},
        headers=issue,
    )
    refused = client.post(f"/api/v1/trainings/{no_day.get_json()['id']}/certificate", headers=issue)
    assert refused.status_code == 422
    assert refused.get_json()["field"] == "days"
    lyon_id, lyon_secret = lyon_person(journey_app)
    lyon = {"Authorization": f"Bearer {lyon_secret}"}
    assert client.get(f"/api/v1/persons/{person_id}/journey", headers=lyon).status_code == 404
    assert client.get(f"/api/v1/persons/{lyon_id}/journey", headers=issue).status_code == 404
    other = client.post(f"/api/v1/trainings/{no_day.get_json()['id']}/certificate", headers=lyon)
    assert other.status_code == 404
    for path in ("/api/v1/persons/abc/journey", "/api/v1/persons/99999999999999/journey"):
        assert client.get(path, headers=issue).status_code == 404
    assert client.get(f"/api/v1/persons/{person_id}/journey").status_code == 401


def test_counting_helpers_see_the_database(journey_app: Flask) -> None:
    """Sanity of the helpers the upload tests rely on."""
    person_id = make_person(journey_app)
    with journey_app.app_context():
        assert db.session().scalar(select(func.count(Person.id))) >= 1
    assert make_account(journey_app, Role.MIGRANT, person_id=person_id).person_id == person_id
