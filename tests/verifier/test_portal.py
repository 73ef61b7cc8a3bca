"""The migrant's portal: own certificates, appointments, lawyers and the access log.

The helpers at the top are shared by test_mandates.py, test_prefecture.py and test_idor.py.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from signing.seal import CertificateType
from tests.verifier.conftest import (
    Account,
    Staff,
    form_token,
    issue_body,
    make_account,
    make_person,
    sign_in,
)
from verifier import db
from verifier.i18n import has_message
from verifier.models import FileAccess, Mandate, Role
from verifier.tokens import Scope

# ----------------------------------------------------------------------------- helpers


def issue_for(
    client: FlaskClient,
    staff: Staff,
    person_id: int,
    kind: CertificateType = CertificateType.CIVIC_TRAINING,
    **overrides: object,
) -> dict:  # type: ignore[type-arg]
    """Issue a certificate of ``kind`` for an existing person; the API's JSON answer."""
    body = issue_body(kind, holder=None, person_id=person_id, **overrides)
    key = secrets.token_hex(8)
    made = client.post(
        "/api/v1/certificates",
        json=body,
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": key}),
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    found: dict = made.get_json()  # type: ignore[type-arg]
    return found


def signed_in(app: Flask, role: Role, **account: object) -> tuple[FlaskClient, Account]:
    """A fresh browser signed in with a new account of ``role``."""
    made = make_account(app, role, **account)  # type: ignore[arg-type]
    client = app.test_client()
    sign_in(client, made)
    return client, made


def grant(
    app: Flask,
    person_id: int,
    lawyer_id: int,
    *,
    scopes: str = "read",
    ends_on: date | None = None,
) -> int:
    """A mandate written straight into the database (the form is tested in test_mandates)."""
    with app.app_context():
        session = db.session()
        mandate = Mandate(
            person_id=person_id,
            lawyer_id=lawyer_id,
            scopes=scopes,
            ends_on=ends_on or date.today() + timedelta(days=30),
        )
        session.add(mandate)
        session.commit()
        return mandate.id


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, object]) -> object:
    """Submit a form of ``page`` to ``action`` with its CSRF token, as a browser would."""
    return client.post(action, data={**data, "csrf_token": form_token(client, page)})


def accesses_of(app: Flask, person_id: int) -> list[FileAccess]:
    with app.app_context():
        return list(
            db.session().scalars(select(FileAccess).where(FileAccess.person_id == person_id))
        )


# ----------------------------------------------------------------------------- tests


