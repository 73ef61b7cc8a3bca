"""One plausible document per certificate type: for `sceau demo-certificates`, tests and bench.

The people are invented; the shapes are the ones real certificates take (a year-only birth
date, a single name, accents, long double-barrelled names).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bundles.certificate.document import CertificateDocument, DetailValue
from signing.seal import BirthDate, CertificateType, SealClaims, new_certificate_id

__all__ = ["sample_document"]

_HOLDERS: dict[CertificateType, tuple[str, str, BirthDate]] = {
    CertificateType.VLS_TS_VALIDATION: ("Haddad", "Amina", BirthDate(1994, 7, 3)),
    CertificateType.MEDICAL_VISIT: ("Nguyễn", "Thị Ánh", BirthDate(1988, 11, 30)),
    CertificateType.CIR_SIGNATURE: ("Abdelkader-Benyamina", "Mohammed Rachid", BirthDate(1979)),
    CertificateType.CIVIC_TRAINING: ("N'Guessan-Kouamé", "Adjoua Marie-Ève", BirthDate(1991, 2)),
    CertificateType.LANGUAGE_TRAINING: ("Popescu", "Ioana", BirthDate(2000, 1, 15)),
    CertificateType.LIFE_IN_FRANCE: ("Tesfaye", "Mekdes", BirthDate(1996, 9, 9)),
    CertificateType.FAMILY_REUNIFICATION_DEPOSIT: ("Ouédraogo", "Issa", BirthDate(1983, 4, 1)),
    CertificateType.ASYLUM_RECEPTION: ("Rahimi", "Zahra", BirthDate(2002)),
    CertificateType.SKILLS_ORIENTATION: ("Díaz Gómez", "José Luis", BirthDate(1975, 12, 24)),
    CertificateType.CONVOCATION: ("", "Suharto", BirthDate(1969, 8)),
}


def _details(kind: CertificateType, issued: date) -> dict[str, DetailValue]:
    earlier = issued - timedelta(days=40)
    table: dict[CertificateType, dict[str, DetailValue]] = {
        CertificateType.VLS_TS_VALIDATION: {
            "validated_on": earlier,
            "visa_category": "VLS-TS « salarié »",
            "visa_valid_until": issued + timedelta(days=300),
        },
        CertificateType.MEDICAL_VISIT: {"visit_date": earlier, "place": "OFII, Paris 11e"},
        CertificateType.CIR_SIGNATURE: {
            "signed_on": earlier,
            "contract_term": "1 an, prolongeable d'un an",
            "trainings_prescribed": ["Formation civique (4 jours, 24 heures)", "Français : 200 h"],
        },
        CertificateType.CIVIC_TRAINING: {
            "session": "Session 2026-14",
            "days_attended": [
                (earlier + timedelta(days=d)).strftime("%d/%m/%Y") for d in (0, 1, 7, 8)
            ],
            "hours_attended": "24 h sur 24 h",
            "place": "Maison de la formation, Lyon 7e",
        },
        CertificateType.LANGUAGE_TRAINING: {
            "assessment_result": "Niveau A1 non atteint à l'entrée",
            "hours_prescribed": 400,
            "hours_attended": 388,
            "level_reached": "A2 (CECRL)",
        },
        CertificateType.LIFE_IN_FRANCE: {
            "session_date": earlier,
            "duration": "6 heures",
            "provider": "Association partenaire agréée",
        },
        CertificateType.FAMILY_REUNIFICATION_DEPOSIT: {
            "filed_on": earlier,
            "file_reference": "RF-93-2026-004217",
            "family_members": "Conjointe et deux enfants",
        },
        CertificateType.ASYLUM_RECEPTION: {
            "since": earlier,
            "single_window": "GUDA de Bobigny",
            "housing": "Hébergement en CADA",
        },
        CertificateType.SKILLS_ORIENTATION: {
            "referred_on": earlier,
            "provider": "France Travail, agence de Marseille Joliette",
        },
        CertificateType.CONVOCATION: {
            "appointment_at": datetime.combine(issued + timedelta(days=18), datetime.min.time())
            + timedelta(hours=9, minutes=30),
            "place": "OFII, 48 rue de la Roquette, 75011 Paris, 2e étage",
            "purpose": "Entretien de fin de contrat d'intégration républicaine",
            "bring": ["Passeport", "Cette convocation", "Attestations de formation"],
        },
    }
    return table[kind]


def sample_document(
    kind: CertificateType, *, issued_on: date | None = None, office: str = "DT-PARIS"
) -> CertificateDocument:
    family, given, birth = _HOLDERS[kind]
    issued = issued_on or date.today()
    valid_until = issued + timedelta(days=365) if kind is not CertificateType.CONVOCATION else None
    claims = SealClaims(
        certificate_id=new_certificate_id(),
        certificate_type=kind,
        family_name=family,
        given_names=given,
        birth_date=birth,
        issued_on=issued,
        valid_until=valid_until,
        office=office,
    )
    return CertificateDocument(
        claims=claims,
        office_name="Direction territoriale de Paris",
        office_address=("48 rue de la Roquette", "75011 Paris"),
        details=_details(kind, issued),
    )
