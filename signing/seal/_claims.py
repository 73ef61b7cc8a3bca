"""What a seal states: the few facts a verifier needs to match the paper to the person.

Never the foreigner's number, never health details (DOMAIN.md, Privacy).
"""

from __future__ import annotations

import base64
import calendar
import re
import secrets
from dataclasses import dataclass, replace
from datetime import date

from signing.errors import ClaimsError
from signing.seal._names import normalize_name
from signing.seal._types import CertificateType

__all__ = [
    "CERTIFICATE_ID_LENGTH",
    "OFFICE_PATTERN",
    "BirthDate",
    "SealClaims",
    "new_certificate_id",
]

#: 96 random bits: unguessable, so an id alone never lets anyone find a certificate.
CERTIFICATE_ID_LENGTH = 12
#: Issuing office codes, e.g. ``DT-PARIS``: short, and inside the QR alphanumeric alphabet.
OFFICE_PATTERN = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
MAX_OFFICE_LENGTH = 16
MIN_BIRTH_YEAR = 1880
MAX_BIRTH_YEAR = 2200


def new_certificate_id() -> bytes:
    return secrets.token_bytes(CERTIFICATE_ID_LENGTH)


@dataclass(frozen=True, order=True)
class BirthDate:
    """A date of birth whose day, or day and month, may be unknown.

    Many people born where civil registration is patchy carry papers reading "XX/XX/1990";
    a seal must state exactly that rather than invent a 1 January.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not MIN_BIRTH_YEAR <= self.year <= MAX_BIRTH_YEAR:
            raise ClaimsError(f"birth year {self.year} out of range")
        if self.month is None:
            if self.day is not None:
                raise ClaimsError("a birth day without a birth month")
            return
        if not 1 <= self.month <= 12:
            raise ClaimsError(f"birth month {self.month} out of range")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ClaimsError(
                    f"birth day {self.day} does not exist in {self.year}-{self.month}"
                )

    @classmethod
    def of(cls, value: date) -> BirthDate:
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        """ISO 8601 with reduced precision: ``1990-05-14``, ``1990-05`` or ``1990``."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True, kw_only=True)
class SealClaims:
    """The signed statement. Names may be given as written; the seal carries their
    :func:`normalize_name` form, and :meth:`normalized` is what a decoder gives back."""

    certificate_id: bytes
    certificate_type: CertificateType
    family_name: str
    given_names: str
    birth_date: BirthDate
    issued_on: date
    valid_until: date | None = None
    office: str

    def normalized(self) -> SealClaims:
        """These claims as the seal states them; raises :class:`ClaimsError` if they cannot be."""
        if len(self.certificate_id) != CERTIFICATE_ID_LENGTH:
            raise ClaimsError(f"a certificate id is {CERTIFICATE_ID_LENGTH} bytes")
        if not isinstance(self.certificate_type, CertificateType):
            raise ClaimsError(f"unknown certificate type {self.certificate_type!r}")
        family, given = normalize_name(self.family_name), normalize_name(self.given_names)
        if not family and not given:
            raise ClaimsError("a holder needs a family name or a given name")
        if len(self.office) > MAX_OFFICE_LENGTH or not OFFICE_PATTERN.fullmatch(self.office):
            raise ClaimsError(
                f"office code {self.office!r} must be 1 to {MAX_OFFICE_LENGTH} characters "
                "of A-Z, 0-9 and single hyphens"
            )
        if self.valid_until is not None and self.valid_until < self.issued_on:
            raise ClaimsError("valid_until is before issued_on")
        return replace(self, family_name=family, given_names=given)

    @property
    def verification_code(self) -> str:
        """The certificate id for humans: base32 in fours, e.g. ``AEBA-GBAF-AYDQ-QCIK-BMGA``.

        Printed under the QR code so that a certificate whose code is torn or smudged can
        still be looked up by typing it.
        """
        text = base64.b32encode(self.certificate_id).decode("ascii").rstrip("=")
        return "-".join(text[i : i + 4] for i in range(0, len(text), 4))

    @property
    def holder(self) -> str:
        """The holder as a machine-readable zone would print it: ``FAMILY, GIVEN``."""
        return ", ".join(part for part in (self.family_name, self.given_names) if part)
