"""What a scan typed into a form: the seal URL, or the same URL mangled by a keyboard layout.

Prefecture desks verify with a camera (verifier/static/scan.js) or a USB "keyboard-wedge"
barcode reader, which types the QR code's text followed by Enter. A reader sends *key
positions*, and most leave the factory set for a US layout: on a French AZERTY computer the
host reads those positions with its own layout, so ``HTTP://127.0.0.1:8000/V/AB...`` arrives
as ``HTTPM!!&éè:à:à:&M_ààà!V!QB...`` (``:`` is Shift plus the key that is M in AZERTY, ``/``
the key that is ``!``, digits come out as the unshifted ``&é"'(-è_çà``, A and Q swap, so do Z
and W, and M moves to where AZERTY has ``,``/``?``). Reconfiguring every reader is a ticket
per desk; reading the mangled text back is one table, since the seal URL uses few characters
(letters, digits, ``:/.-``) and the mapping is one-to-one on them.

The text is first read as it is and only then, if it is not a seal, through the table: a
genuine URL never goes through it (the table would spoil it: it swaps A and Q). Whatever the
reading, only the base32 payload is kept and the answer is a path on *this* site, so a scanned
URL naming another host cannot turn the form into an open redirect.
"""

from __future__ import annotations

from signing.errors import SealFormatError
from signing.seal import SEAL_PATH, decode

__all__ = ["MAX_SCANNED_LENGTH", "US_ON_AZERTY", "from_azerty", "scanned_seal_path"]

#: A seal URL is under 300 characters; a form field may hold a little more (a pasted query).
MAX_SCANNED_LENGTH = 2000

#: What an AZERTY (French, PC) host types when a US-layout reader means each character of a
#: seal URL: the keys that differ between the two layouts, lower and upper case.
US_ON_AZERTY: dict[str, str] = {
    "a": "q",
    "q": "a",
    "z": "w",
    "w": "z",
    "m": ",",
    "A": "Q",
    "Q": "A",
    "Z": "W",
    "W": "Z",
    "M": "?",
    ":": "M",  # Shift + the key right of L (";" in US, "m" in AZERTY)
    "/": "!",
    ".": ":",
    "-": ")",
    "1": "&",
    "2": "é",
    "3": '"',
    "4": "'",
    "5": "(",
    "6": "-",
    "7": "è",
    "8": "_",
    "9": "ç",
    "0": "à",
}
_BACK_FROM_AZERTY = str.maketrans({typed: meant for meant, typed in US_ON_AZERTY.items()})


def from_azerty(text: str) -> str:
    """The text a US-layout reader meant, from what an AZERTY host made of it."""
    return text.translate(_BACK_FROM_AZERTY)


def scanned_seal_path(text: str) -> str:
    """The path of the seal page (``/V/<payload>``) for a scanned or pasted text.

    Surrounding whitespace (a reader's trailing newline or tab) is dropped; the text is read
    as typed, then as AZERTY-mangled. :class:`SealFormatError` when neither reading is a seal.
    """
    typed = text.strip()[:MAX_SCANNED_LENGTH]
    try:
        return f"{SEAL_PATH}{decode(typed).payload}"
    except SealFormatError:
        meant = from_azerty(typed)
        if meant == typed:
            raise
    return f"{SEAL_PATH}{decode(meant).payload}"
