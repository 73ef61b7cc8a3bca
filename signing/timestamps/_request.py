"""RFC 3161 requests: what a client sends to a timestamp authority."""

from __future__ import annotations

import secrets

from asn1crypto import algos, tsp

from signing.errors import TimestampError
from signing.timestamps._asn1 import DIGESTS, digest

__all__ = ["request_for", "request_for_digest"]

_NONCE_BITS = 64


def request_for(
    data: bytes, *, nonce: bool = True, cert_req: bool = True, algorithm: str = "sha256"
) -> tuple[bytes, int | None]:
    """A TimeStampReq (DER) over the digest of ``data``, and the nonce it carries (or None).

    ``cert_req`` asks the authority to put its certificate in the token, which a verifier
    holding only the root then needs.
    """
    if algorithm not in DIGESTS:
        raise TimestampError(f"{algorithm} is not a message-imprint algorithm we use")
    return request_for_digest(
        digest(algorithm, data), algorithm=algorithm, nonce=nonce, cert_req=cert_req
    )


def request_for_digest(
    message_digest: bytes, *, algorithm: str, nonce: bool = True, cert_req: bool = True
) -> tuple[bytes, int | None]:
    """Like :func:`request_for`, for a digest already computed (pyHanko hands us one)."""
    if DIGESTS.get(algorithm) != len(message_digest):
        raise TimestampError(f"a {algorithm} digest of {len(message_digest)} bytes cannot be")
    fields: dict[str, object] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}),
            "hashed_message": message_digest,
        },
        "cert_req": cert_req,
    }
    value = secrets.randbits(_NONCE_BITS) if nonce else None
    if value is not None:
        fields["nonce"] = value
    return tsp.TimeStampReq(fields).dump(), value
