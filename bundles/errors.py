"""The one error hierarchy of the bundles package."""

from __future__ import annotations

__all__ = ["BundleError", "CertificateError", "PdfaError"]


class BundleError(Exception):
    """Base of every error raised on purpose by the bundles package."""


class CertificateError(BundleError, ValueError):
    """A certificate cannot be rendered: a required field is missing, or it does not fit a page."""


class PdfaError(BundleError):
    """The document we produced does not pass the PDF/A check: a bug of ours, never shipped."""
