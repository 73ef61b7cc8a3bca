"""Signing in: passwords, the second factor, throttling, CSRF, redirects, sign-out, resets."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pyotp
import pytest
import zxingcpp
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from PIL import Image, ImageDraw
from sqlalchemy import select

from tests.verifier.conftest import PASSWORD, Account, form_token, make_account, sign_in
from verifier import db
from verifier.accounts import THROTTLE_ACCOUNT, THROTTLE_ADDRESS
from verifier.codes import CodePurpose, issue_code
from verifier.db import utcnow
from verifier.i18n import translate
from verifier.models import AuditEntry, OneTimeCode, Role, User

HOMES = {
    Role.MIGRANT: "/my",
    Role.LAWYER: "/lawyer",
    Role.OFII_AGENT: "/agent",
    Role.PREFECTURE_AGENT: "/prefecture",
    Role.ADMINISTRATOR: "/admin",
}
NEW_PASSWORD = "a brand new passphrase 42"


def post_sign_in(
    client: FlaskClient, email: str, password: str, *, path: str = "/sign-in", **environ: str
) -> tuple[int, str, str]:
    token = form_token(client, path)
    response = client.post(
        path,
        data={"email": email, "password": password, "csrf_token": token},
        environ_base=environ,
    )
    return response.status_code, response.headers.get("Location", ""), response.get_data(True)


def is_signed_in(client: FlaskClient) -> bool:
    """The account page answers only a fully signed-in session."""
    return client.get("/account/second-factor").status_code == 200


def wrong_code(account: Account) -> str:
    assert account.totp_secret is not None
    right = pyotp.TOTP(account.totp_secret).now()
    return f"{(int(right) + 500_000) % 1_000_000:06d}"


def audit_actions(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        entries = db.session().scalars(select(AuditEntry).order_by(AuditEntry.seq))
        return [(e.action, e.object_id, e.details) for e in entries]


# ----------------------------------------------------------------------------- the helper


@pytest.mark.parametrize("role", list(Role))
def test_every_role_signs_in_and_lands_on_its_home(
    ready_app: Flask, client: FlaskClient, role: Role
) -> None:
    account = make_account(ready_app, role)
    assert (account.totp_secret is not None) is role.is_staff
    sign_in(client, account)
    assert is_signed_in(client)
    code, location, _ = post_sign_in(client.application.test_client(), account.email, "x" * 12)
    assert code == 401
    assert not location
    # Signing in again from the signed-in session goes home at once.
    assert client.get("/sign-in").headers["Location"] == HOMES[role]
    actions = audit_actions(ready_app)
    assert (
        "auth.sign-in",
        str(account.id),
        f'{{"second_factor": {str(role.is_staff).lower()}}}',
    ) in actions
    with ready_app.app_context():
        assert db.session().get(User, account.id).last_sign_in_at is not None  # type: ignore[union-attr]


def test_after_the_password_a_staff_session_is_only_half_signed_in(
    ready_app: Flask, client: FlaskClient
) -> None:
    agent = make_account(ready_app, Role.OFII_AGENT)
    code, location, _ = post_sign_in(client, agent.email, PASSWORD)
    assert (code, location) == (302, "/sign-in/code")
    assert not is_signed_in(client)
    assert client.get("/agent/persons/new").headers["Location"].startswith("/sign-in")


# ----------------------------------------------------------------------------- passwords


def test_unknown_address_and_wrong_password_read_the_same(
    ready_app: Flask, client: FlaskClient
) -> None:
    account = make_account(ready_app, Role.LAWYER)
    wrong = post_sign_in(client, account.email, "not the password at all")
    unknown = post_sign_in(client, "nobody@example.org", PASSWORD)
    assert wrong[0] == unknown[0] == 401
    message = str(escape(translate("auth-failed", lang="fr")))
    assert message in wrong[2]
    assert message in unknown[2]
    assert not is_signed_in(client)


def test_failures_are_audited_without_address_or_password(
    ready_app: Flask, client: FlaskClient
) -> None:
    account = make_account(ready_app, Role.LAWYER)
    post_sign_in(client, account.email, "not the password at all")
    post_sign_in(client, "nobody@example.org", "another guess!!")
    failed = [e for e in audit_actions(ready_app) if e[0] == "auth.sign-in-failed"]
    assert [object_id for _, object_id, _ in failed] == [str(account.id), ""]
    flat = repr(failed)
    assert account.email not in flat
    assert "nobody" not in flat
    assert "guess" not in flat


def test_a_disabled_account_is_refused(ready_app: Flask, client: FlaskClient) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    with ready_app.app_context():
        db.session().get(User, account.id).disabled_at = utcnow()  # type: ignore[union-attr]
        db.session().commit()
    code, location, _page = post_sign_in(client, account.email, PASSWORD)
    assert code == 403
    assert not location
    assert not is_signed_in(client)


def test_an_old_hash_is_upgraded_at_sign_in(ready_app: Flask, client: FlaskClient) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with ready_app.app_context():
        db.session().get(User, account.id).password_hash = weak  # type: ignore[union-attr]
        db.session().commit()
    sign_in(client, account)
    with ready_app.app_context():
        stored = db.session().get(User, account.id).password_hash  # type: ignore[union-attr]
    assert stored != weak
    assert stored is not None
    assert "m=65536" in stored


# ----------------------------------------------------------------------------- throttling


def test_the_sixth_attempt_on_one_account_is_throttled_even_with_the_right_password(
    ready_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    for _ in range(THROTTLE_ACCOUNT):
        assert post_sign_in(client, account.email, "wrong password 123")[0] == 401
    checked: list[str] = []
    monkeypatch.setattr("verifier.auth_pages.check_password", lambda *a: checked.append("x"))
    code, location, page = post_sign_in(client, account.email, PASSWORD)
    assert code == 429
    assert not location
    assert str(escape(translate("throttled", lang="fr"))) in page
    assert checked == []  # no password is even checked while throttled
    assert not is_signed_in(client)


def test_one_address_failing_on_many_accounts_is_throttled(
    ready_app: Flask, client: FlaskClient
) -> None:
    account = make_account(ready_app, Role.LAWYER)
    for index in range(THROTTLE_ADDRESS):
        assert post_sign_in(client, f"guess{index}@example.org", "wrong password")[0] == 401
    assert post_sign_in(client, account.email, PASSWORD)[0] == 429
    # The account itself is not locked: from another address, its owner signs in.
    other = ready_app.test_client()
    code, location, _ = post_sign_in(other, account.email, PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert (code, location) == (302, "/lawyer")


# ----------------------------------------------------------------------------- second factor


def test_a_code_works_once_and_a_wrong_one_is_refused(
    ready_app: Flask, client: FlaskClient
) -> None:
    agent = make_account(ready_app, Role.PREFECTURE_AGENT)
    sign_in(client, agent)
    used = pyotp.TOTP(agent.totp_secret or "").at(agent._last_step * 30)
    client.post("/sign-out", data={"csrf_token": form_token(client, "/account/second-factor")})
    assert not is_signed_in(client)
    assert post_sign_in(client, agent.email, PASSWORD)[1] == "/sign-in/code"
    token = form_token(client, "/sign-in/code")
    again = client.post("/sign-in/code", data={"code": used, "csrf_token": token})
    assert again.status_code == 401
    wrong = client.post("/sign-in/code", data={"code": wrong_code(agent), "csrf_token": token})
    assert wrong.status_code == 401
    assert str(escape(translate("auth-code-wrong", lang="fr"))) in wrong.get_data(True)
    assert not is_signed_in(client)
    right = client.post("/sign-in/code", data={"code": agent.next_code(), "csrf_token": token})
    assert right.headers["Location"] == "/prefecture"


def test_wrong_codes_count_towards_throttling(ready_app: Flask, client: FlaskClient) -> None:
    admin = make_account(ready_app, Role.ADMINISTRATOR)
    post_sign_in(client, admin.email, PASSWORD)
    token = form_token(client, "/sign-in/code")
    for _ in range(THROTTLE_ACCOUNT):
        response = client.post(
            "/sign-in/code", data={"code": wrong_code(admin), "csrf_token": token}
        )
        assert response.status_code == 401
    response = client.post("/sign-in/code", data={"code": admin.next_code(), "csrf_token": token})
    assert response.status_code == 429
    assert not is_signed_in(client)


def _qr_text(data_uri: str) -> str:
    """Decode the enrolment QR code from its SVG, the way a phone reads the screen."""
    svg = base64.b64decode(data_uri.split(",", 1)[1]).decode("ascii")
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle((left, top, left + scale - 1, top + scale - 1), fill=0)
    (found,) = zxingcpp.read_barcodes(image)
    return found.text


def test_staff_without_a_second_factor_must_enrol_before_anything(
    ready_app: Flask, client: FlaskClient
) -> None:
    agent = make_account(ready_app, Role.OFII_AGENT, totp=False)
    code, location, _ = post_sign_in(client, agent.email, PASSWORD)
    assert (code, location) == (302, "/sign-in/enrol")
    assert not is_signed_in(client)
    assert client.get("/agent/persons/new").headers["Location"].startswith("/sign-in")
    assert client.get("/sign-in/code").headers["Location"] == "/sign-in/enrol"
    page = client.get("/sign-in/enrol").get_data(True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    qr = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', page).group(1)  # type: ignore[union-attr]
    uri = _qr_text(qr)
    assert uri.startswith("otpauth://totp/")
    assert f"secret={secret}" in uri
    # A reload shows the same secret (a phone that scanned it keeps working).
    assert secret in client.get("/sign-in/enrol").get_data(True).replace(" ", "")
    agent.totp_secret = secret
    token = form_token(client, "/sign-in/enrol")
    refused = client.post("/sign-in/enrol", data={"code": wrong_code(agent), "csrf_token": token})
    assert refused.status_code == 401
    done = client.post("/sign-in/enrol", data={"code": agent.next_code(), "csrf_token": token})
    assert done.headers["Location"] == "/agent"
    assert is_signed_in(client)
    assert client.get("/agent/persons/new").status_code == 200
    assert "auth.totp-enrol" in [a for a, _, _ in audit_actions(ready_app)]
    # From now on the code is asked at every sign-in.
    other = ready_app.test_client()
    sign_in(other, agent)


def test_a_migrant_may_turn_on_a_second_factor(ready_app: Flask, client: FlaskClient) -> None:
    migrant = make_account(ready_app, Role.MIGRANT)
    sign_in(client, migrant)
    page = client.get("/account/second-factor").get_data(True)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    migrant.totp_secret = secret
    token = form_token(client, "/account/second-factor")
    response = client.post(
        "/account/second-factor", data={"code": migrant.next_code(), "csrf_token": token}
    )
    assert 'data-second-factor="on"' in response.get_data(True)
    sign_in(ready_app.test_client(), migrant)  # now asks for the code


# ----------------------------------------------------------------------------- forms, redirects


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in",
        "/sign-in/code",
        "/sign-in/enrol",
        "/sign-out",
        "/account/second-factor",
        "/password/forgot",
        "/password/reset",
        "/activate",
        "/agent/persons/new",
        "/agent/persons/1/activation-letter",
    ],
)
def test_a_form_posted_without_its_csrf_token_is_refused(
    ready_app: Flask, client: FlaskClient, path: str
) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    response = client.post(path, data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 400
    assert 'data-error="csrf-failed"' in response.get_data(True)
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_leading_off_the_site_is_ignored(
    ready_app: Flask, client: FlaskClient, target: str
) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    token = form_token(client, "/sign-in")
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": account.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/my"


def test_next_on_the_site_is_followed_through_the_second_factor(
    ready_app: Flask, client: FlaskClient
) -> None:
    agent = make_account(ready_app, Role.OFII_AGENT)
    page = client.get("/sign-in?next=/agent/persons/new").get_data(True)
    assert "next=/agent/persons/new" in page.replace("%2F", "/")
    token = form_token(client, "/sign-in")
    client.post(
        "/sign-in?next=/agent/persons/new",
        data={"email": agent.email, "password": PASSWORD, "csrf_token": token},
    )
    token = form_token(client, "/sign-in/code")
    done = client.post("/sign-in/code", data={"code": agent.next_code(), "csrf_token": token})
    assert done.headers["Location"] == "/agent/persons/new"


def test_a_protected_page_sends_to_sign_in_and_back(ready_app: Flask, client: FlaskClient) -> None:
    response = client.get("/agent/persons/new")
    assert response.headers["Location"] == "/sign-in?next=/agent/persons/new"


def test_signing_out_ends_the_session(ready_app: Flask, client: FlaskClient) -> None:
    account = make_account(ready_app, Role.LAWYER)
    sign_in(client, account)
    token = form_token(client, "/account/second-factor")
    assert client.post("/sign-out", data={"csrf_token": token}).headers["Location"] == "/"
    assert not is_signed_in(client)
    assert "auth.sign-out" in [a for a, _, _ in audit_actions(ready_app)]


# ----------------------------------------------------------------------------- password reset


def reset_code(app: Flask, account: Account) -> str:
    with app.app_context():
        _, code = issue_code(db.session(), CodePurpose.PASSWORD_RESET, user_id=account.id)
        db.session().commit()
    return code


def post_reset(client: FlaskClient, code: str, password: str, again: str | None = None) -> int:
    token = form_token(client, "/password/forgot")
    response = client.post(
        "/password/reset",
        data={
            "code": code,
            "password": password,
            "password_again": password if again is None else again,
            "csrf_token": token,
        },
    )
    return response.status_code


def test_a_reset_ends_every_other_session_and_works_once(ready_app: Flask) -> None:
    account = make_account(ready_app, Role.MIGRANT)
    elsewhere, here = ready_app.test_client(), ready_app.test_client()
    sign_in(elsewhere, account)
    code = reset_code(ready_app, account)
    assert here.get(f"/password/reset?code={code}").status_code == 200
    assert post_reset(here, code, NEW_PASSWORD, "something else entirely") == 400
    assert post_reset(here, code, "short") == 400
    assert post_reset(here, code, NEW_PASSWORD) == 200
    assert not is_signed_in(elsewhere)
    assert post_sign_in(here, account.email, PASSWORD)[0] == 401
    account.password = NEW_PASSWORD
    sign_in(here, account)
    # The code is used up.
    assert ready_app.test_client().get(f"/password/reset?code={code}").status_code == 410
    assert post_reset(ready_app.test_client(), code, "yet another passphrase 7") == 410
    assert "auth.password-reset" in [a for a, _, _ in audit_actions(ready_app)]


def test_an_expired_reset_code_is_refused(ready_app: Flask, client: FlaskClient) -> None:
    account = make_account(ready_app, Role.LAWYER)
    code = reset_code(ready_app, account)
    with ready_app.app_context():
        session = db.session()
        row = session.scalars(select(OneTimeCode).where(OneTimeCode.user_id == account.id)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
    response = client.get(f"/password/reset?code={code}")
    assert response.status_code == 410
    assert 'data-error="code-invalid"' in response.get_data(True)
    assert post_reset(client, code, NEW_PASSWORD) == 410
    assert post_sign_in(client, account.email, PASSWORD)[0] == 302
