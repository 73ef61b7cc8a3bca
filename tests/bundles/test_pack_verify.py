"""One changed byte in any file of a pack's ZIP: verify_pack names that file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from cryptography import x509

from bundles.pack import build_pack, verify_pack
from signing.errors import TimestampError
from signing.timestamps import TimestampVerification, verify_reply
from tests.bundles.conftest import Issuer
from tests.bundles.pack_helpers import OpensslTsa, demo_request
from tests.tools import require_tool

MANIFESTS = {"manifest-sha256.txt", "tagmanifest-sha256.txt"}


@pytest.fixture(scope="module")
def pack(
    issuer: Issuer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[bytes, list[x509.Certificate]]:
    require_tool("openssl", "openssl")
    tsa = OpensslTsa(tmp_path_factory.mktemp("tsa"))
    data = build_pack(demo_request(), signer=issuer.signer, pdf_timestamper=None, timestamper=tsa)
    return data, [issuer.chain.root, tsa.root]


def _members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [info.filename for info in archive.infolist()]


def _rezipped(
    data: bytes, change: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> bytes:
    """The ZIP again, with some members replaced (None: removed), CRCs recomputed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change.get(info.filename, source.read(info))
            if content is not None:
                target.writestr(info, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _one_byte(content: bytes, at: float = 0.5) -> bytes:
    changed = bytearray(content)
    changed[int(len(changed) * at)] ^= 0x01
    return bytes(changed)


def test_the_pack_as_built_is_ok(pack: tuple[bytes, list[x509.Certificate]]) -> None:
    data, roots = pack
    report = verify_pack(data, trust_roots=roots)
    assert report.ok, report
    assert report.changed == ()
    assert {f.status for f in report.files} == {"ok"}
    assert len(report.files) == len(_members(data))


@pytest.mark.parametrize("at", [0.2, 0.7])
def test_one_changed_byte_names_that_file(
    pack: tuple[bytes, list[x509.Certificate]], at: float
) -> None:
    data, roots = pack
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    for member, content in contents.items():
        name = member.split("/", 1)[1]
        report = verify_pack(_rezipped(data, {member: _one_byte(content, at)}), trust_roots=roots)
        assert not report.ok, name
        assert name in report.changed, (name, report.changed)
        assert {f.status for f in report.files if f.name == name} == {"changed"}
        others = [f for f in report.files if f.status != "ok" and f.name != name]
        if name in MANIFESTS:  # a changed manifest may be wrong about another file: it says so
            assert all("manifest" in f.detail for f in others), others
        else:
            assert others == [], (name, others)


def test_a_byte_changed_in_the_zip_itself_names_the_file(
    pack: tuple[bytes, list[x509.Certificate]],
) -> None:
    """Not re-zipped: the ZIP's own CRC no longer matches (stored and deflated members)."""
    data, roots = pack
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {info.filename.split("/", 1)[1]: info for info in archive.infolist()}
    for name in ("data/Dossier_complet.pdf", "bag-info.txt", "README.txt"):
        info = infos[name]
        header = 30 + len(info.filename.encode()) + len(info.extra)
        changed = bytearray(data)
        changed[info.header_offset + header + info.compress_size // 2] ^= 0x01
        report = verify_pack(bytes(changed), trust_roots=roots)
        assert name in report.changed, (name, report.changed)
        assert not report.ok


def test_a_removed_file_is_missing(pack: tuple[bytes, list[x509.Certificate]]) -> None:
    data, roots = pack
    (piece,) = [m for m in _members(data) if "/data/pieces/PJ3_" in m]
    report = verify_pack(_rezipped(data, {piece: None}), trust_roots=roots)
    assert not report.ok
    assert [(f.name, f.status) for f in report.files if f.status != "ok"] == [
        (piece.split("/", 1)[1], "missing")
    ]


def test_an_added_file_is_unexpected(pack: tuple[bytes, list[x509.Certificate]]) -> None:
    data, roots = pack
    root = _members(data)[0].split("/", 1)[0]
    report = verify_pack(
        _rezipped(data, {}, {f"{root}/data/pieces/PJ99_Ajout.pdf": b"%PDF-1.7", "extra.txt": b"x"}),
        trust_roots=roots,
    )
    assert not report.ok
    assert {(f.name, f.status) for f in report.files if f.status != "ok"} == {
        ("data/pieces/PJ99_Ajout.pdf", "unexpected"),
        ("extra.txt", "unexpected"),
    }


def test_a_removed_timestamp_is_missing(pack: tuple[bytes, list[x509.Certificate]]) -> None:
    data, roots = pack
    (token,) = [m for m in _members(data) if m.endswith("/timestamp.tsr")]
    report = verify_pack(_rezipped(data, {token: None}), trust_roots=roots)
    assert not report.ok
    assert not report.timestamp_ok
    assert report.changed == ("timestamp.tsr",)


def test_every_single_byte_change_of_the_token_is_seen(tmp_path: Path) -> None:
    """The token is the one file no manifest covers: its own checks must see any change."""
    require_tool("openssl", "openssl")
    tsa = OpensslTsa(tmp_path / "tsa")
    data = b"0123  bagit.txt\n"
    token = tsa.stamp(data)
    chain = x509.load_pem_x509_certificates(tsa.chain_pem())

    def check(reply: bytes, over: bytes = data) -> TimestampVerification | None:
        try:
            return verify_reply(reply, over, trust_roots=[tsa.root], certificates=chain)
        except TimestampError:
            return None

    good = check(token)
    assert good is not None
    assert good.ok
    unseen, not_named = [], []
    for index in range(len(token)):
        changed = bytearray(token)
        changed[index] ^= 0x01
        found = check(bytes(changed))
        if found is not None and found.ok:
            unseen.append(index)
        if found is not None and found.intact and found.signature_valid:
            not_named.append(index)  # verify_pack would not call timestamp.tsr changed
    assert unseen == []
    assert not_named == []
    other = check(token, data + b"x")
    assert other is not None
    assert not other.ok
