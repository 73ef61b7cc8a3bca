"""Evidence packs built from demo data, checked with the tools a court clerk or a lawyer has:
bagit, openssl ts, pdfsig, and a PDF reader's text extraction, outline and links."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import bagit
import pikepdf
import pypdfium2 as pdfium
import pytest
from cryptography import x509

from bundles.pack import PackError, build_pack, telerecours_name, verify_pack
from bundles.pack._stamp import FOOTER_BAND, TOP_BAND
from bundles.timeline import TimelineEvent, render_timeline
from tests.bundles.conftest import Issuer
from tests.bundles.pack_helpers import OpensslTsa, demo_request
from tests.bundles.test_certificate_timestamp import _test_tsa
from tests.tools import pdfsig_report, require_tool


@dataclass(frozen=True)
class Built:
    zip: bytes
    folder: Path  # the unzipped bag
    request: object
    roots: tuple[x509.Certificate, ...]
    tsa: OpensslTsa
    progress: tuple[tuple[int, int], ...]


@pytest.fixture(scope="module")
def built(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_tool("openssl", "openssl")
    folder = tmp_path_factory.mktemp("pack")
    tsa = OpensslTsa(folder / "tsa")
    pdf_stamper, pdf_tsa_root = _test_tsa()
    chronology = render_timeline(
        "Amina Diallo",
        [
            TimelineEvent(
                on=date(2024, 11, 3), label="Refus de titre de séjour", source="Préfecture"
            )
        ],
        [],
        generated_on=date(2025, 2, 1),
    )
    request = demo_request(chronology=chronology)
    steps: list[tuple[int, int]] = []
    data = build_pack(
        request,
        signer=issuer.signer,
        pdf_timestamper=pdf_stamper,
        timestamper=tsa,
        progress=lambda done, total: steps.append((done, total)),
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder / "unzipped")
    (bag,) = (folder / "unzipped").iterdir()
    return Built(data, bag, request, (issuer.chain.root, tsa.root, pdf_tsa_root), tsa, tuple(steps))


def _texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_the_zip_holds_one_bag_in_a_fixed_order_with_ascii_names(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.zip)) as archive:
        names = [info.filename.split("/", 1)[1] for info in archive.infolist()]
        assert all(info.filename.isascii() for info in archive.infolist())
        assert len({info.filename.split("/", 1)[0] for info in archive.infolist()}) == 1
    assert names[:8] == [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "timestamp.tsr",
        "originals-sha256.txt",
        "README.txt",
        "tsa-chain.pem",
    ]
    pieces = [n for n in names if n.startswith("data/pieces/")]
    assert pieces == [
        f"data/pieces/{telerecours_name(i, p.label)}"
        for i, p in enumerate(built.request.pieces, start=1)  # type: ignore[attr-defined]
    ]
    assert {"data/Bordereau_des_pieces.pdf", "data/Dossier_complet.pdf"} <= set(names)
    assert built.progress[-1][0] == built.progress[-1][1]


def test_bagit_validates_the_bag(built: Built) -> None:
    bag = bagit.Bag(str(built.folder))
    bag.validate()  # raises BagValidationError otherwise
    assert bag.info["Payload-Oxum"].endswith(".9")  # 7 pieces, inventory, e-bundle
    tag_listed = (built.folder / "tagmanifest-sha256.txt").read_text()
    for name in (
        "bag-info.txt",
        "manifest-sha256.txt",
        "originals-sha256.txt",
        "README.txt",
        "tsa-chain.pem",
    ):
        assert f"  {name}\n" in tag_listed


def test_bagit_command_line_validates_the_bag(built: Built) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bagit", "--validate", str(built.folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr


def test_originals_hashes_are_in_the_bag(built: Built) -> None:
    lines = (built.folder / "originals-sha256.txt").read_text().splitlines()
    for number, (line, piece) in enumerate(
        zip(lines, built.request.pieces, strict=True),
        start=1,  # type: ignore[attr-defined]
    ):
        assert line.split("  ")[:2] == [
            piece.original_sha256,
            telerecours_name(number, piece.label),
        ]


def test_openssl_verifies_the_timestamp(built: Built) -> None:
    openssl = require_tool("openssl", "openssl")
    result = subprocess.run(
        [
            openssl,
            "ts",
            "-verify",
            "-data",
            "tagmanifest-sha256.txt",
            "-in",
            "timestamp.tsr",
            "-CAfile",
            "tsa-chain.pem",
        ],
        cwd=built.folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in result.stdout, result.stdout + result.stderr
    readme = (built.folder / "README.txt").read_text()
    assert (
        "openssl ts -verify -data tagmanifest-sha256.txt -in timestamp.tsr -CAfile tsa-chain.pem"
    ) in readme
    assert "bagit.py --validate ." in readme


@pytest.mark.parametrize("name", ["Dossier_complet.pdf", "Bordereau_des_pieces.pdf"])
def test_pdfsig_accepts_the_signatures(
    built: Built, issuer: Issuer, tmp_path: Path, name: str
) -> None:
    output = pdfsig_report(
        built.folder / "data" / name, issuer.pki_folder / "root-ca.pem", tmp_path / "nss"
    )
    assert "Signature Validation: Signature is Valid." in output
    assert "Certificate Validation: Certificate is Trusted." in output
    assert "Total document signed" in output


def test_the_signatures_are_b_t(built: Built) -> None:
    report = verify_pack(built.zip, trust_roots=built.roots)
    assert report.ok, report
    assert [s.timestamped for s in report.signatures] == [True, True]
    assert report.timestamp_ok
    assert report.timestamp_trusted
    assert report.timestamped_at is not None


def _ebundle(built: Built) -> bytes:
    return (built.folder / "data" / "Dossier_complet.pdf").read_bytes()


def test_bookmarks_are_the_pieces(built: Built) -> None:
    pieces = built.request.pieces  # type: ignore[attr-defined]
    with pikepdf.open(io.BytesIO(_ebundle(built))) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        targets = [pdf.pages.index(pikepdf.Page(item.destination[0])) for item in outline.root]
    assert titles[:3] == ["Page de garde", "Sommaire — bordereau des pièces", "Chronologie"]
    piece_titles = titles[3:]
    assert len(piece_titles) == len(pieces)
    for number, title in enumerate(piece_titles, start=1):
        assert title.startswith(f"Pièce n° {number} — ")
    texts = _texts(_ebundle(built))
    for number, target in enumerate(targets[3:], start=1):
        assert f"Pièce n° {number} — p. 1/" in texts[target]


def test_every_page_of_every_piece_carries_its_stamp(built: Built) -> None:
    pieces = built.request.pieces  # type: ignore[attr-defined]
    for number, piece in enumerate(pieces, start=1):
        path = built.folder / "data" / "pieces" / telerecours_name(number, piece.label)
        texts = _texts(path.read_bytes())
        pages = len(texts)
        assert pages == len(_texts(piece.pdf))
        for index, text in enumerate(texts, start=1):
            assert f"Pièce n° {number} — p. {index}/{pages}" in text
            assert f"Piece{number} (page {index})" in text  # the piece's own text is searchable


def test_every_page_of_the_ebundle_has_its_pdf_page_number(built: Built) -> None:
    texts = _texts(_ebundle(built))
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} / {total}" in text
    with pikepdf.open(io.BytesIO(_ebundle(built))) as pdf:
        labels = pdf.Root.PageLabels.Nums
        assert list(labels[:1]) == [0]
        assert labels[1].S == "/D"
        assert "/St" not in labels[1]
    stamped = [t for t in texts if re.search(r"Pièce n° \d+ — p\. \d+/\d+", t)]
    pieces = built.request.pieces  # type: ignore[attr-defined]
    assert len(stamped) == sum(len(_texts(p.pdf)) for p in pieces)


def test_the_index_links_to_the_first_page_of_each_piece(built: Built) -> None:
    texts = _texts(_ebundle(built))
    with pikepdf.open(io.BytesIO(_ebundle(built))) as pdf:
        links = [
            pdf.pages.index(pikepdf.Page(annotation.Dest[0]))
            for page in pdf.pages[:3]
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]
    assert len(links) == len(built.request.pieces)  # type: ignore[attr-defined]
    for number, target in enumerate(links, start=1):
        assert f"Pièce n° {number} — p. 1/" in texts[target]
        assert re.search(rf"\bp\. {target + 1}\b", texts[1] + texts[2])


def test_stamps_never_cover_content(built: Built) -> None:
    """The pieces' text reaches the page's very edges; after stamping, every character of it
    lies between the two bands, and the stamps lie inside them."""
    path = built.folder / "data" / "pieces" / telerecours_name(4, "")
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in document:
            _, height = page.get_size()
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            stamp_at = text.index("Pièce n°")
            for i in range(textpage.count_chars()):
                if i >= len(text) or text[i].isspace():
                    continue
                _, bottom, _, top = textpage.get_charbox(i)
                if i >= stamp_at:
                    assert bottom >= height - TOP_BAND - 1 or top <= FOOTER_BAND + 1
                else:
                    assert bottom >= FOOTER_BAND - 0.5
                    assert top <= height - TOP_BAND + 0.5
    finally:
        document.close()


def test_the_inventory_lists_every_piece(built: Built) -> None:
    text = " ".join(_texts((built.folder / "data" / "Bordereau_des_pieces.pdf").read_bytes()))
    assert "Bordereau des pièces" in text
    for number, piece in enumerate(built.request.pieces, start=1):  # type: ignore[attr-defined]
        name = telerecours_name(number, piece.label)
        assert name[:40] in text.replace("\r\n", "").replace("\n", "")
        assert piece.date.strftime("%d/%m/%Y") in text


def test_the_combined_pdf_alone_verifies(built: Built) -> None:
    report = verify_pack(_ebundle(built), trust_roots=built.roots)
    assert report.ok
    assert report.kind == "pdf"
    assert report.timestamp_ok is None
    changed = bytearray(_ebundle(built))
    changed[len(changed) // 3] ^= 0x01
    report = verify_pack(bytes(changed), trust_roots=built.roots)
    assert not report.ok
    assert report.changed == ("Dossier_complet.pdf",)


def test_an_untrusted_tsa_is_not_ok(built: Built) -> None:
    report = verify_pack(built.zip, trust_roots=[r for r in built.roots if r != built.tsa.root])
    assert report.timestamp_ok
    assert not report.timestamp_trusted
    assert not report.ok


def test_bad_requests_are_refused(built: Built, issuer: Issuer) -> None:
    request = built.request
    for bad, message in [
        (replace(request, purpose="holiday"), "appeal or renewal"),  # type: ignore[type-var]
        (replace(request, pieces=()), "at least one piece"),  # type: ignore[type-var]
        (
            replace(request, pieces=[replace(request.pieces[0], pdf=b"%PDF-1.4 nonsense")]),  # type: ignore[attr-defined,type-var]
            "piece 1 is not a readable PDF",
        ),
        (
            replace(request, pieces=[replace(request.pieces[0], original_sha256="x")]),  # type: ignore[attr-defined,type-var]
            "original_sha256",
        ),
    ]:
        with pytest.raises(PackError, match=message):
            build_pack(bad, signer=issuer.signer, pdf_timestamper=None, timestamper=built.tsa)


def test_neither_zip_nor_pdf_is_an_error() -> None:
    with pytest.raises(PackError):
        verify_pack(b"hello", trust_roots=[])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("something.txt", "not a bag")
    with pytest.raises(PackError, match=r"bagit\.txt"):
        verify_pack(buffer.getvalue(), trust_roots=[])


def test_a_renewal_pack_without_chronology(built: Built, issuer: Issuer) -> None:
    request = replace(  # type: ignore[type-var]
        built.request,
        purpose="renewal",
        chronology_pdf=None,
        addressee="Préfecture du Rhône",
        deadline=None,
        pieces=built.request.pieces[:2],  # type: ignore[attr-defined]
    )
    data = build_pack(request, signer=issuer.signer, pdf_timestamper=None, timestamper=built.tsa)
    report = verify_pack(data, trust_roots=built.roots)
    assert report.ok
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("Dossier_complet.pdf")]
        ebundle = archive.read(name)
    text = _texts(ebundle)[0]
    assert "Renouvellement de titre de séjour" in text
    with pikepdf.open(io.BytesIO(ebundle)) as pdf, pdf.open_outline() as outline:
        assert [i.title for i in outline.root][2].startswith("Pièce n° 1")
