"""The one error hierarchy of the bundles package."""

from __future__ import annotations

__all__ = ["BundleError", "CertificateError", "IntakeError", "PdfaError"]


class BundleError(Exception):
    """Base of every error raised on purpose by the bundles package."""


class CertificateError(BundleError, ValueError):
    """A certificate cannot be rendered: a required field is missing, or it does not fit a page."""


class PdfaError(BundleError):
    """The document we produced does not pass the PDF/A check: a bug of ours, never shipped."""


class IntakeError(BundleError, ValueError):
    """An uploaded file is refused by the intake; nothing of it may be stored.

    `code` is stable (the service translates it): "empty", "too-large", "too-many-pages",
    "unknown-type", "type-mismatch", "polyglot", "encrypted", "damaged", "image-too-large",
    "eml-malformed", "eml-nested", "too-many-attachments", "too-complex". `detail` is a plain
    English sentence.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)
