"""The intake: hostile files are refused each with its own code, clean ones become clean PDFs."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable

import pikepdf
import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bundles.errors import BundleError, IntakeError
from bundles.intake import IntakeLimits, IntakeResult, take_in
from tests.bundles import hostile

# --- helpers ---------------------------------------------------------------------------------


def text_of(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def refused(data: bytes, filename: str, limits: IntakeLimits | None = None) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        take_in(data, filename=filename, limits=limits or IntakeLimits())
    error = caught.value
    assert isinstance(error, BundleError)
    assert isinstance(error, ValueError)
    assert error.detail
    return error


def all_objects(pdf: bytes) -> list[object]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [repr(obj) for obj in document.objects]


def image_placement(pdf: bytes) -> tuple[tuple[int, int], tuple[float, float], bytes]:
    """(pixels of the one image, its size on the page in points, its stream's raw bytes)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        (_name, image), *others = page.Resources.XObject.items()
        assert not others
        content = page.obj.Contents.read_bytes().decode()
        match = re.search(r"q ([\d.]+) 0 0 ([\d.]+) [\d.]+ [\d.]+ cm", content)
        assert match, content
        return (
            (int(image.Width), int(image.Height)),
            (float(match[1]), float(match[2])),
            image.read_raw_bytes(),
        )


# --- the hostile corpus: each file its own code ----------------------------------------------

HOSTILE: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("zero bytes", lambda: b"", "exhibit.pdf", "empty"),
    ("truncated pdf", hostile.truncated_pdf, "bail.pdf", "damaged"),
    ("encrypted, empty user password", hostile.encrypted_pdf, "bail.pdf", "encrypted"),
    ("encrypted, with a password", lambda: hostile.encrypted_pdf("1234"), "bail.pdf", "encrypted"),
    ("10,000 pages", hostile.many_pages_pdf, "pages.pdf", "too-many-pages"),
    ("50,000 x 50,000 image", hostile.huge_png_header, "scan.png", "image-too-large"),
    ("png that is also a pdf", hostile.png_pdf_polyglot, "photo.png", "polyglot"),
    ("pdf that is also a zip", hostile.pdf_zip_polyglot, "letter.pdf", "polyglot"),
    ("png named .pdf", hostile.png, "scan.pdf", "type-mismatch"),
    ("pdf named .jpg", hostile.clean_pdf, "photo.jpg", "type-mismatch"),
    ("eml without headers", lambda: hostile.MALFORMED_EML, "mail.eml", "eml-malformed"),
    ("eml without sender", lambda: hostile.eml(sender=None), "mail.eml", "eml-malformed"),
    ("eml without date", lambda: hostile.eml(date=False), "mail.eml", "eml-malformed"),
    ("unknown type", lambda: b"GIF89a" + b"\x00" * 64, "anim.gif", "unknown-type"),
    ("text without a type", lambda: b"just some words", "notes", "unknown-type"),
    (
        "zip",
        lambda: hostile.pdf_zip_polyglot()[len(hostile.clean_pdf()) :],
        "a.zip",
        "unknown-type",
    ),
    ("truncated jpeg", lambda: hostile.jpeg_with_gps()[:400], "photo.jpg", "damaged"),
    ("pdf header after junk", lambda: b"junk\n" + hostile.clean_pdf(), "x.pdf", "damaged"),
]


@pytest.mark.parametrize(
    ("make", "filename", "code"),
    [pytest.param(make, name, code, id=label) for label, make, name, code in HOSTILE],
)
def test_each_hostile_file_is_refused_with_its_own_code(
    make: Callable[[], bytes], filename: str, code: str
) -> None:
    error = refused(make(), filename)
    assert error.code == code
    assert len(error.detail) > 15
    assert str(error).startswith(code)


def test_the_encrypted_message_says_what_to_do() -> None:
    detail = refused(hostile.encrypted_pdf(), "a.pdf").detail
    assert "password" in detail
    assert "remove the protection" in detail


def test_size_is_checked_before_anything_is_parsed() -> None:
    limits = IntakeLimits(max_bytes=1000)
    error = refused(b"\x00" * 1001, "anything.pdf", limits)  # not even a PDF: size comes first
    assert error.code == "too-large"


