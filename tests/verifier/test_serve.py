"""`sceau init` then `sceau serve` in real processes, as `make run` does, answer /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SCEAU = str(Path(sys.executable).parent / "sceau")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_init_then_serve_answers_healthz(tmp_path: Path, database_url: str) -> None:
    env = {**os.environ, "SCEAU_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": database_url}
    init = subprocess.run([SCEAU, "init"], env=env, capture_output=True, text=True, timeout=60)
    assert init.returncode == 0, init.stderr
    assert "development passphrase" in init.stderr  # the start-up warning

    port = free_port()
    server = subprocess.Popen(
        [SCEAU, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    assert r.read() == b'{"status":"ok"}\n'
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline, "server did not answer within 20 s"
                time.sleep(0.1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"127.0.0.1:{port}" in output
