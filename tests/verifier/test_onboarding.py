"""Onboarding: the agent records a person and prints a signed letter; its code opens the
migrant's account once, within 30 days."""

from __future__ import annotations

import re
from datetime import timedelta

import pypdfium2
import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from signing.pades import validate_pdf
from tests.verifier.conftest import form_token, make_account, make_person, sign_in
from verifier import db
from verifier.db import utcnow
from verifier.instance import keyring
from verifier.models import AuditEntry, Office, OneTimeCode, Person, Role, User

CODE = re.compile(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\b")
MIGRANT_PASSWORD = "my own long passphrase 9"


@pytest.fixture
def agent_client(ready_app: Flask) -> FlaskClient:
    client = ready_app.test_client()
    sign_in(client, make_account(ready_app, Role.OFII_AGENT))
    return client


def create_person(client: FlaskClient, **fields: str) -> FlaskClient:
    data = {
        "action": "create",
        "family_name": "Haddad",
        "given_names": "Amina",
        "birth_date": "1994-07",
        "nationality": "syr",
        "email": "Amina@Example.org",
        "preferred_language": "ar",
        **fields,
        "csrf_token": form_token(client, "/agent/persons/new"),
    }
    return client.post("/agent/persons/new", data=data)  # type: ignore[return-value]


def print_letter(client: FlaskClient, person_id: int) -> bytes:
    token = form_token(client, f"/agent/persons/{person_id}/activation")
    response = client.post(
        f"/agent/persons/{person_id}/activation-letter", data={"csrf_token": token}
    )
    assert response.status_code == 200, response.get_data(True)[:500]
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    return response.data


def letter_text_and_qr(pdf: bytes) -> tuple[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
        image = page.render(scale=150 / 72).to_pil().convert("L")
    finally:
        document.close()
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1
    return text, codes[0].text


def activate(client: FlaskClient, code: str, email: str, password: str = MIGRANT_PASSWORD) -> int:
    token = form_token(client, "/activate")
    response = client.post(
        "/activate",
        data={
            "code": code,
            "email": email,
            "password": password,
            "password_again": password,
            "csrf_token": token,
        },
    )
    location = response.headers.get("Location")
    return 302 if location == "/my" else response.status_code


def person_id_of(response_location: str) -> int:
    match = re.fullmatch(r"/agent/persons/(\d+)/activation", response_location)
    assert match is not None, response_location
    return int(match.group(1))


def accounts_of(app: Flask, person_id: int) -> int:
    with app.app_context():
        query = select(func.count(User.id)).where(User.person_id == person_id)
        return db.session().scalar(query) or 0


def test_from_new_person_to_signed_in_migrant(ready_app: Flask, agent_client: FlaskClient) -> None:
    created = create_person(agent_client)
    assert created.status_code == 302
    person_id = person_id_of(created.headers["Location"])
    with ready_app.app_context():
        person = db.session().get(Person, person_id)
        assert person is not None
        assert (person.family_name_normalized, person.nationality, person.email) == (
            "HADDAD",
            "SYR",
            "amina@example.org",
        )
    pdf = print_letter(agent_client, person_id)

    with ready_app.app_context():
        assert validate_pdf(pdf, [keyring().chain.root]).bottom_line
    text, url = letter_text_and_qr(pdf)
    printed = CODE.search(text)
    assert printed is not None
    code = printed.group(0)
    assert url == f"http://127.0.0.1:8000/activate?code={code}"
    assert "Amina HADDAD" in " ".join(text.split())

    migrant = ready_app.test_client()
    assert migrant.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert activate(migrant, code.lower().replace("-", " "), "amina@example.org") == 302
    assert migrant.get("/account/second-factor").status_code == 200  # signed in
    with ready_app.app_context():
        user = db.session().scalars(select(User).where(User.person_id == person_id)).one()
        assert (user.role, user.email, user.preferred_language) == (
            Role.MIGRANT,
            "amina@example.org",
            "ar",
        )
        actions = [e.action for e in db.session().scalars(select(AuditEntry))]
    assert {"person.create", "person.activation-letter", "user.activate"} <= set(actions)

    # The same code a second time: refused, no second account.
    again = ready_app.test_client()
    assert again.get(f"/activate?code={code}").status_code == 410
    assert activate(again, code, "someone.else@example.org") == 410
    assert accounts_of(ready_app, person_id) == 1
    # And the migrant signs in with the password they chose.
    later = ready_app.test_client()
    token = form_token(later, "/sign-in")
    response = later.post(
        "/sign-in",
        data={"email": "amina@example.org", "password": MIGRANT_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/my"


def test_an_expired_code_opens_nothing(ready_app: Flask, agent_client: FlaskClient) -> None:
    person_id = make_person(ready_app)
    text, _ = letter_text_and_qr(print_letter(agent_client, person_id))
    code = CODE.search(text).group(0)  # type: ignore[union-attr]
    with ready_app.app_context():
        session = db.session()
        row = session.scalars(select(OneTimeCode).where(OneTimeCode.person_id == person_id)).one()
        assert row.expires_at - utcnow() > timedelta(days=29)
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
    client = ready_app.test_client()
    page = client.get(f"/activate?code={code}")
    assert page.status_code == 410
    assert 'data-error="code-invalid"' in page.get_data(True)
    assert activate(client, code, "late@example.org") == 410
    assert accounts_of(ready_app, person_id) == 0


def test_a_new_letter_withdraws_the_previous_code(
    ready_app: Flask, agent_client: FlaskClient
) -> None:
    person_id = make_person(ready_app)
    first = CODE.search(letter_text_and_qr(print_letter(agent_client, person_id))[0])
    second = CODE.search(letter_text_and_qr(print_letter(agent_client, person_id))[0])
    assert first is not None
    assert second is not None
    client = ready_app.test_client()
    assert activate(client, first.group(0), "lost@example.org") == 410
    assert activate(client, second.group(0), "found@example.org") == 302


def test_activation_checks_the_address_and_password(
    ready_app: Flask, agent_client: FlaskClient
) -> None:
    taken = make_account(ready_app, Role.LAWYER)
    person_id = make_person(ready_app)
    code = CODE.search(letter_text_and_qr(print_letter(agent_client, person_id))[0]).group(0)  # type: ignore[union-attr]
    client = ready_app.test_client()
    assert activate(client, code, taken.email) == 400
    assert activate(client, code, "not-an-address") == 400
    assert activate(client, code, "fresh@example.org", "short") == 400
    assert accounts_of(ready_app, person_id) == 0
    assert activate(client, code, "fresh@example.org") == 302


def test_no_letter_for_a_person_who_has_an_account(
    ready_app: Flask, agent_client: FlaskClient
) -> None:
    migrant = make_account(ready_app, Role.MIGRANT)
    assert migrant.person_id is not None
    page = agent_client.get(f"/agent/persons/{migrant.person_id}/activation").get_data(True)
    assert 'data-account="yes"' in page
    token = form_token(agent_client, "/agent/persons/new")
    response = agent_client.post(
        f"/agent/persons/{migrant.person_id}/activation-letter", data={"csrf_token": token}
    )
    assert response.status_code == 409


def test_agents_see_only_their_office(ready_app: Flask, agent_client: FlaskClient) -> None:
    with ready_app.app_context():
        session = db.session()
        office = Office(code="DT-LYON", name="Direction territoriale de Lyon")
        session.add(office)
        session.flush()
        stranger = Person(
            family_name="Diallo",
            given_names="Moussa",
            family_name_normalized="DIALLO",
            given_names_normalized="MOUSSA",
            birth_date="1990",
            office_id=office.id,
        )
        session.add(stranger)
        session.commit()
        stranger_id = stranger.id
    own = make_person(ready_app)
    token = form_token(agent_client, "/agent/persons/new")
    linked = agent_client.post(
        "/agent/persons/new", data={"action": "link", "person_id": str(own), "csrf_token": token}
    )
    assert linked.headers["Location"] == f"/agent/persons/{own}/activation"
    refused = agent_client.post(
        "/agent/persons/new",
        data={"action": "link", "person_id": str(stranger_id), "csrf_token": token},
    )
    assert refused.status_code == 404
    assert agent_client.get(f"/agent/persons/{stranger_id}/activation").status_code == 404
    letter = agent_client.post(
        f"/agent/persons/{stranger_id}/activation-letter", data={"csrf_token": token}
    )
    assert letter.status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", "03/07/1994"),
        ("birth_date", "1994-13-01"),
        ("family_name", "حداد"),
        ("nationality", "SY"),
        ("email", "not an address"),
        ("preferred_language", "de"),
    ],
)
def test_a_wrong_person_form_records_nothing(
    ready_app: Flask, agent_client: FlaskClient, field: str, value: str
) -> None:
    response = create_person(agent_client, **{field: value})
    assert response.status_code == 400
    assert 'class="alert"' in response.get_data(True)
    with ready_app.app_context():
        assert db.session().scalar(select(func.count(Person.id))) == 0


@pytest.mark.parametrize("role", [Role.MIGRANT, Role.LAWYER, Role.PREFECTURE_AGENT])
def test_only_ofii_agents_onboard(ready_app: Flask, role: Role) -> None:
    client = ready_app.test_client()
    sign_in(client, make_account(ready_app, role))
    assert client.get("/agent/persons/new").status_code == 403


def test_the_language_picked_on_the_activation_page_becomes_the_accounts(
    ready_app: Flask, agent_client: FlaskClient
) -> None:
    """The office noted Arabic; the migrant activates with the page switched to English."""
    person_id = person_id_of(create_person(agent_client).headers["Location"])
    code = CODE.search(letter_text_and_qr(print_letter(agent_client, person_id))[0])
    assert code is not None
    migrant = ready_app.test_client()
    assert migrant.get(f"/activate?code={code.group(0)}&lang=en").status_code == 200
    assert activate(migrant, code.group(0), "amina@example.org") == 302
    with ready_app.app_context():
        user = db.session().scalars(select(User).where(User.person_id == person_id)).one()
        assert user.preferred_language == "en"
    page = migrant.get("/my", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
