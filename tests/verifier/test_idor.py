"""Objects named by id in a URL are reached only through the signed-in user's own reach.

For every object type of the file pages (person, certificate, mandate, access log) another
user's id answers exactly like an id that does not exist, and changes nothing.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.verifier.conftest import OFFICE, Staff, make_person
from tests.verifier.test_portal import accesses_of, grant, issue_for, post_form, signed_in
from verifier import db
from verifier.models import Mandate, Office, Person, Role

UNKNOWN_CERTIFICATE = "0" * 24


def test_a_migrant_cannot_download_another_migrants_certificate(
    ready_app: Flask, staff: Staff
) -> None:
    a, _ = signed_in(ready_app, Role.MIGRANT)
    _, b = signed_in(ready_app, Role.MIGRANT)
    assert b.person_id is not None
    theirs = issue_for(ready_app.test_client(), staff, b.person_id)
    refused = a.get(f"/my/certificates/{theirs['id']}/pdf")
    unknown = a.get(f"/my/certificates/{UNKNOWN_CERTIFICATE}/pdf")
    assert refused.status_code == unknown.status_code == 404
    assert refused.get_data() == unknown.get_data()  # existence not revealed
    assert theirs["id"] not in a.get("/my").get_data(as_text=True)


def test_a_migrant_sees_only_their_own_accesses_and_mandates(
    ready_app: Flask, staff: Staff
) -> None:
    a, _ = signed_in(ready_app, Role.MIGRANT)
    _, b = signed_in(ready_app, Role.MIGRANT)
    assert b.person_id is not None
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    mandate_id = grant(ready_app, b.person_id, account.id)
    assert lawyer.get(f"/lawyer/clients/{b.person_id}").status_code == 200
    assert len(accesses_of(ready_app, b.person_id)) == 1
    assert "data-access" not in a.get("/my/accesses").get_data(as_text=True)
    mandates = a.get("/my/mandates").get_data(as_text=True)
    assert f'data-mandate="{mandate_id}"' not in mandates
    assert "Test lawyer" not in a.get("/my").get_data(as_text=True)


def test_a_migrant_cannot_revoke_another_migrants_mandate(ready_app: Flask) -> None:
    a, _ = signed_in(ready_app, Role.MIGRANT)
    _, b = signed_in(ready_app, Role.MIGRANT)
    assert b.person_id is not None
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    mandate_id = grant(ready_app, b.person_id, account.id)
    refused = post_form(a, "/my/mandates", f"/my/mandates/{mandate_id}/revoke", {})
    assert refused.status_code == 404  # type: ignore[attr-defined]
    unknown = post_form(a, "/my/mandates", "/my/mandates/999999/revoke", {})
    assert unknown.status_code == 404  # type: ignore[attr-defined]
    with ready_app.app_context():
        mandate = db.session().get(Mandate, mandate_id)
        assert mandate is not None
        assert mandate.revoked_at is None
    assert lawyer.get(f"/lawyer/clients/{b.person_id}").status_code == 200


def test_a_lawyer_cannot_open_a_certificate_through_another_clients_id(
    ready_app: Flask, staff: Staff
) -> None:
    _, a = signed_in(ready_app, Role.MIGRANT)
    _, b = signed_in(ready_app, Role.MIGRANT)
    assert a.person_id is not None
    assert b.person_id is not None
    theirs = issue_for(ready_app.test_client(), staff, b.person_id)
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, a.person_id, account.id)
    assert (
        lawyer.get(f"/lawyer/clients/{a.person_id}/certificates/{theirs['id']}/pdf").status_code
        == 404
    )
    assert (
        lawyer.get(f"/lawyer/clients/{b.person_id}/certificates/{theirs['id']}/pdf").status_code
        == 404
    )
    assert lawyer.get("/lawyer/clients/999999").status_code == 404


def _person_of_another_office(app: Flask) -> int:
    person_id = make_person(app, "Okafor", "Chidi")
    with app.app_context():
        session = db.session()
        other = Office(code="DT-LYON", name="Direction territoriale de Lyon")
        session.add(other)
        session.flush()
        person = session.get(Person, person_id)
        assert person is not None
        person.office_id = other.id
        session.commit()
    return person_id


def test_an_agent_of_another_office_cannot_open_the_person(ready_app: Flask, staff: Staff) -> None:
    person_id = _person_of_another_office(ready_app)
    theirs = issue_for(ready_app.test_client(), staff, person_id)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    assert agent.get(f"/agent/persons/{person_id}").status_code == 404
    assert (
        agent.get(f"/agent/persons/{person_id}/certificates/{theirs['id']}/pdf").status_code == 404
    )
    assert agent.get("/agent/persons/999999").status_code == 404
    assert "Okafor" not in agent.get("/agent?q=okafor").get_data(as_text=True)
    assert accesses_of(ready_app, person_id) == []


def test_an_agent_of_the_office_searches_opens_and_downloads(
    ready_app: Flask, staff: Staff
) -> None:
    person_id = make_person(ready_app, "Ngoc-Anh", "Thi")
    made = issue_for(ready_app.test_client(), staff, person_id)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    found = agent.get("/agent?q=ngoc").get_data(as_text=True)
    assert f'data-person="{person_id}"' in found
    assert "data-person" not in agent.get("/agent?q=n").get_data(as_text=True)  # too short
    assert "data-person" not in agent.get("/agent?q=%25").get_data(as_text=True)  # no wildcard
    page = agent.get(f"/agent/persons/{person_id}")
    assert page.status_code == 200
    assert f'data-certificate="{made["id"]}"' in page.get_data(as_text=True)
    assert "7501234567" not in page.get_data(as_text=True)  # never the foreigner number
    pdf = agent.get(f"/agent/persons/{person_id}/certificates/{made['id']}/pdf")
    assert pdf.status_code == 200
    assert sorted(a.action for a in accesses_of(ready_app, person_id)) == ["download", "view"]


def test_an_agent_without_an_office_opens_nothing(ready_app: Flask) -> None:
    person_id = make_person(ready_app)
    agent, _ = signed_in(ready_app, Role.OFII_AGENT, office=None)
    assert agent.get(f"/agent/persons/{person_id}").status_code == 404
    assert "data-person" not in agent.get("/agent?q=haddad").get_data(as_text=True)


def test_the_development_office_holds_the_test_persons(ready_app: Flask) -> None:
    """The premise of the tests above: make_person files persons under the dev office."""
    person_id = make_person(ready_app)
    with ready_app.app_context():
        session = db.session()
        office = session.scalars(select(Office).where(Office.code == OFFICE)).one()
        person = session.get(Person, person_id)
        assert person is not None
        assert person.office_id == office.id
