"""PAdES signatures of PDF files with pyHanko, whatever store holds the key.

Signing is B-B, or B-T when a timestamper is given (the RFC 3161 client or the embedded
authority, later). Validation returns a :class:`PdfSignatureReport`: a result, not a boolean.
PDF edits belong before signing (bundles/ uses pikepdf for that); nothing here rewrites a PDF,
pyHanko only appends an incremental update.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.errors import PdfSignatureError
from signing.keys import KeyStore
from signing.pki import CertificateChain

__all__ = ["KeyStoreSigner", "PdfSignatureReport", "sign_pdf", "validate_pdf"]

_MAX_ECDSA_P256_DER = 72


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class KeyStoreSigner(Signer):
    """A pyHanko signer whose private key stays in a :class:`KeyStore` (file or PKCS#11)."""

    def __init__(self, *, key_store: KeyStore, chain: CertificateChain) -> None:
        self._key_store = key_store
        self._key_id = chain.key_id
        # Keyed by the authority (or by the signer itself, for B-B); weak, so that an
        # authority dropped by its owner takes its entry along.
        self._reserved: weakref.WeakKeyDictionary[object, int] = weakref.WeakKeyDictionary()
        self._reserved_lock = threading.Lock()
        super().__init__(
            signing_cert=_asn1(chain.certificate),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [_asn1(c) for c in chain.issuers]
            ),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            embed_roots=True,
        )

    def reservation(self, timestamper: TimeStamper | None) -> int:
        """Bytes to reserve in the PDF for this signer's CMS with ``timestamper``'s token.

        pyHanko finds it out by building a whole dummy CMS before every signature, which for
        a pack costs as much as the signature itself. The dummy is built once per signer and
        authority instead, with pyHanko's own margin (x 1.5, as hex); a token that grows past
        it (an external authority changing its chain) makes pyHanko refuse the signature
        rather than write a broken one.
        """
        with self._reserved_lock:
            cached = self._reserved.get(timestamper or self)
        if cached is not None:
            return cached

        async def dummy_size() -> int:
            # The size, not the CMS, is what the loop hands back: asyncio.run (3.11) may take
            # the repr of its task's result on the way out, and an asn1crypto object's repr
            # encodes it all again.
            dummy = await self.async_sign(
                bytes(32), "sha256", dry_run=True, use_pades=True, timestamper=timestamper
            )
            return len(dummy.dump())

        hex_length = asyncio.run(dummy_size()) * 2
        reserved = hex_length + 2 * (hex_length // 4)
        with self._reserved_lock:
            self._reserved[timestamper or self] = reserved
        return reserved

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if digest_algorithm != "sha256":
            raise PdfSignatureError(f"the key store signs with SHA-256, not {digest_algorithm}")
        if dry_run:  # pyHanko sizes the signature container; no need to wake an HSM for that
            return bytes(_MAX_ECDSA_P256_DER)
        return await asyncio.to_thread(self._key_store.sign, self._key_id, data)


class _Pdf17Signer(signers.PdfSigner):
    """A PdfSigner that keeps the file at PDF 1.7.

    For ECDSA pyHanko registers the ISO 32002 extension, which raises the file to PDF 2.0; a
    PDF/A-3 document must stay at 1.7, where PAdES (ETSI EN 319 142-1) already allows ECDSA
    through the ESIC extension. So only ESIC is declared.
    """

    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        pdf_out.ensure_output_version(version=(1, 7))  # type: ignore[no-untyped-call]
        pdf_out.register_extension(ESIC_EXTENSION_1)


def sign_pdf(
    pdf: bytes,
    signer: KeyStoreSigner,
    *,
    field_name: str = "SceauSignature",
    reason: str | None = None,
    location: str | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Append an invisible PAdES signature covering the whole of ``pdf``."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
        )
        out = BytesIO()
        pdf_signer = _Pdf17Signer(metadata, signer, timestamper=timestamper)
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=signer.reservation(timestamper))
    except (PdfError, PyHankoSigningError) as exc:
        raise PdfSignatureError(f"cannot sign this PDF: {exc}") from exc
    return out.getvalue()


@dataclass(frozen=True)
class PdfSignatureReport:
    """What a verifier can say of the last signature of a PDF."""

    intact: bool  # the signed bytes were not changed
    valid: bool  # the signature over them checks out
    trusted: bool  # the signer's certificate chains to a trusted root
    covers_whole_file: bool  # nothing was appended after signing
    signer: str
    signed_at: datetime | None
    timestamped: bool

    @property
    def bottom_line(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


def validate_pdf(pdf: bytes, trust_roots: Iterable[x509.Certificate]) -> PdfSignatureReport:
    """Validate the last signature; :class:`PdfSignatureError` if there is none or no PDF."""
    context = ValidationContext(trust_roots=[_asn1(c) for c in trust_roots])
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            raise PdfSignatureError("the PDF carries no signature")
        status = validate_pdf_signature(signatures[-1], context)
    except PdfSignatureError:
        raise
    except Exception as exc:
        # Uploads are hostile and pyHanko's parser lets many kinds escape on damaged files
        # (ValueError, KeyError, struct.error, even AssertionError from its own invariants,
        # seen by mutating signed PDFs). None of them is a verdict about a signature: all mean
        # "this is not a PDF we can check", so all become the one typed error.
        raise PdfSignatureError(f"not a PDF whose signature can be checked: {exc!r}") from exc
    return PdfSignatureReport(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        timestamped=status.timestamp_validity is not None,
    )
