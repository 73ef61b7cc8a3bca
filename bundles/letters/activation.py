"""The activation letter: one A4 page an OFII agent prints and hands to a migrant.

It carries what the migrant needs to open their account without anyone else's help: the
one-time code in large monospaced letters (typed from paper: every character the same width,
so a group of four reads as four), a QR code that opens the activation page with the code
already filled in, the same address written out for those without a phone camera, and the
day the code stops working. French always, English under it (see ``ActivationLetter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from bundles.certificate.qr import draw_qr
from bundles.layout import BLUE, BOLD, GREY, HEIGHT, ISSUER, MONO, REGULAR, WIDTH, PageCursor

__all__ = ["ISSUER", "QR_SIZE", "ActivationLetter", "render_activation_letter"]

QR_SIZE = 45 * mm  # as on the certificates: about 0.7 mm a module, read from arm's length
MARGIN = 20 * mm
CONTENT = WIDTH - 2 * MARGIN
CODE_SIZE = 24  # points: the code is what the reader must copy without a mistake


@dataclass(frozen=True, kw_only=True)
class ActivationLetter:
    """What the letter says. ``language`` is the person's preferred language; the letter is
    French with English beneath, whatever it is (Arabic is not printed: reportlab cannot
    shape Arabic script without HarfBuzz, and unshaped Arabic is unreadable)."""

    office_name: str
    family_name: str
    given_names: str
    code: str
    activation_url: str
    expires_on: date
    language: str = "fr"

    def check(self) -> None:
        if not self.activation_url.startswith(("http://", "https://")):
            raise ValueError(f"not an address to print: {self.activation_url!r}")
        if not self.code.strip():
            raise ValueError("an activation letter needs its code")


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _header(page: PageCursor, letter: ActivationLetter) -> None:
    page.text(ISSUER.upper(), size=10, font=BOLD, colour=BLUE, width=CONTENT * 0.6)
    page.text(letter.office_name, size=9.5, width=CONTENT * 0.6)
    canvas = page.c
    canvas.setFont(BOLD, 8.5)
    canvas.setFillColorRGB(*BLUE)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN - 10, "Lettre d'activation")
    canvas.setFont(REGULAR, 8)
    canvas.setFillColorRGB(*GREY)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - MARGIN - 21, "Activation letter")
    page.y -= 5 * mm
    page.rule(after=8 * mm)


def _introduction(page: PageCursor, letter: ActivationLetter) -> None:
    name = f"{letter.given_names} {letter.family_name.upper()}".strip()
    page.text("Votre espace personnel Sceau", size=18, font=BOLD, colour=BLUE, after=1 * mm)
    page.text("Your personal Sceau space", size=11.5, colour=GREY, after=6 * mm)
    page.text(f"À l'attention de — For: {name}", size=11, font=BOLD, after=4 * mm)
    page.text(
        "Cet espace vous permet de consulter et de télécharger vos attestations OFII scellées, "
        "et de constituer des dossiers pour vos démarches (renouvellement de titre de séjour, "
        "recours). Pour l'ouvrir, scannez le code QR ci-dessous ou saisissez l'adresse "
        "indiquée, puis le code d'activation, et choisissez votre mot de passe.",
        size=10,
        after=2 * mm,
    )
    page.text(
        "This space lets you see and download your sealed OFII certificates and build files "
        "for your procedures (residence permit renewal, appeals). To open it, scan the QR code "
        "below or type the address shown, then the activation code, and choose your password.",
        size=8.8,
        colour=GREY,
        after=8 * mm,
    )


def _code_box(page: PageCursor, letter: ActivationLetter) -> None:
    canvas = page.c
    height = 30 * mm
    bottom = page.y - height
    canvas.setStrokeColorRGB(*BLUE)
    canvas.setLineWidth(1.2)
    canvas.roundRect(MARGIN, bottom, CONTENT, height, 3 * mm, stroke=1, fill=0)
    page.y -= 4 * mm
    page.text(
        "Code d'activation — Activation code", size=9, colour=GREY, x=MARGIN + 6 * mm, after=2 * mm
    )
    canvas.setFont(MONO, CODE_SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(WIDTH / 2, page.y - CODE_SIZE, letter.code)
    expiry = _day(letter.expires_on)
    canvas.setFont(REGULAR, 9)
    canvas.setFillColorRGB(*GREY)
    canvas.drawCentredString(
        WIDTH / 2,
        bottom + 4 * mm,
        f"Valable une seule fois, jusqu'au {expiry} — Single use, valid until {expiry}",
    )
    page.y = bottom - 10 * mm


def _qr_block(page: PageCursor, letter: ActivationLetter) -> None:
    bottom = page.y - QR_SIZE
    draw_qr(page.c, letter.activation_url, x=MARGIN, y=bottom, size=QR_SIZE)
    text_x = MARGIN + QR_SIZE + 7 * mm
    width = WIDTH - MARGIN - text_x
    page.y -= 2 * mm
    page.text(
        "Scannez ce code avec votre téléphone",
        size=11,
        font=BOLD,
        colour=BLUE,
        x=text_x,
        width=width,
    )
    page.text(
        "Scan this code with your phone", size=9, colour=GREY, x=text_x, width=width, after=4 * mm
    )
    page.text(
        "Ou ouvrez cette adresse — Or open this address:",
        size=9,
        x=text_x,
        width=width,
        after=1 * mm,
    )
    # The address has no spaces: cut it anywhere, in the monospaced face that tells 0 from O.
    per_line = max(1, int(width / pdfmetrics.stringWidth("M", MONO, 9)))
    url = letter.activation_url
    for start in range(0, len(url), per_line):
        page.text(url[start : start + per_line], size=9, font=MONO, x=text_x, width=width)
    page.y = min(page.y, bottom) - 10 * mm


def _advice(page: PageCursor) -> None:
    page.text("Important", size=10, font=BOLD, colour=BLUE, after=1 * mm)
    page.text(
        "Ce code est personnel et ne sert qu'une fois : ne le communiquez à personne. L'OFII ne "
        "vous le demandera jamais par téléphone ni par courriel. Si ce délai est dépassé ou si "
        "vous avez perdu cette lettre, demandez-en une nouvelle à votre direction territoriale "
        "de l'OFII : l'ancien code cessera alors de fonctionner.",
        size=9.5,
        after=1.5 * mm,
    )
    page.text(
        "This code is personal and works only once: give it to nobody. OFII will never ask for "
        "it by phone or e-mail. If it has expired or you lost this letter, ask your OFII office "
        "for a new one: the old code then stops working.",
        size=8.5,
        colour=GREY,
    )


def _footer(canvas: Any) -> None:
    canvas.setFont(REGULAR, 6.5)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(
        MARGIN,
        MARGIN - 4 * mm,
        "Signé électroniquement (PAdES) par l'OFII — Digitally signed (PAdES) by OFII",
    )
    canvas.drawRightString(WIDTH - MARGIN, MARGIN - 4 * mm, "1/1")


def render_activation_letter(letter: ActivationLetter) -> bytes:
    """The unsigned letter (one A4 page, fonts embedded and subsetted, QR as vectors)."""
    letter.check()
    out = BytesIO()
    # Start in DejaVu so that no unembedded Helvetica is listed. (The stubs type
    # initialFontName wrongly as a number.)
    canvas = Canvas(out, pagesize=A4, initialFontName=REGULAR, pageCompression=1)  # type: ignore[arg-type]
    canvas.setTitle("Lettre d'activation — Activation letter")
    canvas.setAuthor(ISSUER)
    canvas.setCreator("Sceau")
    page = PageCursor(canvas, margin=MARGIN, leading=1.3)
    _header(page, letter)
    _introduction(page, letter)
    _code_box(page, letter)
    _qr_block(page, letter)
    _advice(page)
    _footer(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
