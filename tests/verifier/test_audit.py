"""The audit log is append-only in fact, not only in intent: `sceau audit verify` finds an
edited entry, a deleted one, and the last ones cut off."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select, update

from verifier import audit, db
from verifier.models import AuditEntry


def _write(app: Flask, count: int) -> None:
    with app.app_context():
        session = db.session()
        for index in range(count):
            audit.append(
                session,
                actor="user:1",
                action="certificate.issue",
                object_type="certificate",
                object_id=f"{index:024x}",
                details={"type": "civic-training", "n": index},
            )
            session.commit()


def _verify(runner: FlaskCliRunner) -> tuple[int, str]:
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_an_untouched_log_verifies(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _write(ready_app, 5)
    code, output = _verify(runner)
    assert code == 0, output
    assert "intact: 5 entries" in output


def test_an_edited_entry_is_found(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _write(ready_app, 5)
    with ready_app.app_context():
        db.session().execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="user:2"))
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "entry 3: content changed" in output


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    _write(ready_app, 5)
    with ready_app.app_context():
        session = db.session()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == 2)).one()
        entry.details = '{"forged": true}'
        entry.hash = audit.entry_hash(entry.prev_hash, entry)
        session.commit()
    code, output = _verify(runner)
    assert code == 1
    assert "entry 3: does not follow the previous entry" in output


def test_a_deleted_entry_is_found(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _write(ready_app, 5)
    with ready_app.app_context():
        db.session().execute(delete(AuditEntry).where(AuditEntry.seq == 2))
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "entry 2: missing" in output


def test_deleting_the_last_entries_is_found(ready_app: Flask, runner: FlaskCliRunner) -> None:
    _write(ready_app, 5)
    with ready_app.app_context():
        db.session().execute(delete(AuditEntry).where(AuditEntry.seq >= 4))
        db.session().commit()
    code, output = _verify(runner)
    assert code == 1
    assert "the log ends at 3" in output


def test_users_are_created_listed_and_disabled_with_audit_entries(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    made = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "ofii-agent",
            "--email",
            "Agent@OFII.fr",
            "--office",
            "DT-PARIS",
        ]
    )
    assert made.exit_code == 0, made.output
    assert "/password/reset?code=" in made.output
    refused = runner.invoke(
        args=["users", "create", "--role", "ofii-agent", "--email", "x@ofii.fr"]
    )
    assert refused.exit_code == 2
    assert "--office" in refused.output
    listed = runner.invoke(args=["users", "list"])
    assert "agent@ofii.fr" in listed.output
    assert runner.invoke(args=["users", "disable", "agent@ofii.fr"]).exit_code == 0
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    code, output = _verify(runner)
    assert code == 0, output
    with ready_app.app_context():
        actions = db.session().scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions[-2:] == ["user.create", "user.disable"]
