"""The OFII back office on the web: issuing and revoking from a person's page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.verifier.conftest import Staff, form_token, issue_body, make_person
from tests.verifier.test_journey import lyon_person
from tests.verifier.test_portal import signed_in
from verifier import db
from verifier.models import AuditEntry, Certificate, LogLeaf, Revocation, Role
from verifier.tokens import Scope

_FORM_KEY = re.compile(r'name="form_key" value="([0-9a-f]{32})"')


def _issue_page(client: FlaskClient, person_id: int, kind: str) -> tuple[str, str, str]:
    """The issue form of ``kind``: its page, CSRF token and one-time key."""
    page = client.get(f"/agent/persons/{person_id}/issue?type={kind}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    match = _FORM_KEY.search(text)
    assert match is not None
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert csrf is not None
    return text, csrf.group(1), match.group(1)


MEDICAL = {
    "type": "medical-visit",
    "detail-visit_date": "2026-11-02",
    "detail-place": "OFII, Paris 11e",
}


def _certificates(app: Flask, person_id: int) -> list[Certificate]:
    with app.app_context():
        return list(
            db.session().scalars(select(Certificate).where(Certificate.person_id == person_id))
        )


def _issue(client: FlaskClient, person_id: int, form: dict[str, Any]) -> Any:
    _, csrf, key = _issue_page(client, person_id, form["type"])
    return client.post(
        f"/agent/persons/{person_id}/issue", data={**form, "csrf_token": csrf, "form_key": key}
    )


def test_an_agent_issues_a_certificate_from_the_person_page(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    agent, account = signed_in(ready_app, Role.OFII_AGENT)
    person_page = agent.get(f"/agent/persons/{person_id}").get_data(as_text=True)
    assert f"/agent/persons/{person_id}/issue" in person_page
    chooser = agent.get(f"/agent/persons/{person_id}/issue").get_data(as_text=True)
    assert 'name="type"' in chooser
    assert "medical-visit" in chooser
    form_page, csrf, key = _issue_page(agent, person_id, "medical-visit")
    assert 'name="detail-visit_date"' in form_page
    assert 'type="date"' in form_page
    assert '<label for="detail-place">' in form_page
    response = agent.post(
        f"/agent/persons/{person_id}/issue", data={**MEDICAL, "csrf_token": csrf, "form_key": key}
    )
    assert response.status_code == 303
    [certificate] = _certificates(ready_app, person_id)
    assert certificate.type == "medical-visit"
    assert certificate.details == {"visit_date": "2026-11-02", "place": "OFII, Paris 11e"}
    assert f"issued={certificate.id}" in response.headers["Location"]
    listed = agent.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-notice="ok"' in listed
    assert f"/agent/persons/{person_id}/certificates/{certificate.id}/pdf" in listed
    seal = agent.get(f"/agent/persons/{person_id}/certificates/{certificate.id}/seal")
    assert seal.status_code == 303
    assert seal.headers["Location"].startswith("/V/")
    pdf = agent.get(f"/agent/persons/{person_id}/certificates/{certificate.id}/pdf")
    assert pdf.data.startswith(b"%PDF")
    with ready_app.app_context():
        entry = (
            db.session()
            .scalars(select(AuditEntry).where(AuditEntry.action == "certificate.issue"))
            .one()
        )
        assert entry.actor == f"user:{account.id}"
        assert entry.object_id == certificate.id
        leaves = db.session().scalar(
            select(func.count())
            .select_from(LogLeaf)
            .where(LogLeaf.certificate_id == certificate.id)
        )
        assert leaves == 1


def test_sending_the_same_form_twice_issues_once(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    _, csrf, key = _issue_page(agent, person_id, "medical-visit")
    data = {**MEDICAL, "csrf_token": csrf, "form_key": key}
    first = agent.post(f"/agent/persons/{person_id}/issue", data=data)
    second = agent.post(f"/agent/persons/{person_id}/issue", data=data)
    assert first.status_code == second.status_code == 303
    assert "issued=again" in second.headers["Location"]
    assert len(_certificates(ready_app, person_id)) == 1
    page = agent.get(second.headers["Location"]).get_data(as_text=True)
    assert 'data-notice="warn"' in page


def test_list_fields_and_numbers_reach_the_certificate(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    response = _issue(
        agent,
        person_id,
        {
            "type": "language-training",
            "detail-assessment_result": "A1 non atteint",
            "detail-hours_prescribed": "400",
            "detail-hours_attended": "388",
            "detail-level_reached": "A2",
            "valid_until": "2027-12-31",
        },
    )
    assert response.status_code == 303
    convocation = _issue(
        agent,
        person_id,
        {
            "type": "convocation",
            "detail-appointment_at": "2026-12-24T09:30",
            "detail-place": "OFII Paris",
            "detail-purpose": "Entretien",
            "detail-bring": "Passeport\r\n\r\nCette convocation\r\n",
        },
    )
    assert convocation.status_code == 303
    by_type = {c.type: c for c in _certificates(ready_app, person_id)}
    assert by_type["language-training"].details["hours_prescribed"] == 400
    assert str(by_type["language-training"].valid_until) == "2027-12-31"
    assert by_type["convocation"].details["bring"] == ["Passeport", "Cette convocation"]
    assert by_type["convocation"].details["appointment_at"].startswith("2026-12-24T09:30")


def test_bad_forms_are_refused_in_the_page_and_nothing_is_issued(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    missing = _issue(agent, person_id, {"type": "medical-visit", "detail-place": "Paris"})
    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "data-error" in text
    assert 'id="detail-visit_date"' in text
    assert re.search(r'id="detail-visit_date"[^>]*aria-invalid="true"', text)
    assert 'value="Paris"' in text  # what was typed is kept
    bad_date = _issue(agent, person_id, {**MEDICAL, "valid_until": "2026-02-30"})
    assert bad_date.status_code == 400
    assert re.search(r'id="valid_until"[^>]*aria-invalid="true"', bad_date.get_data(as_text=True))
    _, csrf, _ = _issue_page(agent, person_id, "medical-visit")
    no_key = agent.post(
        f"/agent/persons/{person_id}/issue", data={**MEDICAL, "csrf_token": csrf, "form_key": "x"}
    )
    assert no_key.status_code == 400
    bad_type = agent.post(
        f"/agent/persons/{person_id}/issue",
        data={**MEDICAL, "type": "passport", "csrf_token": csrf, "form_key": "a" * 32},
    )
    assert bad_type.status_code == 400
    no_csrf = agent.post(f"/agent/persons/{person_id}/issue", data=MEDICAL)
    assert no_csrf.status_code == 400
    assert _certificates(ready_app, person_id) == []
    arabic = agent.post(
        f"/agent/persons/{person_id}/issue?lang=ar",
        data={"type": "medical-visit", "csrf_token": csrf, "form_key": "b" * 32},
    )
    assert arabic.status_code == 400
    assert "لم يُصدَر شيء" in arabic.get_data(as_text=True)


def test_another_office_person_and_other_roles_are_refused(ready_app: Flask) -> None:
    lyon_id, _ = lyon_person(ready_app)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    assert agent.get(f"/agent/persons/{lyon_id}/issue").status_code == 404
    token = form_token(agent, "/agent")
    refused = agent.post(
        f"/agent/persons/{lyon_id}/issue",
        data={**MEDICAL, "csrf_token": token, "form_key": "c" * 32},
    )
    assert refused.status_code == 404
    assert agent.get("/agent/persons/999999/issue").status_code == 404
    prefecture, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    assert prefecture.get(f"/agent/persons/{lyon_id}/issue").status_code == 403
    assert _certificates(ready_app, lyon_id) == []


def _api_certificate(app: Flask, staff: Staff, person_id: int) -> str:
    made = app.test_client().post(
        "/api/v1/certificates",
        json=issue_body(holder=None, person_id=person_id),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": f"k-{person_id}"}),
    )
    assert made.status_code == 201
    return str(made.get_json()["id"])


def test_an_agent_revokes_with_a_reason_and_a_confirmation(ready_app: Flask, staff: Staff) -> None:
    person_id = make_person(ready_app)
    certificate_id = _api_certificate(ready_app, staff, person_id)
    agent, account = signed_in(ready_app, Role.OFII_AGENT)
    person_page = agent.get(f"/agent/persons/{person_id}").get_data(as_text=True)
    revoke_path = f"/agent/persons/{person_id}/certificates/{certificate_id}/revoke"
    assert revoke_path in person_page
    form_page = agent.get(revoke_path).get_data(as_text=True)
    assert 'name="confirm"' in form_page
    assert 'value="fraud"' in form_page
    token = form_token(agent, revoke_path)
    unconfirmed = agent.post(
        revoke_path, data={"reason": "issued-in-error", "text": "x", "csrf_token": token}
    )
    assert unconfirmed.status_code == 400
    assert re.search(r'id="confirm"[^>]*aria-invalid="true"', unconfirmed.get_data(as_text=True))
    bad_reason = agent.post(
        revoke_path, data={"reason": "because", "confirm": "yes", "csrf_token": token}
    )
    assert bad_reason.status_code == 400
    with ready_app.app_context():
        assert db.session().get(Certificate, certificate_id).status == "valid"  # type: ignore[union-attr]
    done = agent.post(
        revoke_path,
        data={
            "reason": "issued-in-error",
            "text": "Wrong person\r\nsee ticket 12",
            "confirm": "yes",
            "csrf_token": token,
        },
    )
    assert done.status_code == 303
    with ready_app.app_context():
        session = db.session()
        certificate = session.get(Certificate, certificate_id)
        assert certificate is not None
        assert certificate.status == "revoked"
        revocation = session.scalars(select(Revocation)).one()
        assert revocation.reason == "issued-in-error"
        assert revocation.text == "Wrong person\nsee ticket 12"
        assert revocation.revoked_by == f"user:{account.id}"
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "certificate.revoke")
        ).one()
        assert entry.actor == f"user:{account.id}"
        events = set(
            session.scalars(select(LogLeaf.event).where(LogLeaf.certificate_id == certificate_id))
        )
        assert len(events) == 2  # issued, then revoked: both public
    page = agent.get(done.headers["Location"]).get_data(as_text=True)
    assert 'data-notice="ok"' in page
    assert f'data-revoke="{certificate_id}"' not in page
    again = agent.post(revoke_path, data={"reason": "fraud", "confirm": "yes", "csrf_token": token})
    assert again.status_code == 409
    seal = ready_app.test_client().get(
        agent.get(f"/agent/persons/{person_id}/certificates/{certificate_id}/seal").headers[
            "Location"
        ]
    )
    assert 'data-status="revoked"' in seal.get_data(as_text=True)


def test_revoking_another_office_certificate_is_refused(ready_app: Flask, staff: Staff) -> None:
    mine = make_person(ready_app)
    my_certificate = _api_certificate(ready_app, staff, mine)
    lyon_id, lyon_secret = lyon_person(ready_app)
    made = ready_app.test_client().post(
        "/api/v1/certificates",
        json=issue_body(holder=None, person_id=lyon_id),
        headers={"Authorization": f"Bearer {lyon_secret}", "Idempotency-Key": "lyon"},
    )
    lyon_certificate = made.get_json()["id"]
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    token = form_token(agent, "/agent")
    data = {"reason": "fraud", "confirm": "yes", "csrf_token": token}
    for path in (
        f"/agent/persons/{lyon_id}/certificates/{lyon_certificate}/revoke",
        f"/agent/persons/{mine}/certificates/{lyon_certificate}/revoke",  # not this person's
        f"/agent/persons/{mine}/certificates/zz/revoke",
    ):
        assert agent.get(path).status_code == 404
        assert agent.post(path, data=data).status_code == 404
    with ready_app.app_context():
        assert db.session().get(Certificate, lyon_certificate).status == "valid"  # type: ignore[union-attr]
        assert db.session().get(Certificate, my_certificate).status == "valid"  # type: ignore[union-attr]
