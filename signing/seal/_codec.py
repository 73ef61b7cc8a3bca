"""The version 1 byte layout of a seal (docs/seal-format.md is the normative description).

Strict both ways: one set of claims has exactly one encoding, and the decoder refuses
everything that the encoder could not have produced (trailing bytes, non-canonical names,
impossible dates), so that no two distinct payloads verify as the same certificate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date, timedelta

from signing.errors import ClaimsError, SealFormatError
from signing.keys import KEY_ID_LENGTH
from signing.seal._claims import (
    CERTIFICATE_ID_LENGTH,
    MAX_OFFICE_LENGTH,
    OFFICE_PATTERN,
    BirthDate,
    SealClaims,
)
from signing.seal._names import MAX_NAME_LENGTH, NAME_PATTERN
from signing.seal._types import CertificateType

__all__ = ["SIGNATURE_LENGTH", "VERSION", "Body", "pack", "unpack"]

VERSION = 1
SIGNATURE_LENGTH = 64  # r || s, 32 bytes each, big-endian
EPOCH = date(2000, 1, 1)
NO_END = 0xFFFF
_LAST_DAY = EPOCH + timedelta(days=NO_END - 1)
_HEADER = struct.Struct(">B8s12sBHH3s")
assert _HEADER.size == 29
assert KEY_ID_LENGTH == 8
assert CERTIFICATE_ID_LENGTH == 12


@dataclass(frozen=True)
class Body:
    """The signed part of a seal, parsed."""

    version: int
    key_id: bytes
    claims: SealClaims


def pack(claims: SealClaims, key_id: bytes) -> bytes:
    """Encode normalised claims; :class:`ClaimsError` if a value does not fit the format."""
    if len(key_id) != KEY_ID_LENGTH:
        raise ClaimsError(f"a key id is {KEY_ID_LENGTH} bytes")
    birth = claims.birth_date
    packed_birth = (birth.year << 9) | ((birth.month or 0) << 5) | (birth.day or 0)
    header = _HEADER.pack(
        VERSION,
        key_id,
        claims.certificate_id,
        claims.certificate_type.wire_code,
        _day_number(claims.issued_on),
        NO_END if claims.valid_until is None else _day_number(claims.valid_until),
        packed_birth.to_bytes(3, "big"),
    )
    fields = (claims.office, claims.family_name, claims.given_names)
    return header + b"".join(bytes([len(f)]) + f.encode("ascii") for f in fields)


def unpack(data: bytes) -> Body:
    """Parse the signed part, which must be all of ``data``."""
    if len(data) < _HEADER.size:
        raise SealFormatError("seal too short")
    version, key_id, cert_id, type_code, issued, until, birth_raw = _HEADER.unpack_from(data)
    if version != VERSION:
        raise SealFormatError(f"unknown seal version {version}")
    certificate_type = CertificateType.from_wire_code(type_code)
    if certificate_type is None:
        raise SealFormatError(f"unknown certificate type code {type_code}")
    office, offset = _string(data, _HEADER.size, "office")
    family, offset = _string(data, offset, "family name")
    given, offset = _string(data, offset, "given names")
    if offset != len(data):
        raise SealFormatError("trailing bytes after the given names")
    if not office or len(office) > MAX_OFFICE_LENGTH or not OFFICE_PATTERN.fullmatch(office):
        raise SealFormatError("malformed office code")
    for name in (family, given):
        if len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.fullmatch(name):
            raise SealFormatError("name not in canonical form")
    if not family and not given:
        raise SealFormatError("holder has no name")
    if issued == NO_END:
        raise SealFormatError("issue date out of range")
    issued_on = EPOCH + timedelta(days=issued)
    valid_until = None if until == NO_END else EPOCH + timedelta(days=until)
    if valid_until is not None and valid_until < issued_on:
        raise SealFormatError("valid-until date before the issue date")
    birth = int.from_bytes(birth_raw, "big")
    month, day = (birth >> 5) & 0x0F, birth & 0x1F
    try:
        birth_date = BirthDate(birth >> 9, month or None, day or None)
    except ClaimsError as exc:
        raise SealFormatError(f"impossible birth date: {exc}") from None
    claims = SealClaims(
        certificate_id=cert_id,
        certificate_type=certificate_type,
        family_name=family,
        given_names=given,
        birth_date=birth_date,
        issued_on=issued_on,
        valid_until=valid_until,
        office=office,
    )
    return Body(version=version, key_id=key_id, claims=claims)


def _day_number(day: date) -> int:
    if not EPOCH <= day <= _LAST_DAY:
        raise ClaimsError(f"date {day} outside {EPOCH}..{_LAST_DAY}")
    return (day - EPOCH).days


def _string(data: bytes, offset: int, what: str) -> tuple[str, int]:
    if offset >= len(data):
        raise SealFormatError(f"seal ends before the {what}")
    end = offset + 1 + data[offset]
    if end > len(data):
        raise SealFormatError(f"{what} runs past the end of the seal")
    raw = data[offset + 1 : end]
    if not raw.isascii():
        raise SealFormatError(f"{what} is not ASCII")
    return raw.decode("ascii"), end
