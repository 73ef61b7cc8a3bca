"""The command line of the service: issue, revoke, verify, demo, tokens, gc."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, text

from bundles.certificate.samples import sample_document
from signing.seal import CertificateType
from verifier import Settings, db
from verifier.instance import blob_store
from verifier.models import Certificate

TWO_HOURS = 7200


def _field_args(details: dict[str, Any]) -> list[str]:
    """``--field key=value`` arguments as a person would type them; a list repeats its key."""
    args: list[str] = []
    for key, value in details.items():
        if isinstance(value, datetime):
            values = [value.isoformat(timespec="minutes")]
        elif isinstance(value, date):
            values = [value.isoformat()]
        elif isinstance(value, str | int):
            values = [str(value)]
        else:
            values = list(value)
        args += [arg for item in values for arg in ("--field", f"{key}={item}")]
    return args


def issue_args(kind: CertificateType, out: Path, *extra: str) -> list[str]:
    document = sample_document(kind)
    claims = document.claims
    args = [
        "issue",
        "--type",
        str(kind),
        "--family-name",
        claims.family_name,
        "--given-names",
        claims.given_names,
        "--birth-date",
        str(claims.birth_date),
        "--nationality",
        "SEN",
        "--foreigner-number",
        "7501234567",
        "--out",
        str(out),
        *_field_args(dict(document.details)),
    ]
    if claims.valid_until is not None:
        args += ["--valid-until", claims.valid_until.isoformat()]
    return args + list(extra)


def _changed(args: list[str], option: str, value: str) -> list[str]:
    """``args`` with ``option`` set to ``value`` (a --field replaces the one of the same key)."""
    for index, arg in enumerate(args[:-1]):
        same_field = option == "--field" and args[index + 1].startswith(value.split("=")[0] + "=")
        if arg == option and (option != "--field" or same_field):
            return [*args[: index + 1], value, *args[index + 2 :]]
    return [*args, option, value]


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def _json(result: Result) -> Any:
    return json.loads(result.stdout)


def _issue(runner: FlaskCliRunner, out: Path, kind: CertificateType) -> dict[str, Any]:
    result = runner.invoke(args=[*issue_args(kind, out), "--json"])
    assert result.exit_code == 0, result.output
    issued: dict[str, Any] = _json(result)
    return issued


def _blob_path(settings: Settings, key: str) -> Path:
    return settings.blobs_path / key[:2] / key[2:4] / key


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


# --- issue and verify -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CertificateType))
def test_issue_every_type_then_verify_its_seal_and_its_pdf(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path, kind: CertificateType
) -> None:
    out = tmp_path / f"{kind}.pdf"
    issued = _issue(runner, out, kind)
    assert issued["type"] == str(kind)
    assert issued["status"] == "valid"
    assert "foreigner_number" not in json.dumps(issued)
    assert out.read_bytes().startswith(b"%PDF-")

    by_seal = runner.invoke(args=["verify", issued["seal_url"], "--json"])
    assert by_seal.exit_code == 0, by_seal.output
    assert _json(by_seal)["status"] == "valid"
    assert _json(by_seal)["certificate"]["id"] == issued["id"]

    by_pdf = runner.invoke(args=["verify", str(out), "--json"])
    assert by_pdf.exit_code == 0, by_pdf.output
    check = _json(by_pdf)
    assert (check["match"], check["status"]) == ("exact-match", "valid")
    assert check["certificate"]["id"] == issued["id"]


def test_issue_prints_a_human_summary_and_repeated_fields_make_a_list(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=issue_args(CertificateType.CIVIC_TRAINING, tmp_path / "c.pdf"))
    assert result.exit_code == 0, result.output
    assert "civic-training" in result.output
    assert "seal URL:" in result.output
    with ready_app.app_context():
        certificate = db.session().scalars(select(Certificate)).one()
        assert isinstance(certificate.details["days_attended"], list)
        assert len(certificate.details["days_attended"]) == 4


def test_issue_supersedes_keeps_the_holder(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first = _issue(runner, tmp_path / "1.pdf", CertificateType.MEDICAL_VISIT)
    result = runner.invoke(
        args=[
            "issue",
            "--type",
            "medical-visit",
            "--supersedes",
            first["id"],
            "--field",
            "visit_date=2026-01-05",
            "--field",
            "place=OFII, Lyon",
            "--out",
            str(tmp_path / "2.pdf"),
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    second = _json(result)
    assert second["supersedes"] == first["id"]
    assert second["person_id"] == first["person_id"]
    old = runner.invoke(args=["verify", first["seal_url"], "--json"])
    assert old.exit_code == 1
    assert _json(old)["status"] == "superseded"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--type", "no-such-type"], "'--type'"),
        (["--birth-date", "1990-13-01"], "--birth-date"),
        (["--field", "visit_date=2026-02-30"], "--field visit_date: no such date"),
        (["--valid-until", "next year"], "--valid-until"),
        (["--office", "DT-NOWHERE"], "no office DT-NOWHERE"),
        (["--nationality", "Senegal"], "--nationality"),
        (["--field", "colour=blue"], "unknown field(s) colour"),
        (["--field", "novalue"], "is not key=value"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(
    ready_app: Flask,
    runner: FlaskCliRunner,
    settings: Settings,
    tmp_path: Path,
    change: list[str],
    message: str,
) -> None:
    out = tmp_path / "never.pdf"
    result = runner.invoke(args=_changed(issue_args(CertificateType.MEDICAL_VISIT, out), *change))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not _files(settings.blobs_path)
    with ready_app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_missing_required_field_exits_2_and_writes_nothing(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "never.pdf"
    args = issue_args(CertificateType.MEDICAL_VISIT, out)
    place = args.index("--field", args.index("--field") + 1)
    del args[place : place + 2]
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert "missing field(s) place" in result.output
    assert not out.exists()
    with ready_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Certificate)) == 0


def test_office_is_required_when_there_are_several(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0  # adds DT-LYON
    out = tmp_path / "c.pdf"
    result = runner.invoke(args=issue_args(CertificateType.MEDICAL_VISIT, out))
    assert result.exit_code == 2
    assert "--office" in result.output
    assert not out.exists()
    args = [*issue_args(CertificateType.MEDICAL_VISIT, out), "--office", "DT-LYON", "--json"]
    lyon = runner.invoke(args=args)
    assert lyon.exit_code == 0, lyon.output
    assert _json(lyon)["office"] == "DT-LYON"


# --- revoke -----------------------------------------------------------------------------------


def test_revoke_then_verify_says_revoked(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "c.pdf"
    issued = _issue(runner, out, CertificateType.LANGUAGE_TRAINING)
    revoked = runner.invoke(
        args=["revoke", issued["id"], "--reason", "fraud", "--text", "forged", "--json"]
    )
    assert revoked.exit_code == 0, revoked.output
    assert _json(revoked)["revocation"]["reason"] == "fraud"
    assert _json(revoked)["status"] == "revoked"

    by_seal = runner.invoke(args=["verify", issued["seal_url"]])
    assert by_seal.exit_code == 1
    assert by_seal.output.startswith("revoked")
    by_pdf = runner.invoke(args=["verify", str(out), "--json"])
    assert by_pdf.exit_code == 1
    assert (_json(by_pdf)["match"], _json(by_pdf)["status"]) == ("exact-match", "revoked")

    again = runner.invoke(args=["revoke", issued["id"], "--reason", "fraud"])
    assert again.exit_code == 1
    assert "already revoked" in again.output


def test_revoke_unknown_certificate_or_reason(ready_app: Flask, runner: FlaskCliRunner) -> None:
    unknown = runner.invoke(args=["revoke", "0" * 24, "--reason", "fraud"])
    assert unknown.exit_code == 1
    assert f"no certificate {'0' * 24}" in unknown.output
    bad_reason = runner.invoke(args=["revoke", "0" * 24, "--reason", "boredom"])
    assert bad_reason.exit_code == 2


# --- verify -----------------------------------------------------------------------------------


def test_verify_malformed_input_exits_2(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(args=["verify", "not a seal"]).exit_code == 2
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    result = runner.invoke(args=["verify", str(junk)])
    assert result.exit_code == 2
    assert "not a seal URL" in result.output


def test_verify_a_modified_pdf_and_a_seal_in_a_text_file(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "c.pdf"
    issued = _issue(runner, out, CertificateType.ASYLUM_RECEPTION)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(out.read_bytes() + b"\n% appended\n")
    result = runner.invoke(args=["verify", str(changed), "--json"])
    assert result.exit_code == 1
    assert _json(result)["match"] == "modified"

    scanned = tmp_path / "scanned.txt"
    scanned.write_text(issued["seal_url"] + "\n")
    from_file = runner.invoke(args=["verify", str(scanned)])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.output.startswith("valid")


# --- demo -------------------------------------------------------------------------------------


def test_demo_lists_every_type_and_status_and_runs_twice(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    first = runner.invoke(args=["demo", "--json"])
    assert first.exit_code == 0, first.output
    report = _json(first)
    assert report["offices"] == ["DT-PARIS", "DT-LYON"]
    assert report["persons"]
    certificates = report["certificates"]
    assert {c["type"] for c in certificates} == {str(kind) for kind in CertificateType}
    assert {c["status"] for c in certificates} == {"valid", "revoked", "superseded", "expired"}
    assert all(c["seal_url"] and len(c["id"]) == 24 for c in certificates)

    second = runner.invoke(args=["demo", "--json"])
    assert second.exit_code == 0, second.output
    assert "already present" in second.output
    assert [c["id"] for c in _json(second)["certificates"]] == [c["id"] for c in certificates]

    human = runner.invoke(args=["demo"])
    assert human.exit_code == 0, human.output
    assert certificates[0]["id"] in human.output

    skipped = runner.invoke(args=["demo", "--if-empty"])
    assert skipped.exit_code == 0, skipped.output
    assert "no demo data added" in skipped.output
    with ready_app.app_context():
        total = db.session().scalar(select(func.count()).select_from(Certificate))
    assert total == len(certificates)


# --- tokens -----------------------------------------------------------------------------------


def test_token_created_on_the_command_line_authenticates_until_revoked(
    ready_app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    issued = _issue(runner, tmp_path / "c.pdf", CertificateType.CONVOCATION)
    created = runner.invoke(
        args=["tokens", "create", "--office", "DT-PARIS", "--scope", "issue", "--label", "desk 3"]
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("sceau_")
    assert "will not be shown again" in created.output

    client = ready_app.test_client()
    url = f"/api/v1/certificates/{issued['id']}"
    answer = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    assert answer.get_json()["id"] == issued["id"]

    listed = runner.invoke(args=["tokens", "list"])
    assert listed.exit_code == 0, listed.output
    assert secret[:12] in listed.output
    assert secret not in listed.output
    assert "desk 3" in listed.output

    with ready_app.app_context():
        rows = db.session().execute(text("SELECT * FROM api_tokens")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert secret not in stored
    assert secret[12:] not in stored

    revoked = runner.invoke(args=["tokens", "revoke", secret[:12]])
    assert revoked.exit_code == 0, revoked.output
    refused = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert runner.invoke(args=["tokens", "revoke", secret[:12]]).exit_code == 1
    assert runner.invoke(args=["tokens", "revoke", "sceau_nope"]).exit_code == 1


def test_token_scopes_and_office_are_checked(ready_app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["tokens", "create", "--scope", "everything"]).exit_code == 2
    assert runner.invoke(args=["tokens", "create"]).exit_code == 2
    no_office = runner.invoke(args=["tokens", "create", "--office", "DT-X", "--scope", "issue"])
    assert no_office.exit_code == 2
    only_office = runner.invoke(args=["tokens", "create", "--scope", "verify"])
    assert only_office.exit_code == 0, only_office.output


# --- gc ---------------------------------------------------------------------------------------


def test_gc_removes_old_orphans_only(
    ready_app: Flask, runner: FlaskCliRunner, settings: Settings, tmp_path: Path
) -> None:
    issued = _issue(runner, tmp_path / "c.pdf", CertificateType.SKILLS_ORIENTATION)
    with ready_app.app_context():
        old_orphan = blob_store().put(b"left by a crashed issuance")
        young_orphan = blob_store().put(b"an issuance in flight")
    referenced = issued["pdf_sha256"]
    _age(_blob_path(settings, old_orphan), TWO_HOURS)
    _age(_blob_path(settings, referenced), TWO_HOURS)

    dry = runner.invoke(args=["gc", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert old_orphan in dry.output
    assert "1 orphan blob(s) would be removed" in dry.output
    assert _blob_path(settings, old_orphan).exists()

    result = runner.invoke(args=["gc"])
    assert result.exit_code == 0, result.output
    assert "1 orphan blob(s) removed" in result.output
    assert not _blob_path(settings, old_orphan).exists()
    assert _blob_path(settings, young_orphan).exists()
    assert _blob_path(settings, referenced).exists()


def test_gc_never_removes_the_pdf_of_an_issued_certificate(
    ready_app: Flask, runner: FlaskCliRunner, settings: Settings, tmp_path: Path
) -> None:
    issued = [
        _issue(runner, tmp_path / f"{kind}.pdf", kind)
        for kind in (CertificateType.MEDICAL_VISIT, CertificateType.LIFE_IN_FRANCE)
    ]
    revoked = runner.invoke(args=["revoke", issued[0]["id"], "--reason", "other"])
    assert revoked.exit_code == 0, revoked.output
    for certificate in issued:
        _age(_blob_path(settings, certificate["pdf_sha256"]), TWO_HOURS)

    result = runner.invoke(args=["gc", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "0 orphan blob(s) removed" in result.output
    for certificate in issued:
        assert _blob_path(settings, certificate["pdf_sha256"]).exists()
        verdict = runner.invoke(args=["verify", str(tmp_path / f"{certificate['type']}.pdf")])
        assert verdict.exit_code in (0, 1), verdict.output


def test_a_token_acts_for_its_user_and_the_role_limits_its_scopes(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    from tests.verifier.conftest import make_account
    from verifier.models import Role

    agent = make_account(ready_app, Role.PREFECTURE_AGENT)
    refused = runner.invoke(args=["tokens", "create", "--user", agent.email, "--scope", "issue"])
    assert refused.exit_code == 2
    assert "cannot hold a token for issue" in refused.output
    made = runner.invoke(args=["tokens", "create", "--user", agent.email, "--scope", "verify"])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    client = ready_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    answer = client.post("/api/v1/verify/batch", json={"seals": ["x"]}, headers=auth)
    assert answer.status_code == 200
    issue = client.post("/api/v1/certificates", json={}, headers={**auth, "Idempotency-Key": "k"})
    assert issue.status_code == 403
    runner.invoke(args=["users", "disable", agent.email])
    assert (
        client.post("/api/v1/verify/batch", json={"seals": ["x"]}, headers=auth).status_code == 401
    )


def test_every_demo_seal_is_genuine(ready_app: Flask, runner: FlaskCliRunner) -> None:
    """Demo data must verify: a seal dated before the instance's key would be "not genuine"."""
    made = runner.invoke(args=["demo", "--json"])
    assert made.exit_code == 0, made.output
    client = ready_app.test_client()
    statuses = set()
    for certificate in json.loads(made.output)["certificates"]:
        verdict = client.post("/api/v1/verify", json={"seal": certificate["seal_url"]}).get_json()
        assert verdict["genuine"], (certificate["type"], verdict["reasons"])
        statuses.add(verdict["status"])
    assert statuses == {"valid", "revoked", "superseded", "expired"}


def test_gc_removes_jobs_finished_long_ago_and_keeps_the_rest(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    from verifier import db
    from verifier.models import Job, JobState

    now = datetime.now(UTC)
    with ready_app.app_context():
        session = db.session()
        session.add_all(
            [
                Job(kind="mail", state=JobState.DONE, finished_at=now - timedelta(days=40)),
                Job(kind="mail", state=JobState.FAILED, finished_at=now - timedelta(days=31)),
                Job(kind="mail", state=JobState.DONE, finished_at=now - timedelta(days=2)),
                Job(kind="mail", state=JobState.QUEUED),
                Job(kind="mail", state=JobState.RUNNING),
            ]
        )
        session.commit()
    dry = runner.invoke(args=["gc", "--dry-run"])
    assert "2 finished job(s) would be removed" in dry.output
    result = runner.invoke(args=["gc"])
    assert result.exit_code == 0, result.output
    assert "2 finished job(s) removed" in result.output
    with ready_app.app_context():
        left = sorted(
            (job.state, job.finished_at is None) for job in db.session().scalars(select(Job))
        )
    assert left == [("done", False), ("queued", True), ("running", True)]
