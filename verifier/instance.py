"""The instance's heavy objects (keys, blob store), loaded once per application, on first use.

Lazy because an application is created before `sceau init` has made the keys (the CLI needs an
app to run `init` at all), and because most requests (health, trust list) never sign anything.
"""

from __future__ import annotations

import threading

from flask import current_app

from verifier.blobs import BlobStore, FolderBlobStore
from verifier.config import settings_of
from verifier.keyring import Keyring, load_keyring

__all__ = ["blob_store", "forget_keyring", "keyring"]

_lock = threading.Lock()


def keyring() -> Keyring:
    extensions = current_app.extensions
    found: Keyring | None = extensions.get("sceau.keyring")
    if found is None:
        with _lock:
            found = extensions.get("sceau.keyring")
            if found is None:
                found = load_keyring(settings_of(current_app))
                extensions["sceau.keyring"] = found
    return found


def forget_keyring() -> None:
    """Drop the cached keys (after `sceau init` or a key change in the same process)."""
    current_app.extensions.pop("sceau.keyring", None)


def blob_store() -> BlobStore:
    extensions = current_app.extensions
    found: BlobStore | None = extensions.get("sceau.blobs")
    if found is None:
        found = FolderBlobStore(settings_of(current_app).blobs_path)
        extensions["sceau.blobs"] = found
    return found
