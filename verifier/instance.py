"""The instance's heavy objects (keys, blob store), loaded once per application, on first use.

Lazy because an application is created before `sceau init` has made the keys (the CLI needs an
app to run `init` at all), and because most requests (health, trust list) never sign anything.
"""

from __future__ import annotations

import threading

from flask import current_app

from verifier.blobs import BlobStore, open_blob_store
from verifier.config import Settings, settings_of
from verifier.keyring import Keyring, load_keyring

__all__ = ["blob_store", "forget_keyring", "keyring"]

_lock = threading.Lock()


def _key_generation(settings: Settings) -> tuple[int, int]:
    """Changes whenever a key is made, retired or revoked, by this process or a `sceau keys`
    command: the key records' folder gets a new entry (every write is a rename into it), and
    the trust list gets a new version."""
    stamps = []
    for path in (settings.keys_path, settings.trust_path / "state.json"):
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return stamps[0], stamps[1]


def keyring() -> Keyring:
    """The instance's keys, reloaded when they changed (a revoked seal key must show as
    revoked at once, and a rotation must seal with the new key, without a restart)."""
    extensions = current_app.extensions
    settings = settings_of(current_app)
    generation = _key_generation(settings)
    found: Keyring | None = extensions.get("sceau.keyring")
    if found is None or extensions.get("sceau.keyring.generation") != generation:
        with _lock:
            found = extensions.get("sceau.keyring")
            if found is None or extensions.get("sceau.keyring.generation") != generation:
                found = load_keyring(settings)
                extensions["sceau.keyring"] = found
                extensions["sceau.keyring.generation"] = generation
    return found


def forget_keyring() -> None:
    """Drop the cached keys (after `sceau init` or a key change in the same process)."""
    current_app.extensions.pop("sceau.keyring", None)


def blob_store() -> BlobStore:
    extensions = current_app.extensions
    found: BlobStore | None = extensions.get("sceau.blobs")
    if found is None:
        found = open_blob_store(settings_of(current_app))
        extensions["sceau.blobs"] = found
    return found
