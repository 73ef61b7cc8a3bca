"""The inventory (bordereau des pièces, R.412-2 CJA) as a PDF of its own.

A4 landscape table: number, label, date, origin, page count and the file name of the piece,
numbered in one continuous sequence; "page N / M" at the foot of every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundles.layout import BLUE, BOLD, GREY, MONO, REGULAR
from bundles.pack._front import shorten
from bundles.pack._model import (
    ADDRESSEE_WORD,
    PURPOSES,
    Entry,
    PackRequest,
    french_date,
    french_datetime,
    one_line,
)

__all__ = ["render_inventory"]

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 15 * mm
COLUMNS = (
    ("N°", 12 * mm),
    ("Pièce", 88 * mm),
    ("Date", 22 * mm),
    ("Origine", 45 * mm),
    ("Pages", 14 * mm),
)
FILE = PAGE_W - 2 * MARGIN - sum(width for _, width in COLUMNS)
SIZE = 8.5
LEAD = SIZE * 1.3
TITLE = 22 + 3 * 13 + 10  # the first page's title and three lines, above the column heads
HEADS = 12 + 6  # the column heads and their rule


def _cut(name: str, width: float, size: float) -> list[str]:
    """A file name (no spaces) cut into lines of ``width``."""
    lines, line = [], ""
    for char in name:
        if stringWidth(line + char, MONO, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


@dataclass(frozen=True)
class _Row:
    columns: tuple[tuple[str, ...], ...]  # number, label, date, origin, pages, file name
    height: float


def _row(entry: Entry) -> _Row:
    widths = [w for _, w in COLUMNS]
    label = shorten(
        entry.label + (" (série numérotée)" if entry.series else ""),
        REGULAR,
        SIZE,
        widths[1] - 3 * mm,
        4,
    )
    origin = shorten(entry.origin or "—", REGULAR, SIZE, widths[3] - 3 * mm, 3)
    name = _cut(entry.file_name, FILE, SIZE - 1)
    height = max(len(label), len(origin), len(name)) * LEAD + 4
    columns = (
        (str(entry.number),),
        tuple(label),
        (french_date(entry.date),),
        tuple(origin),
        (str(entry.pages),),
        tuple(name),
    )
    return _Row(columns, height)


def _paginate(rows: Sequence[_Row]) -> list[list[_Row]]:
    """Rows into pages, the same way the drawing goes down them (the total is printed on
    every page, so it must be known before the first one is drawn)."""
    pages: list[list[_Row]] = [[]]
    y = PAGE_H - MARGIN - TITLE - HEADS
    for row in rows:
        if y - row.height < 18 * mm and pages[-1]:
            pages.append([])
            y = PAGE_H - MARGIN - HEADS
        pages[-1].append(row)
        y -= row.height
    return pages


def _draw(out: BytesIO, request: PackRequest, entries: Sequence[Entry], built: datetime) -> None:
    pages = _paginate([_row(entry) for entry in entries])
    total = len(pages)
    c: Any = Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=True)
    c.setTitle(f"Bordereau des pièces — {one_line(request.person_name)}")
    c.setAuthor("Sceau")

    def heads(first: bool) -> float:
        y = PAGE_H - MARGIN
        if first:
            c.setFont(BOLD, 16)
            c.setFillColorRGB(*BLUE)
            c.drawString(MARGIN, y - 16, "Bordereau des pièces")
            c.setFont(REGULAR, 9.5)
            c.setFillColorRGB(0, 0, 0)
            lines = [
                f"{PURPOSES[request.purpose]} — {one_line(request.person_name)}",
                f"{ADDRESSEE_WORD[request.purpose]} : {one_line(request.addressee)}",
                f"Établi le {french_datetime(built)} — {len(entries)} pièce(s), "
                f"numérotées de 1 à {len(entries)}",
            ]
            for i, line in enumerate(lines, start=1):
                c.drawString(MARGIN, y - 22 - 13 * i, line)
            y -= TITLE
        y -= 12
        c.setFont(BOLD, 8)
        c.setFillColorRGB(*GREY)
        x = MARGIN
        for title, width in (*COLUMNS, ("Fichier", FILE)):
            c.drawString(x, y, title)
            x += width
        c.setStrokeColorRGB(*GREY)
        c.setLineWidth(0.5)
        c.line(MARGIN, y - 3, PAGE_W - MARGIN, y - 3)
        return y - 6

    widths = [*(w for _, w in COLUMNS), FILE]
    fonts = [(BOLD, SIZE), *[(REGULAR, SIZE)] * 4, (MONO, SIZE - 1)]
    for number, rows in enumerate(pages, start=1):
        y = heads(number == 1)
        for row in rows:
            base = y - SIZE - 1
            x = MARGIN
            c.setFillColorRGB(0, 0, 0)
            for lines, width, font in zip(row.columns, widths, fonts, strict=True):
                c.setFont(*font)
                for i, line in enumerate(lines):
                    c.drawString(x, base - i * LEAD, line)
                x += width
            y -= row.height
            c.setStrokeColorRGB(0.85, 0.85, 0.88)
            c.setLineWidth(0.3)
            c.line(MARGIN, y, PAGE_W - MARGIN, y)
        c.setFont(REGULAR, 7.5)
        c.setFillColorRGB(*GREY)
        c.drawCentredString(PAGE_W / 2, 8 * mm, f"page {number} / {total}")
        c.showPage()
    c.save()


def render_inventory(request: PackRequest, entries: Sequence[Entry], built: datetime) -> bytes:
    out = BytesIO()
    _draw(out, request, entries, built)
    return out.getvalue()
