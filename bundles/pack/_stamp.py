"""Stamps on pages, drawn with pikepdf in a band kept free of content.

Choice: every page of a piece is redrawn as a form XObject, shrunk uniformly (about 6 % on A4)
and centred, so that a band at the top (the stamp "Pièce n° N — p. i/n", right-aligned) and a
band at the bottom (the e-bundle's "page X / Y") hold nothing of the original page. A stamp can
therefore never cover content, whatever the page carries in its margins (scans often have none).
Rotation (/Rotate) and cropping (/CropBox) are baked into the transformation, so the stamp sits
at the top of the page as it is displayed; link rectangles follow the content. The text stays
text: a search or a copy of the piece's words still works.

The font is DejaVu Sans (embedded, subset), taken from one small PDF reportlab draws once, with
the byte each character has in that subset; the stamps then cost a few bytes of content stream
per page and one font object per file.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Name
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundles.layout import REGULAR

__all__ = [
    "FOOTER_BAND",
    "STAMP_FONT",
    "StampFont",
    "add_footers",
    "fit_pages",
    "footer_text",
    "stamp_piece",
    "stamp_text",
    "write_pdf",
]

TOP_BAND = 9 * mm  # on an A4 page; bands grow with larger pages
FOOTER_BAND = 9 * mm
_A4_HEIGHT = 842.0
_SIZE = 7.5
STAMP_FONT = "SceauStamp"
_SAMPLE = "Pièce n°—p. /0123456789ag"

Matrix = tuple[float, float, float, float, float, float]
# Baked into the new MediaBox and transformation: left on the page they would apply twice.
_DROPPED_BOXES = frozenset(("/CropBox", "/Rotate", "/TrimBox", "/BleedBox", "/ArtBox", "/UserUnit"))


def stamp_text(number: int, page: int, pages: int) -> str:
    return f"Pièce n° {number} — p. {page}/{pages}"


def footer_text(page: int, pages: int) -> str:
    return f"page {page} / {pages}"


@lru_cache(maxsize=1)
def _font_source() -> tuple[bytes, dict[str, int]]:
    """A one-page PDF using the stamp's characters, and the byte of each in the subset."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    # Without reportlab's "ASCII readable" subset (which embeds every ASCII glyph), the subset
    # holds only the stamp's characters: a few KB in each piece's file instead of 20.
    font: Any = pdfmetrics.getFont(REGULAR)
    font._assignState(canvas._doc, asciiReadable=False)  # type: ignore[attr-defined]
    canvas.setFont(REGULAR, _SIZE)
    canvas.drawString(10, 10, _SAMPLE)
    canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        shown = [
            bytes(instruction.operands[0])
            for instruction in pikepdf.parse_content_stream(pdf.pages[0])
            if isinstance(instruction, pikepdf.ContentStreamInstruction)
            and str(instruction.operator) == "Tj"
        ]
    encoded = b"".join(shown)
    if len(encoded) != len(_SAMPLE):  # one byte per character in reportlab's first subset
        raise AssertionError("unexpected encoding of the stamp font")
    codes = dict(zip(_SAMPLE, encoded, strict=True))
    if len(set(codes.values())) != len(codes):
        raise AssertionError("two characters share a code in the stamp font")
    return data, codes


_opened = threading.local()


def _thread_font() -> pikepdf.Object:
    """The font object in this thread's open copy of the font source.

    Opening the source costs more than stamping a short piece, so it is opened once per thread
    (a qpdf document must not be read from two threads at once: it loads objects lazily).
    """
    font: pikepdf.Object | None = getattr(_opened, "font", None)
    if font is None:
        source = pikepdf.open(io.BytesIO(_font_source()[0]))
        fonts = source.pages[0].Resources.Font
        (font,) = (f for _, f in fonts.items() if "DejaVu" in str(f.BaseFont))
        _opened.source, _opened.font = source, font
    return font