def test_anonymous_visitors_are_sent_to_sign_in(ready_app: Flask) -> None:
    client = ready_app.test_client()
    for path in ("/my", "/my/accesses", "/my/mandates", "/my/certificates/00/pdf"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_other_roles_are_refused_the_portal(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.LAWYER)
    assert client.get("/my").status_code == 403
    assert client.get("/my/mandates").status_code == 403


def test_home_lists_my_certificates_appointments_and_lawyers(
    ready_app: Flask, staff: Staff
) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    api = ready_app.test_client()
    civic = issue_for(api, staff, me.person_id)
    convocation = issue_for(api, staff, me.person_id, CertificateType.CONVOCATION)
    lawyer = make_account(ready_app, Role.LAWYER)
    grant(ready_app, me.person_id, lawyer.id)
    page = client.get("/my?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'data-certificate="{civic["id"]}"' in text
    assert f'data-certificate="{convocation["id"]}"' in text
    assert "Valid certificate" in text
    assert "data-appointment" in text
    assert "48 rue de la Roquette" in text  # the sample convocation's place
    assert "Test lawyer (Paris bar, P0001)" in text
    assert page.headers["Cache-Control"] == "no-store"


def test_i_download_my_own_certificate_pdf(ready_app: Flask, staff: Staff) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    made = issue_for(ready_app.test_client(), staff, me.person_id)
    response = client.get(f"/my/certificates/{made['id']}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert accesses_of(ready_app, me.person_id) == []  # my own look is not logged


def test_the_access_log_names_who_looked(ready_app: Flask, staff: Staff) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    assert agent.get(f"/agent/persons/{me.person_id}").status_code == 200
    page = client.get("/my/accesses?lang=en").get_data(as_text=True)
    assert "Test ofii-agent" in page
    assert "OFII agent" in page
    assert "opened the file" in page


def test_every_portal_text_exists_in_three_languages() -> None:
    for role in Role:
        assert has_message(f"role-{role}")
    for action in ("view", "download", "verify", "api-read", "api-download"):
        assert has_message(f"access-action-{action}")


def test_pages_render_in_arabic_right_to_left(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    page = client.get("/my?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "شهاداتي" in page


def test_administrators_list_accounts_and_disable_one(ready_app: Flask) -> None:
    admin, me = signed_in(ready_app, Role.ADMINISTRATOR)
    victim_client, victim = signed_in(ready_app, Role.LAWYER)
    page = admin.get("/admin?lang=en").get_data(as_text=True)
    assert victim.email in page
    assert "Paris bar" in page
    assert f'action="/admin/users/{me.id}/disable"' not in page  # not myself
    refused = admin.post(f"/admin/users/{victim.id}/disable")
    assert refused.status_code == 400  # no CSRF token
    done = post_form(admin, "/admin", f"/admin/users/{victim.id}/disable", {})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert victim_client.get("/lawyer").status_code == 302  # the session ended
    assert "data-disabled" in admin.get("/admin").get_data(as_text=True)


def test_administrators_do_not_see_files(ready_app: Flask, staff: Staff) -> None:
    admin, _ = signed_in(ready_app, Role.ADMINISTRATOR)
    person_id = make_person(ready_app)
    made = issue_for(ready_app.test_client(), staff, person_id)
    assert admin.get(f"/agent/persons/{person_id}").status_code == 403
    assert admin.get(f"/agent/persons/{person_id}/certificates/{made['id']}/pdf").status_code == 403
    assert admin.get(f"/lawyer/clients/{person_id}").status_code == 403
    assert admin.get("/my").status_code == 403
    assert "Haddad" not in admin.get("/admin").get_data(as_text=True)


def test_a_staff_api_read_shows_in_words(ready_app: Flask, staff: Staff) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    api = ready_app.test_client()
    made = issue_for(api, staff, me.person_id)
    read = api.get(f"/api/v1/certificates/{made['id']}", headers=staff.headers(Scope.VERIFY))
    assert read.status_code == 200
    log = client.get("/my/accesses?lang=en").get_data(as_text=True)
    assert "read a certificate (computer service)" in log


def test_home_shows_recorded_appointments_with_their_status(ready_app: Flask) -> None:
    from datetime import timedelta

    from verifier.db import utcnow
    from verifier.models import Appointment, Person

    client, me = signed_in(ready_app, Role.MIGRANT)
    with ready_app.app_context():
        session = db.session()
        person = session.get(Person, me.person_id)
        assert person is not None
        assert person.office_id is not None
        session.add(
            Appointment(
                person_id=person.id,
                office_id=person.office_id,
                purpose="medical-visit",
                at=utcnow() - timedelta(days=3),
                place="OFII, Paris 11e",
                status="missed",
            )
        )
        session.commit()
    page = client.get("/my?lang=en").get_data(as_text=True)
    assert "OFII, Paris 11e" in page
    assert "missed" in page


def test_every_part_of_the_portal_is_one_link_away(ready_app: Flask) -> None:
    """Issue 9: certificates, appointments, timeline, correspondence (upload), lawyers with
    access and who opened the file, the pack builder with the renewal checklist."""
    client, _ = signed_in(ready_app, Role.MIGRANT)
    home = client.get("/my").get_data(as_text=True)
    nav = home.split('<nav aria-label="', 2)[-1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    for wanted in (
        "/my#certificates-heading",
        "/my#appointments-heading",
        "/my/timeline",
        "/my/correspondence",
        "/my/mandates",
        "/my/accesses",
        "/my/packs",
    ):
        assert wanted in links, links
    assert 'id="certificates-heading"' in home
    assert 'id="appointments-heading"' in home
    for path in links:
        assert client.get(path.split("#", 1)[0]).status_code == 200, path
    packs = client.get("/my/packs").get_data(as_text=True)
    assert "data-checklist" in packs
    assert 'href="/my"' in packs  # the builder keeps the portal's links
