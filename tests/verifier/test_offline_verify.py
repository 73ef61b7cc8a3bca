"""Offline verification from what a desk has: a photo of the printed certificate, a scan, the
PDF, or the seal's text; with no network at all. And what a hostile file gets: a clear error
and exit code 2, never a traceback or a decoded bomb.
"""

from __future__ import annotations

import io
import json
import socket
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskCliRunner
from PIL import Image, ImageFilter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from bundles.certificate import render_certificate
from bundles.certificate.samples import sample_document
from signing.keys import KeyPurpose
from signing.seal import CertificateType, encode
from tests.signing.memory_store import MemoryKeyStore
from tests.verifier.conftest import Staff, issue_body
from verifier import scan
from verifier.errors import ScanError
from verifier.scan import read_seal, seal_from_image, seal_from_pdf
from verifier.tokens import Scope

BASE = "https://sceau.ofii.fr"


@dataclass(frozen=True)
class Paper:
    """A certificate as the desk holds it: its PDF, its seal, the page printed at 300 dpi."""

    pdf: bytes
    seal_url: str
    printed: Image.Image


@pytest.fixture(scope="module")
def paper() -> Paper:
    store = MemoryKeyStore()
    key = store.add(ec.derive_private_key(7, ec.SECP256R1()), purpose=KeyPurpose.SEAL)
    document = sample_document(CertificateType.CIVIC_TRAINING)
    seal_url = encode(document.claims, store, key.key_id, base_url=BASE)
    pdf = render_certificate(document, seal_url)
    rendered = pypdfium2.PdfDocument(pdf)
    try:
        printed = rendered[0].render(scale=300 / 72).to_pil().convert("RGB")
    finally:
        rendered.close()
    return Paper(pdf, seal_url, printed)


def _bytes(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _photo(printed: Image.Image, *, angle: float, blur: float, width: int) -> Image.Image:
    """The page photographed: turned on the desk, a little out of focus, and small."""
    turned = printed.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white"
    )
    soft = turned.filter(ImageFilter.GaussianBlur(blur))
    return soft.resize((width, round(soft.height * width / soft.width)), Image.Resampling.LANCZOS)


def _dim(image: Image.Image) -> Image.Image:
    """Bad light: black is dark grey, white is light grey."""
    return image.convert("L").point(lambda v: 85 + v * 80 // 255)


def _keystone(image: Image.Image) -> Image.Image:
    """Taken from above at an angle: the top of the page narrower than the bottom."""
    w, h = image.size
    inset = w // 12
    quad = (-inset, 0, -inset // 3, h, w + inset // 3, h, w + inset, 0)  # NW SW SE NE
    return image.transform(image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)


PHOTOS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "flat scan": lambda p: p,
    "photo turned 7 degrees, blurred, 1200 px wide": lambda p: _photo(
        p, angle=7, blur=1.5, width=1200
    ),
    "photo upside down": lambda p: _photo(p, angle=180, blur=1, width=1600),
    "photo sideways, 900 px wide": lambda p: _photo(p, angle=90, blur=0.8, width=900),
    # zxing's defaults alone miss this one; the doubled copy reads it (bench/scan.py).
    "small photo turned 33 degrees": lambda p: _photo(p, angle=33, blur=1.5, width=700),
    "dim light": lambda p: _dim(_photo(p, angle=-4, blur=1, width=1500)),
    "keystone": lambda p: _keystone(_photo(p, angle=2, blur=1, width=1400)),
}


@pytest.mark.parametrize("name", list(PHOTOS))
def test_the_seal_is_read_from_photos_and_scans_of_the_printed_page(
    paper: Paper, name: str
) -> None:
    photo = PHOTOS[name](paper.printed)
    assert seal_from_image(_bytes(photo.convert("RGB"), "JPEG", quality=75)) == paper.seal_url


def test_formats_a_phone_or_scanner_produces_are_read(paper: Paper) -> None:
    photo = _photo(paper.printed, angle=3, blur=0.7, width=1300)
    for fmt in ("PNG", "WEBP", "TIFF", "BMP", "GIF"):
        found = read_seal(_bytes(photo.convert("RGB"), fmt))
        assert (found.text, found.source) == (paper.seal_url, "image"), fmt
    # A JPEG stored sideways with an EXIF orientation tag, as phones do.
    sideways = photo.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 8
    assert seal_from_image(_bytes(sideways.convert("RGB"), "JPEG", exif=exif)) == paper.seal_url


def test_a_pdf_is_read_by_rendering_its_page_and_a_text_file_as_text(paper: Paper) -> None:
    assert read_seal(paper.pdf).source == "pdf"
    assert seal_from_pdf(paper.pdf) == paper.seal_url
    # A scanner's PDF: the photo of the page as an image, no text, no metadata of ours.
    scanned = io.BytesIO()
    page = canvas.Canvas(scanned, pagesize=(595, 842))
    image_file = io.BytesIO(_bytes(_photo(paper.printed, angle=1.5, blur=0.8, width=1700), "JPEG"))
    page.drawImage(ImageReader(image_file), 0, 0, width=595, height=842)
    page.showPage()
    page.save()
    assert seal_from_pdf(scanned.getvalue()) == paper.seal_url
    text = read_seal(f"  {paper.seal_url}\n".encode())
    assert (text.text, text.source) == (paper.seal_url, "text")


# ----------------------------------------------------------------------------- hostile


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _qr(text: str) -> Image.Image:
    return qrcode.make(text, border=4, box_size=6).get_image().convert("L")


def _two_seals(paper: Paper) -> bytes:
    store = MemoryKeyStore()
    key = store.generate(purpose=KeyPurpose.SEAL)
    other = encode(sample_document(CertificateType.CONVOCATION).claims, store, key.key_id)
    left, right = _qr(paper.seal_url), _qr(f"{BASE}/V/{other}")
    both = Image.new("L", (left.width + right.width + 40, max(left.height, right.height)), 255)
    both.paste(left, (0, 0))
    both.paste(right, (left.width + 40, 0))
    return _bytes(both)


def _huge_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(14400, 14400))  # 200 inches square: PDF's maximum
    page.drawString(100, 100, "nothing here")
    page.showPage()
    page.save()
    return out.getvalue()


