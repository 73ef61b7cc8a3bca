"""Every certificate type as a prefecture agent meets it: printed, photographed, scanned,
and checked by PDF readers."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
import qrcode
import qrcode.constants
import zxingcpp
from PIL import Image, ImageFilter

from bundles.certificate import (
    QR_SIZE,
    VERIFY_LINE,
    WORDING,
    IssuedCertificate,
    build_certificate,
    check_pdfa,
    render_certificate,
)
from bundles.certificate.qr import QUIET_ZONE, qr_matrix
from bundles.certificate.samples import sample_document
from bundles.errors import CertificateError
from signing.pades import validate_pdf
from signing.seal import CertificateType, SealClaims, verify
from tests.bundles.conftest import Issuer
from tests.tools import pdfsig_report, require_tool

BASE = "https://sceau.ofii.fr"
DPI = 150
MM_PER_INCH = 25.4


@pytest.fixture(scope="module")
def issued(issuer: Issuer) -> dict[CertificateType, tuple[SealClaims, IssuedCertificate]]:
    out = {}
    for kind in CertificateType:
        document = sample_document(kind)
        certificate = build_certificate(
            document,
            key_store=issuer.store,
            seal_key_id=issuer.seal_key_id,
            pdf_signer=issuer.signer,
            base_url=BASE,
        )
        out[kind] = (document.claims, certificate)
    return out


def rasterise(pdf: bytes) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        document.close()


def phone_capture(page: Image.Image) -> Image.Image:
    """Blur, a 10 degree tilt, 60 % scale and JPEG quality 50: a hurried photo at a desk."""
    shot = page.filter(ImageFilter.GaussianBlur(1.5))
    shot = shot.rotate(10, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    shot = shot.resize((int(shot.width * 0.6), int(shot.height * 0.6)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    shot.save(buffer, "JPEG", quality=50)
    return Image.open(io.BytesIO(buffer.getvalue()))


def scan(image: Image.Image) -> zxingcpp.Barcode:
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1, f"expected one QR code, found {len(codes)}"
    return codes[0]


@pytest.mark.parametrize("kind", list(CertificateType))
@pytest.mark.parametrize("capture", ["printed page", "phone photo"])
def test_qr_scans_and_proves_the_claims(
    kind: CertificateType,
    capture: str,
    issued: dict,
    issuer: Issuer,  # type: ignore[type-arg]
) -> None:
    claims, certificate = issued[kind]
    page = rasterise(certificate.pdf)
    image = page if capture == "printed page" else phone_capture(page)

    decoded = scan(image).text

    assert decoded == certificate.seal_url
    result = verify(decoded, issuer.trust)
    assert result.bottom_line
    assert result.claims == claims.normalized()


def test_qr_is_at_least_30_mm_wide_with_its_quiet_zone(issued: dict) -> None:  # type: ignore[type-arg]
    _, certificate = issued[CertificateType.CIVIC_TRAINING]
    code = scan(rasterise(certificate.pdf))
    symbol_px = code.position.top_right.x - code.position.top_left.x
    symbol_mm = symbol_px / DPI * MM_PER_INCH
    with_quiet_zone = len(qr_matrix(certificate.seal_url))
    with_quiet_zone_mm = symbol_mm * with_quiet_zone / (with_quiet_zone - 2 * QUIET_ZONE)
    assert with_quiet_zone_mm >= 30
    assert QR_SIZE / 72 * MM_PER_INCH >= 30


def test_printed_symbol_is_as_small_as_the_qrcode_package_fits_it(
    issued: dict,  # type: ignore[type-arg]
) -> None:
    for _, certificate in issued.values():
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
        code.add_data(certificate.seal_url)
        code.make(fit=True)
        assert len(qr_matrix(certificate.seal_url)) == len(code.get_matrix())
        assert code.version is not None
        assert code.version <= 12


@pytest.mark.parametrize("kind", list(CertificateType))
def test_pyhanko_finds_every_certificate_intact_valid_and_trusted(
    kind: CertificateType,
    issued: dict,
    issuer: Issuer,  # type: ignore[type-arg]
) -> None:
    report = validate_pdf(issued[kind][1].pdf, [issuer.chain.root])
    assert report.bottom_line
    assert "OFII (test) document signing" in report.signer


@pytest.mark.parametrize("kind", list(CertificateType))
def test_poppler_pdfsig_accepts_every_certificate(
    kind: CertificateType,
    issued: dict,
    issuer: Issuer,
    tmp_path: Path,  # type: ignore[type-arg]
) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(issued[kind][1].pdf)
    output = pdfsig_report(path, issuer.pki_folder / "root-ca.pem", tmp_path / "nss")
    assert "Signature Validation: Signature is Valid." in output
    assert "Certificate Validation: Certificate is Trusted." in output
    assert "Total document signed" in output


def _tampered(certificate: IssuedCertificate) -> bytes:
    """One byte of the page's own content (the first stream), inside the first signed range."""
    pdf = bytearray(certificate.pdf)
    pdf[pdf.index(b"stream") + 40] ^= 0x01
    return bytes(pdf)


