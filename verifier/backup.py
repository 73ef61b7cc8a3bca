"""`sceau backup` and `sceau restore`: one archive holding what an instance needs to come back.

The archive is an uncompressed tar (blobs are PDFs and ZIPs, already compressed; an
uncompressed member is hashed and checked on its own) with:

- ``database/NN-<table>.jsonl``: every table, one JSON object a row, in foreign-key order.
  JSON lines rather than pg_dump: the same archive restores into SQLite or PostgreSQL (a
  development copy of production, or a move between engines), it needs no client binaries of
  the server's exact major version, and every value goes through the same typed columns as the
  application's own writes (aware UTC datetimes, JSON). pg_dump stays the tool for a
  point-in-time copy of a very large database (docs/operations.md).
- ``blobs/<sha256>``: every blob a row names (certificates' PDFs, uploads, packs), read from
  whichever store the instance uses, folder or S3.
- ``instance/keys/*.json`` (key records), ``instance/trust/`` (the trust list's state and signed
  document), ``instance/pki/*.pem`` (certificates): the key metadata.
- ``instance/keys/*.pem`` and ``instance/pki/*.key.pem`` as they are at rest, encrypted under
  the instance passphrase (PKCS#8 ``ENCRYPTED PRIVATE KEY``), so that a restored file-store
  instance can sign again; ``--without-private-keys`` leaves them out (keys then come back by
  the key ceremony). A private key in clear, or the development passphrase file, is never
  written: the backup refuses to run instead. With an HSM (PKCS#11) the keys never leave the
  token, and the archive holds only their records.
- ``MANIFEST.json`` (last): format and version, creation time, database engine, Alembic
  revision, counts, and the SHA-256 and size of every other member.

`restore` checks the whole archive (manifest, every member present, no extra one, every
SHA-256) before it writes anything; then blobs, then files, then every row in one transaction.
A failure in the last step removes the files it wrote, so nothing is half-restored (blobs left
behind are orphans that `sceau gc` sweeps).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.hazmat.primitives import serialization
from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    Table,
    func,
    inspect,
    select,
    text,
)

from signing.files import write_atomic
from verifier import migrate
from verifier.blobs import BlobNotFound, BlobStore, check_key
from verifier.config import Settings
from verifier.db import Base, UTCDateTime
from verifier.models import Certificate, PackBuild, StoredFile

__all__ = ["BackupError", "BackupReport", "backup", "restore"]

FORMAT = "sceau-backup"
VERSION = 1
MANIFEST = "MANIFEST.json"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")
#: One-row state tables that the migrations themselves fill (their content follows from the
#: audit and log tables): rows there do not make a database "not empty".
_SEEDED = frozenset({"log_state", "audit_head"})


class BackupError(Exception):
    """The backup cannot be made, or the archive cannot be restored; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    rows: dict[str, int]
    blobs: int
    files: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------- values


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(column_type: Any) -> Any:
    """How to turn a JSON value back into what the column's type expects."""
    if isinstance(column_type, UTCDateTime | DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, Date):
        return date.fromisoformat
    if isinstance(column_type, LargeBinary):
        return base64.b64decode
    if isinstance(column_type, JSON):
        return None
    return None


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _head_revision() -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    return str(head)


def _revision(connection: Connection) -> str | None:
    found = MigrationContext.configure(connection).get_current_revision()
    return str(found) if found else None


def _referenced(connection: Connection) -> set[str]:
    """Every blob a row names (as `sceau gc` counts them)."""
    named = set(connection.scalars(select(Certificate.pdf_sha256)))
    named.update(connection.scalars(select(StoredFile.original_sha256)))
    named.update(connection.scalars(select(StoredFile.pdf_sha256)))
    named.update(key for key in connection.scalars(select(PackBuild.zip_sha256)) if key)
    return {key for key in named if key}


# ---------------------------------------------------------------------------- key material


