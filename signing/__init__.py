"""Trust for Sceau: keys, the seal carried by QR codes, trust lists.

Imports neither flask, sqlalchemy nor pikepdf: this package must run in an offline verifier.
"""

from signing.errors import (
    ClaimsError,
    KeyNotFoundError,
    KeyStoreError,
    SealError,
    SealFormatError,
    SigningError,
    TrustListError,
)

__all__ = [
    "ClaimsError",
    "KeyNotFoundError",
    "KeyStoreError",
    "SealError",
    "SealFormatError",
    "SigningError",
    "TrustListError",
]