def test_one_changed_byte_inside_the_signed_range_is_not_intact(
    issued: dict,
    issuer: Issuer,  # type: ignore[type-arg]
) -> None:
    report = validate_pdf(_tampered(issued[CertificateType.CONVOCATION][1]), [issuer.chain.root])
    assert not report.intact
    assert not report.bottom_line


def test_pdfsig_rejects_one_changed_byte(issued: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    pdfsig = require_tool("pdfsig", "poppler-utils")
    path = tmp_path / "tampered.pdf"
    path.write_bytes(_tampered(issued[CertificateType.CONVOCATION][1]))
    output = subprocess.run([pdfsig, str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Digest Mismatch." in output


@pytest.mark.parametrize("kind", list(CertificateType))
def test_rendering_is_pdfa_3b_with_fonts_embedded_and_metadata(
    kind: CertificateType,
    issued: dict,  # type: ignore[type-arg]
) -> None:
    claims, certificate = issued[kind]
    unsigned = render_certificate(sample_document(kind), certificate.seal_url)
    assert check_pdfa(unsigned) == []
    # The signature adds a form field, which the checker states it does not cover;
    # nothing it does cover may be violated.
    findings = check_pdfa(certificate.pdf)
    assert all("/AcroForm" in f for f in findings), findings
    with pikepdf.open(io.BytesIO(certificate.pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert WORDING[kind].title_fr in meta["dc:title"]
        assert meta["dc:identifier"] == claims.certificate_id.hex()
        assert "Office français de l'immigration" in str(meta["dc:creator"])
        assert str(kind) in meta["pdf:Keywords"]
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant.FontDescriptor


def test_page_text_carries_title_holder_code_and_the_scan_line(issued: dict) -> None:  # type: ignore[type-arg]
    claims, certificate = issued[CertificateType.CIVIC_TRAINING]
    document = pypdfium2.PdfDocument(certificate.pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    flat = " ".join(text.split())
    assert WORDING[CertificateType.CIVIC_TRAINING].title_fr in flat
    assert "Certificate of attendance at the civic training" in flat
    assert "N'GUESSAN-KOUAMÉ" in flat
    assert "XX/02/1991" in flat
    assert claims.verification_code in flat
    assert " ".join(VERIFY_LINE.split()) in flat


def test_a_missing_required_field_is_refused_before_anything_is_sealed(issuer: Issuer) -> None:
    document = sample_document(CertificateType.CONVOCATION)
    broken = type(document)(
        claims=document.claims, office_name=document.office_name, details={"place": "Paris"}
    )
    with pytest.raises(CertificateError, match="appointment_at"):
        build_certificate(
            broken,
            key_store=issuer.store,
            seal_key_id=issuer.seal_key_id,
            pdf_signer=issuer.signer,
            base_url=BASE,
        )


def test_an_unknown_field_is_refused() -> None:
    document = sample_document(CertificateType.MEDICAL_VISIT)
    leaky = type(document)(
        claims=document.claims,
        office_name=document.office_name,
        details={**document.details, "diagnosis": "—"},
    )
    with pytest.raises(CertificateError, match="diagnosis"):
        leaky.check()


def test_fields_that_overflow_the_page_are_refused(issuer: Issuer) -> None:
    document = sample_document(CertificateType.CIR_SIGNATURE)
    long = type(document)(
        claims=document.claims,
        office_name=document.office_name,
        details={**document.details, "trainings_prescribed": [f"Formation {i}" for i in range(60)]},
    )
    with pytest.raises(CertificateError, match="one page"):
        render_certificate(long, "HTTPS://X.FR/V/AAAA")


def test_every_type_has_wording_and_every_wording_a_type() -> None:
    assert set(WORDING) == set(CertificateType)
    for wording in WORDING.values():
        assert wording.title_fr
        assert wording.title_en
        assert wording.fields
