"""What issuing needs from the instance's keys, loaded once per application."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from pyhanko.sign.timestamps.api import TimeStamper

from signing.keys import KeyPurpose, KeyStore
from signing.pades import KeyStoreSigner
from signing.pki import CertificateChain
from signing.timestamps import PyHankoTimeStamper, TimestampAuthority, TimestampClient
from signing.trust import TrustList
from verifier.config import ConfigError, Settings
from verifier.keys import document_signer, open_key_store, timestamp_authority, timestamp_client

__all__ = ["Keyring", "load_keyring"]


@dataclass(frozen=True)
class Keyring:
    store: KeyStore
    seal_key_id: bytes
    pdf_signer: KeyStoreSigner
    chain: CertificateChain
    base_url: str
    trust: TrustList
    # PAdES B-T: every signature the service makes carries a timestamp from `timestamps`.
    timestamper: TimeStamper | None = None
    # Where timestamps come from: SCEAU_TSA_URL, or the embedded authority in process.
    timestamps: TimestampClient | None = None
    # The embedded authority (serves /tsa), None when an external TSA is configured.
    authority: TimestampAuthority | None = None
    # Roots trusted for an external authority's timestamps (SCEAU_TSA_ROOTS).
    tsa_roots: tuple[x509.Certificate, ...] = ()


def _tsa_roots(settings: Settings) -> tuple[x509.Certificate, ...]:
    if settings.tsa_roots is None:
        return ()
    try:
        return tuple(x509.load_pem_x509_certificates(settings.tsa_roots.read_bytes()))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"SCEAU_TSA_ROOTS={settings.tsa_roots}: no PEM certificate ({exc})"
        ) from exc


def load_keyring(settings: Settings) -> Keyring:
    store = open_key_store(settings)
    signer, chain = document_signer(settings, store)
    authority = timestamp_authority(settings, store)
    timestamps = timestamp_client(settings, authority)
    return Keyring(
        store=store,
        seal_key_id=store.active_key(KeyPurpose.SEAL).key_id,
        pdf_signer=signer,
        chain=chain,
        base_url=settings.seal_base_url,
        trust=TrustList.from_key_store(store),
        timestamper=PyHankoTimeStamper(timestamps),
        timestamps=timestamps,
        authority=authority,
        tsa_roots=_tsa_roots(settings),
    )