def test_the_page_limit_is_a_setting() -> None:
    pdf = hostile.clean_pdf(pages=3)
    assert take_in(pdf, filename="a.pdf", limits=IntakeLimits(max_pages=3)).pages == 3
    assert refused(pdf, "a.pdf", IntakeLimits(max_pages=2)).code == "too-many-pages"


def test_the_page_tree_is_walked_even_when_its_count_lies() -> None:
    pdf = hostile.many_pages_pdf(50).replace(b"/Count 50", b"/Count 1 ")
    assert refused(pdf, "a.pdf", IntakeLimits(max_pages=10)).code == "too-many-pages"


def test_the_pixel_limit_is_a_setting() -> None:
    data = hostile.png((100, 100))
    assert refused(data, "a.png", IntakeLimits(max_image_pixels=9_999)).code == "image-too-large"


def test_a_pdf_of_too_many_objects_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import bundles.intake._pdf

    monkeypatch.setattr(bundles.intake._pdf, "MAX_OBJECTS", 10)
    assert refused(hostile.clean_pdf(pages=20), "a.pdf").code == "too-complex"


# --- PDFs --------------------------------------------------------------------------------------


def test_a_clean_pdf_keeps_its_text_and_its_hashes() -> None:
    data = hostile.clean_pdf(pages=2)
    result = take_in(data, filename="../../etc/Attestation\x00 de domicile.PDF")
    assert result.kind == "pdf"
    assert result.original == data
    assert result.original_sha256 == hashlib.sha256(data).hexdigest()
    assert result.pdf_sha256 == hashlib.sha256(result.pdf).hexdigest()
    assert result.pages == 2
    assert result.title == "Attestation de domicile"
    assert result.removed == ()
    assert result.attachments == ()
    assert hostile.CLEAN_TEXT in text_of(result.pdf)


def test_a_pdf_loses_what_can_act_and_says_so() -> None:
    result = take_in(hostile.hostile_pdf(), filename="piece.pdf")
    assert set(result.removed) == {
        "javascript",
        "open-action",
        "launch-action",
        "additional-actions",
        "embedded-files",
        "xfa",
    }
    assert len(result.removed) == len(set(result.removed))
    for marker in (b"/JavaScript", b"/OpenAction", b"/Launch", b"/EmbeddedFiles", b"/JS", b"/AA"):
        assert marker not in result.pdf, marker
    assert b"/XFA" not in result.pdf
    assert b"hidden" not in result.pdf
    assert b"MZ not really" not in result.pdf
    objects = "\n".join(str(o) for o in all_objects(result.pdf))
    assert "JavaScript" not in objects
    assert "Launch" not in objects
    # What is harmless stays: the text, and the web link.
    assert hostile.CLEAN_TEXT in text_of(result.pdf)
    assert b"https://example.org/" in result.pdf
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        assert [str(a.Subtype) for a in document.pages[0].Annots] == ["/Link", "/Link"]
        assert not document.attachments


def test_the_output_pdf_is_taken_in_again_unchanged() -> None:
    first = take_in(hostile.hostile_pdf(), filename="a.pdf")
    again = take_in(first.pdf, filename="a.pdf")
    assert again.removed == ()
    assert again.pdf == first.pdf


# --- images ------------------------------------------------------------------------------------


def test_a_photo_loses_its_exif_and_gps_and_is_turned_upright() -> None:
    data = hostile.jpeg_with_gps((640, 480))
    assert b"PhoneMaker" in data
    result = take_in(data, filename="IMG_0001.JPG")
    assert result.kind == "jpeg"
    assert result.pages == 1
    assert result.title == "IMG_0001"
    assert set(result.removed) >= {"exif", "gps"}
    assert result.original_sha256 == hashlib.sha256(data).hexdigest()
    assert b"Exif" not in result.pdf
    assert b"PhoneMaker" not in result.pdf
    pixels, shown, raw = image_placement(result.pdf)
    assert raw.startswith(b"\xff\xd8")
    embedded = Image.open(io.BytesIO(raw))
    assert "exif" not in embedded.info
    assert not embedded.getexif()
    assert pixels == (480, 640)  # orientation 6 applied: portrait now
    assert shown[1] > shown[0]


