"""SoftHSM2 tokens for the tests: one token folder per run, in a temporary folder, and a fresh
token per test (the fixtures `softhsm` and `token` of tests/conftest.py).

SoftHSM2 reads its configuration (SOFTHSM2_CONF) and finds its tokens when the module is
initialised; a token made here afterwards is found because the key store initialises the module
again when a label is missing (signing/keys/_pkcs11.py).
"""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from signing.keys import Pkcs11KeyStore
from signing.keys._pkcs11 import DEFAULT_MODULE
from tests.tools import require_tool

_COUNTER = itertools.count(1)


@dataclass(frozen=True)
class SoftToken:
    """An initialised token: what a key store needs to open it."""

    module: Path
    label: str
    pin: str
    so_pin: str

    def store(self, metadata_dir: Path) -> Pkcs11KeyStore:
        return Pkcs11KeyStore(
            module=self.module, token_label=self.label, pin=self.pin, metadata_dir=metadata_dir
        )


@dataclass(frozen=True)
class SoftHsm:
    """A SoftHSM2 configuration whose token folder is temporary."""

    util: str
    module: Path
    conf: Path
    tokendir: Path

    def new_token(self, label: str | None = None) -> SoftToken:
        label = label or f"sceau-test-{next(_COUNTER)}-{secrets.token_hex(3)}"
        pin, so_pin = secrets.token_hex(4), secrets.token_hex(4)
        subprocess.run(
            [
                self.util,
                "--init-token",
                "--free",
                "--label",
                label,
                "--so-pin",
                so_pin,
                "--pin",
                pin,
            ],
            check=True,
            capture_output=True,
            env={"SOFTHSM2_CONF": str(self.conf), "PATH": "/usr/bin:/bin"},
        )
        return SoftToken(module=self.module, label=label, pin=pin, so_pin=so_pin)


def make_softhsm(folder: Path) -> SoftHsm:
    """A configuration in ``folder`` (tokens in ``folder/tokens``); skips or fails without it."""
    util = require_tool("softhsm2-util", "softhsm2")
    if not DEFAULT_MODULE.is_file():
        message = f"{DEFAULT_MODULE} is missing: apt-get install softhsm2"
        if os.environ.get("CI"):  # the rule of tests/tools.py
            pytest.fail(message)
        pytest.skip(message)
    tokendir = folder / "tokens"
    tokendir.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokendir}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    return SoftHsm(util=util, module=DEFAULT_MODULE, conf=conf, tokendir=tokendir)
