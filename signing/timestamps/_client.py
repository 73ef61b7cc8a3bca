"""Clients of a timestamp authority: over HTTP (RFC 3161 section 3.4), or in the same process.

Both check every reply before handing out its token: status granted, the imprint we asked for,
our nonce echoed. The one shape they share is :class:`TimestampClient`.
"""

from __future__ import annotations

import abc
import urllib.error
import urllib.request
from typing import Protocol, runtime_checkable

from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from signing.errors import TimestampError
from signing.timestamps._asn1 import TimeStampResp, load_strict, malformed
from signing.timestamps._request import request_for, request_for_digest
from signing.timestamps._responder import TimestampAuthority

__all__ = [
    "QUERY_MEDIA_TYPE",
    "REPLY_MEDIA_TYPE",
    "HttpTimestampClient",
    "InProcessTimestampClient",
    "TimestampClient",
    "check_reply",
    "token_of_reply",
]

QUERY_MEDIA_TYPE = "application/timestamp-query"
REPLY_MEDIA_TYPE = "application/timestamp-reply"
_MAX_REPLY_BYTES = 1024 * 1024


@runtime_checkable
class TimestampClient(Protocol):
    """What Sceau asks of a timestamp authority, wherever it runs."""

    def stamp(self, data: bytes) -> bytes:
        """A checked timestamp token (CMS ContentInfo, DER) over SHA-256(``data``)."""
        ...

    def stamp_reply(self, data: bytes) -> bytes:
        """The whole checked TimeStampResp (DER): what an evidence pack ships as a ``.tsr``."""
        ...

    def stamp_digest(self, message_digest: bytes, *, algorithm: str) -> bytes:
        """A checked token over a digest computed by the caller (pyHanko's way)."""
        ...

    def chain_pem(self) -> bytes:
        """The TSA certificate and its issuers, PEM (``tsa-chain.pem`` of a pack)."""
        ...


class _CheckingClient(abc.ABC):
    """Builds requests and checks replies; subclasses only carry the bytes."""

    @abc.abstractmethod
    def exchange(self, request_der: bytes) -> bytes:
        """Send a TimeStampReq, return the TimeStampResp as received (unchecked)."""

    def stamp_reply(self, data: bytes) -> bytes:
        request, _ = request_for(data)
        return self._checked(request)

    def stamp(self, data: bytes) -> bytes:
        return token_of_reply(self.stamp_reply(data))

    def stamp_digest(self, message_digest: bytes, *, algorithm: str) -> bytes:
        request, _ = request_for_digest(message_digest, algorithm=algorithm)
        return token_of_reply(self._checked(request))

    def _checked(self, request: bytes) -> bytes:
        reply = self.exchange(request)
        check_reply(reply, request)
        return reply


class InProcessTimestampClient(_CheckingClient):
    """The embedded authority, called directly: no network, same checks."""

    def __init__(self, authority: TimestampAuthority) -> None:
        self.authority = authority

    def exchange(self, request_der: bytes) -> bytes:
        return self.authority.respond(request_der)

    def chain_pem(self) -> bytes:
        return self.authority.chain_pem()