def _private_key_in_clear(data: bytes) -> bool:
    """Whether ``data`` holds a private key readable without a passphrase."""
    for match in _PEM_BLOCK.finditer(data):
        label = match.group(1)
        if label.endswith(b"PRIVATE KEY") and label != b"ENCRYPTED PRIVATE KEY":
            return True
    for load in (serialization.load_pem_private_key, serialization.load_der_private_key):
        try:
            load(data, None)
        except (TypeError, ValueError):  # TypeError: a password is needed (encrypted)
            continue
        except Exception:  # noqa: S112 - anything else: not a key this loader reads
            continue
        return True
    return False


def _instance_files(settings: Settings, *, with_private_keys: bool) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of the key metadata, and the encrypted keys unless left out."""
    for folder in (settings.keys_path, settings.pki_path, settings.trust_path):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue  # locks and temporary files
            if path == settings.passphrase_file:
                continue  # the development passphrase: with it, the keys would be in clear
            relative = path.relative_to(settings.instance_path).as_posix()
            data = path.read_bytes()
            if _private_key_in_clear(data):
                raise BackupError(
                    f"{relative} holds a private key in clear: a backup never carries one. "
                    "Encrypt it (PKCS#8 with the instance passphrase) or move it to an HSM"
                )
            if b"ENCRYPTED PRIVATE KEY" in data and not with_private_keys:
                continue
            yield f"instance/{relative}", path


# ---------------------------------------------------------------------------------- backup


class _Writer:
    def __init__(self, archive: tarfile.TarFile) -> None:
        self._archive = archive
        self.members: dict[str, dict[str, Any]] = {}
        self._mtime = int(time.time())

    def add(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), self._mtime, 0o600
        self._archive.addfile(info, io.BytesIO(data))
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def backup(
    destination: Path,
    *,
    engine: Engine,
    blobs: BlobStore,
    settings: Settings,
    with_private_keys: bool = True,
) -> BackupReport:
    """Write the archive to ``destination`` (written whole, then renamed into place)."""
    destination = Path(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    rows: dict[str, int] = {}
    files: list[str] = []
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            out = _Writer(archive)
            # One read transaction: a consistent snapshot (REPEATABLE READ on PostgreSQL).
            options = (
                {} if engine.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
            )
            with engine.connect().execution_options(**options) as connection, connection.begin():
                revision = _revision(connection)
                if revision is None:
                    raise BackupError("the database has no schema: nothing to back up")
                if revision != _head_revision():
                    raise BackupError(
                        f"the database is at revision {revision}, this Sceau's is "
                        f"{_head_revision()}: run `sceau db upgrade` first"
                    )
                for number, table in enumerate(_tables(), start=1):
                    order = list(table.primary_key.columns)
                    lines = []
                    for row in connection.execute(select(table).order_by(*order)).mappings():
                        line = {name: _encode(value) for name, value in row.items()}
                        lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True))
                    body = "".join(f"{line}\n" for line in lines).encode("utf-8")
                    out.add(f"database/{number:02d}-{table.name}.jsonl", body)
                    rows[table.name] = len(lines)
                referenced = sorted(_referenced(connection))
            # Blobs are written before the rows that name them: every one named is there.
            for key in referenced:
                try:
                    out.add(f"blobs/{key}", blobs.get(key))
                except BlobNotFound:
                    raise BackupError(
                        f"blob {key} is named by a row but missing from the blob store"
                    ) from None
            for name, path in _instance_files(settings, with_private_keys=with_private_keys):
                out.add(name, path.read_bytes())
                files.append(name)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {"engine": engine.dialect.name, "alembic_revision": revision},
                "counts": {"rows": rows, "blobs": len(referenced), "files": len(files)},
                "private_keys": "encrypted at rest" if with_private_keys else "left out",
                "members": out.members,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            archive.addfile(info, io.BytesIO(data))
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.chmod(0o600)
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(path=destination, rows=rows, blobs=len(referenced), files=files)


# --------------------------------------------------------------------------------- restore


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle: IO[bytes] | None = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"archive member {member.name} is not a file")
    return handle.read()


def _open_checked(source: Path) -> tuple[tarfile.TarFile, dict[str, Any]]:
    """The archive and its manifest, after every member's SHA-256 has been checked."""
    try:
        archive = tarfile.open(source, "r:")  # noqa: SIM115 - returned to the caller
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source}: not a readable backup archive ({exc})") from None
    try:
        members = {member.name: member for member in archive.getmembers()}
        if MANIFEST not in members:
            raise BackupError(f"{source}: no {MANIFEST}: not a Sceau backup, or cut short")
        try:
            manifest = json.loads(_read_member(archive, members[MANIFEST]))
        except ValueError:
            raise BackupError(f"{source}: {MANIFEST} is damaged") from None
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(
                f"{source}: format {manifest.get('format')!r} version "
                f"{manifest.get('version')!r}; this Sceau reads {FORMAT} version {VERSION}"
            )
        listed: dict[str, dict[str, Any]] = manifest["members"]
        missing = sorted(set(listed) - set(members))
        extra = sorted(set(members) - set(listed) - {MANIFEST})
        if missing:
            raise BackupError(f"{source}: member(s) missing from the archive: {missing[:5]}")
        if extra:
            raise BackupError(f"{source}: member(s) not in the manifest: {extra[:5]}")
        for name, expected in listed.items():
            data = _read_member(archive, members[name])
            if hashlib.sha256(data).hexdigest() != expected["sha256"]:
                raise BackupError(f"{source}: member {name} is damaged (SHA-256 differs)")
    except BackupError:
        archive.close()
        raise
    except (OSError, tarfile.TarError, KeyError, TypeError) as exc:
        archive.close()
        raise BackupError(f"{source}: damaged archive ({exc})") from None
    return archive, manifest


