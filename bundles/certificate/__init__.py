"""Certificate documents: an A4 PDF/A-3b page per OFII certificate, carrying the seal QR and a
PAdES signature.

    issued = build_certificate(document, key_store=store, seal_key_id=kid,
                               pdf_signer=signer, base_url="https://sceau.ofii.fr")
    issued.pdf, issued.seal_url
"""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.sign.timestamps.api import TimeStamper

from bundles.certificate.document import CertificateDocument, DetailValue, format_value
from bundles.certificate.pdfa import DocumentMetadata, check_pdfa, to_pdfa
from bundles.certificate.render import QR_SIZE, VERIFY_LINE, render_page
from bundles.certificate.wording import WORDING, Field, Wording
from bundles.layout import ISSUER
from signing.keys import KeyStore
from signing.pades import KeyStoreSigner, sign_pdf
from signing.seal import encode

__all__ = [
    "QR_SIZE",
    "VERIFY_LINE",
    "WORDING",
    "CertificateDocument",
    "DetailValue",
    "Field",
    "IssuedCertificate",
    "Wording",
    "build_certificate",
    "check_pdfa",
    "format_value",
    "render_certificate",
]


@dataclass(frozen=True)
class IssuedCertificate:
    seal_url: str
    pdf: bytes


def render_certificate(document: CertificateDocument, seal_url: str) -> bytes:
    """The unsigned page as PDF/A-3b, with its XMP metadata (title, type, id, issuer)."""
    claims = document.claims
    wording = WORDING[claims.certificate_type]
    metadata = DocumentMetadata(
        title=f"{wording.title_fr} — {claims.verification_code}",
        creator=f"{ISSUER} — {document.office_name}",
        identifier=claims.certificate_id.hex(),
        description=wording.title_en,
        subject=(str(claims.certificate_type), claims.office, "Sceau"),
    )
    return to_pdfa(render_page(document, seal_url), metadata)


def build_certificate(
    document: CertificateDocument,
    *,
    key_store: KeyStore,
    seal_key_id: bytes,
    pdf_signer: KeyStoreSigner,
    base_url: str,
    timestamper: TimeStamper | None = None,
) -> IssuedCertificate:
    """Seal the claims, render the page with the seal QR, sign it (B-B, or B-T with a TSA)."""
    document.check()
    seal_url = encode(document.claims, key_store, seal_key_id, base_url=base_url)
    page = render_certificate(document, seal_url)
    signed = sign_pdf(
        page,
        pdf_signer,
        reason="Certificat OFII scellé — sealed OFII certificate",
        location=document.office_name,
        timestamper=timestamper,
    )
    return IssuedCertificate(seal_url=seal_url, pdf=signed)
