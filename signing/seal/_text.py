"""The seal as text: unpadded uppercase base32, at the end of an uppercase https URL.

Uppercase base32 and an uppercase URL keep every character inside the QR alphanumeric set
(5.5 bits a character instead of 8), which is what keeps the symbol small enough to scan at the
first try; a stock phone camera opens the URL, and the signed bytes inside it still verify with
no network.
"""

from __future__ import annotations

import base64
import re

from signing.errors import SealFormatError

__all__ = ["MAX_TEXT_LENGTH", "SEAL_PATH", "from_text", "payload_of", "to_text", "to_url"]

SEAL_PATH = "/V/"
MAX_TEXT_LENGTH = 2048
_BASE32 = re.compile(r"[A-Z2-7]+")
_URL_SAFE = re.compile(r"[A-Z0-9:/.\-]+")
# RFC 4648 base32 -> base32hex ("0-9A-V"), the digits Python's int() reads in base 32.
_TO_BASE32HEX = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)


def to_text(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def to_url(base_url: str, payload: str) -> str:
    """``{BASE}/V/{PAYLOAD}``, uppercased; refuses a base that would leave alphanumeric mode."""
    base = base_url.rstrip("/").upper()
    if not _URL_SAFE.fullmatch(base) or not base.startswith(("HTTPS://", "HTTP://")):
        raise ValueError(
            f"seal base URL {base_url!r} must be http(s) with only letters, digits and -./: "
            "so that the QR code stays in alphanumeric mode"
        )
    return f"{base}{SEAL_PATH}{payload}"


def payload_of(url_or_payload: object) -> str:
    """The base32 part of a seal URL (any host, any case) or of a bare payload."""
    if not isinstance(url_or_payload, str):
        raise SealFormatError("a seal is text")
    if len(url_or_payload) > MAX_TEXT_LENGTH:
        raise SealFormatError("seal text too long")
    text = url_or_payload.strip()
    if "/" in text:
        # Phone apps and chat clients append queries, fragments or a trailing slash.
        path = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
        text = path.rsplit("/", 1)[-1]
    text = text.upper()
    if not _BASE32.fullmatch(text):
        raise SealFormatError("seal payload is not base32")
    return text


def from_text(payload: str) -> bytes:
    """Decode canonical unpadded base32; non-zero spare bits are refused (one text per seal).

    Done with ``int(..., 32)`` on the base32hex twin of the text: the standard library's
    ``b32decode`` is a Python loop and took a third of a whole verification.
    """
    size, spare = divmod(len(payload) * 5, 8)
    if spare >= 5:  # a last character holding no data bit: no encoder writes that
        raise SealFormatError("seal payload has an impossible base32 length")
    value = int(payload.translate(_TO_BASE32HEX), 32) if payload else 0
    if value & ((1 << spare) - 1):
        raise SealFormatError("seal payload is not canonical base32 (spare bits set)")
    return (value >> spare).to_bytes(size, "big")
