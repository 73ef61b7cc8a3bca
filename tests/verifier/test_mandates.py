"""Lawyer mandates: granted by the migrant, checked at every request, revoked at once."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from tests.verifier.conftest import Staff, make_account
from tests.verifier.test_portal import accesses_of, grant, issue_for, post_form, signed_in
from verifier import db
from verifier.models import AuditEntry, Mandate, Role
from verifier.portal_pages import one_year_after


def _mandates(app: Flask, person_id: int) -> list[Mandate]:
    with app.app_context():
        return list(db.session().scalars(select(Mandate).where(Mandate.person_id == person_id)))


def _grant_form(
    lawyer_email: str, ends_on: date, scopes: tuple[str, ...] = ()
) -> dict[str, object]:
    return {"lawyer_email": lawyer_email, "ends_on": ends_on.isoformat(), "scopes": list(scopes)}


def test_a_migrant_grants_a_mandate_through_the_form(ready_app: Flask) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    lawyer = make_account(ready_app, Role.LAWYER)
    ends_on = date.today() + timedelta(days=90)
    form = _grant_form(lawyer.email.upper(), ends_on, ("packs",))
    done = post_form(client, "/my/mandates", "/my/mandates", form)
    assert done.status_code == 303  # type: ignore[attr-defined]
    (mandate,) = _mandates(ready_app, me.person_id or 0)
    assert mandate.lawyer_id == lawyer.id
    assert mandate.scope_set == {"read", "packs"}  # read is always included
    assert mandate.ends_on == ends_on
    page = client.get("/my/mandates?lang=en").get_data(as_text=True)
    assert 'data-state="active"' in page
    assert "read the file, build evidence packs" in page
    with ready_app.app_context():
        actions = set(db.session().scalars(select(AuditEntry.action)))
    assert "mandate.grant" in actions


def test_the_grant_form_refuses_wrong_input(ready_app: Flask) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    lawyer = make_account(ready_app, Role.LAWYER)
    agent = make_account(ready_app, Role.OFII_AGENT)
    today = date.today()
    wrong = [
        _grant_form("nobody@example.org", today + timedelta(days=10)),
        _grant_form(agent.email, today + timedelta(days=10)),  # not a lawyer
        _grant_form(lawyer.email, today),  # not in the future
        _grant_form(lawyer.email, one_year_after(today) + timedelta(days=1)),  # over a year
        {"lawyer_email": lawyer.email, "ends_on": "soon"},
    ]
    for form in wrong:
        refused = post_form(client, "/my/mandates", "/my/mandates", form)
        assert refused.status_code == 400, form  # type: ignore[attr-defined]
        assert "data-error" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    assert _mandates(ready_app, me.person_id or 0) == []
    no_token = client.post(
        "/my/mandates", data=_grant_form(lawyer.email, today + timedelta(days=9))
    )
    assert no_token.status_code == 400
    assert _mandates(ready_app, me.person_id or 0) == []


def test_a_second_live_mandate_to_the_same_lawyer_is_refused(ready_app: Flask) -> None:
    client, me = signed_in(ready_app, Role.MIGRANT)
    lawyer = make_account(ready_app, Role.LAWYER)
    form = _grant_form(lawyer.email, date.today() + timedelta(days=10))
    assert post_form(client, "/my/mandates", "/my/mandates", form).status_code == 303  # type: ignore[attr-defined]
    again = post_form(client, "/my/mandates", "/my/mandates", form)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert len(_mandates(ready_app, me.person_id or 0)) == 1


def test_a_lawyer_without_a_mandate_is_refused(ready_app: Flask, staff: Staff) -> None:
    _, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    made = issue_for(ready_app.test_client(), staff, me.person_id)
    lawyer, _ = signed_in(ready_app, Role.LAWYER)
    assert lawyer.get(f"/lawyer/clients/{me.person_id}").status_code == 404
    pdf = lawyer.get(f"/lawyer/clients/{me.person_id}/certificates/{made['id']}/pdf")
    assert pdf.status_code == 404
    assert f'data-client="{me.person_id}"' not in lawyer.get("/lawyer").get_data(as_text=True)
    assert accesses_of(ready_app, me.person_id) == []


def test_a_mandated_lawyer_reads_and_the_migrant_sees_it(ready_app: Flask, staff: Staff) -> None:
    migrant, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    made = issue_for(ready_app.test_client(), staff, me.person_id)
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, me.person_id, account.id)
    assert f'data-client="{me.person_id}"' in lawyer.get("/lawyer").get_data(as_text=True)
    page = lawyer.get(f"/lawyer/clients/{me.person_id}")
    assert page.status_code == 200
    assert f'data-certificate="{made["id"]}"' in page.get_data(as_text=True)
    pdf = lawyer.get(f"/lawyer/clients/{me.person_id}/certificates/{made['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    assert sorted(a.action for a in accesses_of(ready_app, me.person_id)) == ["download", "view"]
    log = migrant.get("/my/accesses?lang=en").get_data(as_text=True)
    assert "Test lawyer (Paris bar, P0001)" in log
    assert "downloaded a certificate" in log
    assert "opened the file" in log


def test_a_revoked_mandate_is_refused_on_the_next_request(ready_app: Flask, staff: Staff) -> None:
    migrant, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    made = issue_for(ready_app.test_client(), staff, me.person_id)
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    mandate_id = grant(ready_app, me.person_id, account.id)
    assert lawyer.get(f"/lawyer/clients/{me.person_id}").status_code == 200
    revoked = post_form(migrant, "/my/mandates", f"/my/mandates/{mandate_id}/revoke", {})
    assert revoked.status_code == 303  # type: ignore[attr-defined]
    assert lawyer.get(f"/lawyer/clients/{me.person_id}").status_code == 404
    pdf = lawyer.get(f"/lawyer/clients/{me.person_id}/certificates/{made['id']}/pdf")
    assert pdf.status_code == 404
    assert f'data-client="{me.person_id}"' not in lawyer.get("/lawyer").get_data(as_text=True)
    page = migrant.get("/my/mandates").get_data(as_text=True)
    assert 'data-state="revoked"' in page
    assert f"/my/mandates/{mandate_id}/revoke" not in page
    with ready_app.app_context():
        actions = list(db.session().scalars(select(AuditEntry.action)))
    assert actions.count("mandate.revoke") == 1


def test_revoking_without_the_csrf_token_is_refused(ready_app: Flask) -> None:
    migrant, me = signed_in(ready_app, Role.MIGRANT)
    lawyer = make_account(ready_app, Role.LAWYER)
    mandate_id = grant(ready_app, me.person_id or 0, lawyer.id)
    assert migrant.post(f"/my/mandates/{mandate_id}/revoke").status_code == 400
    forged = migrant.post(f"/my/mandates/{mandate_id}/revoke", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    (mandate,) = _mandates(ready_app, me.person_id or 0)
    assert mandate.revoked_at is None


def test_an_ended_mandate_is_refused(ready_app: Flask, staff: Staff) -> None:
    _, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    mandate_id = grant(ready_app, me.person_id, account.id)
    assert lawyer.get(f"/lawyer/clients/{me.person_id}").status_code == 200
    with ready_app.app_context():
        session = db.session()
        mandate = session.get(Mandate, mandate_id)
        assert mandate is not None
        mandate.ends_on = date.today() - timedelta(days=1)
        session.commit()
    assert lawyer.get(f"/lawyer/clients/{me.person_id}").status_code == 404
    assert f'data-client="{me.person_id}"' not in lawyer.get("/lawyer").get_data(as_text=True)


def test_a_mandate_covers_one_person_only(ready_app: Flask, staff: Staff) -> None:
    _, me = signed_in(ready_app, Role.MIGRANT)
    _, other = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    assert other.person_id is not None
    theirs = issue_for(ready_app.test_client(), staff, other.person_id)
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, me.person_id, account.id)
    assert lawyer.get(f"/lawyer/clients/{other.person_id}").status_code == 404
    # another person's certificate through my client's file: not found either
    crossed = lawyer.get(f"/lawyer/clients/{me.person_id}/certificates/{theirs['id']}/pdf")
    assert crossed.status_code == 404


def test_the_mandate_page_shows_the_form_with_its_limits(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    page = client.get("/my/mandates").get_data(as_text=True)
    today = date.today()
    assert re.search(rf'min="{(today + timedelta(days=1)).isoformat()}"', page)
    assert 'name="csrf_token"' in page


def test_a_mandate_may_last_exactly_one_year(ready_app: Flask) -> None:
    client, _ = signed_in(ready_app, Role.MIGRANT)
    lawyer = make_account(ready_app, Role.LAWYER)
    form = _grant_form(lawyer.email, one_year_after(date.today()))
    assert post_form(client, "/my/mandates", "/my/mandates", form).status_code == 303  # type: ignore[attr-defined]
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert one_year_after(date(2027, 3, 1)) == date(2028, 3, 1)