def test_a_large_scan_is_brought_down_to_300_dpi_on_an_a4_page() -> None:
    result = take_in(hostile.png((3000, 4200), (250, 250, 250)), filename="scan.png")
    pixels, shown, raw = image_placement(result.pdf)
    dpi = pixels[0] / (shown[0] / 72)
    assert dpi <= 300.5
    assert dpi > 290
    assert raw[:2] != b"\xff\xd8"  # PNG stays lossless (Flate)
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        box = [float(v) for v in document.pages[0].mediabox]
        assert box == pytest.approx([0, 0, 595.2756, 841.8898], abs=0.01)
        assert str(document.pages[0].Resources.XObject["/Im0"].Filter) == "/FlateDecode"


def test_a_wide_image_gets_a_landscape_page_and_small_ones_are_not_blown_up() -> None:
    result = take_in(hostile.png((400, 100)), filename="wide.png")
    pixels, shown, _ = image_placement(result.pdf)
    assert pixels == (400, 100)
    assert shown == pytest.approx((400, 100), abs=0.01)  # 72 dpi at most: one point a pixel
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        box = [float(v) for v in document.pages[0].mediabox]
        assert box[2] > box[3]


def test_transparency_goes_onto_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    result = take_in(out.getvalue(), filename="t.png")
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        image = pikepdf.PdfImage(document.pages[0].Resources.XObject["/Im0"]).as_pil_image()
        assert image.getpixel((5, 5)) == (255, 255, 255)


def test_heic_is_read() -> None:
    data = hostile.heic()
    result = take_in(data, filename="IMG_1234.HEIC")
    assert result.kind == "heic"
    pixels, _, raw = image_placement(result.pdf)
    assert pixels == (64, 48)
    assert raw.startswith(b"\xff\xd8")  # a photograph: stored JPEG


def test_a_heic_named_jpg_is_a_mismatch() -> None:
    assert refused(hostile.heic(), "photo.jpg").code == "type-mismatch"


def test_without_an_extension_the_magic_decides() -> None:
    assert take_in(hostile.png(), filename="upload").kind == "png"
    assert take_in(hostile.clean_pdf(), filename="upload.bin").kind == "pdf"


# --- e-mails -----------------------------------------------------------------------------------


def test_an_email_becomes_pages_with_its_headers_and_its_attachments_apart() -> None:
    pdf = hostile.clean_pdf("Convocation")
    photo = hostile.jpeg_with_gps()
    data = hostile.eml(
        attachments=(
            ("convocation.pdf", pdf, "application/pdf"),
            ("photo.jpg", photo, "image/jpeg"),
            ("virus.exe", b"MZ\x90\x00 program", "application/octet-stream"),
            ("scan.pdf", hostile.png(), "application/pdf"),
        )
    )
    result = take_in(data, filename="rdv.eml")
    assert result.kind == "eml"
    assert result.title == "Votre rendez-vous en préfecture"
    assert result.pages >= 1
    text = text_of(result.pdf)
    for expected in (
        "From: Préfecture <rdv@prefecture.example>",
        "To: Amina Diallo <amina@example.org>",
        "Cc: Avocat <avocat@example.org>",
        "Subject: Votre rendez-vous en préfecture",
        "Date: Sat, 01 Feb 2025 09:30:00",
        "Votre rendez-vous est fixé au 3 mars.",
        "convocation.pdf",
        "virus.exe",
    ):
        assert expected in text, expected
    assert [a.kind for a in result.attachments] == ["pdf", "jpeg"]
    assert [a.title for a in result.attachments] == ["convocation", "photo"]
    assert result.attachments[0].original == pdf
    assert "Convocation" in text_of(result.attachments[0].pdf)
    assert {"exif", "gps"} <= set(result.attachments[1].removed)
    assert result.removed == (
        "attachment-refused:virus.exe:unknown-type",
        "attachment-refused:scan.pdf:type-mismatch",
    )


