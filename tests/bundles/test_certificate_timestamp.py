"""With a timestamp authority configured, certificates are signed at PAdES B-T.

The authority is Sceau's own (signing.timestamps), certified by the same development root as
the document-signing key, reached in process through pyHanko's TimeStamper interface.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from bundles.certificate import build_certificate
from bundles.certificate.samples import sample_document
from signing.keys import FileKeyStore
from signing.pades import validate_pdf
from signing.pki import DevelopmentPki
from signing.seal import CertificateType
from signing.timestamps import InProcessTimestampClient, PyHankoTimeStamper, TimestampAuthority
from tests.bundles.conftest import Issuer
from tests.tools import pdfsig_report


def _test_tsa() -> tuple[PyHankoTimeStamper, x509.Certificate]:
    """A pyHanko timestamper backed by an embedded authority of its own PKI, and that PKI's
    root (tests/bundles/test_pack.py uses it; the folder goes when the run ends)."""
    folder = Path(tempfile.mkdtemp(prefix="sceau-test-tsa-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = FileKeyStore(folder / "keys", passphrase=b"test")
    pki = DevelopmentPki(folder / "pki", passphrase=b"test", organisation="Sceau test TSA")
    tsa_chain = pki.ensure_tsa(store)
    authority = TimestampAuthority(key_store=store, key_id=tsa_chain.key_id, chain=tsa_chain)
    return PyHankoTimeStamper(InProcessTimestampClient(authority)), tsa_chain.root


@pytest.fixture(scope="module")
def timestamper(issuer: Issuer) -> PyHankoTimeStamper:
    pki = DevelopmentPki(issuer.pki_folder, passphrase=b"test", organisation="OFII (test)")
    chain = pki.ensure_tsa(issuer.store)
    authority = TimestampAuthority(key_store=issuer.store, key_id=chain.key_id, chain=chain)
    return PyHankoTimeStamper(InProcessTimestampClient(authority))


@pytest.fixture(scope="module")
def timestamped_pdf(issuer: Issuer, timestamper: PyHankoTimeStamper) -> bytes:
    return build_certificate(
        sample_document(CertificateType.LANGUAGE_TRAINING),
        key_store=issuer.store,
        seal_key_id=issuer.seal_key_id,
        pdf_signer=issuer.signer,
        base_url="https://sceau.ofii.fr",
        timestamper=timestamper,
    ).pdf


def test_a_configured_timestamper_gives_a_b_t_signature(
    issuer: Issuer, timestamped_pdf: bytes
) -> None:
    report = validate_pdf(timestamped_pdf, [issuer.chain.root])
    assert report.bottom_line
    assert report.timestamped


def test_pdfsig_still_finds_the_b_t_signature_valid_and_trusted(
    issuer: Issuer, timestamped_pdf: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(timestamped_pdf)
    output = pdfsig_report(path, issuer.pki_folder / "root-ca.pem", tmp_path / "nss")
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output


def test_without_a_timestamper_the_signature_is_b_b(issuer: Issuer) -> None:
    issued = build_certificate(
        sample_document(CertificateType.LANGUAGE_TRAINING),
        key_store=issuer.store,
        seal_key_id=issuer.seal_key_id,
        pdf_signer=issuer.signer,
        base_url="https://sceau.ofii.fr",
    )
    assert not validate_pdf(issued.pdf, [issuer.chain.root]).timestamped


def test_pyhanko_trusts_the_timestamp_itself(issuer: Issuer, timestamped_pdf: bytes) -> None:
    root = asn1_x509.Certificate.load(issuer.chain.root.public_bytes(serialization.Encoding.DER))
    signature = PdfFileReader(BytesIO(timestamped_pdf)).embedded_signatures[-1]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact
    assert status.timestamp_validity.valid
    assert status.timestamp_validity.trusted


def test_the_helper_of_other_tests_stamps_with_its_own_root(issuer: Issuer) -> None:
    stamper, root = _test_tsa()
    issued = build_certificate(
        sample_document(CertificateType.LANGUAGE_TRAINING),
        key_store=issuer.store,
        seal_key_id=issuer.seal_key_id,
        pdf_signer=issuer.signer,
        base_url="https://sceau.ofii.fr",
        timestamper=stamper,
    )
    report = validate_pdf(issued.pdf, [issuer.chain.root, root])
    assert report.bottom_line
    assert report.timestamped
