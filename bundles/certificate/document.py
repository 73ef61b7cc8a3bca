"""What an issuer hands in to get a certificate document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bundles.certificate.wording import WORDING
from bundles.errors import CertificateError
from signing.seal import BirthDate, SealClaims

__all__ = ["CertificateDocument", "DetailValue", "format_value"]

DetailValue = str | int | date | datetime | Sequence[str]


@dataclass(frozen=True, kw_only=True)
class CertificateDocument:
    """The claims to seal (names as written: the seal normalises its own copy), the office
    as printed in the header, and the type's own fields keyed as in the wording table."""

    claims: SealClaims
    office_name: str
    office_address: tuple[str, ...] = ()
    details: Mapping[str, DetailValue] = field(default_factory=dict)

    def check(self) -> None:
        """Refuse a document with a missing required field or a field the type does not have."""
        wording = WORDING[self.claims.certificate_type]
        known = {f.key for f in wording.fields}
        unknown = sorted(set(self.details) - known)
        if unknown:
            raise CertificateError(
                f"{self.claims.certificate_type}: unknown field(s) {', '.join(unknown)}"
            )
        missing = [f.key for f in wording.fields if f.required and not self.details.get(f.key)]
        if missing:
            raise CertificateError(
                f"{self.claims.certificate_type}: missing field(s) {', '.join(missing)}"
            )


def format_value(value: DetailValue | BirthDate) -> list[str]:
    """Lines as printed: French dates (unknown parts of a birth date as XX), lists one a line."""
    if isinstance(value, BirthDate):
        day = f"{value.day:02d}" if value.day else "XX"
        month = f"{value.month:02d}" if value.month else "XX"
        return [f"{day}/{month}/{value.year:04d}"]
    if isinstance(value, datetime):
        return [value.strftime("%d/%m/%Y à %H h %M")]
    if isinstance(value, date):
        return [value.strftime("%d/%m/%Y")]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, str):
        return value.splitlines() or [""]
    return [str(item) for item in value]
