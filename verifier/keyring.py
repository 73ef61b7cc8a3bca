"""What issuing needs from the instance's keys, loaded once per application."""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.sign.timestamps.api import TimeStamper

from signing.keys import FileKeyStore, KeyPurpose
from signing.pades import KeyStoreSigner
from signing.pki import CertificateChain
from signing.trust import TrustList
from verifier.config import Settings
from verifier.keys import document_signer, open_key_store

__all__ = ["Keyring", "load_keyring"]


@dataclass(frozen=True)
class Keyring:
    store: FileKeyStore
    seal_key_id: bytes
    pdf_signer: KeyStoreSigner
    chain: CertificateChain
    base_url: str
    trust: TrustList
    timestamper: TimeStamper | None = None


def load_keyring(settings: Settings) -> Keyring:
    store = open_key_store(settings)
    signer, chain = document_signer(settings, store)
    return Keyring(
        store=store,
        seal_key_id=store.active_key(KeyPurpose.SEAL).key_id,
        pdf_signer=signer,
        chain=chain,
        base_url=settings.seal_base_url,
        trust=TrustList.from_key_store(store),
    )