HOSTILE: dict[str, tuple[Callable[[Paper], bytes], str]] = {
    "bomb claiming 100000 x 100000 pixels": (
        lambda p: _png_claiming(100_000, 100_000),
        "too-large",
    ),
    "bomb just over the limit": (lambda p: _png_claiming(8000, 6001), "too-large"),
    "zero pixels": (lambda p: _png_claiming(0, 0), "unreadable"),
    "truncated PNG": (lambda p: _bytes(_qr(p.seal_url))[:300], "unreadable"),
    "truncated JPEG": (lambda p: _bytes(p.printed, "JPEG")[:2000], "unreadable"),
    "PNG magic, then garbage": (lambda p: b"\x89PNG\r\n\x1a\n" + b"\xff" * 500, "unreadable"),
    "AVIF-like box": (lambda p: b"\x00\x00\x00\x1cftypavif" + b"\x00" * 64, "unreadable"),
    "PDF header, then garbage": (lambda p: b"%PDF-1.7\n" + b"\x00garbage" * 100, "unreadable"),
    "binary noise": (lambda p: bytes(range(256)) * 40, "unreadable"),
    "blank page": (lambda p: _bytes(Image.new("L", (1000, 1400), 255)), "no-qr-code"),
    "a QR code that is not a seal": (lambda p: _bytes(_qr("https://example.org/")), "not-a-seal"),
    "two different seals": (_two_seals, "several-seals"),
    "a PDF page 200 inches square": (lambda p: _huge_page_pdf(), "no-qr-code"),
    "a text file of a megabyte": (lambda p: b"A" * (1 << 20), "too-large"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_get_a_clear_error(paper: Paper, name: str) -> None:
    make, code = HOSTILE[name]
    with pytest.raises(ScanError) as raised:
        read_seal(make(paper))
    assert raised.value.code == code, str(raised.value)
    assert str(raised.value)


def test_files_beyond_the_size_limit_are_refused_before_reading(
    paper: Paper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(ScanError) as raised:
        read_seal(paper.pdf)
    assert raised.value.code == "too-large"


# ----------------------------------------------------------------------------- the command


def test_the_command_verifies_a_photo_a_pdf_and_a_url_with_no_network(
    ready_app: Flask,
    runner: FlaskCliRunner,
    staff: Staff,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = ready_app.test_client()
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "offline"}),
    ).get_json()
    pdf = client.get(made["pdf_url"], headers=staff.headers(Scope.VERIFY)).data
    trust = tmp_path / "trust.json"
    assert runner.invoke(args=["trust", "export", "--output", str(trust)]).exit_code == 0
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    rendered = pypdfium2.PdfDocument(pdf)
    try:
        printed = rendered[0].render(scale=300 / 72).to_pil().convert("RGB")
    finally:
        rendered.close()
    photo = _photo(printed, angle=-6, blur=1.2, width=1400)
    (tmp_path / "photo.jpg").write_bytes(_bytes(photo, "JPEG", quality=70))
    (tmp_path / "bomb.png").write_bytes(_png_claiming(60_000, 60_000))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline verification tried to use the network")

    for name in ("socket", "socketpair", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse)
    anchor = str(tmp_path / "anchor.json")

    def offline(what: str, *extra: str) -> tuple[int, str]:
        result = runner.invoke(
            args=["verify", "--offline", "--trust", str(trust), "--anchor", anchor, *extra, what]
        )
        return result.exit_code, result.output

    for what, source in (
        (str(tmp_path / "photo.jpg"), "image"),
        (str(tmp_path / "certificate.pdf"), "pdf"),
        (made["seal_url"], "text"),
    ):
        code, output = offline(what, "--json")
        assert code == 0, output
        answer = json.loads(output)
        assert answer["status"] == "valid"
        assert answer["source"] == source
        assert answer["register_checked"] is False
        assert answer["seal_claims"]["id"] == made["id"]
        assert answer["signature"]["key_status"] == "active"
        assert answer["trust_list"]["freshness"] == "fresh"
    code, output = offline(str(tmp_path / "photo.jpg"))
    assert code == 0, output
    assert output.startswith("valid (offline)")
    assert f"certificate {made['id']}" in output
    assert "trust list version 1, issued less than an hour ago, expires in 6 days" in output
    code, output = offline(str(tmp_path / "bomb.png"))
    assert code == 2
    assert "pixels" in output
    code, output = offline(made["seal_url"][:-4] + "AAAA")
    assert code in (1, 2)  # a broken signature (1) or a payload that no longer parses (2)
    missing = runner.invoke(
        args=["verify", "--offline", "--trust", str(tmp_path / "none.json"), made["seal_url"]]
    )
    assert missing.exit_code == 2
    assert "cannot read" in missing.output
    Path(anchor).write_text("{not json")
    damaged = runner.invoke(
        args=["verify", "--offline", "--trust", str(trust), "--anchor", anchor, made["seal_url"]]
    )
    assert damaged.exit_code == 2
    assert "remove it to start afresh" in damaged.output
    # --trust without --offline: a usage error, not a silent online check.
    assert runner.invoke(args=["verify", "--trust", str(trust), made["seal_url"]]).exit_code == 2
