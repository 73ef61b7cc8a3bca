"""Helpers of the fault tests: an instance on the test's database, `sceau` subprocesses that a
test kills with SIGKILL at a pause point (verifier/faults.py), and the blob store's contents.

The test process's own application has ``inprocess_worker=False``: only the subprocesses run
jobs, so what the test observes is what the killed (or the next) process left.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from verifier import Settings, create_app

SCEAU = str(Path(sys.executable).parent / "sceau")
PASSPHRASE = "fault passphrase"


@dataclass
class Instance:
    settings: Settings
    app: Flask
    env: dict[str, str]

    def blob_keys(self) -> set[str]:
        return {p.name for p in self.settings.blobs_path.glob("??/??/*") if len(p.name) == 64}

    def sceau(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [SCEAU, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def start(self, *args: str, pause: str, marker: Path, log: Path) -> subprocess.Popen[bytes]:
        """`sceau ARGS` held at pause point ``pause`` (it writes ``marker`` when there)."""
        with log.open("wb") as out:
            return subprocess.Popen(
                [SCEAU, *args],
                env={**self.env, "SCEAU_FAULT_PAUSE": f"{pause}={marker}"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )


def wait_for_marker(marker: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the process says it is at its pause point (bounded: a build takes seconds)."""
    deadline = time.monotonic() + 180
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode} before the pause:\n{log.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no pause within 180 s:\n{log.read_text()}")
        time.sleep(0.05)
    assert marker.read_text() == str(process.pid)


def kill_9(process: subprocess.Popen[bytes]) -> None:
    process.kill()  # SIGKILL: no handler, no cleanup, no commit
    assert process.wait(timeout=10) == -9


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def instance(tmp_path: Path, database_url: str) -> Iterator[Instance]:
    settings = Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        key_passphrase=PASSPHRASE.encode(),
        secret_key="fault",
        inprocess_worker=False,
    )
    settings.instance_path.mkdir(parents=True)
    app = create_app(settings)
    app.config["TESTING"] = True
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    env = {
        **os.environ,
        "SCEAU_INSTANCE": str(settings.instance_path),
        "DATABASE_URL": database_url,
        "SCEAU_KEY_PASSPHRASE": PASSPHRASE,
        "SCEAU_INPROCESS_WORKER": "0",
    }
    env.pop("SCEAU_FAULT_PAUSE", None)
    yield Instance(settings, app, env)
    app.extensions["sceau.engine"].dispose()