class HttpTimestampClient(_CheckingClient):
    """An authority at ``url``, asked by ``POST application/timestamp-query``.

    Its chain is taken from the certificates of its tokens (requests ask for them): an authority
    that leaves its root out of tokens needs that root added to ``tsa-chain.pem`` by hand.
    """

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise TimestampError(f"{url!r}: a timestamp authority is reached over http(s)")
        self.url = url
        self.timeout = timeout
        self._chain: bytes | None = None

    def exchange(self, request_der: bytes) -> bytes:
        http_request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url,
            data=request_der,
            method="POST",
            headers={"Content-Type": QUERY_MEDIA_TYPE, "Accept": REPLY_MEDIA_TYPE},
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:  # noqa: S310
                media_type = response.headers.get_content_type()
                body: bytes = response.read(_MAX_REPLY_BYTES + 1)
        except (urllib.error.URLError, OSError) as exc:
            raise TimestampError(
                f"the timestamp authority {self.url} cannot be reached: {exc}"
            ) from exc
        if media_type != REPLY_MEDIA_TYPE:
            raise TimestampError(f"{self.url} answered {media_type}, not {REPLY_MEDIA_TYPE}")
        if len(body) > _MAX_REPLY_BYTES:
            raise TimestampError(f"{self.url} answered more than {_MAX_REPLY_BYTES} bytes")
        return body

    def stamp_reply(self, data: bytes) -> bytes:
        reply = super().stamp_reply(data)
        self._chain = _certificates_pem(token_of_reply(reply))
        return reply

    def chain_pem(self) -> bytes:
        if self._chain is None:
            self.stamp_reply(b"Sceau: which certificates does this authority use?")
        assert self._chain is not None
        return self._chain


def token_of_reply(reply_der: bytes) -> bytes:
    """The token (ContentInfo DER) of a granted TimeStampResp; :class:`TimestampError` else."""
    with malformed("a timestamp reply"):
        reply = TimeStampResp.load(reply_der, strict=True)
        status = reply["status"]
        if status["status"].native not in {"granted", "granted_with_mods"}:
            text = "; ".join(status["status_string"].native or [])
            fail = ", ".join(sorted(status["fail_info"].native or []))
            raise TimestampError(
                f"the timestamp authority refused: {text or 'no reason'} ({fail or 'no failInfo'})"
            )
        token = reply["time_stamp_token"]
        if isinstance(token, core.Void):
            raise TimestampError("a granted reply without a token")
        der: bytes = token.dump()
    return der


def check_reply(reply_der: bytes, request_der: bytes) -> None:
    """Check that a TimeStampResp grants what the TimeStampReq asked.

    Status granted (or granted with modifications), a SignedData token over a TSTInfo, the
    same message imprint, the nonce echoed, certificates present if asked. The signature is
    for :func:`signing.timestamps.verify_token` (it needs trust roots).
    """
    try:
        request = load_strict(tsp.TimeStampReq, request_der)
    except ValueError as exc:
        raise TimestampError(str(exc)) from exc
    token_der = token_of_reply(reply_der)
    with malformed("a timestamp token"):
        token = cms.ContentInfo.load(token_der, strict=True)
        if token["content_type"].native != "signed_data":
            raise TimestampError("the token is not a CMS SignedData")
        signed = token["content"]
        encapsulated = signed["encap_content_info"]
        if encapsulated["content_type"].native != "tst_info":
            raise TimestampError("the token does not carry a TSTInfo")
        info = tsp.TSTInfo.load(encapsulated["content"].contents, strict=True)
        imprint_matches = info["message_imprint"].dump() == request["message_imprint"].dump()
        nonce = info["nonce"].native
        has_certificates = len(signed["certificates"]) > 0
    if not imprint_matches:
        raise TimestampError("the token stamps another message imprint than the one asked")
    if nonce != request["nonce"].native:
        raise TimestampError("the authority did not echo our nonce")
    if request["cert_req"].native and not has_certificates:
        raise TimestampError("certificates were asked for and the token carries none")


def _certificates_pem(token_der: bytes) -> bytes:
    """The certificates of a token, PEM, the signer's first (CMS keeps them as an unordered SET)."""
    with malformed("a timestamp token"):
        signed = cms.ContentInfo.load(token_der, strict=True)["content"]
        sid = signed["signer_infos"][0]["sid"]
        found = [
            x509.load_der_x509_certificate(choice.chosen.dump())
            for choice in signed["certificates"]
            if choice.name == "certificate"
        ]
        if sid.name == "issuer_and_serial_number":
            serial = sid.chosen["serial_number"].native
            issuer = sid.chosen["issuer"].dump()
            found.sort(
                key=lambda c: not (c.serial_number == serial and c.issuer.public_bytes() == issuer)
            )
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in found)
