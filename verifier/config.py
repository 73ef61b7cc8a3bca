"""Settings of the service: the one module that reads the environment.

Everything else receives a :class:`Settings`; tests build one directly instead of setting
environment variables, so a test can never pick up a developer's shell by accident.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from limits import parse_many

__all__ = ["ConfigError", "Settings", "settings_of", "sqlalchemy_url"]

# Letters, digits and -./: stay in QR alphanumeric mode once uppercased (docs/seal-format.md).
_SEAL_BASE = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9.\-/]*)?")


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


#: The module of Debian's softhsm2 package: development and tests; production names its HSM's.
DEFAULT_PKCS11_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
KEY_STORES = ("file", "pkcs11")
BLOB_STORES = ("folder", "s3")


def _check_key_store(settings: Settings) -> None:
    if settings.key_store not in KEY_STORES:
        raise ConfigError(
            f"SCEAU_KEY_STORE={settings.key_store!r}: give one of {', '.join(KEY_STORES)}"
        )
    if settings.key_store != "pkcs11":
        return
    if not settings.pkcs11_token:
        raise ConfigError("SCEAU_KEY_STORE=pkcs11 needs SCEAU_PKCS11_TOKEN (the token's label)")
    if (settings.pkcs11_pin is None) == (settings.pkcs11_pin_file is None):
        raise ConfigError(
            "SCEAU_KEY_STORE=pkcs11 needs the token's PIN: set one of SCEAU_PKCS11_PIN or "
            "SCEAU_PKCS11_PIN_FILE"
        )


def sqlalchemy_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _seal_base_url(url: str) -> str:
    if not _SEAL_BASE.fullmatch(url) or url.endswith("/"):
        raise ConfigError(
            f"SCEAU_SEAL_BASE_URL={url!r}: give http(s)://host[:port][/path] without a trailing "
            "slash, query or fragment, using only letters, digits and -./: so that the QR code "
            "stays in alphanumeric mode"
        )
    return url


@dataclass(frozen=True, kw_only=True)
class Settings:
    instance_path: Path
    database_url: str = ""
    seal_base_url: str = "http://127.0.0.1:8000"
    key_passphrase: bytes | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    # A request body larger than this gets a 413 before it is read: room for a few files of
    # the 32 MB that Télérecours (and bundles/intake) accept per file.
    max_upload_bytes: int = 64 * 1024 * 1024
    # Anonymous verification (scan page, upload page, API without a token), per address.
    verify_rate_limit: str = "60 per minute"
    # Where rate-limit counters live: shared Redis when set (several workers), else memory.
    redis_url: str | None = None
    # Jinja templates: the top-level templates/ of a checkout unless set (the Docker image
    # installs the packages into site-packages and copies templates/ elsewhere).
    templates_path: Path | None = None
    # Behind a reverse proxy that sets X-Forwarded-Proto/For/Host (needed for HSTS, secure
    # cookies' scheme checks and per-address throttling to see the real client).
    behind_proxy: bool = False
    # Outgoing mail: a real SMTP server, or (unset) the instance's outbox folder.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = True
    mail_from: str = "Sceau OFII <no-reply@sceau.invalid>"
    # An external RFC 3161 authority (e.g. a qualified TSA): when set, certificates and packs
    # are timestamped there and the embedded authority (and its /tsa endpoint) is off.
    tsa_url: str | None = None
    # PEM file of the external authority's root certificate(s): without it, a pack stamped
    # there verifies as "timestamp not trusted".
    tsa_roots: Path | None = None
    # Where the seal, document-signing and timestamping keys live: "file" (encrypted PEM files in
    # the keys folder) or "pkcs11" (a token, e.g. an HSM; their records stay in the keys folder).
    key_store: str = "file"
    pkcs11_module: Path = DEFAULT_PKCS11_MODULE
    pkcs11_token: str | None = None
    # The user PIN of the token, given directly or (better: not in the environment) in a file.
    pkcs11_pin: str | None = field(default=None, repr=False)
    pkcs11_pin_file: Path | None = None
    # Background jobs (verifier/worker.py): run them in the web process too (development,
    # `make run`); production sets SCEAU_INPROCESS_WORKER=0 and runs `sceau worker`.
    inprocess_worker: bool = True
    # The seal page's memory of registered certificates (verifier/seal_cache.py; PostgreSQL
    # only). Off: every scan is checked against the register (bench/load.py --no-seal-cache
    # measures that path).
    seal_cache: bool = True
    # Fault tests only (verifier/faults.py): "point=marker-file" holds the process at a named
    # point (after a blob is written, before the commit) so that a test can kill -9 it there.
    fault_pause: str | None = None
    # Where signed PDFs, uploads and packs live: "folder" (instance/blobs, or a shared volume)
    # or "s3" (an S3-compatible bucket, for several application servers: verifier/blobs_s3.py).
    blob_store: str = "folder"
    s3_endpoint: str | None = None  # None: AWS itself; else e.g. https://minio.internal:9000
    s3_bucket: str | None = None
    s3_prefix: str = "blobs"
    s3_region: str | None = None
    # Unset: boto3's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role).
    s3_access_key: str | None = field(default=None, repr=False)
    s3_secret_key: str | None = field(default=None, repr=False)
    # Production server (`sceau serve --production`, verifier/gunicorn_conf.py): worker
    # processes (0: one per CPU core, at least 2) and threads in each.
    workers: int = 0
    threads: int = 4
    # /metrics: with a token, only requests bearing it; without, only from loopback with no
    # proxy header (verifier/metrics.py).
    metrics_token: str | None = field(default=None, repr=False)
    # prometheus_client's multiprocess mode (gunicorn workers write their samples there).
    metrics_multiproc_dir: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "instance_path", Path(self.instance_path).resolve())
        url = self.database_url or f"sqlite:///{self.instance_path / 'sceau.db'}"
        object.__setattr__(self, "database_url", sqlalchemy_url(url))
        _seal_base_url(self.seal_base_url)
        if self.tsa_url is not None and not self.tsa_url.startswith(("https://", "http://")):
            raise ConfigError(f"SCEAU_TSA_URL={self.tsa_url!r}: give an http(s):// URL")
        _check_key_store(self)
        if self.blob_store not in BLOB_STORES:
            raise ConfigError(
                f"SCEAU_BLOB_STORE={self.blob_store!r}: give one of {', '.join(BLOB_STORES)}"
            )
        if self.blob_store == "s3" and not self.s3_bucket:
            raise ConfigError("SCEAU_BLOB_STORE=s3 needs SCEAU_S3_BUCKET (the bucket's name)")
        try:
            parse_many(self.verify_rate_limit)
        except ValueError:
            raise ConfigError(
                f"SCEAU_VERIFY_RATE_LIMIT={self.verify_rate_limit!r}: give limits such as "
                "'60 per minute' or '60/minute;1000/day'"
            ) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        passphrase = env.get("SCEAU_KEY_PASSPHRASE")
        port = env.get("SCEAU_PORT", "8000")
        if not port.isdigit():
            raise ConfigError(f"SCEAU_PORT={port!r} is not a port number")
        smtp_port = env.get("SCEAU_SMTP_PORT", "587")
        if not smtp_port.isdigit():
            raise ConfigError(f"SCEAU_SMTP_PORT={smtp_port!r} is not a port number")
        upload_mb = env.get("SCEAU_MAX_UPLOAD_MB", "64")
        if not upload_mb.isdigit() or int(upload_mb) == 0:
            raise ConfigError(f"SCEAU_MAX_UPLOAD_MB={upload_mb!r} is not a positive number")
        workers, threads = env.get("SCEAU_WORKERS", "0"), env.get("SCEAU_THREADS", "4")
        if not workers.isdigit() or not threads.isdigit() or int(threads) == 0:
            raise ConfigError(
                f"SCEAU_WORKERS={workers!r} / SCEAU_THREADS={threads!r}: give whole numbers "
                "(workers 0 = one per CPU core; threads at least 1)"
            )
        multiproc = env.get("PROMETHEUS_MULTIPROC_DIR") or env.get("prometheus_multiproc_dir")
        return cls(
            instance_path=Path(env.get("SCEAU_INSTANCE") or Path.cwd() / "instance"),
            database_url=env.get("DATABASE_URL", ""),
            seal_base_url=env.get("SCEAU_SEAL_BASE_URL", "http://127.0.0.1:8000"),
            key_passphrase=passphrase.encode("utf-8") if passphrase else None,
            secret_key=env.get("SCEAU_SECRET_KEY") or None,
            host=env.get("SCEAU_HOST", "127.0.0.1"),
            port=int(port),
            max_upload_bytes=int(upload_mb) * 1024 * 1024,
            verify_rate_limit=env.get("SCEAU_VERIFY_RATE_LIMIT", "60 per minute"),
            redis_url=env.get("SCEAU_REDIS_URL") or None,
            templates_path=Path(env["SCEAU_TEMPLATES"]) if env.get("SCEAU_TEMPLATES") else None,
            behind_proxy=env.get("SCEAU_BEHIND_PROXY", "") in {"1", "true", "yes"},
            smtp_host=env.get("SCEAU_SMTP_HOST") or None,
            smtp_port=int(smtp_port),
            smtp_user=env.get("SCEAU_SMTP_USER") or None,
            smtp_password=env.get("SCEAU_SMTP_PASSWORD") or None,
            smtp_starttls=env.get("SCEAU_SMTP_STARTTLS", "1") not in {"0", "false", "no"},
            mail_from=env.get("SCEAU_MAIL_FROM", "Sceau OFII <no-reply@sceau.invalid>"),
            tsa_url=env.get("SCEAU_TSA_URL") or None,
            tsa_roots=Path(env["SCEAU_TSA_ROOTS"]) if env.get("SCEAU_TSA_ROOTS") else None,
            key_store=env.get("SCEAU_KEY_STORE") or "file",
            pkcs11_module=Path(env.get("SCEAU_PKCS11_MODULE") or DEFAULT_PKCS11_MODULE),
            pkcs11_token=env.get("SCEAU_PKCS11_TOKEN") or None,
            pkcs11_pin=env.get("SCEAU_PKCS11_PIN") or None,
            pkcs11_pin_file=(
                Path(env["SCEAU_PKCS11_PIN_FILE"]) if env.get("SCEAU_PKCS11_PIN_FILE") else None
            ),
            inprocess_worker=env.get("SCEAU_INPROCESS_WORKER", "1") not in {"0", "false", "no"},
            seal_cache=env.get("SCEAU_SEAL_CACHE", "1") not in {"0", "false", "no"},
            fault_pause=env.get("SCEAU_FAULT_PAUSE") or None,
            blob_store=env.get("SCEAU_BLOB_STORE") or "folder",
            s3_endpoint=env.get("SCEAU_S3_ENDPOINT") or None,
            s3_bucket=env.get("SCEAU_S3_BUCKET") or None,
            s3_prefix=env.get("SCEAU_S3_PREFIX", "blobs"),
            s3_region=env.get("SCEAU_S3_REGION") or None,
            s3_access_key=env.get("SCEAU_S3_ACCESS_KEY") or None,
            s3_secret_key=env.get("SCEAU_S3_SECRET_KEY") or None,
            workers=int(workers),
            threads=int(threads),
            metrics_token=env.get("SCEAU_METRICS_TOKEN") or None,
            metrics_multiproc_dir=Path(multiproc) if multiproc else None,
        )

    @property
    def keys_path(self) -> Path:
        return self.instance_path / "keys"

    @property
    def blobs_path(self) -> Path:
        return self.instance_path / "blobs"

    @property
    def pki_path(self) -> Path:
        """Certificates of the document-signing and timestamping keys and their root
        (development PKI)."""
        return self.instance_path / "pki"

    @property
    def trust_path(self) -> Path:
        """The signed trust list's versions (signing/trust_publisher.py)."""
        return self.instance_path / "trust"

    @property
    def passphrase_file(self) -> Path:
        """Development only: a generated passphrase beside the keys it protects."""
        return self.keys_path / "passphrase"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def settings_of(app: Flask) -> Settings:
    """The settings an application was built with (see verifier.create_app)."""
    found: Settings = app.extensions["sceau.settings"]
    return found