def _is_empty(connection: Connection, settings: Settings) -> list[str]:
    """What the target already holds (empty list: nothing)."""
    held = []
    names = set(inspect(connection).get_table_names())
    for table in _tables():
        if table.name in names and table.name not in _SEEDED:
            count = connection.scalar(select(func.count()).select_from(table)) or 0
            if count:
                held.append(f"{table.name}: {count} row(s)")
    for folder in (settings.keys_path, settings.pki_path, settings.trust_path):
        if folder.is_dir() and any(path.is_file() for path in folder.rglob("*")):
            held.append(f"{folder}: files")
    return held


def _insert_rows(
    connection: Connection, archive: tarfile.TarFile, manifest: dict[str, Any]
) -> dict[str, int]:
    by_table = {
        name.split("-", 1)[1].removesuffix(".jsonl"): name
        for name in manifest["members"]
        if name.startswith("database/")
    }
    counts: dict[str, int] = {}
    updates: list[Any] = []  # executed once every table is in
    order = _tables()
    position = {table.name: number for number, table in enumerate(order)}
    unknown = sorted(set(by_table) - set(position))
    if unknown:
        raise BackupError(f"the archive has tables this Sceau does not know: {unknown}")
    for table in order:
        member = by_table.get(table.name)
        if member is None:
            raise BackupError(f"the archive has no rows file for table {table.name}")
        decoders = {column.name: _decoder(column.type) for column in table.columns}
        # References to the same table (supersedes, parent file...) or to a later one are set
        # after every row is in, so that the order of rows never trips a foreign key.
        later = {
            key.parent.name
            for key in table.foreign_keys
            if position.get(key.column.table.name, -1) >= position[table.name]
        }
        rows = []
        deferred = []
        for line in _read_member(archive, archive.getmember(member)).splitlines():
            raw = json.loads(line)
            row = {}
            for name, value in raw.items():
                if name not in decoders:
                    raise BackupError(f"table {table.name}: unknown column {name}")
                decode = decoders[name]
                row[name] = decode(value) if decode is not None and value is not None else value
            if later and any(row.get(name) is not None for name in later):
                deferred.append({name: row[name] for name in later} | _key_of(table, row))
                row = row | dict.fromkeys(later)
            rows.append(row)
        if rows:
            connection.execute(table.insert(), rows)
        for update in deferred:
            key = _key_of(table, update)
            statement = table.update().values(
                {name: value for name, value in update.items() if name not in key}
            )
            for name, value in key.items():
                statement = statement.where(table.c[name] == value)
            updates.append(statement)
        counts[table.name] = len(rows)
    for statement in updates:
        connection.execute(statement)
    return counts