def test_an_html_email_is_read_as_text_and_nothing_is_fetched() -> None:
    html = (
        "<html><head><title>t</title><style>p{}</style><script>alert('x')</script></head>"
        "<body><p>Bonjour <b>Amina</b>,</p><img src='https://tracker.example/x.png'>"
        "<p>Votre dossier &eacute;tait complet.</p></body></html>"
    )
    result = take_in(hostile.eml(body="", html=html), filename="m.eml")
    text = text_of(result.pdf)
    assert "Votre dossier était complet." in text or "Bonjour" in text
    # text/plain comes first when there is one; without it, the HTML's text is used.
    plain_less = hostile.eml(body="x", html=html).replace(b"text/plain", b"text/x-other")
    text = text_of(take_in(plain_less, filename="m.eml").pdf)
    assert "Bonjour Amina," in text
    assert "Votre dossier était complet." in text
    assert "alert" not in text
    assert "tracker" not in text


def test_a_long_email_runs_over_several_pages_and_long_words_are_cut() -> None:
    body = "\n".join(f"Ligne {i} " + "x" * 300 for i in range(120))
    result = take_in(hostile.eml(body=body), filename="long.eml")
    assert result.pages > 2
    assert refused(hostile.eml(body=body), "long.eml", IntakeLimits(max_pages=2)).code == (
        "too-many-pages"
    )


def test_an_email_in_an_email_is_taken_in_one_level_deep() -> None:
    inner = hostile.eml(subject="Inner", attachments=(("a.png", hostile.png(), "image/png"),))
    middle = hostile.eml(subject="Middle", attachments=(("inner.eml", inner, "message/rfc822"),))
    outer = hostile.eml(subject="Outer", attachments=(("middle.eml", middle, "message/rfc822"),))
    once = take_in(middle, filename="m.eml")
    assert [a.kind for a in once.attachments] == ["eml"]
    assert once.attachments[0].title == "Inner"
    assert once.attachments[0].attachments[0].kind == "png"
    twice = take_in(outer, filename="o.eml")
    assert twice.attachments[0].title == "Middle"
    assert twice.attachments[0].removed == ("attachment-refused:inner.eml:eml-nested",)


def test_too_many_attachments_refuse_the_email() -> None:
    parts = tuple((f"{i}.png", hostile.png(), "image/png") for i in range(3))
    error = refused(hostile.eml(attachments=parts), "m.eml", IntakeLimits(max_attachments=2))
    assert error.code == "too-many-attachments"


def test_an_email_is_recognised_without_its_extension() -> None:
    assert take_in(hostile.eml(), filename="message").kind == "eml"
    assert refused(hostile.eml(), "message.pdf").code == "type-mismatch"


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("C:\\Users\\x\\Relevé.pdf", "Relevé"),
        ("/etc/passwd", "passwd"),
        ("a\x1b[31mred\u202e.pdf", "a [31mred"),
        (".pdf", ".pdf"),
        ("", "document"),
        ("x" * 500 + ".pdf", "x" * 120),
    ],
)
def test_titles_are_clean(filename: str, title: str) -> None:
    result = take_in(hostile.clean_pdf(), filename=filename)
    assert result.title == title


def test_results_are_frozen() -> None:
    result = take_in(hostile.png(), filename="a.png")
    assert isinstance(result, IntakeResult)
    with pytest.raises(AttributeError):
        result.title = "x"  # type: ignore[misc]


# --- fuzz: only IntakeError escapes ------------------------------------------------------------

SEEDS = [
    (hostile.clean_pdf(), "a.pdf"),
    (hostile.hostile_pdf(), "a.pdf"),
    (hostile.png(), "a.png"),
    (hostile.jpeg_with_gps((64, 48)), "a.jpg"),
    (hostile.heic(), "a.heic"),
    (hostile.eml(attachments=(("a.png", hostile.png((8, 8)), "image/png"),)), "a.eml"),
]
NAMES = st.sampled_from(["x", "x.pdf", "x.png", "x.jpg", "x.heic", "x.eml", "x.txt"])


def only_intake_errors(data: bytes, filename: str) -> None:
    limits = IntakeLimits(max_pages=50, max_image_pixels=1_000_000)
    try:
        result = take_in(data, filename=filename, limits=limits)
    except IntakeError:
        return
    assert result.pdf.startswith(b"%PDF-")
    assert result.original == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), filename=NAMES)
def test_fuzz_random_bytes(data: bytes, filename: str) -> None:
    only_intake_errors(data, filename)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    seed, name = draw(st.sampled_from(SEEDS))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data), name


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_fuzz_mutated_valid_files(case: tuple[bytes, str]) -> None:
    only_intake_errors(*case)
