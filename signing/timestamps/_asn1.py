"""ASN.1 pieces shared by the request, responder, client and verifier (asn1crypto underneath).

asn1crypto's own ``tsp.TimeStampResp`` makes the token mandatory, but RFC 3161 2.4.2 leaves it
out of every refusal; :class:`TimeStampResp` here is the RFC's shape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asn1crypto import core, tsp

from signing.errors import TimestampError

__all__ = [
    "DIGESTS",
    "TimeStampResp",
    "digest",
    "load_strict",
    "malformed",
]

#: The message-imprint algorithms accepted, with their digest sizes (RFC 3161 allows any "known"
#: one; these are the ones worth trusting today).
DIGESTS: dict[str, int] = {"sha256": 32, "sha384": 48, "sha512": 64}


class TimeStampResp(core.Sequence):  # type: ignore[misc]
    """TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }."""

    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", tsp.ContentInfo, {"optional": True}),
    ]


def digest(algorithm: str, data: bytes) -> bytes:
    """``data`` hashed with one of :data:`DIGESTS`."""
    return hashlib.new(algorithm, data).digest()


def load_strict(spec: Any, der: bytes) -> Any:
    """Parse a small value (a request) completely, now: asn1crypto parses lazily, so a malformed
    inner field would otherwise surface later, anywhere. Any failure becomes ValueError.

    Not for tokens: ``.native`` over a SignedData makes asn1crypto re-encode its sets again and
    again (a quarter of a second per token); read them field by field inside :func:`malformed`.
    The value returned is a second, lazily parsed copy, so that it dumps its bytes as received.
    """
    try:
        spec.load(der, strict=True).native  # noqa: B018 (walks every field)
        return spec.load(der, strict=True)
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError, OverflowError...
        raise ValueError(f"not a well-formed {spec.__name__}: {exc}") from exc


@contextmanager
def malformed(what: str) -> Iterator[None]:
    """Turn whatever asn1crypto raises while reading ``what`` into :class:`TimestampError`."""
    try:
        yield
    except TimestampError:
        raise
    except Exception as exc:  # ValueError, TypeError, KeyError, IndexError, OverflowError...
        raise TimestampError(f"not {what}: {exc!r}") from exc
