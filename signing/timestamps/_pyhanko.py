"""pyHanko's view of a :class:`TimestampClient`, for PAdES B-T signatures."""

from __future__ import annotations

import asyncio

from asn1crypto import cms
from pyhanko.sign.timestamps.api import TimeStamper

from signing.timestamps._client import TimestampClient

__all__ = ["PyHankoTimeStamper"]


class PyHankoTimeStamper(TimeStamper):
    """A pyHanko ``TimeStamper`` that gets its tokens from one of our clients.

    pyHanko asks for a token over the digest of the signature value; the client builds the
    request, carries it (in process or over HTTP) and checks the reply, nonce included.
    """

    def __init__(self, client: TimestampClient) -> None:
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self.client = client

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        token = await asyncio.to_thread(
            self.client.stamp_digest, message_digest, algorithm=md_algorithm
        )
        return cms.ContentInfo.load(token)
