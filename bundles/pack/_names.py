"""The one rule for the file name of a piece on Télérecours: ``PJ{N}_{Label}.pdf``.

R.414-5 CJA wants each piece in its own file whose name starts with its number in the
inventory, then a clear description. Télérecours refuses accents, ``%``, ``/``, ``&`` and dots
other than the extension's, and names longer than 80 characters; ``-`` and ``_`` are allowed.
So the label is transliterated to ASCII (accents dropped, ligatures spelled out), every run of
anything other than ASCII letters, digits and ``-`` becomes one ``_``, and the result is cut to
fit. A label with nothing left (empty, Arabic, only punctuation) becomes ``Piece``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_NAME", "telerecours_name"]

MAX_NAME = 80
_EXTENSION = ".pdf"
_FALLBACK = "Piece"
# Letters NFKD does not decompose into ASCII plus marks.
_SPELLED = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ẞ": "SS",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",  # dotless i
    }
)
_OTHER = re.compile(r"[^A-Za-z0-9-]+")
_EDGES = "_-"


def _ascii(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label.translate(_SPELLED))
    return "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c))


def telerecours_name(number: int, label: str) -> str:
    """``PJ{number}_{Label}.pdf``: ASCII letters, digits, ``-`` and ``_`` only, 80 at most.

    Deterministic; never an empty label part. ``ValueError`` if ``number`` is not a positive
    integer or leaves no room for a label."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"a piece number is a positive integer, not {number!r}")
    prefix = f"PJ{number}_"
    room = MAX_NAME - len(prefix) - len(_EXTENSION)
    if room < 1:
        raise ValueError(f"piece number {number} leaves no room for a label")
    words = _OTHER.sub("_", _ascii(label)).strip(_EDGES)
    words = re.sub(r"_{2,}", "_", words)[:room].strip(_EDGES) or _FALLBACK[:room]
    return f"{prefix}{words}{_EXTENSION}"
