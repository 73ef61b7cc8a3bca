"""A person's timeline as A4 pages: the gaps first, then the chronology.

Read by a lawyer under a deadline (and put in evidence packs), so the page starts with what
needs acting on: a summary box of the gaps, each marked by a drawn sign AND a word (never colour
alone, the page may be printed in black and white), then every dated event, oldest first, with
the events a gap concerns marked the same way and pointing at the gap's number. A long timeline
flows onto as many pages as needed; each page repeats the column heads and says "page N / M".

This module is pure: the service (verifier/timeline.py) builds the events and gaps from its
database and translates their texts; here they are only laid out. The fixed words of the page
are French or English; an Arabic request gets French, because reportlab cannot shape Arabic
script and unshaped Arabic is unreadable (the same choice as the activation letter).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundles.layout import BLUE, BOLD, GREY, HEIGHT, RED, REGULAR, WIDTH, PageCursor

__all__ = ["Gap", "Severity", "TimelineEvent", "render_timeline"]

MARGIN = 18 * mm
CONTENT = WIDTH - 2 * MARGIN
FOOTER = 12 * mm  # room kept at the foot of every page for the page number
DATE_COLUMN = 22 * mm
TIME_COLUMN = 13 * mm
SOURCE_COLUMN = 40 * mm
EVENT_COLUMN = CONTENT - DATE_COLUMN - TIME_COLUMN - SOURCE_COLUMN
ORANGE = (0.70, 0.25, 0.0)
FLAG_FILL = (1.0, 0.95, 0.88)


class Severity(enum.StrEnum):
    """How urgent a gap is: ``critical`` needs acting on now, ``warning`` needs checking."""

    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, kw_only=True)
class TimelineEvent:
    """One dated line of the chronology, its texts already in the reader's language.

    ``time`` is the local (Europe/Paris) hour "HH:MM" when the event has one (appointments);
    ``gaps`` holds the 1-based numbers of the gaps that concern this event, which mark it."""

    on: date
    label: str
    time: str = ""
    detail: str = ""
    source: str = ""
    gaps: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Gap:
    """Something missing that matters: a summons that never came, an absence not made up.
    ``title`` is its short name (bold in the summary, and the chronology's marker), ``message``
    what is missing and what to do.

    ``due`` is the day the gap opened (e.g. the 45th day after a validation): the chronology
    shows a marker there, so the reader sees where in time the silence starts."""

    severity: Severity
    message: str
    title: str = ""
    dates: tuple[date, ...] = ()
    due: date | None = None


_WORDS: dict[str, dict[str, str]] = {
    "title": {"fr": "Chronologie du dossier", "en": "Timeline of the file"},
    "generated": {"fr": "Établie le {day}", "en": "Generated on {day}"},
    "notice": {
        "fr": "Document établi par Sceau à partir des enregistrements du dossier (attestations, "
        "formations, rendez-vous, courriers). Ce n'est pas une attestation de l'OFII : chaque "
        "fait renvoie à sa source.",
        "en": "Built by Sceau from the records of the file (certificates, trainings, "
        "appointments, letters). Not an OFII certificate: each fact names its source.",
    },
    "gaps": {"fr": "Points d'attention", "en": "Gaps to look at"},
    "no-gaps": {
        "fr": "Aucun point d'attention relevé par les règles de Sceau à cette date.",
        "en": "No gap found by Sceau's rules on this day.",
    },
    "critical": {"fr": "CRITIQUE", "en": "CRITICAL"},
    "warning": {"fr": "À VÉRIFIER", "en": "TO CHECK"},
    "dates": {"fr": "Dates : {dates}", "en": "Dates: {dates}"},
    "chronology": {"fr": "Chronologie", "en": "Chronology"},
    "no-events": {"fr": "Aucun événement enregistré.", "en": "No event recorded."},
    "col-date": {"fr": "Date", "en": "Date"},
    "col-time": {"fr": "Heure", "en": "Time"},
    "col-event": {"fr": "Événement", "en": "Event"},
    "col-source": {"fr": "Source", "en": "Source"},
    "see-gap": {"fr": "Point d'attention n° {numbers}", "en": "Gap no. {numbers}"},
    "gap-opens": {
        "fr": "Point d'attention n° {number} : {message}",
        "en": "Gap no. {number}: {message}",
    },
    "page": {
        "fr": "{name} — chronologie — page {page} / {total}",
        "en": "{name} — timeline — page {page} / {total}",
    },
}


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` within ``width``; a word longer than a line (a verification code, a
    tracking number) is cut where it must, rather than running into the next column."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            hyphen = line.rfind("-", 0, cut)
            cut = hyphen + 1 if hyphen > 0 else cut  # a code cuts best after a hyphen
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


@dataclass(frozen=True)
class _Row:
    """A line of the chronology table: an event, or the marker of the day a gap opened."""

    on: date
    time: str
    text: str
    detail: str
    source: str
    marker: str  # "" for a plain line, else the words saying why the line is marked
    severity: Severity | None


class _Pages:
    """The page cursor plus page breaks: a block that does not fit starts a new page."""

    def __init__(self, canvas: Any, name: str, language: str, total: int) -> None:
        self.c = canvas
        self.name = name
        self.language = language
        self.total = total
        self.number = 1
        self.cursor = PageCursor(canvas, margin=MARGIN)
        self.table_open = False

    def words(self, key: str, **params: object) -> str:
        return _WORDS[key][self.language].format(**params)

    @property
    def y(self) -> float:
        return self.cursor.y

    def room(self) -> float:
        return self.cursor.y - (MARGIN + FOOTER)

    def ensure(self, height: float) -> None:
        if height > self.room():
            self.new_page()

    def footer(self) -> None:
        self.c.setFont(REGULAR, 8)
        self.c.setFillColorRGB(*GREY)
        text = self.words("page", name=self.name, page=self.number, total=max(self.total, 1))
        self.c.drawCentredString(WIDTH / 2, MARGIN - 4 * mm, text)

    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.number += 1
        self.cursor.y = HEIGHT - MARGIN  # the same cursor, which callers may hold, at the top
        if self.table_open:
            self.table_heads()

    def table_heads(self) -> None:
        """The column heads, at the top of the table and of every page it flows onto."""
        c = self.c
        top = self.cursor.y
        c.setFont(BOLD, 8.5)
        c.setFillColorRGB(*BLUE)
        baseline = top - 9
        x = MARGIN
        for key, width in (
            ("col-date", DATE_COLUMN),
            ("col-time", TIME_COLUMN),
            ("col-event", EVENT_COLUMN),
            ("col-source", SOURCE_COLUMN),
        ):
            c.drawString(x + 1.5 * mm, baseline, self.words(key))
            x += width
        c.setStrokeColorRGB(*BLUE)
        c.setLineWidth(0.8)
        c.line(MARGIN, top - 13, WIDTH - MARGIN, top - 13)
        self.cursor.y = top - 15


def _warning_sign(canvas: Any, x: float, y: float, size: float, colour: tuple[float, ...]) -> None:
    """A triangle with an exclamation mark, drawn (no font needed): the sign of a gap."""
    canvas.setFillColorRGB(*colour)
    canvas.setStrokeColorRGB(*colour)
    path = canvas.beginPath()
    path.moveTo(x, y)
    path.lineTo(x + size, y)
    path.lineTo(x + size / 2, y + size * 0.9)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(BOLD, size * 0.62)
    canvas.drawCentredString(x + size / 2, y + size * 0.14, "!")


def _colour(severity: Severity | None) -> tuple[float, float, float]:
    return RED if severity is Severity.CRITICAL else ORANGE


def _header(pages: _Pages, generated_on: date) -> None:
    cursor = pages.cursor
    cursor.text(pages.words("title"), size=17, font=BOLD, colour=BLUE, after=1 * mm)
    cursor.text(pages.name, size=12.5, font=BOLD, after=1 * mm)
    cursor.text(pages.words("generated", day=_day(generated_on)), size=9, colour=GREY)
    cursor.text(pages.words("notice"), size=8, colour=GREY, leading=1.3, after=3 * mm)
    cursor.rule(after=5 * mm)


def _gap_lines(pages: _Pages, gap: Gap, width: float) -> list[tuple[str, str, float]]:
    """(text, font, size) lines of one gap in the summary box."""
    lines = [(line, BOLD, 10.0) for line in _wrap(gap.title, BOLD, 10, width)] if gap.title else []
    lines += [(line, REGULAR, 9.5) for line in _wrap(gap.message, REGULAR, 9.5, width)]
    if gap.dates:
        dates = ", ".join(_day(d) for d in gap.dates)
        text = pages.words("dates", dates=dates)
        lines += [(line, REGULAR, 8.5) for line in _wrap(text, REGULAR, 8.5, width)]
    return lines


def _gap_summary(pages: _Pages, gaps: Sequence[Gap]) -> None:
    """The box of gaps, first thing after the header: number, sign, severity word, message."""
    cursor = pages.cursor
    pages.ensure(14 * mm)
    cursor.text(pages.words("gaps"), size=12, font=BOLD, colour=BLUE, after=2 * mm)
    if not gaps:
        cursor.text(pages.words("no-gaps"), size=9.5, after=6 * mm)
        return
    c = pages.c
    text_x = MARGIN + 36 * mm
    width = WIDTH - MARGIN - 3 * mm - text_x
    for number, gap in enumerate(gaps, start=1):
        lines = _gap_lines(pages, gap, width)
        height = sum(size * 1.3 for _, _, size in lines) + 5 * mm
        pages.ensure(height + 2 * mm)
        top = cursor.y
        colour = _colour(gap.severity)
        c.setStrokeColorRGB(*colour)
        c.setFillColorRGB(*FLAG_FILL)
        c.setLineWidth(1)
        c.rect(MARGIN, top - height, CONTENT, height, stroke=1, fill=1)
        c.setFillColorRGB(*colour)
        c.rect(MARGIN, top - height, 2.2 * mm, height, stroke=0, fill=1)
        _warning_sign(c, MARGIN + 4.5 * mm, top - 8 * mm, 5.5 * mm, colour)
        c.setFillColorRGB(*colour)
        c.setFont(BOLD, 8)
        c.drawString(MARGIN + 11.5 * mm, top - 5.5 * mm, f"{number}.")
        c.drawString(MARGIN + 11.5 * mm, top - 9 * mm, pages.words(str(gap.severity)))
        y = top - 2.5 * mm
        for text, font, size in lines:
            y -= size * 1.3
            c.setFont(font, size)
            c.setFillColorRGB(0, 0, 0)
            c.drawString(text_x, y, text)
        cursor.y = top - height - 2 * mm
    cursor.y -= 4 * mm


def _rows(pages: _Pages, events: Sequence[TimelineEvent], gaps: Sequence[Gap]) -> list[_Row]:
    """Events and the markers of the days gaps opened, in date order (a marker after the
    events of its day: the silence starts once the day is over)."""
    keyed: list[tuple[tuple[date, int, str, int], _Row]] = []
    for index, event in enumerate(events):
        marker = ""
        severity: Severity | None = None
        if event.gaps:
            numbers = ", ".join(str(n) for n in event.gaps)
            concerned = [gaps[n - 1].severity for n in event.gaps if 0 < n <= len(gaps)]
            severity = Severity.CRITICAL if Severity.CRITICAL in concerned else Severity.WARNING
            marker = f"{pages.words(str(severity))} — {pages.words('see-gap', numbers=numbers)}"
        row = _Row(event.on, event.time, event.label, event.detail, event.source, marker, severity)
        keyed.append(((event.on, 0, event.time, index), row))
    for number, gap in enumerate(gaps, start=1):
        if gap.due is None:
            continue
        text = pages.words("gap-opens", number=number, message=gap.title or gap.message)
        row = _Row(gap.due, "", text, "", "", pages.words(str(gap.severity)), gap.severity)
        keyed.append(((gap.due, 1, "", number), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _row_lines(row: _Row) -> tuple[list[tuple[str, str, float]], list[str]]:
    width = EVENT_COLUMN - 3 * mm
    lines: list[tuple[str, str, float]] = []
    if row.marker:
        indent = width - 5 * mm
        lines += [(t, BOLD, 8.0) for t in _wrap(row.marker, BOLD, 8, indent)]
    font = BOLD if row.marker else REGULAR
    lines += [(t, font, 9.0) for t in _wrap(row.text, font, 9, width)]
    if row.detail:
        lines += [(t, REGULAR, 8.0) for t in _wrap(row.detail, REGULAR, 8, width)]
    source = _wrap(row.source, REGULAR, 7.5, SOURCE_COLUMN - 3 * mm) if row.source else []
    return lines, source


def _chronology(pages: _Pages, rows: Sequence[_Row]) -> None:
    cursor = pages.cursor
    pages.ensure(22 * mm)
    cursor.text(pages.words("chronology"), size=12, font=BOLD, colour=BLUE, after=2 * mm)
    if not rows:
        cursor.text(pages.words("no-events"), size=9.5)
        return
    pages.table_open = True
    pages.table_heads()
    c = pages.c
    for row in rows:
        lines, source = _row_lines(row)
        height = max(sum(s * 1.25 for _, _, s in lines), len(source) * 7.5 * 1.25) + 2.5 * mm
        pages.ensure(height)
        top = cursor.y
        if row.marker:
            colour = _colour(row.severity)
            c.setFillColorRGB(*FLAG_FILL)
            c.rect(MARGIN, top - height, CONTENT, height, stroke=0, fill=1)
            c.setFillColorRGB(*colour)
            c.rect(MARGIN, top - height, 1.5 * mm, height, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(REGULAR, 9)
        first = top - 9 * 1.25
        c.drawString(MARGIN + 2.5 * mm, first, _day(row.on))
        if row.time:
            c.drawString(MARGIN + DATE_COLUMN + 1.5 * mm, first, row.time)
        x = MARGIN + DATE_COLUMN + TIME_COLUMN + 1.5 * mm
        y = top
        for index, (text, font, size) in enumerate(lines):
            y -= size * 1.25
            c.setFont(font, size)
            if row.marker and index == 0:
                _warning_sign(c, x, y - 0.5, 3.6 * mm, _colour(row.severity))
                c.setFillColorRGB(*_colour(row.severity))
                c.setFont(font, size)
                c.drawString(x + 5 * mm, y, text)
            else:
                c.setFillColorRGB(*((0.0, 0.0, 0.0) if size >= 9 else GREY))
                c.drawString(x, y, text)
        y = top
        c.setFont(REGULAR, 7.5)
        c.setFillColorRGB(*GREY)
        for text in source:
            y -= 7.5 * 1.25
            c.drawString(WIDTH - MARGIN - SOURCE_COLUMN + 1.5 * mm, y, text)
        c.setStrokeColorRGB(0.85, 0.85, 0.88)
        c.setLineWidth(0.4)
        c.line(MARGIN, top - height, WIDTH - MARGIN, top - height)
        cursor.y = top - height
    pages.table_open = False


def _draw(
    out: BytesIO,
    person_name: str,
    events: Sequence[TimelineEvent],
    gaps: Sequence[Gap],
    generated_on: date,
    language: str,
    total: int,
) -> int:
    """Draw every page; returns how many there were (the first pass only counts them)."""
    # Start in DejaVu (the stubs type initialFontName wrongly as a number): no Helvetica to
    # list unembedded, so a pack can make the page PDF/A.
    canvas = Canvas(out, pagesize=A4, initialFontName=REGULAR, pageCompression=1)  # type: ignore[arg-type]
    words = _WORDS["title"][language]
    canvas.setTitle(f"{words} — {person_name}")
    canvas.setAuthor("Sceau")
    canvas.setCreator("Sceau")
    canvas.setSubject("timeline")
    pages = _Pages(canvas, person_name, language, total)
    _header(pages, generated_on)
    _gap_summary(pages, gaps)
    _chronology(pages, _rows(pages, events, gaps))
    pages.footer()
    canvas.showPage()
    canvas.save()
    return pages.number


def render_timeline(
    person_name: str,
    events: Sequence[TimelineEvent],
    gaps: Sequence[Gap],
    *,
    generated_on: date,
    language: str = "fr",
) -> bytes:
    """The timeline as a PDF (one page or more): gaps first, then the chronology.

    ``events`` are shown in date order whatever their order here; ``gaps`` in the order given
    (the service puts the critical ones first), numbered from 1 as ``TimelineEvent.gaps``
    refers to them. ``language`` is "fr" or "en"; anything else (Arabic) gets French."""
    chosen = language if language in ("fr", "en") else "fr"
    # Two passes: the first counts the pages, so that every footer can say "page N / M".
    total = _draw(BytesIO(), person_name, events, gaps, generated_on, chosen, 0)
    out = BytesIO()
    _draw(out, person_name, events, gaps, generated_on, chosen, total)
    return out.getvalue()
