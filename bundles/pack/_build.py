"""build_pack: pieces -> stamped files, inventory, e-bundle, bag, token, signatures, ZIP.

Order matters: every pikepdf edit (stamps, merge, outline, links) is done and saved before the
PAdES signatures, which pyHanko appends as incremental updates; the bag's manifests are
computed from the signed files; the token comes last, over the tag manifest. Payload files go
to one spool file as they are made (bundles/pack/_spool.py), so the pages are not held three
times in memory; the small tag files stay in memory.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pikepdf
from pikepdf import Name
from pyhanko.sign.timestamps.api import TimeStamper

from bundles.pack._bag import TAG_FILES, tag_files
from bundles.pack._ebundle import assemble_ebundle
from bundles.pack._inventory import render_inventory
from bundles.pack._model import PURPOSES, Entry, PackError, PackRequest, Timestamper, one_line
from bundles.pack._names import telerecours_name
from bundles.pack._spool import Spool
from bundles.pack._stamp import stamp_piece, write_pdf
from bundles.pack._zip import write_zip
from signing.pades import KeyStoreSigner, sign_pdf

__all__ = ["EBUNDLE", "INVENTORY", "build_pack"]

INVENTORY = "data/Bordereau_des_pieces.pdf"
EBUNDLE = "data/Dossier_complet.pdf"
PIECES = "data/pieces"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _check(request: PackRequest) -> None:
    if request.purpose not in PURPOSES:
        raise PackError(f"a pack is for {' or '.join(PURPOSES)}, not {request.purpose!r}")
    if not request.pieces:
        raise PackError("a pack needs at least one piece")
    for number, piece in enumerate(request.pieces, start=1):
        if not _SHA256.fullmatch(piece.original_sha256):
            raise PackError(f"piece {number}: original_sha256 is not a lowercase SHA-256")


def _stamped(number: int, label: str, data: bytes) -> tuple[pikepdf.Pdf, bytes]:
    """The piece stamped, and its bytes; the document is left open for the e-bundle to copy
    from (no second parse of what was just written)."""
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PdfError as exc:
        raise PackError(f"piece {number} is not a readable PDF: {exc}") from exc
    try:
        stamp_piece(pdf, number)
        pdf.docinfo[Name.Title] = f"Pièce n° {number} — {one_line(label)}"
        out = BytesIO()
        write_pdf(pdf, out)
    except pikepdf.PdfError as exc:
        pdf.close()
        raise PackError(f"piece {number} cannot be stamped: {exc}") from exc
    except BaseException:
        pdf.close()
        raise
    return pdf, out.getvalue()


def build_pack(
    request: PackRequest,
    *,
    signer: KeyStoreSigner,
    pdf_timestamper: TimeStamper | None,
    timestamper: Timestamper,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The pack as one ZIP (see docs/evidence-pack.md). ``progress(done, total)`` is called
    after each piece and each later step."""
    _check(request)
    built = request.built_at or datetime.now(UTC)
    report = progress or (lambda done, total: None)
    name = f"sceau-{request.purpose}-{built.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    stamped: list[pikepdf.Pdf] = []
    try:
        return _build(request, name, built, stamped, signer, pdf_timestamper, timestamper, report)
    finally:
        for pdf in stamped:
            pdf.close()


def _build(
    request: PackRequest,
    name: str,
    built: datetime,
    stamped: list[pikepdf.Pdf],
    signer: KeyStoreSigner,
    pdf_timestamper: TimeStamper | None,
    timestamper: Timestamper,
    report: Callable[[int, int], None],
) -> bytes:
    steps = len(request.pieces) + 4
    with (
        tempfile.TemporaryDirectory(prefix="sceau-pack-") as folder,
        Spool(Path(folder) / "payload") as spool,
    ):
        entries: list[Entry] = []
        for number, piece in enumerate(request.pieces, start=1):
            file_name = telerecours_name(number, piece.label)
            pdf, data = _stamped(number, piece.label, piece.pdf)
            stamped.append(pdf)
            spool.add(f"{PIECES}/{file_name}", data)
            del data
            entries.append(
                Entry(
                    number=number,
                    label=piece.label,
                    date=piece.date,
                    origin=piece.origin,
                    pages=len(pdf.pages),
                    file_name=file_name,
                    series=piece.series,
                )
            )
            report(number, steps)
        done = len(request.pieces)

        inventory = render_inventory(request, entries, built)
        spool.add(
            INVENTORY,
            sign_pdf(
                inventory,
                signer,
                field_name="SceauBordereau",
                reason="Bordereau des pièces",
                timestamper=pdf_timestamper,
            ),
        )
        del inventory
        report(done + 1, steps)

        unsigned = BytesIO()
        assemble_ebundle(request, entries, stamped, built, unsigned)
        spool.add(
            EBUNDLE,
            sign_pdf(
                unsigned.getvalue(),
                signer,
                field_name="SceauDossier",
                reason=f"{PURPOSES[request.purpose]} — dossier complet",
                timestamper=pdf_timestamper,
            ),
        )
        del unsigned
        report(done + 2, steps)

        payload = [INVENTORY, EBUNDLE, *(f"{PIECES}/{e.file_name}" for e in entries)]
        originals = [
            (piece.original_sha256, entry.file_name, piece.original_name)
            for piece, entry in zip(request.pieces, entries, strict=True)
        ]
        tags = tag_files(
            name,
            request=request,
            payload=[(n, spool[n].sha256, spool[n].size) for n in payload],
            originals=originals,
            built=built,
            timestamper=timestamper,
        )
        report(done + 3, steps)

        archive = Path(folder) / "pack.zip"
        order = [
            *TAG_FILES[:3],
            "tagmanifest-sha256.txt",
            "timestamp.tsr",
            *TAG_FILES[3:],
            *payload,
        ]
        write_zip(name, order, built, archive, tags=tags, payload=spool)
        data = archive.read_bytes()
        report(steps, steps)
    return data
