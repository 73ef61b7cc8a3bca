"""With a timestamp authority configured, certificates are signed at PAdES B-T.

The authority here is pyHanko's in-process one (it signs real RFC 3161 tokens, with RSA only)
with a test TSA certificate of its own; Sceau's own authority comes with the evidence packs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from bundles.certificate import build_certificate
from bundles.certificate.samples import sample_document
from signing.pades import validate_pdf
from signing.seal import CertificateType
from tests.bundles.conftest import Issuer


def _test_tsa() -> tuple[DummyTimeStamper, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's is RSA-only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sceau test TSA")])
    now = datetime.now(UTC) - timedelta(minutes=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
    )
    return stamper, certificate


def test_a_configured_timestamper_gives_a_b_t_signature(issuer: Issuer) -> None:
    stamper, tsa_root = _test_tsa()
    issued = build_certificate(
        sample_document(CertificateType.LANGUAGE_TRAINING),
        key_store=issuer.store,
        seal_key_id=issuer.seal_key_id,
        pdf_signer=issuer.signer,
        base_url="https://sceau.ofii.fr",
        timestamper=stamper,
    )
    report = validate_pdf(issued.pdf, [issuer.chain.root, tsa_root])
    assert report.bottom_line
    assert report.timestamped


def test_without_a_timestamper_the_signature_is_b_b(issuer: Issuer) -> None:
    issued = build_certificate(
        sample_document(CertificateType.LANGUAGE_TRAINING),
        key_store=issuer.store,
        seal_key_id=issuer.seal_key_id,
        pdf_signer=issuer.signer,
        base_url="https://sceau.ofii.fr",
    )
    assert not validate_pdf(issued.pdf, [issuer.chain.root]).timestamped
