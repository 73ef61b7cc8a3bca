"""Prefecture agents: the paste-a-seal page, and the status history on the seal page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from tests.verifier.conftest import Staff, make_person
from tests.verifier.test_portal import accesses_of, issue_for, post_form, signed_in
from verifier.models import Role
from verifier.tokens import Scope

SECRET_NOTE = "Note interne : signalement de M. Dupont"


def _path(seal_url: str) -> str:
    return urlsplit(seal_url).path


def _revoked_and_superseded(app: Flask, staff: Staff, person_id: int) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """An old certificate replaced by a new one, then the new one revoked."""
    api = app.test_client()
    old = issue_for(api, staff, person_id)
    new = issue_for(api, staff, person_id, supersedes=old["id"])
    revoked = api.post(
        f"/api/v1/certificates/{new['id']}/revoke",
        json={"reason": "fraud", "text": SECRET_NOTE},
        headers=staff.headers(Scope.REVOKE),
    )
    assert revoked.status_code == 200, revoked.get_data(as_text=True)
    return old, new


def test_a_prefecture_agent_sees_the_status_history(ready_app: Flask, staff: Staff) -> None:
    person_id = make_person(ready_app)
    old, new = _revoked_and_superseded(ready_app, staff, person_id)
    agent, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    page = agent.get(_path(old["seal_url"]) + "?lang=en").get_data(as_text=True)
    assert 'data-history="issued"' in page
    assert 'data-history="superseded"' in page
    assert f"Replaced by certificate {new['id']}" in page
    revoked = agent.get(_path(new["seal_url"]) + "?lang=en").get_data(as_text=True)
    assert 'data-history="revoked"' in revoked
    assert 'data-history="replaces"' in revoked
    assert "Revoked. Reason: fraud" in revoked
    assert SECRET_NOTE not in revoked  # never the free text of a revocation
    assert "Dupont" not in revoked
    looks = accesses_of(ready_app, person_id)
    assert [(a.action, a.object_id) for a in looks] == [
        ("verify", old["id"]),
        ("verify", new["id"]),
    ]


def test_anonymous_visitors_and_other_roles_see_no_history(ready_app: Flask, staff: Staff) -> None:
    person_id = make_person(ready_app)
    old, _ = _revoked_and_superseded(ready_app, staff, person_id)
    anonymous = ready_app.test_client().get(_path(old["seal_url"])).get_data(as_text=True)
    assert "data-history" not in anonymous
    lawyer, _ = signed_in(ready_app, Role.LAWYER)
    assert "data-history" not in lawyer.get(_path(old["seal_url"])).get_data(as_text=True)
    assert accesses_of(ready_app, person_id) == []


def test_the_history_shows_on_a_valid_certificate_and_the_holder_sees_the_look(
    ready_app: Flask, staff: Staff
) -> None:
    migrant, me = signed_in(ready_app, Role.MIGRANT)
    assert me.person_id is not None
    made = issue_for(ready_app.test_client(), staff, me.person_id)
    agent, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    page = agent.get(_path(made["seal_url"])).get_data(as_text=True)
    assert 'data-status="valid"' in page
    assert 'data-history="issued"' in page
    assert 'data-history="revoked"' not in page
    log = migrant.get("/my/accesses?lang=en").get_data(as_text=True)
    assert "Prefecture agent" in log
    assert "Préfecture de police" in log
    assert "checked a certificate" in log


def test_the_prefecture_page_takes_a_pasted_seal_url_to_its_page(
    ready_app: Flask, staff: Staff
) -> None:
    person_id = make_person(ready_app)
    made = issue_for(ready_app.test_client(), staff, person_id)
    agent, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    assert agent.get("/prefecture").status_code == 200
    foreign = "https://evil.example" + _path(made["seal_url"])
    moved = post_form(agent, "/prefecture", "/prefecture", {"seal": foreign})
    assert moved.status_code == 303  # type: ignore[attr-defined]
    location = moved.headers["Location"]  # type: ignore[attr-defined]
    assert urlsplit(location).netloc in ("", "localhost")  # this site, never the pasted host
    assert urlsplit(location).path == _path(made["seal_url"])
    wrong = post_form(agent, "/prefecture", "/prefecture", {"seal": "not a seal"})
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "data-error" in wrong.get_data(as_text=True)  # type: ignore[attr-defined]
    assert agent.post("/prefecture", data={"seal": made["seal_url"]}).status_code == 400


def test_the_prefecture_page_is_for_prefecture_agents(ready_app: Flask) -> None:
    assert ready_app.test_client().get("/prefecture").status_code == 302
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    assert agent.get("/prefecture").status_code == 403
    prefecture, _ = signed_in(ready_app, Role.PREFECTURE_AGENT)
    assert prefecture.get("/agent").status_code == 403
