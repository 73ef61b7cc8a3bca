"""The wording of every certificate type: one entry per type, and nothing about layout.

A new type is one entry here (plus its wire code in signing/seal/_types.py). Field keys are
what the issuer passes in ``CertificateDocument.details``; a required field that is missing is
refused rather than printed blank. Health details never appear: the medical-visit certificate
attests attendance only (DOMAIN.md, Privacy).
"""

from __future__ import annotations

from dataclasses import dataclass

from signing.seal import CertificateType

__all__ = ["WORDING", "Field", "Wording"]


@dataclass(frozen=True)
class Field:
    key: str
    label_fr: str
    label_en: str
    required: bool = True


@dataclass(frozen=True)
class Wording:
    title_fr: str
    title_en: str
    statement_fr: str
    statement_en: str
    fields: tuple[Field, ...]


WORDING: dict[CertificateType, Wording] = {
    CertificateType.VLS_TS_VALIDATION: Wording(
        "Attestation de validation du visa long séjour valant titre de séjour",
        "Validation of the long-stay visa equivalent to a residence permit (VLS-TS)",
        "L'Office français de l'immigration et de l'intégration atteste que le visa long séjour "
        "valant titre de séjour de la personne désignée ci-dessous a été validé ; il produit ses "
        "effets sur le territoire français.",
        "The French Office for Immigration and Integration certifies that the long-stay visa of "
        "the person named below has been validated and is effective on French territory.",
        (
            Field("validated_on", "Date de validation", "Validated on"),
            Field("visa_category", "Catégorie du visa", "Visa category"),
            Field("visa_valid_until", "Visa valable jusqu'au", "Visa valid until", False),
        ),
    ),
    CertificateType.MEDICAL_VISIT: Wording(
        "Attestation de passage à la visite médicale",
        "Certificate of attendance at the compulsory medical examination",
        "La personne désignée ci-dessous s'est présentée à la visite médicale prévue par la "
        "réglementation. Ce document n'indique aucune donnée de santé.",
        "The person named below attended the compulsory medical examination. This document "
        "states no health data.",
        (
            Field("visit_date", "Date de la visite", "Date of the examination"),
            Field("place", "Lieu", "Place"),
        ),
    ),
    CertificateType.CIR_SIGNATURE: Wording(
        "Attestation de signature du contrat d'intégration républicaine (CIR)",
        "Signature of the Republican Integration Contract",
        "La personne désignée ci-dessous a signé le contrat d'intégration républicaine, avec "
        "les formations prescrites ci-après.",
        "The person named below has signed the Republican Integration Contract, with the "
        "trainings prescribed below.",
        (
            Field("signed_on", "Date de signature", "Signed on"),
            Field("contract_term", "Durée du contrat", "Term of the contract"),
            Field("trainings_prescribed", "Formations prescrites", "Trainings prescribed"),
        ),
    ),
    CertificateType.CIVIC_TRAINING: Wording(
        "Attestation d'assiduité à la formation civique",
        "Certificate of attendance at the civic training",
        "La personne désignée ci-dessous a suivi la formation civique prescrite dans le cadre "
        "du contrat d'intégration républicaine, aux journées indiquées.",
        "The person named below attended the civic training prescribed under the Republican "
        "Integration Contract on the days shown.",
        (
            Field("session", "Session", "Session"),
            Field("days_attended", "Journées suivies", "Days attended"),
            Field("hours_attended", "Heures suivies", "Hours attended"),
            Field("place", "Lieu de formation", "Place of training"),
        ),
    ),
    CertificateType.LANGUAGE_TRAINING: Wording(
        "Attestation de formation linguistique",
        "Language training certificate",
        "L'Office atteste du parcours de formation linguistique de la personne désignée "
        "ci-dessous.",
        "The Office certifies the language training of the person named below.",
        (
            Field("assessment_result", "Résultat du test de positionnement", "Assessment result"),
            Field("hours_prescribed", "Heures prescrites", "Hours prescribed"),
            Field("hours_attended", "Heures suivies", "Hours attended"),
            Field("level_reached", "Niveau atteint", "Level reached", False),
            Field("exemption", "Dispense", "Exemption", False),
        ),
    ),
    CertificateType.LIFE_IN_FRANCE: Wording(
        "Attestation de participation à la session « Vivre en France »",
        "Attendance at the 'Living in France' session",
        "La personne désignée ci-dessous a participé à la session d'information sur la vie en "
        "France.",
        "The person named below attended the information session on life in France.",
        (
            Field("session_date", "Date de la session", "Date of the session"),
            Field("duration", "Durée", "Duration"),
            Field("provider", "Organisme", "Provider"),
        ),
    ),
    CertificateType.FAMILY_REUNIFICATION_DEPOSIT: Wording(
        "Attestation de dépôt d'une demande de regroupement familial",
        "Family reunification application: proof of filing",
        "L'Office atteste que la demande de regroupement familial présentée par la personne "
        "désignée ci-dessous a été enregistrée et est en cours d'instruction.",
        "The Office certifies that the family reunification application of the person named "
        "below has been registered and is being processed.",
        (
            Field("filed_on", "Date de dépôt", "Filed on"),
            Field("file_reference", "Référence du dossier", "File reference"),
            Field("family_members", "Membres de famille concernés", "Family members concerned"),
        ),
    ),
    CertificateType.ASYLUM_RECEPTION: Wording(
        "Attestation de prise en charge au titre des conditions matérielles d'accueil",
        "Asylum seeker: material reception conditions",
        "La personne désignée ci-dessous bénéficie des conditions matérielles d'accueil gérées "
        "par l'Office (allocation et, le cas échéant, hébergement).",
        "The person named below receives the material reception conditions managed by the "
        "Office (allowance and, where applicable, housing).",
        (
            Field("since", "Prise en charge depuis le", "Since"),
            Field("single_window", "Guichet unique (GUDA)", "Single window (GUDA)"),
            Field("housing", "Hébergement", "Housing", False),
        ),
    ),
    CertificateType.SKILLS_ORIENTATION: Wording(
        "Attestation d'orientation vers un bilan de compétences professionnelles",
        "Referral to a professional skills assessment",
        "Dans le cadre du contrat d'intégration républicaine, la personne désignée ci-dessous a "
        "été orientée vers un bilan de compétences professionnelles.",
        "Under the Republican Integration Contract, the person named below has been referred "
        "to a professional skills assessment.",
        (
            Field("referred_on", "Date d'orientation", "Referred on"),
            Field("provider", "Organisme", "Provider"),
        ),
    ),
    CertificateType.CONVOCATION: Wording(
        "Convocation",
        "Appointment letter",
        "La personne désignée ci-dessous est convoquée au rendez-vous suivant. En cas "
        "d'empêchement, prévenez l'Office avant la date : un rendez-vous manqué retarde le "
        "dossier.",
        "The person named below is invited to the appointment below. If you cannot come, tell "
        "the Office before the date: a missed appointment delays your file.",
        (
            Field("appointment_at", "Date et heure", "Date and time"),
            Field("place", "Lieu", "Place"),
            Field("purpose", "Objet", "Purpose"),
            Field("bring", "Documents à apporter", "Documents to bring", False),
        ),
    ),
}

assert set(WORDING) == set(CertificateType), "every certificate type has its wording"
