"""Names as the seal carries them: uppercase Latin letters, spaces and hyphens.

As in a passport's machine-readable zone, diacritics are dropped and apostrophes omitted, which
keeps the QR code in alphanumeric mode and lets a desk agent compare it with any spelling on
paper. The page shown online gives the name as written, from the database.
"""

from __future__ import annotations

import re
import unicodedata

from signing.errors import ClaimsError

__all__ = ["MAX_NAME_LENGTH", "NAME_PATTERN", "normalize_name"]

#: Longer normalised names are cut, as in a machine-readable zone; the full name is online.
MAX_NAME_LENGTH = 64
#: The canonical form; a decoder refuses anything else, so one name has one encoding.
NAME_PATTERN = re.compile(r"(?:[A-Z]+(?:[ -][A-Z]+)*)?")

# Letters that Unicode does not decompose into a base letter plus marks.
_LIGATURES = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Ø": "O",
        "ø": "O",
        "Þ": "TH",
        "þ": "TH",
        "Ð": "D",
        "ð": "D",
        "Đ": "D",
        "đ": "D",
        "Ł": "L",
        "ł": "L",
        "\u0131": "I",  # dotless i
        "Ħ": "H",
        "ħ": "H",
    }
)
# ' and its typographic look-alikes: right/left quote, modifier apostrophe, grave, acute.
_APOSTROPHES = re.compile("['\u2019\u2018\u02bc`\u00b4]")
# - and the Unicode dashes a word processor puts in double-barrelled names.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_HYPHENS = re.compile(rf"\s*[{_DASHES}]+[\s{_DASHES}]*")
_SEPARATORS = re.compile(r"[\s.,;:_/]+")


def normalize_name(name: str) -> str:
    """The seal form of a name: ``"Ngọc-Ánh  d'Été"`` becomes ``"NGOC-ANH DETE"``.

    Raises :class:`ClaimsError` for letters outside the Latin script: the issuer must give the
    Latin transliteration printed in the passport, not a guess of ours.
    """
    text = _APOSTROPHES.sub("", name.translate(_LIGATURES))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    text = _HYPHENS.sub("-", _SEPARATORS.sub(" ", text)).strip(" -")
    bad = sorted({ch for ch in text if not ("A" <= ch <= "Z" or ch in " -")})
    if bad:
        raise ClaimsError(
            f"name {name!r} has characters outside the Latin alphabet ({''.join(bad)!r}); "
            "give the Latin spelling of the passport"
        )
    text = text[:MAX_NAME_LENGTH].rstrip(" -")
    if not NAME_PATTERN.fullmatch(text):  # pragma: no cover - the steps above guarantee it
        raise ClaimsError(f"name {name!r} does not normalise to a canonical form")
    return text
