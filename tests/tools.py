"""External programs some tests need: present, or a failure in CI and a skip that names the
Debian package elsewhere."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from verifier.config import sqlalchemy_url

#: The machine's PostgreSQL server (CI's second pass sets DATABASE_URL to it).
LOCAL_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/postgres"


def missing(message: str) -> NoReturn:
    """A test's tool or service is absent: a failure in CI (it must run there), a skip that
    says what to install elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_tool(command: str, package: str) -> str:
    path = shutil.which(command)
    if path is not None:
        return path
    missing(f"{command} is missing: apt-get install {package}")


def require_postgresql() -> str:
    """A PostgreSQL server's URL for a test that needs PostgreSQL whichever back end the suite
    runs on (LISTEN/NOTIFY, server-side connection handling): DATABASE_URL when set, else the
    machine's server on 127.0.0.1:5432 if it answers."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_POSTGRESQL
    except OSError:
        missing("no PostgreSQL server on 127.0.0.1:5432: apt-get install postgresql")


@contextmanager
def postgres_schema(server_url: str) -> Iterator[str]:
    """A database URL whose connections work in a fresh schema of ``server_url``'s database
    (tests run side by side in one database), dropped afterwards."""
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(sqlalchemy_url(server_url))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in server_url else "?"
    try:
        yield f"{server_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def trusting_nss_db(root_pem: Path, folder: Path) -> str:
    """An NSS database (what pdfsig reads) that trusts ``root_pem``; its ``sql:`` name."""
    certutil = require_tool("certutil", "libnss3-tools")
    folder.mkdir()
    database = f"sql:{folder}"
    subprocess.run([certutil, "-N", "-d", database, "--empty-password"], check=True)
    subprocess.run(
        [certutil, "-A", "-d", database, "-n", "sceau-root", "-t", "CT,C,C", "-i", str(root_pem)],
        check=True,
    )
    return database


def pdfsig_report(pdf: Path, root_pem: Path, folder: Path) -> str:
    """What ``pdfsig`` prints of ``pdf`` when it trusts ``root_pem`` (NSS database in
    ``folder``, which must not exist yet)."""
    pdfsig = require_tool("pdfsig", "poppler-utils")
    database = trusting_nss_db(root_pem, folder)
    return subprocess.run(
        [pdfsig, "-nssdir", database, str(pdf)], capture_output=True, text=True, check=False
    ).stdout
