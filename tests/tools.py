"""External programs some tests need: present, or a failure in CI and a skip that names the
Debian package elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require_tool(command: str, package: str) -> str:
    path = shutil.which(command)
    if path is not None:
        return path
    message = f"{command} is missing: apt-get install {package}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


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
