"""Issue 8's acceptance for keys: after `sceau keys rotate`, certificates of both keys verify;
after `sceau keys revoke OLD`, the old ones say "not trusted" with the reason, online (page,
API, CLI) and offline, while the new key's stay valid. And the trust lists a verifier is given
are judged: forged, rolled back, expired beyond grace -> refused; stale within grace -> warned.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from signing.keys import KeyPurpose, KeyStatus
from signing.trust import TrustList, key_fingerprint
from signing.trust_publisher import TrustListPublisher
from tests.verifier.conftest import Staff, issue_body
from verifier import db
from verifier.config import settings_of
from verifier.keys import open_key_store
from verifier.models import AuditEntry
from verifier.tokens import Scope

REASON = "seal key copied to a stolen laptop"


def _issue(ready_app: Flask, staff: Staff, key: str) -> dict[str, Any]:
    response = ready_app.test_client().post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": key}),
    )
    assert response.status_code == 201, response.get_json()
    found: dict[str, Any] = response.get_json()
    return found


def _api(ready_app: Flask, seal_url: str) -> dict[str, Any]:
    response = ready_app.test_client().post("/api/v1/verify", json={"seal": seal_url})
    assert response.status_code == 200, response.get_json()
    found: dict[str, Any] = response.get_json()
    return found


def _page(ready_app: Flask, seal_url: str) -> str:
    path = "/V/" + seal_url.rsplit("/", 1)[1]
    response = ready_app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _export(runner: FlaskCliRunner, path: Path) -> Path:
    result = runner.invoke(args=["trust", "export", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _offline(runner: FlaskCliRunner, anchor: Path, trust: Path, what: str, *extra: str) -> Any:
    return runner.invoke(
        args=[
            "verify",
            "--offline",
            "--trust",
            str(trust),
            "--anchor",
            str(anchor),
            *extra,
            what,
        ]
    )


@pytest.fixture
def cut_network(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it, and any attempt to open a socket fails the test: offline means offline.
    (Issuing, before, needs sockets: asyncio's loop in pyHanko's signer uses a socketpair.)"""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline verification tried to use the network")

    def cut() -> None:
        monkeypatch.setattr(socket, "socket", refuse)
        monkeypatch.setattr(socket, "socketpair", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        monkeypatch.setattr(socket, "getaddrinfo", refuse)

    return cut


def test_rotation_keeps_old_seals_valid_and_revocation_makes_them_not_trusted(
    ready_app: Flask, runner: FlaskCliRunner, staff: Staff, tmp_path: Path
) -> None:
    anchor = tmp_path / "verifier" / "anchor.json"
    old = _issue(ready_app, staff, "lifecycle-a")
    rotated = runner.invoke(args=["keys", "rotate"])
    assert rotated.exit_code == 0, rotated.output
    assert "retired:" in rotated.output
    new = _issue(ready_app, staff, "lifecycle-b")
    assert new["key_id"] != old["key_id"]

    # Both keys' certificates verify, online and offline.
    for certificate in (old, new):
        assert _api(ready_app, certificate["seal_url"])["status"] == "valid"
        assert runner.invoke(args=["verify", certificate["seal_url"]]).exit_code == 0
    before = _export(runner, tmp_path / "before.json")
    for certificate in (old, new):
        result = _offline(runner, anchor, before, certificate["seal_url"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("valid (offline)")
    listed = json.loads(runner.invoke(args=["keys", "list", "--json"]).output)
    statuses = {k["kid"]: k["status"] for k in listed if k["purpose"] == "seal"}
    assert statuses == {old["key_id"]: "retired", new["key_id"]: "active"}

    # Revoking the old key: its certificates are not trusted, with the reason, everywhere.
    revoked = runner.invoke(args=["keys", "revoke", old["key_id"][:8], "--reason", REASON, "--yes"])
    assert revoked.exit_code == 0, revoked.output
    assert "1 certificate(s) sealed by it now verify as not trusted" in revoked.output

    answer = _api(ready_app, old["seal_url"])
    assert answer["status"] == "not-trusted"
    assert answer["genuine"] is False
    assert answer["seal_claims"] is None
    assert answer["signature"]["key_status"] == "revoked"
    assert answer["signature"]["key_reason"] == REASON
    page = _page(ready_app, old["seal_url"])
    assert 'data-status="not-trusted"' in page
    assert REASON in page
    assert "Haddad" not in page
    assert "HADDAD" not in page
    cli = runner.invoke(args=["verify", old["seal_url"]])
    assert cli.exit_code == 1
    assert "not-trusted" in cli.output
    assert REASON in cli.output

    assert _api(ready_app, new["seal_url"])["status"] == "valid"
    assert runner.invoke(args=["verify", new["seal_url"]]).exit_code == 0
    # The register's own answer agrees with the seal's (the staff view, the renewal checklist).
    for certificate, status in ((old, "not-trusted"), (new, "valid")):
        staff_view = ready_app.test_client().get(
            f"/api/v1/certificates/{certificate['id']}", headers=staff.headers(Scope.ISSUE)
        )
        assert staff_view.status_code == 200
        assert staff_view.get_json()["status"] == status

    after = _export(runner, tmp_path / "after.json")
    old_offline = _offline(runner, anchor, after, old["seal_url"])
    assert old_offline.exit_code == 1, old_offline.output
    assert old_offline.output.startswith("not-trusted (offline)")
    assert REASON in old_offline.output
    as_json = json.loads(_offline(runner, anchor, after, old["seal_url"], "--json").output)
    assert as_json["status"] == "not-trusted"
    assert as_json["signature"]["key_reason"] == REASON
    assert as_json["trust_list"]["version"] > json.loads(before.read_text())["version"]
    assert _offline(runner, anchor, after, new["seal_url"]).exit_code == 0

    # The list from before the revocation is now a rollback: refused, so nothing says "valid".
    rolled_back = _offline(runner, anchor, before, old["seal_url"])
    assert rolled_back.exit_code == 2
    assert "older" in rolled_back.output

    with ready_app.app_context():
        actions = db.session().scalars(select(AuditEntry.action)).all()
    assert "key.rotate" in actions
    assert "key.revoke" in actions


def test_a_revocation_asks_for_confirmation_and_cannot_be_repeated_or_undone(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    listed = json.loads(runner.invoke(args=["keys", "list", "--json", "--purpose", "seal"]).output)
    (seal,) = listed
    declined = runner.invoke(args=["keys", "revoke", seal["kid"], "--reason", REASON], input="n\n")
    assert declined.exit_code == 1
    assert "Revoke seal key" in declined.output
    with ready_app.app_context():
        store = open_key_store(settings_of(ready_app))
        assert store.info(bytes.fromhex(seal["kid"])).status is KeyStatus.ACTIVE
    accepted = runner.invoke(args=["keys", "revoke", seal["kid"], "--reason", REASON], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "no active seal key is left" in accepted.output
    again = runner.invoke(args=["keys", "revoke", seal["kid"], "--reason", "again", "--yes"])
    assert again.exit_code == 1
    assert "already revoked" in again.output
    no_reason = runner.invoke(args=["keys", "revoke", seal["kid"], "--yes"])
    assert no_reason.exit_code == 2  # --reason is required


def test_the_last_active_key_is_rotated_not_retired_and_generate_adds_one(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    (seal,) = json.loads(runner.invoke(args=["keys", "list", "--json", "--purpose", "seal"]).output)
    refused = runner.invoke(args=["keys", "retire", seal["kid"]])
    assert refused.exit_code == 1
    assert "keys rotate" in refused.output
    generated = runner.invoke(args=["keys", "generate", "--purpose", "seal"])
    assert generated.exit_code == 0, generated.output
    retired = runner.invoke(args=["keys", "retire", seal["kid"], "--reason", "replaced"])
    assert retired.exit_code == 0, retired.output
    assert "retired" in retired.output
    unknown = runner.invoke(args=["keys", "retire", "ffffffff"])
    assert unknown.exit_code == 1


@pytest.mark.parametrize("purpose", ["document", "timestamp"])
def test_rotating_a_signing_key_certifies_the_new_one_and_the_service_uses_it(
    ready_app: Flask, runner: FlaskCliRunner, staff: Staff, purpose: str
) -> None:
    before = json.loads(runner.invoke(args=["keys", "list", "--json", "--purpose", purpose]).output)
    result = runner.invoke(args=["keys", "rotate", "--purpose", purpose])
    assert result.exit_code == 0, result.output
    after = json.loads(runner.invoke(args=["keys", "list", "--json", "--purpose", purpose]).output)
    (new,) = [k for k in after if k["status"] == "active"]
    assert new["kid"] not in {k["kid"] for k in before}
    pki = Path(ready_app.instance_path) / "pki"
    prefix = "document" if purpose == "document" else "tsa"
    assert (pki / f"{prefix}-{new['kid']}.pem").exists()
    # Issuing still works: the PDF is signed (and timestamped) with the new key.
    certificate = _issue(ready_app, staff, f"rotate-{purpose}")
    assert _api(ready_app, certificate["seal_url"])["status"] == "valid"


def test_rotating_the_trust_list_key_does_not_break_a_verifier_holding_the_old_one(
    ready_app: Flask, runner: FlaskCliRunner, staff: Staff, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    certificate = _issue(ready_app, staff, "trust-rotation")
    first = _export(runner, tmp_path / "first.json")
    assert _offline(runner, anchor, first, certificate["seal_url"]).exit_code == 0
    rotated = runner.invoke(args=["keys", "rotate", "--purpose", "trust-list"])
    assert rotated.exit_code == 0, rotated.output
    second = _export(runner, tmp_path / "second.json")
    assert json.loads(second.read_text())["signer"] != json.loads(first.read_text())["signer"]
    result = _offline(runner, anchor, second, certificate["seal_url"])
    assert result.exit_code == 0, result.output


def test_the_well_known_list_is_signed_version_2_and_changes_with_the_keys(
    ready_app: Flask, runner: FlaskCliRunner
) -> None:
    client = ready_app.test_client()
    first = client.get("/.well-known/sceau/trust.json")
    assert first.status_code == 200
    document = first.get_json()
    assert document["format_version"] == 2
    assert document["signature"]
    etag = first.headers["ETag"]
    assert (
        client.get("/.well-known/sceau/trust.json", headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    changed = client.get("/.well-known/sceau/trust.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["version"] > document["version"]
    assert {k["status"] for k in changed.get_json()["keys"]} == {"active", "retired"}


# ----------------------------------------------------------------------------- trust lists


def _publisher(ready_app: Flask) -> TrustListPublisher:
    settings = settings_of(ready_app)
    with ready_app.app_context():
        return TrustListPublisher(settings.trust_path, open_key_store(settings))


def test_stale_within_grace_warns_beyond_grace_refuses(
    ready_app: Flask,
    runner: FlaskCliRunner,
    staff: Staff,
    tmp_path: Path,
    cut_network: Callable[[], None],
) -> None:
    certificate = _issue(ready_app, staff, "stale")
    publisher = _publisher(ready_app)
    now = datetime.now(UTC)
    cut_network()
    # A list issued 10 days ago: expired 3 days ago (7-day validity), inside the 14-day grace.
    stale = publisher.publish(now=now - timedelta(days=10))
    path = tmp_path / "stale.json"
    path.write_bytes(stale.document)
    result = _offline(runner, tmp_path / "a1.json", path, certificate["seal_url"])
    assert result.exit_code == 0, result.output
    assert "stale: expired 3 days ago, within the 14-day grace period" in result.output
    assert "warning: the trust list has expired" in result.output
    # Issued 30 days ago: expired 23 days ago, beyond grace.
    old = publisher.publish(now=now - timedelta(days=30))
    path.write_bytes(old.document)
    refused = _offline(runner, tmp_path / "a2.json", path, certificate["seal_url"])
    assert refused.exit_code == 2
    assert "expired" in refused.output
    assert "fetch a new one" in refused.output
    longer = _offline(
        runner, tmp_path / "a3.json", path, certificate["seal_url"], "--grace-days", "30"
    )
    assert longer.exit_code == 0, longer.output


def test_tampered_unsigned_or_unpinned_lists_are_refused(
    ready_app: Flask,
    runner: FlaskCliRunner,
    staff: Staff,
    tmp_path: Path,
    cut_network: Callable[[], None],
) -> None:
    certificate = _issue(ready_app, staff, "tamper")
    good = _export(runner, tmp_path / "good.json")
    cut_network()
    document = json.loads(good.read_text())
    document["keys"][0]["status"] = "active"
    document["keys"][0]["not_after"] = None
    document["expires_at"] = "2099-01-01T00:00:00Z"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    result = _offline(runner, tmp_path / "a.json", tampered, certificate["seal_url"])
    assert result.exit_code == 2
    assert "signature does not hold" in result.output

    with ready_app.app_context():
        store = open_key_store(settings_of(ready_app))
        unsigned = tmp_path / "v1.json"
        unsigned.write_text(TrustList.from_key_store(store).to_json())
        list_key = store.active_key(KeyPurpose.TRUST_LIST)
        fingerprint = key_fingerprint(store.public_key(list_key.key_id))
    refused = _offline(runner, tmp_path / "b.json", unsigned, certificate["seal_url"])
    assert refused.exit_code == 2
    assert "unsigned" in refused.output

    wrong_pin = _offline(
        runner, tmp_path / "c.json", good, certificate["seal_url"], "--pin", "ab" * 32
    )
    assert wrong_pin.exit_code == 2
    assert "pinned" in wrong_pin.output
    pinned = _offline(
        runner, tmp_path / "d.json", good, certificate["seal_url"], "--pin", fingerprint
    )
    assert pinned.exit_code == 0, pinned.output
    assert "first use" not in pinned.output
    as_json = _offline(runner, tmp_path / "e.json", tampered, certificate["seal_url"], "--json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.output)["error"] == "trust-list-refused"
