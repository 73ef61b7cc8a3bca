"""The A4 page of a certificate, drawn with reportlab in DejaVu Sans (embedded, subsetted).

Layout from the top: issuing office, title in French with an English subtitle, the statement,
the holder, the type's own fields, issue and validity; at the foot the seal QR (45 mm with its
quiet zone: about 0.7 mm a module, which a phone resolves from arm's length) beside the
instruction to scan it, then the verification code and the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from bundles.certificate.document import CertificateDocument, format_value
from bundles.certificate.qr import draw_qr
from bundles.certificate.wording import WORDING
from bundles.errors import CertificateError
from bundles.layout import BLUE, BOLD, GREY, HEIGHT, ISSUER, REGULAR, WIDTH, PageCursor

__all__ = ["QR_SIZE", "VERIFY_LINE", "render_page"]


QR_SIZE = 45 * mm
VERIFY_LINE = "Vérifiez ce document : scannez le code — Verify this document: scan the code"
MARGIN = 18 * mm
CONTENT = WIDTH - 2 * MARGIN
LABEL_COLUMN = 62 * mm


def _row(page: PageCursor, label_fr: str, label_en: str, lines: Sequence[str]) -> None:
    """A label (French over English) in the left column, the value beside it."""
    top = page.y
    page.text(label_fr, size=9, colour=GREY, width=LABEL_COLUMN - 4 * mm)
    page.text(label_en, size=7.5, colour=GREY, width=LABEL_COLUMN - 4 * mm)
    below_labels = page.y
    page.y = top
    for line in lines:
        page.text(line, size=10.5, x=MARGIN + LABEL_COLUMN, width=CONTENT - LABEL_COLUMN)
    page.y = min(page.y, below_labels) - 2.2 * mm


def render_page(document: CertificateDocument, seal_url: str) -> bytes:
    """The unsigned certificate page (plain PDF; see pdfa.to_pdfa for the archival form)."""
    document.check()
    claims = document.claims
    wording = WORDING[claims.certificate_type]
    out = BytesIO()
    # Start in DejaVu: reportlab would otherwise list Helvetica, an unembedded font PDF/A
    # refuses. (The stubs type initialFontName wrongly as a number.)
    canvas = Canvas(out, pagesize=A4, initialFontName=REGULAR, pageCompression=1)  # type: ignore[arg-type]
    canvas.setTitle(f"{wording.title_fr} — {claims.verification_code}")
    canvas.setAuthor(ISSUER)
    canvas.setCreator("Sceau")
    canvas.setSubject(str(claims.certificate_type))
    page = PageCursor(canvas, margin=MARGIN)

    # Issuer, and what kind of paper this is.
    page.text(ISSUER.upper(), size=10, font=BOLD, colour=BLUE, width=CONTENT * 0.62)
    page.text(document.office_name, size=9.5, width=CONTENT * 0.62)
    for line in document.office_address:
        page.text(line, size=8.5, colour=GREY, width=CONTENT * 0.62)
    canvas.setFont(BOLD, 8.5)
    canvas.setFillColorRGB(*BLUE)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN - 10, "Document scellé électroniquement")
    canvas.setFont(REGULAR, 8)
    canvas.setFillColorRGB(*GREY)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN - 21, "Electronically sealed document")
    page.y -= 4 * mm
    page.rule(after=7 * mm)

    page.text(wording.title_fr, size=17, font=BOLD, colour=BLUE, leading=1.2, after=1 * mm)
    page.text(wording.title_en, size=11, colour=GREY, after=5 * mm)
    page.text(wording.statement_fr, size=10, leading=1.35, after=1.5 * mm)
    page.text(wording.statement_en, size=8.5, colour=GREY, leading=1.35, after=6 * mm)

    page.text("Titulaire — Holder", size=10, font=BOLD, colour=BLUE, after=2 * mm)
    _row(page, "Nom", "Family name", [claims.family_name.upper() or "—"])
    _row(page, "Prénoms", "Given names", [claims.given_names or "—"])
    _row(page, "Date de naissance", "Date of birth", format_value(claims.birth_date))
    page.y -= 2 * mm
    page.rule(after=5 * mm)

    for field in wording.fields:
        value = document.details.get(field.key)
        if value:
            _row(page, field.label_fr, field.label_en, format_value(value))
    _row(page, "Délivré le", "Issued on", [*format_value(claims.issued_on), document.office_name])
    until = (
        format_value(claims.valid_until)
        if claims.valid_until
        else ["Sans date de fin de validité — no end date"]
    )
    _row(page, "Valable jusqu'au", "Valid until", until)

    qr_top = MARGIN + 14 * mm + QR_SIZE
    if page.y < qr_top + 4 * mm:
        raise CertificateError("the certificate's fields do not fit on one page")
    _draw_seal_block(canvas, document, seal_url)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_seal_block(canvas: Any, document: CertificateDocument, seal_url: str) -> None:
    claims = document.claims
    bottom = MARGIN + 14 * mm
    canvas.setStrokeColorRGB(0.8, 0.8, 0.84)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, bottom + QR_SIZE + 3 * mm, WIDTH - MARGIN, bottom + QR_SIZE + 3 * mm)
    draw_qr(canvas, seal_url, x=MARGIN, y=bottom, size=QR_SIZE)

    text_x = MARGIN + QR_SIZE + 6 * mm
    page = PageCursor(canvas, margin=MARGIN)
    page.y = bottom + QR_SIZE - 2 * mm
    width = WIDTH - MARGIN - text_x
    page.text(VERIFY_LINE, size=10.5, font=BOLD, colour=BLUE, x=text_x, width=width, after=2 * mm)
    page.text(
        "Le code ouvre la page de vérification de l'OFII, qui affiche le titulaire et l'état du "
        "document (valide, révoqué, remplacé, expiré). Ce qu'elle affiche doit correspondre à "
        "ce papier.",
        size=8.5,
        x=text_x,
        width=width,
    )
    page.text(
        "The code opens OFII's verification page, which shows the holder and the document's "
        "status. What it shows must match this paper.",
        size=7.5,
        colour=GREY,
        x=text_x,
        width=width,
        after=3 * mm,
    )
    page.text("Code de vérification — Verification code", size=8, colour=GREY, x=text_x)
    page.text(claims.verification_code, size=13, font=BOLD, x=text_x, width=width)

    # The URL under the QR, cut anywhere (it has no spaces), small but legible.
    canvas.setFont(REGULAR, 6)
    canvas.setFillColorRGB(*GREY)
    per_line = max(1, int(CONTENT / pdfmetrics.stringWidth("M", REGULAR, 6)))
    y = bottom - 3 * mm
    for start in range(0, len(seal_url), per_line):
        canvas.drawString(MARGIN, y, seal_url[start : start + per_line])
        y -= 7.5
    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(
        MARGIN,
        MARGIN - 1 * mm,
        "Signé électroniquement (PAdES) par l'OFII : toute modification du fichier invalide "
        "la signature.",
    )
    canvas.drawString(
        MARGIN,
        MARGIN - 4 * mm,
        "Digitally signed (PAdES) by OFII: any change to the file breaks the signature.",
    )
    canvas.drawRightString(WIDTH - MARGIN, MARGIN - 4 * mm, "1/1")
