"""The instance's signed trust list: where its versions live and the key that signs them.

One place for the web route and the `sceau keys` / `sceau trust` commands, so that both give
out version numbers from the same folder, under the same lock.
"""

from __future__ import annotations

from signing.keys import KeyInfo, KeyPurpose, KeyStatus, KeyStore
from signing.trust_publisher import TrustListPublisher
from verifier.config import Settings

__all__ = ["ensure_trust_list_key", "trust_publisher"]


def trust_publisher(settings: Settings, store: KeyStore) -> TrustListPublisher:
    return TrustListPublisher(settings.trust_path, store)


def ensure_trust_list_key(store: KeyStore) -> tuple[KeyInfo, bool]:
    """The active trust-list key, made if there is none; and whether it was just made.

    An instance made before trust lists were signed gets its key on the next `sceau init`.
    """
    active = [k for k in store.keys(purpose=KeyPurpose.TRUST_LIST) if k.status is KeyStatus.ACTIVE]
    if active:
        return active[-1], False
    return store.generate(purpose=KeyPurpose.TRUST_LIST), True
