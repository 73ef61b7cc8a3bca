"""Certificate types and their one-byte codes on the wire.

The codes are part of the seal format (docs/seal-format.md): a code, once given, is never
reused or renumbered, or old seals would change meaning. A new type is one line here.
"""

from __future__ import annotations

import enum

__all__ = ["CertificateType"]


class CertificateType(enum.StrEnum):
    """The OFII certificates of DOMAIN.md, by the slug used across Sceau."""

    VLS_TS_VALIDATION = "vls-ts-validation"
    MEDICAL_VISIT = "medical-visit"
    CIR_SIGNATURE = "cir-signature"
    CIVIC_TRAINING = "civic-training"
    LANGUAGE_TRAINING = "language-training"
    LIFE_IN_FRANCE = "life-in-france"
    FAMILY_REUNIFICATION_DEPOSIT = "family-reunification-deposit"
    ASYLUM_RECEPTION = "asylum-reception"
    SKILLS_ORIENTATION = "skills-orientation"
    CONVOCATION = "convocation"

    @property
    def wire_code(self) -> int:
        return _WIRE_CODES[self]

    @classmethod
    def from_wire_code(cls, code: int) -> CertificateType | None:
        return _BY_CODE.get(code)


_WIRE_CODES: dict[CertificateType, int] = {
    CertificateType.VLS_TS_VALIDATION: 0x01,
    CertificateType.MEDICAL_VISIT: 0x02,
    CertificateType.CIR_SIGNATURE: 0x03,
    CertificateType.CIVIC_TRAINING: 0x04,
    CertificateType.LANGUAGE_TRAINING: 0x05,
    CertificateType.LIFE_IN_FRANCE: 0x06,
    CertificateType.FAMILY_REUNIFICATION_DEPOSIT: 0x07,
    CertificateType.ASYLUM_RECEPTION: 0x08,
    CertificateType.SKILLS_ORIENTATION: 0x09,
    CertificateType.CONVOCATION: 0x0A,
}
_BY_CODE = {code: kind for kind, code in _WIRE_CODES.items()}
assert len(_BY_CODE) == len(_WIRE_CODES) == len(CertificateType), "one code per type"
