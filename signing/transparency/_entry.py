"""What one leaf of the log says: an issuance or a revocation, and nothing about the person.

The leaf data is a canonical binary encoding (one byte string per entry, no choice left to the
encoder), so that anyone can recompute a leaf hash from a certificate they hold:

====== ====== ============================================================================
offset bytes  field
====== ====== ============================================================================
0      1      format version, 0x01
1      1      event: 0x01 issue, 0x02 revoke
2      12     certificate id (the 96-bit id the seal carries)
14     1      L, the length of the certificate type
15     L      certificate type, ASCII ``[a-z0-9-]`` (e.g. ``civic-training``)
15 + L 32     SHA-256 of the seal (the digest the seal's signature covers)
====== ====== ============================================================================

No name, birth date, nationality or office appears: the log is public, and the seal's hash
binds the entry to the paper without revealing what the paper says.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from signing.errors import TransparencyLogError
from signing.transparency._hashing import HASH_SIZE, leaf_hash

__all__ = ["ENTRY_VERSION", "LogEntry", "LogEvent"]

ENTRY_VERSION = 1
CERTIFICATE_ID_SIZE = 12
_TYPE = re.compile(r"[a-z0-9-]{1,64}")


class LogEvent(enum.StrEnum):
    ISSUE = "issue"
    REVOKE = "revoke"


_EVENT_CODES = {LogEvent.ISSUE: 1, LogEvent.REVOKE: 2}
_EVENTS = {code: event for event, code in _EVENT_CODES.items()}


@dataclass(frozen=True, kw_only=True)
class LogEntry:
    """One event of a certificate's life, as the public log records it."""

    event: LogEvent
    certificate_id: bytes
    certificate_type: str
    seal_sha256: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.event, LogEvent):
            raise TransparencyLogError(f"unknown log event {self.event!r}")
        if len(self.certificate_id) != CERTIFICATE_ID_SIZE:
            raise TransparencyLogError(f"a certificate id has {CERTIFICATE_ID_SIZE} bytes")
        if not _TYPE.fullmatch(self.certificate_type):
            raise TransparencyLogError(f"certificate type {self.certificate_type!r} is not a name")
        if len(self.seal_sha256) != HASH_SIZE:
            raise TransparencyLogError(f"a seal hash has {HASH_SIZE} bytes")

    def encode(self) -> bytes:
        """The leaf data (the bytes the leaf hash covers)."""
        kind = self.certificate_type.encode("ascii")
        return (
            bytes([ENTRY_VERSION, _EVENT_CODES[self.event]])
            + self.certificate_id
            + bytes([len(kind)])
            + kind
            + self.seal_sha256
        )

    def leaf_hash(self) -> bytes:
        return leaf_hash(self.encode())

    @classmethod
    def decode(cls, data: bytes) -> LogEntry:
        """Parse leaf data; :class:`TransparencyLogError` unless it is exactly one entry."""
        if len(data) < 2 + CERTIFICATE_ID_SIZE + 1:
            raise TransparencyLogError("leaf data too short")
        if data[0] != ENTRY_VERSION:
            raise TransparencyLogError(f"leaf data of version {data[0]}, not {ENTRY_VERSION}")
        event = _EVENTS.get(data[1])
        if event is None:
            raise TransparencyLogError(f"unknown event code {data[1]}")
        kind_at = 2 + CERTIFICATE_ID_SIZE
        length = data[kind_at]
        kind = data[kind_at + 1 : kind_at + 1 + length]
        seal = data[kind_at + 1 + length :]
        if len(kind) != length or len(seal) != HASH_SIZE:
            raise TransparencyLogError("leaf data of the wrong length")
        try:
            certificate_type = kind.decode("ascii")
        except UnicodeDecodeError:
            raise TransparencyLogError("certificate type is not ASCII") from None
        return cls(
            event=event,
            certificate_id=data[2:kind_at],
            certificate_type=certificate_type,
            seal_sha256=seal,
        )
