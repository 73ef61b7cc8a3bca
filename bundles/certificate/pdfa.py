"""PDF/A-3b conversion and its check, with pikepdf: metadata in, verdict out.

The metadata use Dublin Core properties only (title, creator, identifier, description,
subject), which PDF/A predefines, so no XMP extension schema is needed for a verifier to read
the type, the certificate id and the issuer from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import pikepdf
import pikepdf.pdfa

from bundles.errors import PdfaError

__all__ = ["DocumentMetadata", "check_pdfa", "to_pdfa"]

FLAVOUR = "3b"


@dataclass(frozen=True, kw_only=True)
class DocumentMetadata:
    title: str
    creator: str
    identifier: str
    description: str
    subject: tuple[str, ...] = ()
    language: str = "fr-FR"


def to_pdfa(pdf: bytes, metadata: DocumentMetadata, *, validate: bool = False) -> bytes:
    """The document rewritten as PDF/A-3b with ``metadata``.

    With ``validate``, pikepdf re-reads what it wrote and :class:`PdfaError` is raised unless the
    checker approves. Certificates skip that at issuance: they come from one fixed template,
    and the test suite validates every type (tests/bundles/test_certificate.py); the re-read
    was a third of the time to issue one.
    """
    with pikepdf.open(BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = metadata.title
            xmp["dc:creator"] = [metadata.creator]
            xmp["dc:identifier"] = metadata.identifier
            xmp["dc:description"] = metadata.description
            xmp["dc:subject"] = set(metadata.subject)
            xmp["pdf:Keywords"] = ", ".join(metadata.subject)
        document.Root.Lang = pikepdf.String(metadata.language)
        for page in document.pages:
            # reportlab writes an empty page transition; presentation data has no place here
            # and the PDF/A checker (an allowlist) does not vouch for it.
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        out = BytesIO()
        if validate:
            try:
                pikepdf.pdfa.save(document, out, FLAVOUR)
            except pikepdf.pdfa.PdfaError as exc:
                raise PdfaError(f"not PDF/A-{FLAVOUR}: {exc}") from exc
        else:
            pikepdf.pdfa.prepare(document, FLAVOUR)
            document.save(out, **pikepdf.pdfa.resolve_save_kwargs(FLAVOUR))
    return out.getvalue()


def check_pdfa(pdf: bytes) -> list[str]:
    """Findings of pikepdf's PDF/A-3b checker on a written file; empty when it passes."""
    report = pikepdf.pdfa.validate_written(BytesIO(pdf), FLAVOUR)
    return [] if report.passed else [str(finding) for finding in report.findings]
