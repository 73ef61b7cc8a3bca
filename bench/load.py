"""The seal page under load against a hello-world route of the same server, in the same run.

What a phone opening a QR code costs the service, measured end to end: gunicorn (2 workers,
gthread) on a fresh PostgreSQL database, rate-limit counters in Redis as in production when a
Redis answers (else in memory), `wrk` on loopback with N keep-alive connections. The anchor is
``/healthz``, which answers a tiny JSON (``{"status": "ok"}``) without touching the database:
what the same server does per request before any Sceau work. Goal (issue 10): zero errors on
the seal URL and seal/hello throughput ratio >= 0.5.

All requests come from one address, so the anonymous limit is set out of reach (10^9 an
hour); at that size each process takes its places from Redis in blocks (verifier/limits.py),
where a phone under the default 60 a minute pays one Redis round trip per scan.

The bench scans one certificate, so after the first scan each process answers from its memory
of that certificate (verifier/seal_cache.py): the path of a QR code scanned again, with the
rate limit charged and the scan recorded each time. ``--no-seal-cache`` runs the same with
``SCEAU_SEAL_CACHE=0``: every scan checked against the register (queries, proofs, rendering).

    .venv/bin/python bench/load.py [--duration 60] [--connections 64] [--no-seal-cache]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; a database ``sceau_bench_*`` is
created and dropped) and ``wrk`` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

GOAL = 0.5
PASSPHRASE = "bench passphrase"  # noqa: S105 - a throwaway instance's development keys
HELLO = "/healthz"


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def _database(admin_url: str) -> Iterator[str]:
    """A fresh database on the server of ``admin_url``, dropped afterwards."""
    name = f"sceau_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _sceau(*args: str, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "flask", "--app", "verifier", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise SystemExit(f"sceau {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _has_production_serve(env: dict[str, str]) -> bool:
    command = [sys.executable, "-m", "flask", "--app", "verifier", "serve", "--help"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    return "--production" in result.stdout


def _server_command(port: int, env: dict[str, str]) -> list[str]:
    """`sceau serve --production` (gunicorn with verifier/gunicorn_conf.py), or the same
    gunicorn set-up by hand on a checkout that predates it."""
    if _has_production_serve(env):
        return [sys.executable, "-m", "flask", "--app", "verifier", "serve", "--production"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        env["SCEAU_WORKERS"],
        "--worker-class",
        "gthread",
        "--threads",
        env["SCEAU_THREADS"],
        "--bind",
        f"127.0.0.1:{port}",
        "verifier:create_app()",
    ]


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base_url + HELLO, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz within 60 s")


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(wrk: str, url: str, *, duration: int, connections: int, threads: int) -> Figures:
    """One wrk run; errors are non-2xx/3xx answers plus socket errors (timeouts included)."""
    output = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    if done is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    seconds = float(done.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[done.group(3)]
    latency = {p: float(v) * _UNITS[u] for p, v, u in _LATENCY.findall(output)}
    errors = 0
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(non_2xx.group(1))
    if sockets := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in sockets.groups())
    return Figures(int(done.group(1)), seconds, latency["50"], latency["99"], errors)


def _line(name: str, figures: Figures) -> str:
    return (
        f"{name:<28} {figures.rate:8.1f} requests/s   p50 {figures.p50_ms:7.1f} ms   "
        f"p99 {figures.p99_ms:7.1f} ms   errors {figures.errors} ({figures.requests} requests)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per route")
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--worker-threads", type=int, default=8, help="threads per process")
    parser.add_argument(
        "--admin-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server where the bench database is created (and dropped)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="rate-limit counters, as in production; memory when no Redis answers there",
    )
    parser.add_argument(
        "--no-seal-cache",
        action="store_true",
        help="SCEAU_SEAL_CACHE=0: every scan checked against the register",
    )
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    redis_host, _, rest = args.redis_url.removeprefix("redis://").partition(":")
    redis_url = args.redis_url if _reachable(redis_host, int(rest.split("/")[0] or 6379)) else ""

    with tempfile.TemporaryDirectory() as folder, _database(args.admin_url) as database_url:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "SCEAU_INSTANCE": str(Path(folder) / "instance"),
            "DATABASE_URL": database_url,
            "SCEAU_SEAL_BASE_URL": base_url,
            "SCEAU_PORT": str(port),
            "SCEAU_HOST": "127.0.0.1",
            "SCEAU_KEY_PASSPHRASE": PASSPHRASE,
            # The anonymous verification limit would refuse a bench from one address.
            "SCEAU_VERIFY_RATE_LIMIT": "1000000000 per hour",
            "SCEAU_REDIS_URL": redis_url,
            "SCEAU_WORKERS": str(args.workers),
            "SCEAU_THREADS": str(args.worker_threads),
            "SCEAU_SEAL_CACHE": "0" if args.no_seal_cache else "1",
            # The workers' metric samples, removed with the rest of the bench's files.
            "PROMETHEUS_MULTIPROC_DIR": str(Path(folder) / "metrics"),
        }
        (Path(folder) / "metrics").mkdir()
        _sceau("init", env=env)
        issued = json.loads(
            _sceau(
                "issue",
                "--type",
                "medical-visit",
                "--family-name",
                "Benali-Ouédraogo",
                "--given-names",
                "Aïcha Marie",
                "--birth-date",
                "1991-02",
                "--field",
                "visit_date=2026-11-02",
                "--field",
                "place=Paris",
                "--out",
                str(Path(folder) / "certificate.pdf"),
                "--json",
                env=env,
            )
        )
        seal_path = "/V/" + issued["seal_url"].rsplit("/", 1)[1]

        command = _server_command(port, env)
        log = (Path(folder) / "server.log").open("wb")
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(base_url, server)
            with urllib.request.urlopen(base_url + seal_path, timeout=10) as response:  # noqa: S310
                page = response.read().decode()
            if 'data-status="valid"' not in page:
                raise SystemExit("the seal page does not say valid before the load")
            for _ in range(20):  # every worker's keys and templates loaded
                urllib.request.urlopen(base_url + seal_path, timeout=10).close()  # noqa: S310

            print(f"server: {' '.join(command[2:])}")
            counters = redis_url or "memory"
            print(f"database: PostgreSQL (fresh database); rate-limit counters: {counters}")
            cache = "off (every scan checked)" if args.no_seal_cache else "on"
            print(f"seal page memory (SCEAU_SEAL_CACHE): {cache}")
            print(
                f"load: wrk, {args.connections} connections, {args.threads} threads, "
                f"{args.duration} s per route, loopback; load average before {_loadavg()}"
            )
            hello = _wrk(
                wrk,
                base_url + HELLO,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
            )
            seal = _wrk(
                wrk,
                base_url + seal_path,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()

    ratio = seal.rate / hello.rate
    print(_line(f"hello ({HELLO}, tiny JSON)", hello))
    print(_line("seal page (/V/<payload>)", seal))
    print(
        f"ratio seal/hello: {ratio:.2f} (goal >= {GOAL})  {'OK' if ratio >= GOAL else 'BELOW GOAL'}"
    )
    print(f"load average after: {_loadavg()} ({os.cpu_count()} cores, shared)")
    ok = ratio >= GOAL and seal.errors == 0 and hello.errors == 0
    return 0 if ok else 1


def _loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


if __name__ == "__main__":
    sys.exit(main())
