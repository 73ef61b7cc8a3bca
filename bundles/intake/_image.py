"""Images with Pillow (HEIC through pillow-heif): size checked from the header, metadata
dropped, turned upright, and placed on one A4 page at no more than 300 dpi.

The page is A4, portrait or landscape like the image; the image fills it as far as its shape
allows, is never shown larger than 1 pixel per point (72 dpi), and is resampled down when it
would be denser than 300 dpi. Photographs (JPEG, HEIC) are stored JPEG at quality 90, PNG as
Flate. The new image is built from the pixels alone: EXIF, GPS, XMP and comments cannot follow.
An ICC profile is applied (the pixels are converted to sRGB) and then dropped.
"""

from __future__ import annotations

import zlib
from io import BytesIO

import pikepdf
import pillow_heif
from PIL import Image, ImageCms, ImageOps

from bundles.errors import IntakeError

__all__ = ["normalise_image"]

pillow_heif.register_heif_opener()

A4 = (595.2756, 841.8898)
MAX_DPI = 300
MIN_DPI = 72
_FORMATS = {"jpeg": "JPEG", "png": "PNG", "heic": "HEIF"}
_GPS_IFD = 0x8825
_SRGB = ImageCms.createProfile("sRGB")


def _too_large(width: int, height: int, limit: int) -> IntakeError:
    return IntakeError(
        "image-too-large",
        f"this image is {width} x {height} pixels, more than the {limit:,} pixels an image may "
        "have; send a smaller image",
    )


def _metadata(image: Image.Image) -> set[str]:
    """What the new image leaves behind. Broken EXIF is still EXIF (and may hold a position)."""
    found: set[str] = set()
    if any(key in image.info for key in ("xmp", "XML:com.adobe.xmp")):
        found.add("xmp")
    try:
        exif = image.getexif()
        if len(exif) or image.info.get("exif"):
            found.add("exif")
        if _GPS_IFD in exif and exif.get_ifd(_GPS_IFD):
            found.add("gps")
    except Exception:  # corrupt EXIF: Pillow warns or fails; it is dropped all the same
        found.add("exif")
    return found


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is when that cannot be read."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # corrupt EXIF
        return image


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L, transparency composed over white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "1":
        image = image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("LA", "RGBA", "PA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if image.mode == "L":
        return image
    return image.convert("RGB")


def _placement(width: int, height: int) -> tuple[tuple[float, float], float, float]:
    """Page size, and the size of the image on it, in points."""
    page = A4 if height >= width else (A4[1], A4[0])
    scale = min(page[0] / width, page[1] / height, 72 / MIN_DPI)
    return page, width * scale, height * scale


def normalise_image(
    data: bytes, *, kind: str, max_pixels: int
) -> tuple[bytes, int, tuple[str, ...]]:
    """A one-page PDF of the image, 1, and the sorted codes of the metadata removed."""
    try:
        image = Image.open(BytesIO(data), formats=[_FORMATS[kind]])
    except Image.DecompressionBombError as error:
        raise IntakeError(
            "image-too-large", "this image has more pixels than an image may have"
        ) from error
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise IntakeError("damaged", "this image has no pixels")
        if width * height > max_pixels:
            raise _too_large(width, height, max_pixels)
        removed = _metadata(image)
        image.load()  # decodes: a truncated or corrupt file fails here
        upright = _upright(image)
        pixels = _flatten(_to_srgb(upright))
    # Only the pixels cross over: a new image carries no metadata at all.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    page, shown_w, shown_h = _placement(*clean.size)
    dpi = clean.size[0] / (shown_w / 72)
    if dpi > MAX_DPI:
        target = (
            max(1, round(shown_w / 72 * MAX_DPI)),
            max(1, round(shown_h / 72 * MAX_DPI)),
        )
        clean = clean.resize(target, Image.Resampling.LANCZOS)
    return _pdf(clean, page, shown_w, shown_h, jpeg=kind != "png"), 1, tuple(sorted(removed))


def _pdf(
    image: Image.Image, page: tuple[float, float], shown_w: float, shown_h: float, *, jpeg: bool
) -> bytes:
    pdf = pikepdf.Pdf.new()
    colour = pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB
    if jpeg:
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=90, optimize=True)
        stream, filter_ = buffer.getvalue(), pikepdf.Name.DCTDecode
    else:
        stream, filter_ = zlib.compress(image.tobytes(), 6), pikepdf.Name.FlateDecode
    xobject = pikepdf.Stream(
        pdf,
        stream,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=image.size[0],
        Height=image.size[1],
        ColorSpace=colour,
        BitsPerComponent=8,
        Filter=filter_,
    )
    x, y = (page[0] - shown_w) / 2, (page[1] - shown_h) / 2
    content = f"q {shown_w:.4f} 0 0 {shown_h:.4f} {x:.4f} {y:.4f} cm /Im0 Do Q".encode()
    pdf.add_blank_page(page_size=page)
    first = pdf.pages[0]
    first.obj["/Resources"] = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject))
    first.obj["/Contents"] = pikepdf.Stream(pdf, content)
    out = BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