class StampFont:
    """The stamp font, copied once into one output PDF."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        _, self._codes = _font_source()
        self.font = pdf.copy_foreign(_thread_font())

    def show(self, text: str, *, x: float, y: float, size: float, resource: str) -> bytes:
        codes = bytes(self._codes[c] for c in text)
        return (
            f"BT /{resource} {size:.2f} Tf 0.2 0.2 0.25 rg 1 0 0 1 {x:.2f} {y:.2f} Tm <".encode()
            + codes.hex().encode()
            + b"> Tj ET\n"
        )

    @staticmethod
    def width(text: str, size: float) -> float:
        return float(stringWidth(text, REGULAR, size))


def write_pdf(pdf: pikepdf.Pdf, out: BinaryIO | Path) -> None:
    """Save ``pdf`` with its streams as they came (no decode, no recompression).

    The pieces' own streams were compressed (or not) by whoever made them, and re-deflating
    them is most of what a default qpdf save costs; the stamps' few new streams are a couple
    of hundred bytes each, cheaper to leave plain than to start zlib for. The ID is derived
    from the content, so the same pieces give the same files.
    """
    pdf.save(
        out,
        deterministic_id=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        compress_streams=False,
    )


def _scale(height: float) -> float:
    return max(1.0, height / _A4_HEIGHT)


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class _Geometry:
    matrix: Matrix  # from the page's own space to the new, upright page
    width: float
    height: float


def _inherited(page: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """A page attribute, from the page's dictionary or the nearest /Pages node above it."""
    node: pikepdf.Object | None = page
    for _ in range(64):  # a cycle in /Parent is a damaged file, not an endless loop
        if node is None:
            return None
        if key in node:
            value: pikepdf.Object = node[key]
            return value
        node = node.get("/Parent")
    return None


def _geometry(page: pikepdf.Object, box: tuple[float, float, float, float]) -> _Geometry:
    x0, y0, x1, y1 = box
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    w, h = x1 - x0, y1 - y0
    rotate = int(_inherited(page, "/Rotate") or 0) % 360
    upright: Matrix
    if rotate == 90:
        upright, width, height = (0, -1, 1, 0, 0, w), h, w
    elif rotate == 180:
        upright, width, height = (-1, 0, 0, -1, w, h), w, h
    elif rotate == 270:
        upright, width, height = (0, 1, -1, 0, h, 0), h, w
    else:
        upright, width, height = (1, 0, 0, 1, 0, 0), w, h
    unit = _scale(height)
    top, bottom = TOP_BAND * unit, FOOTER_BAND * unit
    s = (height - top - bottom) / height
    fit: Matrix = (s, 0, 0, s, width * (1 - s) / 2, bottom)
    matrix = _multiply(_multiply((1, 0, 0, 1, -x0, -y0), upright), fit)
    return _Geometry(matrix, width, height)


def _move_annotations(page: pikepdf.Object, matrix: Matrix) -> None:
    for annotation in page.get("/Annots", ()):
        rect = annotation.get("/Rect")
        if rect is None or len(rect) != 4:
            continue
        xa, ya, xb, yb = (float(v) for v in rect)
        corners = [_apply(matrix, x, y) for x in (xa, xb) for y in (ya, yb)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        annotation.Rect = pikepdf.Array([min(xs), min(ys), max(xs), max(ys)])
        if "/QuadPoints" in annotation:
            del annotation["/QuadPoints"]


def _as_form(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    box: tuple[float, float, float, float],
    seen: set[tuple[int, int]],
) -> pikepdf.Object:
    """The page's own content stream, turned into a form XObject (no copy of its data).

    (pikepdf's ``as_form_xobject`` reads the page's /Contents only when the file is written,
    which by then are the new ones: the page would draw itself.)"""
    page.contents_coalesce()
    obj = page.obj
    contents = obj.get("/Contents")
    if contents is None:
        contents = pdf.make_stream(b"")
    elif contents.objgen in seen or contents.objgen == (0, 0):  # shared by two pages
        contents = pdf.make_stream(contents.read_bytes())
    else:
        seen.add(contents.objgen)
    contents.Type = Name.XObject
    contents.Subtype = Name.Form
    contents.BBox = pikepdf.Array(box)
    contents.Resources = _inherited(obj, "/Resources") or pikepdf.Dictionary()
    return pdf.make_indirect(contents) if not contents.is_indirect else contents


def stamp_piece(pdf: pikepdf.Pdf, number: int) -> None:
    """Shrink every page of ``pdf`` into its band-free area and stamp "Pièce n° N — p. i/n"."""
    drop_form_fields(pdf)
    pages = len(pdf.pages)
    fit_pages(pdf, lambda index: stamp_text(number, index, pages))


def drop_form_fields(pdf: pikepdf.Pdf) -> None:
    """Remove the interactive form and its widgets (a Sceau certificate's signature field).

    A stamped piece is a new rendering of the page: a signature field copied into it would
    show as a broken signature, and the piece's integrity is carried by the bag's hashes of
    the original instead. The pages' visible content is unchanged.
    """
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get("/Subtype") != pikepdf.Name.Widget]
        if len(kept) != len(annotations):
            page.obj.Annots = pikepdf.Array(kept)


