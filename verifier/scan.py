"""Reading a seal from what a verifier has at hand: its text, a photo or scan, or a PDF.

A desk without network has a paper and a phone or a scanner: the QR code must be found in a
photo taken at an angle, slightly blurred, small in the frame, or in a PDF made by a scanner
(which has no metadata of ours, so the page is rasterised rather than the file searched).
zxing-cpp finds QR codes in any orientation; we help it with two binarisations, a downscaled
copy of large photos and a contrast-stretched one of dull scans.

Whatever is given may be hostile: files are bounded in bytes, images are refused from their
header when they have too many pixels (decompression bombs never get decoded), PDF pages are
rendered at a resolution capped by the same pixel budget, and every failure is a
:class:`ScanError` with a stable code, never a traceback.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pillow_heif
import pypdfium2  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image, ImageFilter, ImageOps

from signing.errors import SealFormatError
from signing.seal import decode
from verifier.errors import ScanError

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_PIXELS",
    "ScannedSeal",
    "read_seal",
    "seal_from_image",
    "seal_from_pdf",
]

pillow_heif.register_heif_opener()  # iPhones photograph in HEIC

#: A phone photo is a few MB, a scanned page at 600 dpi some tens: beyond this, not a paper.
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: 48 MP: a modern phone's full-resolution photo; a decompression bomb is refused from its header.
MAX_PIXELS = 48_000_000
#: Pages of a PDF searched for the QR code (the certificate's is on page 1).
MAX_PDF_PAGES = 2
#: A QR code of version 10 printed 45 mm wide has modules of 0.8 mm: 200 dpi gives 6 pixels each.
PDF_DPI = 200
#: Photos larger than this on their long side are also tried downscaled (noise averages out).
_WORK_SIDE = 2000
#: Photos smaller than this on their long side are also tried enlarged.
_SMALL_SIDE = 1200
_IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF", "HEIF")
_TEXT_LIMIT = 4096
_QR_ONLY = zxingcpp.barcode_formats_from_str("QRCode")


@dataclass(frozen=True)
class ScannedSeal:
    """The seal text found, and where: ``text``, ``image`` or ``pdf``."""

    text: str
    source: str


def read_seal(data: bytes) -> ScannedSeal:
    """The seal in a file's bytes: a PDF, an image, or a text file holding the seal."""
    if len(data) > MAX_INPUT_BYTES:
        raise ScanError("too-large", f"the file is larger than {MAX_INPUT_BYTES // 2**20} MB")
    if b"%PDF-" in data[:1024]:
        return ScannedSeal(seal_from_pdf(data), "pdf")
    if _looks_like_image(data):
        return ScannedSeal(seal_from_image(data), "image")
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ScanError(
            "unreadable", "neither a seal, an image (PNG, JPEG, WebP, HEIC, TIFF) nor a PDF"
        ) from None
    if len(text) > _TEXT_LIMIT:
        raise ScanError("too-large", "a text file holding a seal is a few hundred characters")
    return ScannedSeal(text, "text")


def seal_from_image(data: bytes) -> str:
    """The one seal in a photo or scan; :class:`ScanError` if none, several, or unreadable."""
    image = _open_image(data)
    with image:
        return _one_seal(_qr_texts(image))


def seal_from_pdf(data: bytes) -> str:
    """The seal of a PDF's QR code, found by rendering its first pages as a scanner would."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ScanError("unreadable", f"this PDF cannot be opened: {exc}") from None
    found: list[str] = []
    try:
        for index in range(min(len(document), MAX_PDF_PAGES)):
            page = document[index]
            try:
                width, height = page.get_size()
                if not (width > 0 and height > 0):
                    continue
                scale = min(PDF_DPI / 72, math.sqrt(MAX_PIXELS / (width * height)))
                rendered = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            found = _qr_texts(rendered)
            if found:
                break
    except pypdfium2.PdfiumError as exc:
        raise ScanError("unreadable", f"this PDF cannot be rendered: {exc}") from None
    finally:
        document.close()
    return _one_seal(found)


def _looks_like_image(data: bytes) -> bool:
    heads = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
    if data.startswith(heads):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    return len(data) >= 12 and data[4:8] == b"ftyp"  # HEIC/HEIF (and AVIF: refused by Pillow)


def _open_image(data: bytes) -> Image.Image:
    """Open from the header only, refuse too many pixels, then decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=_IMAGE_FORMATS)
            width, height = image.size
            if width <= 0 or height <= 0:
                raise ScanError("unreadable", "this image has no pixels")
            if width * height > MAX_PIXELS:
                image.close()
                raise ScanError(
                    "too-large",
                    f"this image is {width} x {height} pixels, more than the "
                    f"{MAX_PIXELS // 1_000_000} million a photo of a certificate needs",
                )
            image.load()
    except ScanError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ScanError("too-large", "this image has more pixels than it may have") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise ScanError("unreadable", f"this image cannot be read: {exc}") from None
    return image


def _attempts(image: Image.Image) -> Iterator[Image.Image]:
    """The image as zxing is best given it, then the variants that rescue hard photos."""
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # corrupt EXIF: the pixels as they are
        upright = image
    gray = upright.convert("L")
    yield gray
    long_side = max(gray.size)
    if long_side > _WORK_SIDE:
        factor = _WORK_SIDE / long_side
        size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
        yield gray.resize(size, Image.Resampling.LANCZOS)
    elif long_side < _SMALL_SIDE:
        # A small photo of a turned page: modules a few pixels wide, cut across by the turn.
        # Doubling them gives the detector room to find the finder patterns.
        yield gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.BICUBIC)
    stretched = ImageOps.autocontrast(gray, cutoff=2)
    yield stretched
    yield stretched.filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2))


def _qr_texts(image: Image.Image) -> list[str]:
    for attempt in _attempts(image):
        for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
            codes = zxingcpp.read_barcodes(attempt, formats=_QR_ONLY, binarizer=binarizer)
            texts = [code.text for code in codes if code.valid and code.text]
            if texts:
                return texts
    return []


def _one_seal(texts: list[str]) -> str:
    """The seal among the QR codes found: exactly one distinct seal, or a clear error."""
    if not texts:
        raise ScanError(
            "no-qr-code",
            "no QR code found: photograph the code flat, in focus, filling a good part of the "
            "picture, or give the seal's URL",
        )
    seals: dict[bytes, str] = {}
    for text in texts:
        try:
            seals.setdefault(decode(text).digest, text)
        except SealFormatError:
            continue
    if not seals:
        raise ScanError("not-a-seal", "a QR code was found, but it is not a Sceau seal")
    if len(seals) > 1:
        raise ScanError("several-seals", "several different seals were found: give one at a time")
    (text,) = seals.values()
    return text
