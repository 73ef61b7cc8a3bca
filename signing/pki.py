"""The development PKI that `sceau init` creates: a root CA, a document-signing certificate and
a timestamping certificate.

Production configures certificates from a real authority instead; what Sceau needs from either
is the same: the signing certificate of the DOCUMENT key in the key store, and the chain up to a
root that verifiers trust; the embedded timestamp authority (signing.timestamps) likewise needs
the certificate of the TIMESTAMP key: critical extendedKeyUsage id-kp-timeStamping and nothing
else (RFC 3161 2.3, what ``openssl ts -verify`` checks), never a CA. The root CA key is kept
apart from the key store, encrypted with the same passphrase: it only ever signs the
certificates made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from signing.errors import KeyStoreError
from signing.files import write_atomic
from signing.keys import KeyInfo, KeyPurpose, KeyStatus, KeyStore, key_id_for

__all__ = ["DOCUMENT_SIGNING_EKU", "CertificateChain", "DevelopmentPki"]

#: id-kp-documentSigning (RFC 9336).
DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
_ROOT_YEARS = 20
_LEAF_YEARS = 5
#: The end-entity certificates made here: words of their common name, prefix of their file.
_LEAVES = {
    KeyPurpose.DOCUMENT: ("document signing", "document"),
    KeyPurpose.TIMESTAMP: ("timestamping", "tsa"),
}


@dataclass(frozen=True)
class CertificateChain:
    """A signing certificate, the id of its key in the store, and its issuers up to the root."""

    key_id: bytes
    certificate: x509.Certificate
    issuers: tuple[x509.Certificate, ...]

    @property
    def root(self) -> x509.Certificate:
        return self.issuers[-1] if self.issuers else self.certificate


class DevelopmentPki:
    """Files in one folder: ``root-ca.pem``, ``root-ca.key.pem``, ``document-<kid>.pem``,
    ``tsa-<kid>.pem``."""

    def __init__(self, folder: Path, *, passphrase: bytes, organisation: str) -> None:
        self._folder = Path(folder)
        self._passphrase = passphrase
        self._organisation = organisation

    @property
    def root_path(self) -> Path:
        return self._folder / "root-ca.pem"

    def ensure(self, store: KeyStore) -> CertificateChain:
        """The document-signing chain, creating the root, the key and the certificate if absent."""
        return self._ensure_leaf(store, KeyPurpose.DOCUMENT)

    def chain(self, store: KeyStore) -> CertificateChain:
        """The newest document-signing chain; :class:`KeyStoreError` if `ensure` never ran."""
        return self._leaf_chain(store, KeyPurpose.DOCUMENT)

    def ensure_tsa(self, store: KeyStore) -> CertificateChain:
        """The timestamping chain, creating the root, the TIMESTAMP key and its certificate."""
        return self._ensure_leaf(store, KeyPurpose.TIMESTAMP)

    def tsa_chain(self, store: KeyStore) -> CertificateChain:
        """The newest timestamping chain; :class:`KeyStoreError` if `ensure_tsa` never ran."""
        return self._leaf_chain(store, KeyPurpose.TIMESTAMP)

    def certify(self, store: KeyStore, purpose: KeyPurpose, key_id: bytes) -> CertificateChain:
        """Issue the certificate of a new DOCUMENT or TIMESTAMP key (after `sceau keys rotate`);
        from then on it is the newest chain of its purpose, so the service signs with it."""
        if purpose not in _LEAVES:
            raise KeyStoreError(f"the development PKI certifies no {purpose} key")
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        root, root_key = self._ensure_root()
        certificate = self._issue_leaf(store, purpose, key_id, root, root_key)
        write_atomic(
            self._leaf_path(purpose, key_id),
            certificate.public_bytes(serialization.Encoding.PEM),
            mode=0o644,
        )
        return CertificateChain(key_id, certificate, (root,))

    def _ensure_leaf(self, store: KeyStore, purpose: KeyPurpose) -> CertificateChain:
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        root, _ = self._ensure_root()
        for info in _newest_usable_first(store, purpose):
            path = self._leaf_path(purpose, info.key_id)
            if path.exists():
                return CertificateChain(info.key_id, _load_cert(path), (root,))
        info = store.generate(purpose=purpose)
        return self.certify(store, purpose, info.key_id)

    def _leaf_chain(self, store: KeyStore, purpose: KeyPurpose) -> CertificateChain:
        root = _load_cert(self.root_path) if self.root_path.exists() else None
        for info in _newest_usable_first(store, purpose):
            path = self._leaf_path(purpose, info.key_id)
            if root is not None and path.exists():
                return CertificateChain(info.key_id, _load_cert(path), (root,))
        what = _LEAVES[purpose][0]
        raise KeyStoreError(f"no {what} certificate in {self._folder}: run `sceau init`")

    def _leaf_path(self, purpose: KeyPurpose, key_id: bytes) -> Path:
        return self._folder / f"{_LEAVES[purpose][1]}-{key_id.hex()}.pem"

    def _ensure_root(self) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key_path = self._folder / "root-ca.key.pem"
        if self.root_path.exists() and key_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), self._passphrase)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise KeyStoreError(f"{key_path} is not an EC key")
            return _load_cert(self.root_path), key
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self._organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{self._organisation} Root CA"),
            ]
        )
        now = datetime.now(UTC) - timedelta(minutes=5)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        root = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=365 * _ROOT_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        write_atomic(key_path, pem)
        write_atomic(self.root_path, root.public_bytes(serialization.Encoding.PEM), mode=0o644)
        return root, key

    def _issue_leaf(
        self,
        store: KeyStore,
        purpose: KeyPurpose,
        key_id: bytes,
        root: x509.Certificate,
        root_key: ec.EllipticCurvePrivateKey,
    ) -> x509.Certificate:
        public = store.public_key(key_id)
        assert key_id_for(public) == key_id
        now = datetime.now(UTC) - timedelta(minutes=5)
        what = _LEAVES[purpose][0]
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self._organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{self._organisation} {what}"),
            ]
        )
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(root.subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=365 * _LEAF_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=False), critical=True)
            .add_extension(_extended_usage(purpose), critical=purpose is KeyPurpose.TIMESTAMP)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .sign(root_key, hashes.SHA256())
        )


def _newest_usable_first(store: KeyStore, purpose: KeyPurpose) -> list[KeyInfo]:
    """The active keys of a purpose, newest first: a retired or revoked key signs nothing new."""
    return [k for k in reversed(store.keys(purpose=purpose)) if k.status is KeyStatus.ACTIVE]


def _extended_usage(purpose: KeyPurpose) -> x509.ExtendedKeyUsage:
    if purpose is KeyPurpose.TIMESTAMP:
        # RFC 3161 2.3: the TSA certificate's only extended key usage, and it is critical.
        return x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])
    return x509.ExtendedKeyUsage([DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION])


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _load_cert(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except ValueError as exc:
        raise KeyStoreError(f"{path} is not a PEM certificate") from exc
