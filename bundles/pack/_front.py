"""The first pages of the combined e-bundle: the cover, then the hyperlinked index.

Drawn with reportlab; the index rows' rectangles are returned so that the assembler can put
a link on each (reportlab cannot point at pages it does not draw). The bottom band stays free
for the e-bundle's page numbers, which the assembler adds to every page alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from bundles.layout import BLUE, BOLD, GREY, HEIGHT, REGULAR, WIDTH, PageCursor
from bundles.pack._model import (
    ADDRESSEE_WORD,
    PURPOSES,
    Entry,
    PackRequest,
    french_date,
    french_datetime,
    one_line,
)
from bundles.pack._stamp import FOOTER_BAND

__all__ = ["FrontPages", "render_front", "shorten"]

MARGIN = 18 * mm
BOTTOM = FOOTER_BAND + 10 * mm
NUMBER, DATE, ORIGIN, PAGE = 12 * mm, 22 * mm, 38 * mm, 16 * mm
LABEL = WIDTH - 2 * MARGIN - NUMBER - DATE - ORIGIN - PAGE
SIZE = 9.0
LEAD = SIZE * 1.3


@dataclass(frozen=True)
class FrontPages:
    pdf: bytes
    pages: int
    index_start: int  # 0-based page of the index's first page
    links: tuple[tuple[int, tuple[float, float, float, float], int], ...]  # page, rect, piece
    entries: tuple[Entry, ...]  # with their first pages


def shorten(text: str, font: str, size: float, width: float, lines: int) -> list[str]:
    """``text`` wrapped to ``width``, at most ``lines`` lines, the last cut with "…"."""
    wrapped: list[str] = simpleSplit(one_line(text), font, size, width) or [""]
    if len(wrapped) <= lines:
        return wrapped
    last = wrapped[lines - 1]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while last and stringWidth(last + "…", font, size) > width:
        last = last[:-1]
    return [*wrapped[: lines - 1], last + "…"]


def _cover(c: Any, request: PackRequest, built: datetime) -> None:
    cursor = PageCursor(c, margin=MARGIN)
    cursor.text("Dossier de pièces", size=11, colour=GREY, after=2 * mm)
    cursor.text(PURPOSES[request.purpose], size=22, font=BOLD, colour=BLUE, after=4 * mm)
    cursor.rule(after=8 * mm)
    rows = [
        ("Personne", request.person_name),
        (ADDRESSEE_WORD[request.purpose], request.addressee),
        (
            "Date limite",
            french_datetime(request.deadline) if request.deadline is not None else "—",
        ),
        ("Constitué le", french_datetime(built)),
        ("Pièces", str(len(request.pieces))),
    ]
    for name, value in rows:
        top = cursor.y
        cursor.text(name, size=10, colour=GREY, width=40 * mm)
        cursor.y = top
        cursor.text(
            one_line(value) or "—",
            size=12,
            font=BOLD,
            x=MARGIN + 42 * mm,
            width=WIDTH - 2 * MARGIN - 42 * mm,
            after=3 * mm,
        )
    if request.front_matter:
        cursor.y -= 6 * mm
        title = "À compléter" if request.purpose == "appeal" else "Liste de contrôle"
        cursor.text(title, size=12, font=BOLD, colour=BLUE, after=2 * mm)
        for line in request.front_matter:
            if cursor.y < BOTTOM + 20 * mm:
                c.showPage()
                cursor = PageCursor(c, margin=MARGIN)
            cursor.text(f"•  {one_line(line)}", size=10, after=1 * mm)
    cursor.y -= 8 * mm
    cursor.text(
        "Chaque page des pièces porte en haut « Pièce n° N — p. i/n » et en bas le numéro de "
        "la page dans ce dossier, égal au numéro de page du fichier PDF. Le sommaire qui suit "
        "renvoie à la première page de chaque pièce.",
        size=8.5,
        colour=GREY,
    )
    c.showPage()


@dataclass(frozen=True)
class _Row:
    label: list[str]
    origin: list[str]
    height: float


def _rows(entries: Sequence[Entry]) -> list[list[_Row]]:
    """The index's rows, already cut into pages (the pieces' page numbers depend on how many
    pages the index takes, so that is known before anything is drawn)."""
    pages: list[list[_Row]] = [[]]
    y = _FIRST_ROW
    for entry in entries:
        label = shorten(
            entry.label + (" (série numérotée)" if entry.series else ""),
            REGULAR,
            SIZE,
            LABEL - 3 * mm,
            3,
        )
        origin = shorten(entry.origin or "—", REGULAR, SIZE, ORIGIN - 3 * mm, 2)
        row = _Row(label, origin, max(len(label), len(origin)) * LEAD + 4)
        if y - row.height < BOTTOM and pages[-1]:
            pages.append([])
            y = _FIRST_ROW
        pages[-1].append(row)
        y -= row.height
    return pages


_FIRST_ROW = HEIGHT - MARGIN - 34 - 6  # below the title and the column heads


def _index(
    c: Any, entries: Sequence[Entry], pages: Sequence[Sequence[_Row]], start: int
) -> list[tuple[int, tuple[float, float, float, float], int]]:
    links: list[tuple[int, tuple[float, float, float, float], int]] = []

    def heads() -> None:
        c.setFont(BOLD, 16)
        c.setFillColorRGB(*BLUE)
        c.drawString(MARGIN, HEIGHT - MARGIN - 16, "Sommaire — bordereau des pièces")
        y = HEIGHT - MARGIN - 34
        c.setFont(BOLD, 8)
        c.setFillColorRGB(*GREY)
        x = MARGIN
        for title, width in (
            ("N°", NUMBER),
            ("Pièce", LABEL),
            ("Date", DATE),
            ("Origine", ORIGIN),
            ("Page", PAGE),
        ):
            c.drawString(x, y, title)
            x += width
        c.setStrokeColorRGB(*GREY)
        c.setLineWidth(0.5)
        c.line(MARGIN, y - 3, WIDTH - MARGIN, y - 3)

    numbered = iter(entries)
    for page, rows in enumerate(pages, start=start):
        heads()
        y = _FIRST_ROW
        for row in rows:
            entry = next(numbered)
            top = y
            c.setFillColorRGB(0, 0, 0)
            c.setFont(BOLD, SIZE)
            c.drawString(MARGIN, top - SIZE - 1, str(entry.number))
            c.setFont(REGULAR, SIZE)
            for i, line in enumerate(row.label):
                c.drawString(MARGIN + NUMBER, top - SIZE - 1 - i * LEAD, line)
            c.drawString(MARGIN + NUMBER + LABEL, top - SIZE - 1, french_date(entry.date))
            for i, line in enumerate(row.origin):
                c.drawString(MARGIN + NUMBER + LABEL + DATE, top - SIZE - 1 - i * LEAD, line)
            c.setFillColorRGB(*BLUE)
            c.drawString(
                MARGIN + NUMBER + LABEL + DATE + ORIGIN, top - SIZE - 1, f"p. {entry.first_page}"
            )
            y = top - row.height
            links.append((page, (MARGIN, y, WIDTH - MARGIN, top), entry.number))
            c.setStrokeColorRGB(0.85, 0.85, 0.88)
            c.setLineWidth(0.3)
            c.line(MARGIN, y, WIDTH - MARGIN, y)
        c.showPage()
    return links


def render_front(
    request: PackRequest, entries: Sequence[Entry], built: datetime, *, chronology_pages: int
) -> FrontPages:
    """Cover and index, and ``entries`` placed: each with its first page in the e-bundle, where
    the chronology's ``chronology_pages`` come between the index and the first piece."""
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=True)
    c.setTitle(f"{PURPOSES[request.purpose]} — {one_line(request.person_name)}")
    c.setAuthor("Sceau")
    _cover(c, request, built)
    start = c.getPageNumber() - 1
    rows = _rows(entries)
    pages = start + len(rows)
    placed: list[Entry] = []
    first = pages + chronology_pages + 1
    for entry in entries:
        placed.append(dataclasses.replace(entry, first_page=first))
        first += entry.pages
    links = _index(c, placed, rows, start)
    if c.getPageNumber() - 1 != pages:
        raise AssertionError("the index does not have the pages its layout promised")
    c.save()
    return FrontPages(buffer.getvalue(), pages, start, tuple(links), tuple(placed))
