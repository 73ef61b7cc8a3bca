"""PostgreSQL stopped under load, then started again: the service says so and comes back alone.

A private PostgreSQL cluster (initdb in a temporary folder, its own port: the machine's shared
server is never touched) backs a real gunicorn server. A few threads verify a seal over and over
while the test stops PostgreSQL (``pg_ctl stop -m fast``, which also cuts the connections in
use), keeps it down for a few seconds and starts it again. What a visitor or an API client
would notice is asserted:

- during the outage every answer is 503 ``database-unavailable`` with ``Retry-After``, in the
  visitor's language (a page, or JSON under /api/), never a 500 nor a request left hanging;
- after it, the same server processes (no restart) answer 200 again within seconds, and the
  seal page shows the certificate as valid.

PostgreSQL only exists as a server here, so the test runs on both suite back ends alike.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.tools import require_tool
from verifier import Settings, create_app

PASSPHRASE = "outage passphrase"
# No request may take longer than this, outage or not (connect timeout and pool waits included).
REQUEST_BOUND = 10.0
OUTAGE_SECONDS = 3.0
RECOVERY_BOUND = 15.0
MESSAGES = {
    "fr": "momentanément indisponible",
    "en": "briefly unavailable",
    "ar": "غير متاحة مؤقتًا",
}


def _postgres_bin() -> Path:
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    return Path(require_tool("pg_ctl", "postgresql")).parent


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    """A throwaway PostgreSQL server; as the ``postgres`` user when the tests run as root
    (PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.bin = _postgres_bin()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = require_tool("runuser", "util-linux")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(folder, "postgres", "postgres")

    def _run(self, *command: str, timeout: float = 60) -> None:
        done = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # Not pytest's tmp_path: its parents are private to root, and postgres must reach the data.
    folder = Path(tempfile.mkdtemp(prefix="sceau-outage-"))
    cluster = Cluster(folder, _free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        subprocess.run(
            [
                *cluster.as_user,
                str(cluster.bin / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Answer:
    at: float
    status: int  # 0: no answer (connection refused or reset, timeout)
    seconds: float
    content_type: str
    retry_after: str | None
    body: str


def _get(
    port: int, path: str, *, headers: dict[str, str] | None = None, json_body: object = None
) -> Answer:
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_BOUND)
    try:
        if json_body is None:
            connection.request("GET", path, headers=headers or {})
        else:
            connection.request("POST", path, body=json.dumps(json_body), headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Answer(
            start,
            response.status,
            time.monotonic() - start,
            response.getheader("Content-Type", ""),
            response.getheader("Retry-After"),
            text,
        )
    except (OSError, http.client.HTTPException) as exc:
        return Answer(start, 0, time.monotonic() - start, "", None, repr(exc))
    finally:
        connection.close()


def _sceau(settings: Settings, *args: str) -> str:
    """A `sceau` command in this process (two interpreters fewer to start than subprocesses)."""
    app = create_app(settings)
    try:
        result = app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output
    finally:
        app.extensions["sceau.engine"].dispose()


def _server_command(port: int) -> list[str]:
    """What `sceau serve --production` runs (gunicorn with verifier/gunicorn_conf.py) where it
    exists, else gunicorn with the same kind of workers."""
    app = "verifier:create_app()"
    if find_spec("verifier.gunicorn_conf") is not None:
        return [sys.executable, "-m", "gunicorn", "--config", "python:verifier.gunicorn_conf", app]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(n) for n in path.read_text().split()} if path.exists() else set()


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        if _get(port, "/healthz").status == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"the server did not answer /healthz within 60 s:\n{log.read_text()}")


def _is_outage_answer(answer: Answer, language: str = "fr") -> bool:
    return (
        answer.status == 503
        and answer.retry_after is not None
        and "database-unavailable" in answer.body
        and MESSAGES[language] in answer.body
    )


def test_postgresql_stopped_under_load(cluster: Cluster, tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "SCEAU_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres",
        "SCEAU_SEAL_BASE_URL": f"http://127.0.0.1:{port}",
        "SCEAU_HOST": "127.0.0.1",
        "SCEAU_PORT": str(port),
        "SCEAU_KEY_PASSPHRASE": PASSPHRASE,
        "SCEAU_VERIFY_RATE_LIMIT": "1000000 per minute",
        "SCEAU_WORKERS": "1",
        "SCEAU_THREADS": "4",
        "SCEAU_INPROCESS_WORKER": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    for unwanted in ("SCEAU_REDIS_URL", "SCEAU_FAULT_PAUSE"):
        env.pop(unwanted, None)
    (tmp_path / "metrics").mkdir()
    settings = Settings(
        instance_path=tmp_path / "instance",
        database_url=env["DATABASE_URL"],
        seal_base_url=env["SCEAU_SEAL_BASE_URL"],
        key_passphrase=PASSPHRASE.encode(),
    )
    _sceau(settings, "init")
    issued = json.loads(
        _sceau(
            settings,
            "issue",
            "--type",
            "medical-visit",
            "--family-name",
            "Diallo",
            "--given-names",
            "Awa",
            "--birth-date",
            "1990-02-03",
            "--field",
            "visit_date=2026-11-02",
            "--field",
            "place=Paris",
            "--out",
            str(tmp_path / "certificate.pdf"),
            "--json",
        )
    )
    seal_path = "/V/" + issued["seal_url"].rsplit("/", 1)[1]
    french = {"Accept-Language": "fr", "Accept": "text/html"}

    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            _server_command(port), env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(port, server, log)
        first = _get(port, seal_path, headers=french)
        assert first.status == 200, first.body
        assert 'data-status="valid"' in first.body
        workers = _children(server.pid)

        answers: list[Answer] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                answers.append(_get(port, seal_path, headers=french))

        threads = [threading.Thread(target=load, daemon=True) for _ in range(3)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            cluster.stop("fast")
            down = time.monotonic()
            time.sleep(OUTAGE_SECONDS)
            # The same outage as each kind of client sees it.
            during = {
                language: _get(port, seal_path, headers={"Accept-Language": language})
                for language in MESSAGES
            }
            api = _get(
                port,
                "/api/v1/verify",
                json_body={"seal": issued["seal_url"]},
                headers={"Content-Type": "application/json", "Accept-Language": "en"},
            )
            up_again = time.monotonic()
            cluster.start()
            started = time.monotonic()
            deadline = started + RECOVERY_BOUND
            while time.monotonic() < deadline:
                recent = [a for a in answers[-10:] if a.at > started]
                if len(recent) >= 6 and all(a.status == 200 for a in recent):
                    break
                time.sleep(0.2)
            time.sleep(1)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_BOUND + 5)

        statuses = {a.status for a in answers}
        assert statuses <= {200, 503}, f"answers other than 200 or 503: {statuses}"
        slowest = max(a.seconds for a in answers)
        assert slowest < REQUEST_BOUND, f"a request took {slowest:.1f} s"
        in_outage = [a for a in answers if down + 0.5 < a.at and a.at + a.seconds < up_again]
        assert in_outage, "no request was made while PostgreSQL was down"
        wrong = [a for a in in_outage if not _is_outage_answer(a)]
        assert not wrong, f"{len(wrong)} answers during the outage were not 503: {wrong[0]}"
        for language, answer in during.items():
            assert _is_outage_answer(answer, language), (language, answer)
            assert answer.content_type.startswith("text/html")
        assert api.status == 503
        assert api.retry_after is not None
        assert int(api.retry_after) > 0
        assert api.content_type == "application/json"
        assert json.loads(api.body)["error"] == "database-unavailable"
        assert MESSAGES["en"] in json.loads(api.body)["message"]

        after = [a for a in answers if a.at > started]
        recovered = [a for a in after if a.status == 200]
        assert recovered, f"no 200 within {RECOVERY_BOUND} s of PostgreSQL's start"
        assert recovered[0].at - started < RECOVERY_BOUND
        assert all(a.status == 200 for a in after[-5:]), [a.status for a in after[-5:]]

        last = _get(port, seal_path, headers=french)
        assert last.status == 200
        assert 'data-status="valid"' in last.body
        # The very processes that saw the outage serve again: nothing was restarted.
        assert server.poll() is None
        assert _children(server.pid) == workers
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
