"""The blob store in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage...).

Several application servers behind a load balancer cannot share a local folder; they can share a
bucket. Keys are the same content addresses as the folder store's (``prefix/ab/cd/abcd…``), so a
folder can be copied into a bucket as it is (`aws s3 sync instance/blobs s3://bucket/prefix`).

Integrity: every upload carries the blob's SHA-256 as ``ChecksumSHA256``, so the server refuses
a body damaged on the way; every download is hashed again before it is returned, so a damaged
object is never served as a signed PDF.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from verifier.blobs import BlobNotFound, BlobStore, BlobStoreError, check_key

__all__ = ["S3BlobStore"]

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3BlobStore(BlobStore):
    """Blobs as objects of one bucket, under ``prefix``, fanned out like the folder store."""

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        client: Any = None,
        page_size: int = 1000,
    ) -> None:
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._where = f"bucket {bucket!r}" + (f" at {endpoint_url}" if endpoint_url else "")
        if client is None:
            # Without explicit keys, boto3's usual chain applies (AWS_ACCESS_KEY_ID..., the
            # shared credentials file, an instance role).
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=region,
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                config=Config(
                    # Path-style URLs work with every S3-compatible server and any bucket name.
                    s3={"addressing_style": "path"},
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=30,
                    # We send our own SHA-256; no extra CRC trailers that some servers reject.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
        self._client = client
        self._page_size = page_size  # objects per listing request (S3's maximum is 1000)

    def __repr__(self) -> str:
        return f"S3BlobStore({self._where}, prefix={self._prefix!r})"

    def _object(self, key: str) -> str:
        check_key(key)
        return f"{self._prefix}{key[:2]}/{key[2:4]}/{key}"

    def _failure(self, operation: str, exc: Exception) -> BlobStoreError:
        """A message naming the operation, bucket and the server's error code; never the
        credentials (botocore's messages do not carry them, and we add only the code)."""
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            detail = f"{error.get('Code', '?')}: {error.get('Message', '')}".rstrip(": ")
        else:
            detail = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        return BlobStoreError(f"S3 blob store, {operation} in {self._where} failed ({detail})")

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self._client.head_object(
                Bucket=self._bucket, Key=self._object(key)
            )
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _MISSING:
                return None
            raise self._failure(f"head of {key}", exc) from None
        except BotoCoreError as exc:
            raise self._failure(f"head of {key}", exc) from None
        return found

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).digest()
        key = digest.hex()
        found = self._head(key)
        if found is not None and found.get("ContentLength") == len(data):
            return key  # content-addressed: same key and size, same bytes
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=self._object(key),
                Body=data,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=base64.b64encode(digest).decode("ascii"),
                ContentType="application/octet-stream",
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._failure(f"upload of {key}", exc) from None
        return key

    def get(self, key: str) -> bytes:
        name = self._object(key)
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=name)
            data: bytes = answer["Body"].read()
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _MISSING:
                raise BlobNotFound(key) from None
            raise self._failure(f"download of {key}", exc) from None
        except BotoCoreError as exc:
            raise self._failure(f"download of {key}", exc) from None
        if hashlib.sha256(data).hexdigest() != key:
            raise BlobStoreError(f"S3 blob store: object {name} in {self._where} is damaged")
        return data

    def exists(self, key: str) -> bool:
        try:
            return self._head(key) is not None
        except BlobNotFound:  # not even a key
            return False

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self._bucket, Key=self._object(key))
        except (ClientError, BotoCoreError) as exc:
            raise self._failure(f"delete of {key}", exc) from None

    def keys_older_than(self, seconds: float) -> Iterator[str]:
        limit = datetime.now(UTC) - timedelta(seconds=seconds)
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket,
            Prefix=self._prefix,
            PaginationConfig={"PageSize": self._page_size},
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    name = str(item["Key"]).rsplit("/", 1)[-1]
                    try:
                        check_key(name)
                    except BlobNotFound:
                        continue  # not ours (another application's object under the prefix)
                    if item["LastModified"] < limit:
                        yield name
        except (ClientError, BotoCoreError) as exc:
            raise self._failure("listing", exc) from None

    def check(self) -> None:
        """Raise :class:`BlobStoreError` unless the bucket answers (readiness probes)."""
        try:
            self._client.head_bucket(Bucket=self._bucket)
        except (ClientError, BotoCoreError) as exc:
            raise self._failure("check", exc) from None