def fit_pages(pdf: pikepdf.Pdf, text: Callable[[int], str] | None = None) -> None:
    """Shrink every page of ``pdf`` into its band-free area, in place, with ``text(i)`` (i from
    1) right-aligned in the top band when given."""
    font = StampFont(pdf) if text is not None else None
    seen: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        crop = pikepdf.Rectangle(page.cropbox)
        box = (crop.llx, crop.lly, crop.urx, crop.ury)
        geometry = _geometry(obj, box)
        form = _as_form(pdf, page, box, seen)
        _move_annotations(obj, geometry.matrix)
        m = " ".join(f"{v:.5f}" for v in geometry.matrix)
        content = f"q {m} cm /SceauPage Do Q\n".encode()
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(SceauPage=form))
        if font is not None and text is not None:
            words = text(index)
            unit = _scale(geometry.height)
            size = _SIZE * unit
            x = geometry.width - 10 * mm * unit - font.width(words, size)
            y = geometry.height - TOP_BAND * unit + 3 * mm * unit
            content += font.show(words, x=x, y=y, size=size, resource=STAMP_FONT)
            resources.Font = pikepdf.Dictionary({"/" + STAMP_FONT: font.font})
        obj.Resources = resources
        obj.Contents = pdf.make_stream(content)
        obj.MediaBox = pikepdf.Array([0, 0, geometry.width, geometry.height])
        for key in _DROPPED_BOXES.intersection(obj.keys()):
            del obj[key]


def add_footers(
    pdf: pikepdf.Pdf,
    pages: Iterable[tuple[int, pikepdf.Page]],
    total: int,
    font: StampFont | None = None,
    *,
    stamped: bool = False,
) -> None:
    """ "page X / Y" centred in the bottom band of each page (X its 1-based number).

    ``stamped``: the pages come from :func:`stamp_piece` (copied into ``pdf``). Their content
    is ours and restores every state it changes (``q ... Q``, ``BT ... ET``), so the footer
    is appended to their one content stream as it is (no new object per page), in the stamp
    font the page already names, pointed at ``font`` (the piece's own copy of the font is
    then left behind, and not written). Any other page's content is wrapped in ``q``/``Q``
    first, whatever state it leaves.
    """
    font = font or StampFont(pdf)
    for number, page in pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        unit = _scale(y1 - y0)
        size = _SIZE * unit
        text = footer_text(number, total)
        x = x0 + (x1 - x0 - font.width(text, size)) / 2
        if stamped:
            page.obj.Resources.Font[f"/{STAMP_FONT}"] = font.font
            footer = font.show(text, x=x, y=y0 + 3 * mm * unit, size=size, resource=STAMP_FONT)
            contents = page.obj.Contents  # the one stream fit_pages wrote
            contents.write(contents.read_bytes() + footer)
            continue
        name = page.add_resource(font.font, Name.Font, prefix="SceauFooter")
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(
            pdf.make_stream(
                b"Q\n"
                + font.show(text, x=x, y=y0 + 3 * mm * unit, size=size, resource=str(name)[1:])
            )
        )
