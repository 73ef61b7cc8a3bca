"""The activation letter: signed, its QR opens the activation page, its code is in its text."""

from __future__ import annotations

import io
from datetime import date

import pikepdf
import pypdfium2
import pytest
import zxingcpp

from bundles.letters import ActivationLetter, build_activation_letter, render_activation_letter
from signing.pades import validate_pdf
from tests.bundles.conftest import Issuer

CODE = "ABCD-EFGH-JKLM-NPQR"
URL = f"http://sceau.example/activate?code={CODE}"
LETTER = ActivationLetter(
    office_name="Direction territoriale de Paris",
    family_name="Haddad",
    given_names="Amina",
    code=CODE,
    activation_url=URL,
    expires_on=date(2031, 5, 17),
    language="ar",
)


@pytest.fixture(scope="module")
def signed(issuer: Issuer) -> bytes:
    return build_activation_letter(LETTER, pdf_signer=issuer.signer)


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def test_the_letter_is_signed_by_the_document_key(signed: bytes, issuer: Issuer) -> None:
    report = validate_pdf(signed, [issuer.chain.root])
    assert report.bottom_line


def test_its_qr_code_opens_the_activation_page_with_the_code(signed: bytes) -> None:
    document = pypdfium2.PdfDocument(signed)
    try:
        image = document[0].render(scale=150 / 72).to_pil().convert("L")
    finally:
        document.close()
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert [c.text for c in codes] == [URL]


def test_the_text_carries_name_code_address_and_expiry(signed: bytes) -> None:
    text = _text(signed)
    assert "Amina HADDAD" in text
    assert CODE in text
    assert URL in text.replace(" ", "") or URL in text
    assert "17/05/2031" in text
    assert "Lettre d'activation" in text
    assert "Activation letter" in text


def test_one_a4_page_with_every_font_embedded() -> None:
    with pikepdf.open(io.BytesIO(render_activation_letter(LETTER))) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert box == pytest.approx([0, 0, 595.2756, 841.8898], abs=0.01)
        fonts = pdf.pages[0].Resources.Font
        for name in fonts.keys():  # noqa: SIM118 - pikepdf dictionaries iterate differently
            descendant = fonts[name].get("/DescendantFonts")
            font = descendant[0] if descendant is not None else fonts[name]
            descriptor = font.FontDescriptor
            assert "/FontFile2" in descriptor, name


@pytest.mark.parametrize(
    "change", [{"activation_url": "javascript:alert(1)"}, {"code": "  "}], ids=["url", "code"]
)
def test_a_letter_without_a_proper_code_or_address_is_refused(change: dict[str, str]) -> None:
    fields = {**LETTER.__dict__, **change}
    with pytest.raises(ValueError, match=r"activation|address"):
        render_activation_letter(ActivationLetter(**fields))
