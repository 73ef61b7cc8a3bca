"""The instance's key material: key store, development PKI, document signer, timestamps.

In development the passphrase protecting keys is generated into the instance folder (a
warning says so at start-up); in production it comes from SCEAU_KEY_PASSPHRASE. With
SCEAU_KEY_STORE=pkcs11 the seal, document-signing and timestamping keys are in a token and
the passphrase protects only the development root CA key.
"""

from __future__ import annotations

import secrets

from signing.files import write_atomic
from signing.keys import FileKeyStore, KeyStore, Pkcs11KeyStore
from signing.pades import KeyStoreSigner
from signing.pki import CertificateChain, DevelopmentPki
from signing.timestamps import (
    HttpTimestampClient,
    InProcessTimestampClient,
    TimestampAuthority,
    TimestampClient,
)
from verifier.config import ConfigError, Settings

__all__ = [
    "DEV_ORGANISATION",
    "document_signer",
    "open_key_store",
    "open_pki",
    "timestamp_authority",
    "timestamp_client",
    "uses_development_passphrase",
]

DEV_ORGANISATION = "OFII (développement)"


def uses_development_passphrase(settings: Settings) -> bool:
    return settings.key_passphrase is None


def _passphrase(settings: Settings, *, create: bool) -> bytes:
    if settings.key_passphrase is not None:
        return settings.key_passphrase
    path = settings.passphrase_file
    if not path.exists():
        if not create:
            raise FileNotFoundError(
                f"{path} is missing: run `sceau init`, or set SCEAU_KEY_PASSPHRASE"
            )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, secrets.token_urlsafe(32).encode("ascii") + b"\n")
    return path.read_bytes().strip()


def _pkcs11_pin(settings: Settings) -> str:
    if settings.pkcs11_pin is not None:
        return settings.pkcs11_pin
    assert settings.pkcs11_pin_file is not None  # Settings checks that one of them is set
    try:
        pin = settings.pkcs11_pin_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"SCEAU_PKCS11_PIN_FILE={settings.pkcs11_pin_file}: {exc}") from exc
    if not pin:
        raise ConfigError(f"SCEAU_PKCS11_PIN_FILE={settings.pkcs11_pin_file} is empty")
    return pin


def open_key_store(settings: Settings, *, create: bool = False) -> KeyStore:
    """The store of ``settings``; ``create`` makes the development passphrase if missing.

    A PKCS#11 store keeps its key records in the same keys folder a file store would use, so
    backups, `sceau trust export` and the lifecycle commands read one place either way.
    """
    if settings.key_store == "pkcs11":
        assert settings.pkcs11_token is not None  # Settings checks it
        return Pkcs11KeyStore(
            module=settings.pkcs11_module,
            token_label=settings.pkcs11_token,
            pin=_pkcs11_pin(settings),
            metadata_dir=settings.keys_path,
        )
    return FileKeyStore(settings.keys_path, passphrase=_passphrase(settings, create=create))


def open_pki(settings: Settings, *, create: bool = False) -> DevelopmentPki:
    """The development PKI; its root CA key is a file even with a PKCS#11 store (it is the
    development CA, not one of the service's keys), encrypted with the instance passphrase."""
    return DevelopmentPki(
        settings.pki_path,
        passphrase=_passphrase(settings, create=create),
        organisation=DEV_ORGANISATION,
    )


def document_signer(settings: Settings, store: KeyStore) -> tuple[KeyStoreSigner, CertificateChain]:
    chain = open_pki(settings).chain(store)
    return KeyStoreSigner(key_store=store, chain=chain), chain


def timestamp_authority(settings: Settings, store: KeyStore) -> TimestampAuthority | None:
    """The embedded RFC 3161 authority, or None when an external one is configured."""
    if settings.tsa_url is not None:
        return None
    chain = open_pki(settings).tsa_chain(store)
    return TimestampAuthority(key_store=store, key_id=chain.key_id, chain=chain)


def timestamp_client(settings: Settings, authority: TimestampAuthority | None) -> TimestampClient:
    """The external authority of SCEAU_TSA_URL if set, else the embedded one, in process."""
    if settings.tsa_url is not None:
        return HttpTimestampClient(settings.tsa_url)
    assert authority is not None
    return InProcessTimestampClient(authority)
