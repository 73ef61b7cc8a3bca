"""The renewal checklist, computed from the person's certificates and journey records."""

from __future__ import annotations

from flask import Flask

from tests.verifier.conftest import make_person
from tests.verifier.test_timeline import (
    _office_id,
    add_appointment,
    add_certificate,
    add_training,
    ago,
    at,
)
from verifier import db
from verifier.models import (
    AppointmentPurpose,
    AppointmentStatus,
    CertificateStatus,
    Person,
    Training,
    TrainingKind,
)
from verifier.renewal import Checklist, cefr_level, renewal_checklist


def checklist_of(app: Flask, person_id: int) -> Checklist:
    with app.app_context():
        session = db.session()
        person = session.get(Person, person_id)
        assert person is not None
        return renewal_checklist(session, person)


def status(checklist: Checklist) -> dict[str, str]:
    return {line.key: line.status for line in checklist.lines}


def add_language(app: Flask, person_id: int, **fields: object) -> None:
    with app.app_context():
        session = db.session()
        session.add(
            Training(
                person_id=person_id,
                office_id=_office_id(),
                kind=TrainingKind.LANGUAGE,
                **fields,
            )
        )
        session.commit()


def test_cefr_levels_are_read_from_free_text() -> None:
    assert cefr_level("A2 (CECRL)") == "A2"
    assert cefr_level("niveau b1 atteint, A2 à l'oral") == "B1"
    assert cefr_level("Niveau A1 non atteint") == "A1"
    assert cefr_level("") is None
    assert cefr_level(None) is None


def test_an_empty_file_misses_everything_but_appointments(ready_app: Flask) -> None:
    person = make_person(ready_app)
    found = checklist_of(ready_app, person)
    assert status(found) == {
        "cir": "missing",
        "civic": "missing",
        "language-hours": "missing",
        "language-level": "missing",
        "civic-exam": "missing",
        "life-in-france": "missing",
        "appointments": "present",
    }
    assert not found.complete
    front = found.front_matter()
    assert len(front) == 7
    assert all(line.startswith(("[présent]", "[manquant]")) for line in front)
    assert "L.433-4" in front[0]


def test_a_complete_journey(ready_app: Flask) -> None:
    person = make_person(ready_app)
    cir = add_certificate(
        ready_app, person, "cir-signature", {"signed_on": ago(200).isoformat()}, issued_on=ago(200)
    )
    add_training(ready_app, person, [(ago(100 - d), "present") for d in range(4)])
    add_training(ready_app, person, [(ago(90), "present")], kind=TrainingKind.LIFE_IN_FRANCE)
    add_language(ready_app, person, hours_prescribed=200, hours_attended=200, level_reached="A2")
    found = checklist_of(ready_app, person)
    assert status(found) == {
        "cir": "present",
        "civic": "present",
        "language-hours": "present",
        "language-level": "present",
        "civic-exam": "missing",  # never recorded in Sceau: always to bring
        "life-in-france": "present",
        "appointments": "present",
    }
    assert f"certificate:{cir}" in found.evidence
    cir_line = found.lines[0]
    assert ago(200).strftime("%d/%m/%Y") in cir_line.text("fr")


def test_civic_training_counts_days_present_only(ready_app: Flask) -> None:
    person = make_person(ready_app)
    add_training(
        ready_app,
        person,
        [(ago(10), "present"), (ago(9), "present"), (ago(8), "absent"), (ago(7), "present")],
    )
    line = checklist_of(ready_app, person).lines[1]
    assert line.status == "missing"
    assert line.params["days"] == 3
    assert line.params["hours"] == 18
    assert "3 jours sur 4" in line.text("fr")
    assert "3 of 4 days" in line.text("en")


def test_language_hours_short_and_level_too_low(ready_app: Flask) -> None:
    person = make_person(ready_app)
    add_language(ready_app, person, hours_prescribed=400, hours_attended=388, level_reached="A1")
    lines = {line.key: line for line in checklist_of(ready_app, person).lines}
    assert lines["language-hours"].status == "missing"
    assert "388 h" in lines["language-hours"].text("fr")
    assert lines["language-level"].status == "missing"
    assert "A2" in lines["language-level"].text("en")


def test_a_language_exemption_meets_both_lines(ready_app: Flask) -> None:
    person = make_person(ready_app)
    add_language(ready_app, person, exempt=True, exemption_reason="Diplôme français")
    lines = {line.key: line for line in checklist_of(ready_app, person).lines}
    assert lines["language-hours"].present
    assert lines["language-level"].present
    assert "Diplôme français" in lines["language-hours"].text("fr")


def test_language_from_the_certificate_when_no_training_row(ready_app: Flask) -> None:
    person = make_person(ready_app)
    add_certificate(
        ready_app,
        person,
        "language-training",
        {"hours_prescribed": "400 h", "hours_attended": "400 h", "level_reached": "B1"},
    )
    lines = {line.key: line for line in checklist_of(ready_app, person).lines}
    assert lines["language-hours"].present
    assert lines["language-level"].present


def test_a_revoked_certificate_proves_nothing(ready_app: Flask) -> None:
    person = make_person(ready_app)
    add_certificate(ready_app, person, "cir-signature", status=CertificateStatus.REVOKED)
    assert status(checklist_of(ready_app, person))["cir"] == "missing"


def test_a_missed_appointment_is_missing_until_a_later_one_is_attended(ready_app: Flask) -> None:
    person = make_person(ready_app)
    purpose = AppointmentPurpose.RECEPTION_INTERVIEW
    add_appointment(ready_app, person, at(30), AppointmentStatus.MISSED, purpose)
    line = checklist_of(ready_app, person).lines[-1]
    assert line.status == "missing"
    assert ago(30).strftime("%d/%m/%Y") in line.text("fr")
    add_appointment(ready_app, person, at(10), AppointmentStatus.ATTENDED, purpose)
    line = checklist_of(ready_app, person).lines[-1]
    assert line.status == "present"
    assert line.params["count"] == 1


def test_every_line_has_words_in_three_languages(ready_app: Flask) -> None:
    person = make_person(ready_app)
    for line in checklist_of(ready_app, person).lines:
        for lang in ("fr", "en", "ar"):
            text = line.text(lang)
            assert text
            assert not text.startswith("renewal-")
            assert "{" not in text
