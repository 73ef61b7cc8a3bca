"""The combined e-bundle: cover, hyperlinked index, chronology, then every stamped piece.

Assembled with pikepdf from the stamped pieces just written to ``data/pieces/`` (the same
objects, so the bundle's pages are those of the per-piece files), before any signature. Page
labels are the physical page numbers and every page carries "page X / Y" in its bottom band,
so the number a reader sees, the number the viewer shows and the index's number are one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import BinaryIO

import pikepdf
from pikepdf import Name

from bundles.pack._front import render_front
from bundles.pack._model import PURPOSES, Entry, PackError, PackRequest, one_line
from bundles.pack._stamp import StampFont, add_footers, fit_pages, write_pdf

__all__ = ["assemble_ebundle"]


def _open_chronology(data: bytes | None) -> pikepdf.Pdf | None:
    if data is None:
        return None
    try:
        chronology = pikepdf.open(BytesIO(data))
    except pikepdf.PdfError as exc:
        raise PackError(f"the chronology is not a readable PDF: {exc}") from exc
    fit_pages(chronology)  # its own footer stays; ours goes below it, in the band
    return chronology


def assemble_ebundle(
    request: PackRequest,
    entries: Sequence[Entry],
    pieces: Sequence[pikepdf.Pdf],
    built: datetime,
    out: BinaryIO,
) -> list[Entry]:
    """Write the unsigned e-bundle to ``out``; returns the entries with their first pages."""
    chronology = _open_chronology(request.chronology_pdf)
    chronology_pages = len(chronology.pages) if chronology is not None else 0
    front = render_front(request, entries, built, chronology_pages=chronology_pages)
    placed = list(front.entries)
    front_pages = front.pages
    total = front_pages + chronology_pages + sum(entry.pages for entry in entries)

    sources: list[pikepdf.Pdf] = []
    bundle = pikepdf.open(BytesIO(front.pdf))
    try:
        if chronology is not None:
            sources.append(chronology)
            bundle.pages.extend(chronology.pages)
        font = StampFont(bundle)
        first_piece = len(bundle.pages)
        for source in pieces:
            bundle.pages.extend(source.pages)
        if len(bundle.pages) != total:
            raise AssertionError("the e-bundle does not have the pages its index promises")
        numbered = list(enumerate(bundle.pages, start=1))
        add_footers(bundle, numbered[:first_piece], total, font)
        add_footers(bundle, numbered[first_piece:], total, font, stamped=True)
        _links(bundle, front.links, placed)
        _outline(bundle, placed, front.index_start, front_pages, chronology_pages)
        bundle.Root.PageLabels = pikepdf.Dictionary(
            Nums=pikepdf.Array([0, pikepdf.Dictionary(S=Name.D)])
        )
        bundle.Root.PageMode = Name.UseOutlines
        bundle.Root.Lang = pikepdf.String("fr-FR")
        bundle.docinfo[Name.Title] = (
            f"{PURPOSES[request.purpose]} — {one_line(request.person_name)} — dossier complet"
        )
        bundle.docinfo[Name.Creator] = "Sceau"
        write_pdf(bundle, out)
    finally:
        bundle.close()
        for source in sources:
            source.close()
    return placed


def _links(
    bundle: pikepdf.Pdf,
    links: Sequence[tuple[int, tuple[float, float, float, float], int]],
    entries: Sequence[Entry],
) -> None:
    first = {entry.number: entry.first_page for entry in entries}
    pages = bundle.pages
    by_page: dict[int, list[pikepdf.Object]] = {}
    for page_index, rect, number in links:
        annotation = pikepdf.Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=pikepdf.Array(rect),
            Border=pikepdf.Array([0, 0, 0]),
            Dest=pikepdf.Array([pages[first[number] - 1].obj, Name.Fit]),
        )
        by_page.setdefault(page_index, []).append(bundle.make_indirect(annotation))
    for page_index, made in by_page.items():  # one /Annots array per index page
        page = pages[page_index].obj
        page.Annots = pikepdf.Array([*page.get("/Annots", ()), *made])


def _outline(
    bundle: pikepdf.Pdf,
    entries: Sequence[Entry],
    index_start: int,
    front_pages: int,
    chronology_pages: int,
) -> None:
    """One flat level of bookmarks, written as the outline dictionaries themselves (ISO 32000
    12.3.3): pikepdf's outline editor rebuilds its tree item by item, which costs more than the
    rest of the index for a few hundred pieces."""
    items = [("Page de garde", 0), ("Sommaire — bordereau des pièces", index_start)]
    if chronology_pages:
        items.append(("Chronologie", front_pages))
    items += [
        (f"Pièce n° {entry.number} — {one_line(entry.label)[:200]}", entry.first_page - 1)
        for entry in entries
    ]
    root = bundle.make_indirect(pikepdf.Dictionary(Type=Name.Outlines, Count=len(items)))
    nodes = [
        bundle.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(title),
                Parent=root,
                Dest=pikepdf.Array([bundle.pages[page].obj, Name.Fit]),
            )
        )
        for title, page in items
    ]
    for before, after in itertools.pairwise(nodes):
        before.Next = after
        after.Prev = before
    root.First, root.Last = nodes[0], nodes[-1]
    bundle.Root.Outlines = root
