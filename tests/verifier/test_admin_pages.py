"""Administration on the web: the keys (read only) and the audit log with its chain check."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update

from tests.verifier.test_portal import signed_in
from verifier import audit, db
from verifier.admin_pages import AUDIT_PAGE_SIZE
from verifier.models import AuditEntry, Role


def test_the_keys_page_lists_every_key_and_follows_a_rotation(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    admin, _ = signed_in(ready_app, Role.ADMINISTRATOR)
    page = admin.get("/admin/keys")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    purposes = set(re.findall(r'data-purpose="([a-z-]+)"', text))
    assert {"seal", "document", "timestamp"} <= purposes
    assert 'data-purpose="seal" data-status="active"' in text
    assert "sceau keys" in text  # changes are a command-line act, and the page says so
    assert "<form" not in text.split("</nav>", 2)[-1]  # nothing to submit on this page
    [old_seal] = re.findall(r'data-key="([0-9a-f]{16})" data-purpose="seal"', text)
    result = runner.invoke(args=["keys", "rotate", "--purpose", "seal"])
    assert result.exit_code == 0, result.output
    text = admin.get("/admin/keys").get_data(as_text=True)
    assert f'data-key="{old_seal}" data-purpose="seal" data-status="retired"' in text
    assert len(re.findall(r'data-purpose="seal" data-status="active"', text)) == 1
    english = admin.get("/admin/keys?lang=en").get_data(as_text=True)
    assert "Retired (what it signed stays valid)" in english


def test_only_administrators_see_keys_and_audit(ready_app: Flask) -> None:
    for role in (Role.OFII_AGENT, Role.PREFECTURE_AGENT, Role.LAWYER, Role.MIGRANT):
        client, _ = signed_in(ready_app, role)
        assert client.get("/admin/keys").status_code == 403
        assert client.get("/admin/audit").status_code == 403
    anonymous = ready_app.test_client().get("/admin/audit")
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]


def _append(app: Flask, count: int, action: str) -> None:
    with app.app_context():
        session = db.session()
        for index in range(count):
            audit.append(session, actor="test", action=action, object_id=index)
        session.commit()


def test_the_audit_page_pages_filters_and_checks_the_chain(ready_app: Flask) -> None:
    admin, _ = signed_in(ready_app, Role.ADMINISTRATOR)
    _append(ready_app, AUDIT_PAGE_SIZE + 5, "test.bulk")
    _append(ready_app, 2, "test.rare")
    text = admin.get("/admin/audit").get_data(as_text=True)
    assert 'data-chain="intact"' in text
    seqs = [int(s) for s in re.findall(r'data-seq="(\d+)"', text)]
    assert len(seqs) == AUDIT_PAGE_SIZE
    assert seqs == sorted(seqs, reverse=True)  # newest first
    assert 'rel="next"' in text
    assert '<option value="test.rare">' in text
    rare = admin.get("/admin/audit?action=test.rare").get_data(as_text=True)
    assert set(re.findall(r'data-action="([^"]+)"', rare)) == {"test.rare"}
    assert 'data-total="2"' in rare
    second = admin.get("/admin/audit?action=test.bulk&page=2").get_data(as_text=True)
    assert len(re.findall(r'data-seq="', second)) == 5
    assert 'rel="prev"' in second
    assert "<time datetime=" in second
    for bad in ("page=0", "page=abc", "page=-1", "action=" + "x" * 61):
        assert admin.get(f"/admin/audit?{bad}").status_code == 400
    with ready_app.app_context():
        session = db.session()
        victim = session.scalars(
            select(AuditEntry.seq).where(AuditEntry.action == "test.rare")
        ).first()
        session.execute(
            update(AuditEntry).where(AuditEntry.seq == victim).values(actor="someone else")
        )
        session.commit()
    broken = admin.get("/admin/audit?lang=en").get_data(as_text=True)
    assert 'data-chain="broken"' in broken
    assert f"entry {victim}: content changed after it was written" in broken
