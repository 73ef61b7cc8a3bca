"""Blob storage: signed PDFs and uploads, content-addressed by SHA-256.

A blob is written (temporary file, fsync, rename) before the row that names it is committed, so
a crash leaves at worst an orphan blob, never a row without its file; `sceau gc` sweeps orphans
older than an hour (younger ones may belong to a transaction still in flight).

Two stores: a folder (one server, or a shared volume) and an S3-compatible bucket
(verifier/blobs_s3.py, for several application servers); `SCEAU_BLOB_STORE` chooses.
"""

from __future__ import annotations

import abc
import hashlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from signing.files import write_atomic

if TYPE_CHECKING:
    from verifier.config import Settings

__all__ = [
    "BlobNotFound",
    "BlobStore",
    "BlobStoreError",
    "FolderBlobStore",
    "check_key",
    "open_blob_store",
]

_HEX = frozenset("0123456789abcdef")


class BlobNotFound(LookupError):
    pass


class BlobStoreError(RuntimeError):
    """The store cannot be reached or refused an operation (e.g. the S3 server is down, the
    bucket is missing, the credentials are refused). The message names the operation and the
    store, never a credential."""


def check_key(key: str) -> str:
    """``key`` if it is a SHA-256 in lower-case hex; anything else (a path, ``..``) is not a
    blob, so it can never name a file or an object outside the store."""
    if len(key) != 64 or not _HEX.issuperset(key):
        raise BlobNotFound(f"not a blob key: {key!r}")
    return key


def open_blob_store(settings: Settings) -> BlobStore:
    """The store the settings name: the instance's blobs folder, or an S3-compatible bucket."""
    if settings.blob_store == "s3":
        from verifier.blobs_s3 import S3BlobStore  # boto3 loads only when it is used

        return S3BlobStore(
            bucket=settings.s3_bucket or "",
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint,
            region=settings.s3_region,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
        )
    return FolderBlobStore(settings.blobs_path)


class BlobStore(abc.ABC):
    @abc.abstractmethod
    def put(self, data: bytes) -> str:
        """Store ``data`` durably; its SHA-256 (hex) is its key. Idempotent."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes: ...

    @abc.abstractmethod
    def exists(self, key: str) -> bool: ...

    @abc.abstractmethod
    def delete(self, key: str) -> None: ...

    @abc.abstractmethod
    def keys_older_than(self, seconds: float) -> Iterator[str]:
        """Keys of blobs written more than ``seconds`` ago."""

    def sweep(self, referenced: Iterable[str], *, older_than: float = 3600) -> list[str]:
        """Delete unreferenced blobs older than ``older_than`` seconds; returns their keys."""
        keep = set(referenced)
        removed = [key for key in self.keys_older_than(older_than) if key not in keep]
        for key in removed:
            self.delete(key)
        return removed


class FolderBlobStore(BlobStore):
    """``root/ab/cd/abcd…`` files; two levels of fan-out keep folders small."""

    def __init__(self, root: Path) -> None:
        self._root = Path(root)
        self._root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self._root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, mode=0o640)
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except BlobNotFound:
            return False

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys_older_than(self, seconds: float) -> Iterator[str]:
        limit = time.time() - seconds
        for path in self._root.glob("??/??/*"):
            if len(path.name) == 64 and not path.name.startswith("."):
                try:
                    if path.stat().st_mtime < limit:
                        yield path.name
                except FileNotFoundError:
                    continue
