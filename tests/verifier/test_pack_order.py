"""The pack builder honours the order of the pieces the form sends (positions or order sent)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask import Flask

from tests.verifier.conftest import form_token, store_letter
from tests.verifier.test_packs import (  # noqa: F401 - fixtures
    file_of,
    lawyer_client,
    packs_app,
    wait_done,
)
from verifier import db
from verifier.models import PackBuild
from verifier.pack_pages import ordered_pieces
from verifier.packs import PackInputError


def _second_file(app: Flask, person: int) -> int:
    with app.app_context():
        session = db.session()
        stored = store_letter(session, person, "Avis d'imposition", 1)
        session.commit()
        return stored.id


def _piece_names(zip_data: bytes) -> list[str]:
    """The numbered pieces of the pack, in their numbering (PJ1, PJ2...)."""
    with zipfile.ZipFile(io.BytesIO(zip_data)) as archive:
        found = {}
        for name in archive.namelist():
            match = re.search(r"/PJ(\d+)_([^/]+)\.pdf$", name)
            if match:
                found[int(match.group(1))] = match.group(2)
    return [found[n] for n in sorted(found)]


def test_the_built_pack_numbers_the_pieces_in_the_order_chosen(
    packs_app: Flask,  # noqa: F811
    file_of: dict[str, object],  # noqa: F811
) -> None:
    person = file_of["person"]
    tax = _second_file(packs_app, person)  # type: ignore[arg-type]
    client, _ = lawyer_client(packs_app, person, "read packs")  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    form = client.get(page_url).get_data(as_text=True)
    assert "reorder.js" in form
    assert f'name="order-file:{tax}"' in form
    certificate, letter = f"certificate:{file_of['certificate']}", f"file:{file_of['file']}"
    answer = client.post(
        page_url,
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "renewal",
            # The checkboxes in the page's order; the positions (what reorder.js writes, or
            # what someone without script types) say: the tax notice, the certificate, the letter.
            "piece": [certificate, letter, f"file:{tax}"],
            f"order-{certificate}": "2",
            f"order-{letter}": "3",
            f"order-file:{tax}": "1",
        },
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    build_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    with packs_app.app_context():
        build = db.session().get(PackBuild, build_id)
        assert build is not None
        assert build.pieces.split() == [f"file:{tax}", certificate, letter]
    page = wait_done(client, answer.headers["Location"])
    assert 'data-status="done"' in page, page
    names = _piece_names(client.get(answer.headers["Location"] + "/download").data)
    assert len(names) == 3, names
    assert names[0].startswith("Avis")
    assert names[1].startswith("Attestation")
    assert names[2].startswith("Lettre")


def test_without_positions_the_order_sent_is_kept_and_bad_positions_are_refused(
    packs_app: Flask,  # noqa: F811
    file_of: dict[str, object],  # noqa: F811
) -> None:
    person = file_of["person"]
    client, _ = lawyer_client(packs_app, person, "read packs")  # type: ignore[arg-type]
    page_url = f"/lawyer/clients/{person}/packs"
    certificate, letter = f"certificate:{file_of['certificate']}", f"file:{file_of['file']}"
    refused = client.post(
        page_url + "?lang=en",
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "renewal",
            "piece": [certificate, letter],
            f"order-{certificate}": "first",
        },
    )
    assert refused.status_code == 400
    assert "whole number from 1 to 10000" in refused.get_data(as_text=True)
    with packs_app.app_context():
        assert db.session().query(PackBuild).count() == 0
    kept = client.post(
        page_url,
        data={
            "csrf_token": form_token(client, page_url),
            "purpose": "renewal",
            "piece": [letter, certificate],
        },
    )
    assert kept.status_code == 303
    with packs_app.app_context():
        build = db.session().query(PackBuild).one()
        assert build.pieces.split() == [letter, certificate]
    wait_done(client, kept.headers["Location"])


def test_ordered_pieces_rule() -> None:
    assert ordered_pieces(["a:1", "b:2", "c:3"], {"c:3": "1", "a:1": "2"}) == ["c:3", "a:1", "b:2"]
    assert ordered_pieces(["a:1", "b:2", "a:1"], {}) == ["a:1", "b:2"]
    assert ordered_pieces(["a:1", "b:2"], {"a:1": "5", "b:2": "5"}) == ["a:1", "b:2"]
    for bad in ("0", "-1", "10001", "1.5", "x", "99999999999"):
        with pytest.raises(PackInputError):
            ordered_pieces(["a:1"], {"a:1": bad})
