"""Evidence packs through the service: the pages (lawyer with a packs mandate, the migrant),
the background build, the download, `sceau bundle`, and /packs/verify with hostile uploads."""

from __future__ import annotations

import io
import re
import secrets
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient

from bundles.pack import verify_pack
from signing.seal import CertificateType
from tests.bundles.pack_helpers import _piece_pdf
from tests.verifier.conftest import (
    Staff,
    form_token,
    issue_body,
    make_account,
    make_person,
    sign_in,
    store_letter,
)
from tests.verifier.test_portal import grant
from verifier import Settings, db
from verifier.db import utcnow
from verifier.instance import blob_store, keyring
from verifier.models import FileAccess, PackBuild, PackBuildStatus, Person, Role
from verifier.packs import (
    STALE_AFTER,
    PackOrder,
    PieceRef,
    create_build,
    effective_status,
    pack_trust_roots,
    resume_builds,
    wait_for_builds,
)
from verifier.tokens import Scope

_BUILD = re.compile(r"/packs/(\d+)$")


@pytest.fixture
def packs_app(ready_app: Flask) -> Iterator[Flask]:
    """The app with the pack blueprints and command (registered here until create_app does)."""
    from verifier import cli_packs, pack_pages
    from verifier.security import csrf

    if "packs" not in ready_app.blueprints:
        csrf.exempt(pack_pages.bp_api)
        ready_app.register_blueprint(pack_pages.bp)
        ready_app.register_blueprint(pack_pages.bp_api)
    if "bundle" not in ready_app.cli.commands:
        ready_app.cli.add_command(cli_packs.bundle_command)
    yield ready_app
    wait_for_builds(ready_app, timeout=300)


