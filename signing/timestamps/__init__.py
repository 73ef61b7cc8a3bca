"""RFC 3161 timestamps: the embedded authority, clients, pyHanko's adapter, verification.

The embedded :class:`TimestampAuthority` signs with the TIMESTAMP key of the key store under a
certificate of the development PKI (``DevelopmentPki.ensure_tsa``); a deployment may point at an
external authority instead (:class:`HttpTimestampClient`). Either way, code that needs a
timestamp holds a :class:`TimestampClient`; PAdES signing wraps it in
:class:`PyHankoTimeStamper`; evidence packs ship :meth:`TimestampClient.stamp_reply` as a
``.tsr`` with :meth:`TimestampClient.chain_pem`, checked by :func:`verify_reply` (a bare token:
:func:`verify_token`) or ``openssl ts -verify -data FILE -in FILE.tsr -CAfile CHAIN.pem``.
"""

from signing.timestamps._client import (
    QUERY_MEDIA_TYPE,
    REPLY_MEDIA_TYPE,
    HttpTimestampClient,
    InProcessTimestampClient,
    TimestampClient,
    check_reply,
    token_of_reply,
)
from signing.timestamps._pyhanko import PyHankoTimeStamper
from signing.timestamps._request import request_for, request_for_digest
from signing.timestamps._responder import POLICY_OID, TimestampAuthority
from signing.timestamps._verify import TimestampVerification, verify_reply, verify_token

__all__ = [
    "POLICY_OID",
    "QUERY_MEDIA_TYPE",
    "REPLY_MEDIA_TYPE",
    "HttpTimestampClient",
    "InProcessTimestampClient",
    "PyHankoTimeStamper",
    "TimestampAuthority",
    "TimestampClient",
    "TimestampVerification",
    "check_reply",
    "request_for",
    "request_for_digest",
    "token_of_reply",
    "verify_reply",
    "verify_token",
]
