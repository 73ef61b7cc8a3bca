"""PDF signature validation faces uploads: damaged files raise PdfSignatureError, nothing else."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from cryptography import x509
from reportlab.pdfgen.canvas import Canvas

from signing.errors import PdfSignatureError
from signing.keys import FileKeyStore
from signing.pades import KeyStoreSigner, sign_pdf, validate_pdf
from signing.pki import DevelopmentPki


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, x509.Certificate]:
    folder = tmp_path_factory.mktemp("pades")
    store = FileKeyStore(folder / "keys", passphrase=b"pw")
    chain = DevelopmentPki(folder / "pki", passphrase=b"pw", organisation="Test").ensure(store)
    page = folder / "page.pdf"
    canvas = Canvas(str(page))
    canvas.drawString(100, 700, "one page")
    canvas.save()
    pdf = sign_pdf(page.read_bytes(), KeyStoreSigner(key_store=store, chain=chain))
    return pdf, chain.root


def test_an_untouched_signature_is_intact_valid_trusted_and_whole(
    signed: tuple[bytes, x509.Certificate],
) -> None:
    pdf, root = signed
    report = validate_pdf(pdf, [root])
    assert report.bottom_line
    assert not validate_pdf(pdf, []).trusted  # trust comes from the roots given, nothing else


def test_an_appended_update_is_reported_as_not_covering_the_file(
    signed: tuple[bytes, x509.Certificate],
) -> None:
    pdf, root = signed
    # An incremental update that changes nothing still leaves bytes the signature does not cover.
    report = validate_pdf(pdf + b"\n% appended\n", [root])
    assert not report.bottom_line


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n", b"%PDF-1.7\n%%EOF\n"])
def test_non_pdfs_are_refused(data: bytes) -> None:
    with pytest.raises(PdfSignatureError):
        validate_pdf(data, [])


def test_an_unsigned_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(100, 700, "no signature")
    canvas.save()
    with pytest.raises(PdfSignatureError, match="no signature"):
        validate_pdf(path.read_bytes(), [])


def test_damaged_signed_files_give_a_report_or_pdf_signature_error(
    signed: tuple[bytes, x509.Certificate],
) -> None:
    pdf, root = signed
    match = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)", pdf)
    assert match is not None
    gap = range(int(match.group(1)), int(match.group(2)))  # the /Contents hex: not signed
    rng = random.Random(20261122)
    for _ in range(400):
        damaged = bytearray(pdf[: rng.randrange(len(pdf))] if rng.random() < 0.1 else pdf)
        for _ in range(rng.randint(1, 20)):
            if damaged:
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            report = validate_pdf(bytes(damaged), [root])
        except PdfSignatureError:
            continue
        if report.bottom_line:  # only possible if no signed byte changed
            assert len(damaged) == len(pdf)
            assert all(pdf[i] == damaged[i] or i in gap for i in range(len(pdf)))
