"""The type of an upload, from its bytes: magic numbers, never the name (which must agree)."""

from __future__ import annotations

import re
import struct
import unicodedata

from bundles.errors import IntakeError

__all__ = ["clean_title", "detect", "extension"]

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# ISO-BMFF brands of HEIF images coded in HEVC (what phones write). AVIF is not read here.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEIF_GENERIC = {b"mif1", b"msf1"}

# Readers look for "%PDF-" in the first kilobyte, ZIP readers for the end-of-central-directory
# record in the last 64 KiB: either in a file of another type makes it a polyglot.
PDF_SEARCH = 1024
ZIP_EOCD = b"PK\x05\x06"
ZIP_TAIL = 65_535 + 22

EXTENSIONS = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "jfif": "jpeg",
    "png": "png",
    "heic": "heic",
    "heif": "heic",
    "hif": "heic",
    "eml": "eml",
}

# A header field line (RFC 5322 field name then a colon), or an mbox "From " line.
_FIELD = re.compile(rb"^(?:[!-9;-~]{1,76}:|From )")
_EMAIL_FIELDS = (
    b"from:",
    b"to:",
    b"date:",
    b"subject:",
    b"received:",
    b"return-path:",
    b"message-id:",
    b"mime-version:",
    b"delivered-to:",
)


def extension(filename: str) -> str:
    """The lower-case extension of the last component of a name, or ""."""
    base = re.split(r"[/\\]", filename)[-1]
    stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot and stem else ""


def clean_title(text: str, *, limit: int = 120) -> str:
    """A human label: no control or format characters, spaces collapsed, at most `limit` long."""
    kept = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in text)
    return " ".join(kept.split())[:limit].strip()


def _magic(data: bytes) -> str | None:
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    if len(data) >= 16 and data[4:8] == b"ftyp":
        (box,) = struct.unpack(">I", data[:4])
        major = data[8:12]
        brands = {major} | {data[i : i + 4] for i in range(16, min(box, len(data), 256) - 3, 4)}
        if major in HEIC_BRANDS or (major in HEIF_GENERIC and brands & HEIC_BRANDS):
            return "heic"
        return "other"  # MP4, MOV, AVIF...: known formats we do not take
    if data.startswith((b"PK\x03\x04", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF", b"\xd0\xcf")):
        return "other"
    return None


def looks_like_email(data: bytes) -> bool:
    """Header lines at the start, and at least one field every e-mail carries."""
    head = data[:16384]
    if not _FIELD.match(head):
        return False
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0].lower()
    return any(block.startswith(f) or b"\n" + f in block for f in _EMAIL_FIELDS)


def _has_zip_directory(data: bytes) -> bool:
    tail_start = max(0, len(data) - ZIP_TAIL)
    at = data.rfind(ZIP_EOCD, tail_start)
    while at >= 0:
        if at + 22 <= len(data):
            (comment,) = struct.unpack("<H", data[at + 20 : at + 22])
            if at + 22 + comment <= len(data):
                return True
        at = data.rfind(ZIP_EOCD, tail_start, at)
    return False


def detect(data: bytes, filename: str) -> str:
    """ "pdf", "jpeg", "png", "heic" or "eml", or IntakeError (unknown-type, type-mismatch,
    polyglot, eml-malformed)."""
    magic = _magic(data)
    claimed = EXTENSIONS.get(extension(filename))
    if magic is None and looks_like_email(data):
        magic = "eml"
    if magic is None and PDF_MAGIC in data[:PDF_SEARCH]:
        raise IntakeError(
            "damaged", "the PDF header is not at the start of the file: the file needs repair"
        )
    if magic in (None, "other"):
        if claimed == "eml":
            raise IntakeError(
                "eml-malformed", "this .eml file does not start with e-mail header lines"
            )
        if claimed is not None:
            raise IntakeError(
                "type-mismatch",
                f"the file is named .{extension(filename)} but its content is not a file of "
                "that type",
            )
        raise IntakeError(
            "unknown-type", "this type of file is not accepted: send a PDF, JPEG, PNG, HEIC or .eml"
        )
    if claimed is not None and claimed != magic:
        raise IntakeError(
            "type-mismatch",
            f"the file is named .{extension(filename)} but its content is a {magic.upper()} file",
        )
    if magic != "pdf" and PDF_MAGIC in data[:PDF_SEARCH]:
        raise IntakeError(
            "polyglot",
            f"this {magic.upper()} file also carries a PDF: a file that is two things at once "
            "is refused",
        )
    if _has_zip_directory(data):
        raise IntakeError(
            "polyglot",
            f"this {magic.upper()} file also carries a ZIP archive: a file that is two things "
            "at once is refused",
        )
    return magic
