"""Appointments: scheduling issues a sealed convocation, whose mail (when asked) is queued and
sent by a worker through a real SMTP exchange; outcomes and rescheduling are recorded and
audited. The mail's retries and failures: tests/verifier/test_convocation_mail.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.verifier.conftest import Staff, make_person
from tests.verifier.test_journey import audit_actions, pdf_text
from tests.verifier.test_mail import Collector, body_of, free_port, mailing_to, ready
from tests.verifier.test_portal import post_form, signed_in
from verifier import Settings, db, journey_api, security
from verifier.models import Appointment, Certificate, Job, Person, Role
from verifier.tokens import Scope
from verifier.worker import wait_for_jobs


@pytest.fixture
def journey_app(ready_app: Flask) -> Flask:
    """See tests/verifier/test_journey.py: the journey API, until the factory registers it."""
    if "journey_api" not in ready_app.blueprints:
        security.csrf.exempt(journey_api.bp)
        ready_app.register_blueprint(journey_api.bp)
    return ready_app


def with_email(app: Flask, address: str = "amina@example.org") -> int:
    person_id = make_person(app)
    with app.app_context():
        session = db.session()
        person = session.get(Person, person_id)
        assert person is not None
        person.email = address
        session.commit()
    return person_id


def schedule(client: FlaskClient, person_id: int, **overrides: str) -> Any:
    page = f"/agent/persons/{person_id}/appointments"
    form = {
        "purpose": "end-of-contract-interview",
        "at": "2026-07-06T09:30",
        "place": "OFII, 48 rue de la Roquette, Paris 11e",
        "bring": "Passeport\nAttestations de formation",
        "note": "Interprète arabe",
    }
    form.update(overrides)
    return post_form(client, page, page, form)


def appointments_of(app: Flask, person_id: int) -> list[Appointment]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(Appointment)
                .where(Appointment.person_id == person_id)
                .order_by(Appointment.id)
            )
        )


def test_scheduling_issues_a_sealed_convocation_in_paris_time(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)
    made = schedule(agent, person_id)
    assert made.status_code == 303
    [appointment] = appointments_of(ready_app, person_id)
    assert appointment.at.isoformat() == "2026-07-06T07:30:00+00:00"  # 09:30 in Paris, summer
    assert appointment.status == "scheduled"
    with ready_app.app_context():
        convocation = db.session().get(Certificate, appointment.convocation_id)
        assert convocation is not None
        assert convocation.type == "convocation"
        assert convocation.details["purpose"] == "Entretien de fin de contrat"
        assert convocation.details["appointment_at"].startswith("2026-07-06T09:30:00+02:00")
        assert convocation.details["bring"] == ["Passeport", "Attestations de formation"]
    pdf = agent.get(f"/agent/persons/{person_id}/certificates/{convocation.id}/pdf").data
    assert "06/07/2026 à 09 h 30" in pdf_text(pdf)
    assert "appointment.schedule" in audit_actions(ready_app)
    page = agent.get(f"/agent/persons/{person_id}/appointments").get_data(as_text=True)
    assert "06/07/2026 09:30" in page


def test_the_migrant_sees_the_convocation_in_the_portal(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    migrant, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    schedule(agent, me.person_id)
    [appointment] = appointments_of(ready_app, me.person_id)
    pdf = migrant.get(f"/my/certificates/{appointment.convocation_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_outcomes_and_rescheduling(ready_app: Flask) -> None:
    agent, _account = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)
    schedule(agent, person_id)
    schedule(agent, person_id, at="2026-08-01T14:00")
    first, second = appointments_of(ready_app, person_id)
    page = f"/agent/persons/{person_id}/appointments"
    done: Any = post_form(agent, page, f"{page}/{first.id}/status", {"status": "attended"})
    assert done.status_code == 303
    again: Any = post_form(agent, page, f"{page}/{first.id}/status?lang=en", {"status": "missed"})
    assert again.status_code == 400
    assert "no longer scheduled" in again.get_data(as_text=True)
    moved: Any = post_form(
        agent,
        page,
        f"{page}/{second.id}/status",
        {"status": "rescheduled", "at": "2026-08-08T10:00"},
    )
    assert moved.status_code == 303
    first, second, third = appointments_of(ready_app, person_id)
    assert first.status == "attended"
    assert second.status == "rescheduled"
    assert second.rescheduled_to_id == third.id
    assert third.status == "scheduled"
    assert third.purpose == second.purpose
    assert third.place == second.place
    assert third.convocation_id != second.convocation_id
    actions = audit_actions(ready_app)
    assert "appointment.status" in actions
    assert "appointment.reschedule" in actions
    bad: Any = post_form(agent, page, f"{page}/{third.id}/status?lang=en", {"status": "nope"})
    assert bad.status_code == 400


def test_wrong_appointment_forms_are_refused(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)
    for overrides, words in (
        ({"at": ""}, "date and time"),
        ({"at": "tomorrow"}, "date and time"),
        ({"purpose": "party"}, "purpose"),
        ({"place": ""}, "place"),
    ):
        page = f"/agent/persons/{person_id}/appointments?lang=en"
        form = {"purpose": "medical-visit", "at": "2026-07-06T09:30", "place": "OFII"}
        form.update(overrides)
        refused: Any = post_form(agent, page, page, form)
        assert refused.status_code == 400, overrides
        assert words in refused.get_data(as_text=True), overrides
    assert appointments_of(ready_app, person_id) == []


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    from aiosmtpd.controller import Controller

    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


def test_the_convocation_is_mailed_through_smtp(
    settings: Settings, smtp: tuple[Collector, int]
) -> None:
    collector, port = smtp
    app = ready(mailing_to(settings, port))
    try:
        agent, _ = signed_in(app, Role.OFII_AGENT)
        person_id = with_email(app)
        made = schedule(agent, person_id, send_mail="1")
        assert made.status_code == 303
        assert "mail=queued" in made.headers["Location"]
        page = agent.get(made.headers["Location"] + "&lang=en").get_data(as_text=True)
        assert "the letter will be e-mailed" in page
        wait_for_jobs(app, timeout=30)  # the mail is queued, sent by a worker
        [(recipients, message)] = collector.messages
        assert recipients == ["amina@example.org"]
        body = body_of(message)
        [appointment] = appointments_of(app, person_id)
        assert appointment.mailed_at is not None
        assert "06/07/2026 à 09 h 30" in body
        assert "48 rue de la Roquette" in body
        with app.app_context():
            convocation = db.session().get(Certificate, appointment.convocation_id)
            assert convocation is not None
            assert convocation.seal_url in body
        listed = agent.get(f"/agent/persons/{person_id}/appointments?lang=en")
        assert "letter e-mailed" in listed.get_data(as_text=True)
        actions = audit_actions(app)
        assert actions.index("appointment.mail-queued") < actions.index("appointment.mail")
    finally:
        app.extensions["sceau.engine"].dispose()


def test_without_an_address_nothing_is_queued_and_the_page_says_so(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)  # no e-mail address; the form is posted anyway
    made = schedule(agent, person_id, send_mail="1")
    assert made.status_code == 303
    assert "mail=failed" in made.headers["Location"]
    [appointment] = appointments_of(ready_app, person_id)
    assert appointment.convocation_id is not None
    assert appointment.mailed_at is None
    page = agent.get(made.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "could not be sent" in page
    with ready_app.app_context():
        assert db.session().scalars(select(Job)).all() == []
    assert not {"appointment.mail-queued", "appointment.mail"} & set(audit_actions(ready_app))


def test_the_mail_box_appears_only_when_the_person_has_an_address(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    without = make_person(ready_app)
    page = agent.get(f"/agent/persons/{without}/appointments").get_data(as_text=True)
    assert 'name="send_mail"' not in page
    with_address = with_email(ready_app, "x@example.org")
    page = agent.get(f"/agent/persons/{with_address}/appointments").get_data(as_text=True)
    assert 'name="send_mail"' in page


def test_api_schedules_an_appointment(journey_app: Flask, staff: Staff) -> None:
    client = journey_app.test_client()
    person_id = make_person(journey_app)
    made = client.post(
        f"/api/v1/persons/{person_id}/appointments",
        json={
            "purpose": "medical-visit",
            "at": "2026-12-01T08:00:00Z",
            "place": "OFII Paris",
            "bring": ["Passeport"],
        },
        headers=staff.headers(Scope.ISSUE),
    )
    assert made.status_code == 201, made.get_json()
    answer = made.get_json()
    assert answer["status"] == "scheduled"
    assert answer["convocation_id"]
    assert answer["at"] == "2026-12-01T08:00:00+00:00"
    bad = client.post(
        f"/api/v1/persons/{person_id}/appointments",
        json={"purpose": "medical-visit", "at": "soon", "place": "x"},
        headers=staff.headers(Scope.ISSUE),
    )
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "at"
    verify_only = client.post(
        f"/api/v1/persons/{person_id}/appointments",
        json={"purpose": "medical-visit", "at": "2026-12-01T08:00", "place": "x"},
        headers=staff.headers(Scope.VERIFY),
    )
    assert verify_only.status_code == 403


def test_appointments_of_others_answer_404(ready_app: Flask) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = make_person(ready_app)
    other_id = make_person(ready_app, "Autre", "Personne")
    schedule(agent, person_id)
    [appointment] = appointments_of(ready_app, person_id)
    path = f"/agent/persons/{other_id}/appointments/{appointment.id}/status"
    page = f"/agent/persons/{other_id}/appointments"
    assert post_form(agent, page, path, {"status": "missed"}).status_code == 404  # type: ignore[attr-defined]
    stranger, _ = signed_in(ready_app, Role.OFII_AGENT, office=None)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', stranger.get("/verifier").get_data(as_text=True)
    )
    assert token is not None
    for target in (
        f"/agent/persons/{person_id}/appointments/{appointment.id}/status",
        f"/agent/persons/{person_id}/appointments",
    ):
        response = stranger.post(target, data={"status": "missed", "csrf_token": token.group(1)})
        assert response.status_code == 404, target
    assert appointments_of(ready_app, person_id)[0].status == "scheduled"