@pytest.fixture
def file_of(packs_app: Flask, staff: Staff) -> dict[str, object]:
    """A person with an issued CIR certificate and one stored letter, as demo data has."""
    person = make_person(packs_app, "Diallo", "Aïssatou")
    body = issue_body(CertificateType.CIR_SIGNATURE)
    del body["holder"]
    body["person_id"] = person
    answer = packs_app.test_client().post(
        "/api/v1/certificates",
        json=body,
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": secrets.token_hex(8)}),
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    certificate = answer.get_json()["id"]
    with packs_app.app_context():
        session = db.session()
        stored = store_letter(session, person, "Lettre à la préfecture", 2)
        session.commit()
        stored_id = stored.id
    return {"person": person, "certificate": certificate, "file": stored_id}


def lawyer_client(app: Flask, person: int, scopes: str | None) -> tuple[FlaskClient, int]:
    lawyer = make_account(app, Role.LAWYER)
    if scopes is not None:
        grant(app, person, lawyer.id, scopes=scopes)
    client = app.test_client()
    sign_in(client, lawyer)
    return client, lawyer.id


def wait_done(client: FlaskClient, url: str, timeout: float = 240) -> str:
    """Poll the build page as the browser's meta refresh would, until it stops refreshing."""
    limit = time.monotonic() + timeout
    while True:
        page = client.get(url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in page:
            return page
        assert time.monotonic() < limit, page
        time.sleep(0.3)


def upload(name: str, data: bytes) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def cover_text(zip_data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(zip_data)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("data/Dossier_complet.pdf"))
        pdf = pypdfium2.PdfDocument(archive.read(name))
        try:
            return " ".join(pdf[0].get_textpage().get_text_range().split())
        finally:
            pdf.close()


def roots(app: Flask) -> list:  # type: ignore[type-arg]
    with app.app_context():
        return pack_trust_roots(keyring())


# ----------------------------------------------------------------------------- building


def test_a_lawyer_with_a_packs_mandate_builds_downloads_and_the_pack_verifies(
    packs_app: Flask, file_of: dict[str, object]
) -> None:
    person = file_of["person"]
    client, lawyer_id = lawyer_client(packs_app, person, "read packs")  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    form = client.get(page_url)
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert f'value="certificate:{file_of["certificate"]}"' in text
    assert 'data-check="cir" data-status="present"' in text
    answer = client.post(
        page_url,
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "appeal",
            "piece": [f"certificate:{file_of['certificate']}", f"file:{file_of['file']}"],
            "addressee": "Tribunal administratif de Paris",
            "procedure": "special",
            "notified_at": "2026-06-03T14:27",
            "contested_decision": upload("decision.pdf", _piece_pdf("Decision", 1)),
            "notification_proof": upload("ar.pdf", _piece_pdf("AR", 1)),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    build_url = answer.headers["Location"]
    match = _BUILD.search(build_url)
    assert match is not None
    first = client.get(build_url).get_data(as_text=True)
    assert "10/06/2026 14:27" in first  # the deadline, prominently, hour by hour
    page = wait_done(client, build_url)
    assert 'data-status="done"' in page, page
    assert "data-missing" not in page
    download = client.get(f"{build_url}/download")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    report = verify_pack(download.data, trust_roots=roots(packs_app))
    assert report.ok, [f for f in report.files if f.status != "ok"]
    names = "\n".join(zipfile.ZipFile(io.BytesIO(download.data)).namelist())
    assert "PJ1_Decision_attaquee" in names
    assert "PJ2_Preuve" in names
    cover = cover_text(download.data)
    assert "10/06/2026" in cover
    with packs_app.app_context():
        session = db.session()
        build = session.get(PackBuild, int(match.group(1)))
        assert build is not None
        assert build.status == "done"
        assert build.done == build.total
        assert blob_store().exists(build.zip_sha256 or "")
        actions = {
            a.action
            for a in session.query(FileAccess).filter_by(person_id=person, user_id=lawyer_id)
        }
    assert {"view", "build", "download"} <= actions


def test_an_appeal_without_the_contested_decision_says_what_is_missing(
    packs_app: Flask, file_of: dict[str, object]
) -> None:
    person = file_of["person"]
    client, _ = lawyer_client(packs_app, person, "packs")  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    answer = client.post(
        page_url,
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "appeal",
            "piece": [f"file:{file_of['file']}"],
            "procedure": "oqtf",
            "notified_at": "2026-01-31T10:00",
        },
    )
    assert answer.status_code == 303
    page = wait_done(client, answer.headers["Location"])
    assert "data-missing" in page
    assert "La décision attaquée" in page or "contested decision" in page
    assert "02/03/2026" in page  # 28 Feb 2026 is a Saturday: moved to Monday
    zip_data = client.get(answer.headers["Location"] + "/download").data
    cover = cover_text(zip_data)
    assert "Pièce manquante" in cover
    assert "décision attaquée" in cover


def test_builds_a_stopped_server_left_unfinished_are_queued_again_at_start(
    packs_app: Flask, file_of: dict[str, object]
) -> None:
    """A lawyer's build must survive a restart; one from long ago stays "interrupted"."""
    order = PackOrder(purpose="renewal", pieces=(PieceRef.parse(f"file:{file_of['file']}"),))
    with packs_app.app_context():
        session = db.session()
        person = session.get(Person, file_of["person"])
        assert person is not None
        recent = create_build(session, person, None, order)
        recent.status, recent.done = PackBuildStatus.RUNNING, 1  # its worker died
        old = create_build(session, person, None, order)
        old.status = PackBuildStatus.RUNNING
        old.created_at = utcnow() - STALE_AFTER - timedelta(minutes=1)
        session.commit()
        recent_id, old_id = recent.id, old.id

    assert resume_builds(packs_app) == [recent_id]
    wait_for_builds(packs_app, timeout=300)

    with packs_app.app_context():
        session = db.session()
        resumed = session.get(PackBuild, recent_id)
        assert resumed is not None
        assert resumed.status == PackBuildStatus.DONE, resumed.error
        assert resumed.zip_sha256 is not None
        assert blob_store().get(resumed.zip_sha256)[:2] == b"PK"
        left = session.get(PackBuild, old_id)
        assert left is not None
        assert effective_status(left) == PackBuildStatus.FAILED
        assert left.zip_sha256 is None


def test_the_migrant_builds_a_renewal_pack_of_their_own_file(
    packs_app: Flask, file_of: dict[str, object]
) -> None:
    person = file_of["person"]
    migrant = make_account(packs_app, Role.MIGRANT, person_id=person)  # type: ignore[arg-type]
    client = packs_app.test_client()
    sign_in(client, migrant)
    form = client.get("/my/packs?lang=en").get_data(as_text=True)
    assert "Multi-year card renewal" in form
    answer = client.post(
        "/my/packs",
        data={
            "csrf_token": form_token(client, "/my/packs"),
            "purpose": "renewal",
            "piece": [f"certificate:{file_of['certificate']}"],
            "addressee": "Préfecture de police",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/my/packs/")
    page = wait_done(client, answer.headers["Location"])
    assert 'data-status="done"' in page
    download = client.get(answer.headers["Location"] + "/download")
    assert verify_pack(download.data, trust_roots=roots(packs_app)).ok
    assert "Liste de contrôle" in cover_text(download.data)
    with packs_app.app_context():  # the migrant's own visits are not logged as accesses
        assert db.session().query(FileAccess).filter_by(person_id=person).count() == 0


@pytest.mark.parametrize("scopes", ["read", "read upload", None])
def test_a_lawyer_without_a_packs_mandate_is_refused(
    packs_app: Flask, file_of: dict[str, object], scopes: str | None
) -> None:
    person = file_of["person"]
    client, _ = lawyer_client(packs_app, person, scopes)  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    assert client.get(page_url).status_code == 404
    assert client.get(f"{page_url}/1").status_code == 404
    assert client.get(f"{page_url}/1/download").status_code == 404


def test_other_roles_and_other_builds_are_refused(
    packs_app: Flask, file_of: dict[str, object]
) -> None:
    person = file_of["person"]
    owner, _ = lawyer_client(packs_app, person, "packs")  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    answer = owner.post(
        page_url,
        data={
            "csrf_token": form_token(owner, page_url),
            "purpose": "renewal",
            "piece": [f"file:{file_of['file']}"],
        },
    )
    build_url = answer.headers["Location"]
    wait_done(owner, build_url)
    other, _ = lawyer_client(packs_app, person, "packs")  # type: ignore[arg-type]
    assert other.get(build_url).status_code == 404  # another lawyer's build
    stranger = make_account(packs_app, Role.MIGRANT)
    client = packs_app.test_client()
    sign_in(client, stranger)
    build_id = build_url.rsplit("/", 1)[1]
    assert client.get(f"/my/packs/{build_id}").status_code == 404
    assert client.get(page_url).status_code == 403
    anonymous = packs_app.test_client()
    assert anonymous.get("/my/packs").status_code == 302


def test_pieces_of_another_file_are_refused(packs_app: Flask, file_of: dict[str, object]) -> None:
    person = file_of["person"]
    other_person = make_person(packs_app)
    client, _ = lawyer_client(packs_app, other_person, "packs")
    page_url = f"/lawyer/clients/{other_person}/packs"
    answer = client.post(
        page_url,
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "renewal",
            "piece": [f"file:{file_of['file']}"],
        },
    )
    assert answer.status_code == 400
    assert "data-error" in answer.get_data(as_text=True)
    assert person != other_person


def test_sceau_bundle_writes_a_zip_and_shows_progress(
    packs_app: Flask, file_of: dict[str, object], tmp_path: object
) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "pack.zip"
    result = packs_app.test_cli_runner().invoke(
        args=[
            "bundle",
            "--person",
            str(file_of["person"]),
            "--purpose",
            "appeal",
            "--piece",
            f"certificate:{file_of['certificate']}",
            "--procedure",
            "priority",
            "--notified-at",
            "2026-03-28T18:00",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "progress 1/" in result.output
    assert "Missing piece" in result.output
    assert verify_pack(out.read_bytes(), trust_roots=roots(packs_app)).ok
    bad = packs_app.test_cli_runner().invoke(
        args=["bundle", "--person", "999999", "--purpose", "renewal", "--out", str(out)]
    )
    assert bad.exit_code == 2


# ----------------------------------------------------------------------------- verification


@pytest.fixture
def built_pack(packs_app: Flask, file_of: dict[str, object], tmp_path: object) -> bytes:
    from pathlib import Path

    out = Path(str(tmp_path)) / "pack.zip"
    result = packs_app.test_cli_runner().invoke(
        args=[
            "bundle",
            *("--person", str(file_of["person"])),
            *("--purpose", "renewal", "--out", str(out)),
        ]
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _changed(data: bytes, suffix: str) -> tuple[bytes, str]:
    """The pack with one byte of the member ending in ``suffix`` changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    changed = ""
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(suffix) and not changed:
                changed = info.filename
                middle = len(content) // 2
                content = content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]
            target.writestr(info, content)
    return out.getvalue(), changed


def verify_page(client: FlaskClient, data: bytes, name: str = "pack.zip") -> tuple[int, str]:
    answer = client.post(
        "/packs/verify",
        data={"csrf_token": form_token(client, "/packs/verify"), "file": upload(name, data)},
        content_type="multipart/form-data",
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_the_verify_page_names_the_changed_file(packs_app: Flask, built_pack: bytes) -> None:
    client = packs_app.test_client()
    status, page = verify_page(client, built_pack)
    assert status == 200
    assert 'data-verdict="ok"' in page
    changed, member = _changed(built_pack, "Lettre_a_la_prefecture.pdf")
    assert member, "the letter is a piece of the pack"
    status, page = verify_page(client, changed)
    assert status == 200
    assert 'data-verdict="changed"' in page
    inside = member.split("/", 1)[1]
    assert f'data-file="{inside}" data-status="changed"' in page


def test_the_api_reports_per_file(packs_app: Flask, built_pack: bytes) -> None:
    client = packs_app.test_client()
    answer = client.post(
        "/api/v1/packs/verify",
        data={"file": upload("pack.zip", built_pack)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True
    assert body["kind"] == "zip"
    assert body["changed"] == []
    changed, member = _changed(built_pack, "manifest-sha256.txt")
    body = client.post(
        "/api/v1/packs/verify",
        data={"file": upload("pack.zip", changed)},
        content_type="multipart/form-data",
    ).get_json()
    assert body["ok"] is False
    assert member.split("/", 1)[1] in body["changed"]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _huge_declared() -> bytes:
    """A ZIP whose one member declares 4 GiB (the headers are patched, the data tiny)."""
    data = bytearray(_zip({"sceau/bagit.txt": b"x"}))
    big = (2**32 - 2).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = big
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = big
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.txt", b"hello, this is not a pack", "ni un dossier"),
        ("pack.zip", b"PK\x03\x04 broken zip", "ni un dossier"),
        ("pack.zip", _zip({"../x": b"escape", "sceau/bagit.txt": b"x"}), "quitte"),
        ("pack.zip", _zip({"/etc/passwd": b"x"}), "quitte"),
        ("pack.zip", _zip({"a\\..\\b": b"x"}), "quitte"),
        ("pack.zip", _huge_declared(), "MiB"),
        ("doc.pdf", b"%PDF-1.7\n%broken\n", ""),
    ],
)
def test_hostile_uploads_get_a_4xx_with_a_message(
    packs_app: Flask, name: str, data: bytes, words: str
) -> None:
    client = packs_app.test_client()
    status, page = verify_page(client, data, name)
    if name == "doc.pdf" and status == 200:
        assert 'data-verdict="changed"' in page  # a broken PDF is a pack that does not hold
        return
    assert 400 <= status < 500, page[:500]
    assert "data-error" in page
    if words:
        assert words in page or "leaves the archive" in page
    answer = client.post(
        "/api/v1/packs/verify",
        data={"file": upload(name, data)},
        content_type="multipart/form-data",
    )
    assert 400 <= answer.status_code < 500
    assert answer.get_json()["message"]


def test_verify_refuses_a_post_without_csrf_and_without_file(packs_app: Flask) -> None:
    client = packs_app.test_client()
    assert client.post("/packs/verify", data={}).status_code == 400
    answer = client.post("/api/v1/packs/verify", data={})
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "packs-verify-no-file"


def test_an_external_authoritys_root_is_trusted_by_configuration(
    settings: Settings, tmp_path: Path
) -> None:
    from dataclasses import replace

    from cryptography.hazmat.primitives import serialization

    from signing.keys import FileKeyStore
    from signing.pki import DevelopmentPki
    from verifier import create_app

    other = tmp_path / "other"
    other.mkdir()
    pki = DevelopmentPki(other / "pki", passphrase=b"x", organisation="Some TSA")
    root = pki.ensure(FileKeyStore(other / "keys", passphrase=b"x")).root
    pem = other / "tsa-root.pem"
    pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    configured = replace(settings, tsa_roots=pem)
    configured.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(configured)
    try:
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        with app.app_context():
            assert root in pack_trust_roots(keyring())
    finally:
        app.extensions["sceau.engine"].dispose()
