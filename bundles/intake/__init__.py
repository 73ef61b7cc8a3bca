"""Safe intake of files from outside: PDF, JPEG, PNG, HEIC and .eml become checked PDFs.

`take_in(data, filename=...)` either returns a complete `IntakeResult` (the original bytes and
their SHA-256 beside the normalised PDF and its SHA-256) or raises `IntakeError` with a stable
code; no other exception escapes, whatever the bytes. The type comes from the bytes (magic
numbers); the name's extension must agree with it when it names a type we know. The file name
is never used as a path, only cleaned into the `title`.

Storage and HTTP are the service's: it stores `original` and `pdf` (and each attachment's) only
when `take_in` returns, and maps `IntakeError.code` to a 4xx answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bundles.errors import IntakeError
from bundles.intake._detect import clean_title, detect, extension
from bundles.intake._eml import normalise_eml
from bundles.intake._image import normalise_image
from bundles.intake._pdf import normalise_pdf

__all__ = ["IntakeError", "IntakeLimits", "IntakeResult", "take_in"]


@dataclass(frozen=True, kw_only=True)
class IntakeLimits:
    max_bytes: int = 32 * 1024 * 1024  # the Télérecours citoyens limit per file
    max_pages: int = 500
    max_image_pixels: int = 40_000_000  # decompression-bomb limit (~ A4 at 600 dpi)
    max_attachments: int = 20


@dataclass(frozen=True, kw_only=True)
class IntakeResult:
    kind: str  # "pdf" | "jpeg" | "png" | "heic" | "eml"
    original: bytes  # exactly what was received
    original_sha256: str
    pdf: bytes  # the normalised PDF
    pdf_sha256: str
    pages: int
    title: str  # the file name without extension, or the e-mail subject
    removed: tuple[str, ...]  # what was stripped or refused, as stable codes
    attachments: tuple[IntakeResult, ...] = ()  # for an .eml: each attachment on its own


def _name_title(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    ext = extension(base)
    stem = base[: -(len(ext) + 1)] if ext else base
    return clean_title(stem) or "document"


def take_in(data: bytes, *, filename: str, limits: IntakeLimits = IntakeLimits()) -> IntakeResult:
    """Check and normalise one uploaded file; IntakeError (and nothing else) when refused."""
    return _take_in(data, filename=filename, limits=limits, depth=0)


def _take_in(data: bytes, *, filename: str, limits: IntakeLimits, depth: int) -> IntakeResult:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise IntakeError("empty", "no file was received")
    if len(data) == 0:
        raise IntakeError("empty", "the file is empty (0 bytes)")
    if len(data) > limits.max_bytes:
        raise IntakeError(
            "too-large",
            f"the file is {len(data) / 1_048_576:.1f} MB, more than the "
            f"{limits.max_bytes / 1_048_576:.0f} MB a file may have",
        )
    data = bytes(data)
    kind = "unknown"
    try:
        kind = detect(data, filename)
        title = _name_title(filename)
        attachments: tuple[IntakeResult, ...] = ()
        if kind == "pdf":
            pdf, pages, removed = normalise_pdf(data, max_pages=limits.max_pages)
        elif kind == "eml":
            pdf, pages, subject, removed, attachments = normalise_eml(
                data, limits=limits, depth=depth, take=_take_in
            )
            title = clean_title(subject) or title
        else:
            pdf, pages, removed = normalise_image(
                data, kind=kind, max_pixels=limits.max_image_pixels
            )
    except IntakeError:
        raise
    except Exception as error:  # any parser's surprise on hostile input is a refusal
        raise _unexpected(kind) from error
    return IntakeResult(
        kind=kind,
        original=data,
        original_sha256=hashlib.sha256(data).hexdigest(),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pages=pages,
        title=title,
        removed=removed,
        attachments=attachments,
    )


def _unexpected(kind: str) -> IntakeError:
    if kind == "eml":
        return IntakeError("eml-malformed", "this e-mail cannot be read: its structure is broken")
    what = {"pdf": "PDF", "unknown": "file"}.get(kind, "image")
    return IntakeError(
        "damaged", f"this {what} is damaged or truncated and cannot be read; send it again"
    )