def _key_of(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {column.name: row[column.name] for column in table.primary_key.columns}


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: the next id after the restored ones (rows came with their ids)."""
    if connection.dialect.name != "postgresql":
        return
    for table in _tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        column = columns[0]
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        )
        if sequence:
            connection.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE(MAX({column.name}), 1), "  # noqa: S608
                    f"MAX({column.name}) IS NOT NULL) FROM {table.name}"
                ),
                {"sequence": sequence},
            )


def restore(
    source: Path,
    *,
    engine: Engine,
    blobs: BlobStore,
    settings: Settings,
    force: bool = False,
) -> BackupReport:
    """Restore ``source`` into the instance of ``settings`` and the database of ``engine``."""
    source = Path(source)
    archive, manifest = _open_checked(source)
    with archive:
        revision = manifest["database"]["alembic_revision"]
        if revision != _head_revision():
            raise BackupError(
                f"the archive's database is at revision {revision}, this Sceau's at "
                f"{_head_revision()}: restore with the version that made it, then upgrade"
            )
        migrate.upgrade(engine)
        with engine.connect() as connection:
            held = _is_empty(connection, settings)
        if held and not force:
            raise BackupError(
                "the target is not empty (" + "; ".join(held[:4]) + "): restore into an empty "
                "instance and database, or give --force to replace what is there"
            )
        names = manifest["members"]
        blob_count = 0
        for name in names:
            if name.startswith("blobs/"):
                key = check_key(name.removeprefix("blobs/"))
                if blobs.put(_read_member(archive, archive.getmember(name))) != key:
                    raise BackupError(f"blob {key}: the store computed another key")
                blob_count += 1
        aside = _move_aside(settings) if force else None
        written: list[Path] = []
        try:
            for name in names:
                if not name.startswith("instance/"):
                    continue
                relative = Path(name.removeprefix("instance/"))
                if relative.is_absolute() or ".." in relative.parts:
                    raise BackupError(f"archive member {name} points outside the instance")
                path = settings.instance_path / relative
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                data = _read_member(archive, archive.getmember(name))
                # Certificates and the signed trust list are public; the rest stays private.
                public = relative.parts[0] == "pki" or relative.name == "trust.json"
                private = b"PRIVATE KEY" in data or relative.parts[0] == "keys"
                write_atomic(path, data, mode=0o644 if public and not private else 0o600)
                written.append(path)
            with engine.begin() as connection:
                # Empty (checked above), --force, or rows the migrations seed: all are replaced.
                for table in reversed(_tables()):
                    connection.execute(table.delete())
                rows = _insert_rows(connection, archive, manifest)
                _reset_sequences(connection)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            if aside is not None:
                _put_back(settings, aside)
            raise
    return BackupReport(
        path=source, rows=rows, blobs=blob_count, files=[str(path) for path in written]
    )


def _move_aside(settings: Settings) -> Path:
    """--force: the key folders being replaced go to instance/replaced-<time>/, not away."""
    aside = settings.instance_path / f"replaced-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    for folder in (settings.keys_path, settings.pki_path, settings.trust_path):
        if folder.exists():
            aside.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(folder, aside / folder.name)
    return aside


def _put_back(settings: Settings, aside: Path) -> None:
    for folder in (settings.keys_path, settings.pki_path, settings.trust_path):
        kept = aside / folder.name
        if kept.exists():
            shutil.rmtree(folder, ignore_errors=True)
            shutil.move(kept, folder)
    shutil.rmtree(aside, ignore_errors=True)
