"""What every printed page of Sceau shares: fonts, colours, and a cursor down an A4 page.

DejaVu (Latin, Greek, Cyrillic; embedded and subsetted by reportlab) is registered once here
under stable names, so every document embeds the same fonts and PDF/A finds them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "BLUE",
    "BOLD",
    "GREY",
    "HEIGHT",
    "ISSUER",
    "MONO",
    "RED",
    "REGULAR",
    "WIDTH",
    "PageCursor",
]

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono-Bold"
for _name, _file in (
    (REGULAR, "DejaVuSans.ttf"),
    (BOLD, "DejaVuSans-Bold.ttf"),
    (MONO, "DejaVuSansMono-Bold.ttf"),
):
    pdfmetrics.registerFont(TTFont(_name, str(FONTS / _file)))

ISSUER = "Office français de l'immigration et de l'intégration"
WIDTH, HEIGHT = A4
BLUE = (0.0, 0.13, 0.42)
RED = (0.81, 0.08, 0.2)
GREY = (0.33, 0.33, 0.36)


class PageCursor:
    """A cursor down the page between two margins: each call draws, then moves below it."""

    def __init__(self, canvas: Any, *, margin: float, leading: float = 1.25) -> None:
        self.c = canvas
        self.margin = margin
        self.leading = leading
        self.content = WIDTH - 2 * margin
        self.y = HEIGHT - margin

    def text(
        self,
        text: str,
        *,
        size: float,
        font: str = REGULAR,
        colour: tuple[float, float, float] = (0, 0, 0),
        x: float | None = None,
        width: float | None = None,
        leading: float | None = None,
        after: float = 0,
    ) -> None:
        self.c.setFont(font, size)
        self.c.setFillColorRGB(*colour)
        left = self.margin if x is None else x
        for line in simpleSplit(text, font, size, self.content if width is None else width):
            self.y -= size * (self.leading if leading is None else leading)
            self.c.drawString(left, self.y, line)
        self.y -= after

    def rule(self, *, after: float = 4 * mm) -> None:
        """The OFII rule: a blue hairline across, a short red stroke at its start."""
        self.c.setStrokeColorRGB(*BLUE)
        self.c.setLineWidth(0.8)
        self.c.line(self.margin, self.y, WIDTH - self.margin, self.y)
        self.c.setStrokeColorRGB(*RED)
        self.c.setLineWidth(2)
        self.c.line(self.margin, self.y, self.margin + 14 * mm, self.y)
        self.y -= after
