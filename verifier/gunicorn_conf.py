"""gunicorn configuration of `sceau serve --production` (``-c python:verifier.gunicorn_conf``).

Choices, and why:

- ``gthread`` workers, one process per CPU core (at least 2; ``SCEAU_WORKERS``) with
  ``SCEAU_THREADS`` threads each (4): requests wait mostly on PostgreSQL, the HSM and the blob
  store, so threads overlap that waiting, while processes use the cores for the CPU-bound parts
  (ECDSA, PDF rendering) that the GIL would serialise.
- ``preload_app = False``: each worker imports and builds the app after the fork, hence opens
  its own database pool, PKCS#11 session and file handles; nothing is shared across a fork.
- Bind: ``SCEAU_HOST``:``SCEAU_PORT`` (the settings), as the development server.
- Timeouts: a worker silent for 60 s is killed and replaced (no request of ours takes that
  long: pack builds run in the background); on SIGTERM workers get 30 s to finish the requests
  in flight (``graceful_timeout``), which is less than the 30-60 s an orchestrator waits
  before SIGKILL.
- Logs: gunicorn's own lines go through :class:`verifier.logs.JsonFormatter`; its access log is
  off because the app writes one JSON access line per request with the request id and the URL
  rule (verifier/logs.py), never the raw path (seal payloads are personal data).
- Metrics: prometheus_client's multiprocess mode; dead processes' files are cleared when the
  server starts and a dead worker's live gauges are dropped (verifier/metrics.py).
- No pack build is resumed here: every worker would resume the same builds. Background work
  belongs to ``sceau worker``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from verifier.config import Settings

_settings = Settings.from_env()

bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.workers or max(2, os.cpu_count() or 1)
worker_class = "gthread"
threads = _settings.threads
preload_app = False
timeout = 60
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (and a random few more, so they do not all
# restart at once): bounds the growth of any slow leak.
max_requests = 20000
max_requests_jitter = 2000
# Behind a proxy the forwarded headers are handled by the app (SCEAU_BEHIND_PROXY).
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "sceau"
# gunicorn's control socket sits at one path per user ($HOME/.gunicorn): two servers on a host
# (a blue/green switch, the tests) would take it from each other; nothing of ours uses it.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "verifier.logs.JsonFormatter"}},
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        # Its lines name the raw path and query (a seal payload): the app's own replace them.
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        "werkzeug": {"level": "WARNING", "handlers": [], "propagate": True},
    },
}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def on_starting(server: Any) -> None:
    """Clear the metrics folder of dead processes' files (a previous run's workers).

    Files of live processes stay: a `sceau worker` on the same machine may share the folder
    (its pack build durations then appear in this server's /metrics). Their names end in
    ``_<pid>.db``.
    """
    folder = _settings.metrics_multiproc_dir
    if folder is None:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for entry in Path(folder).iterdir():
        pid = entry.stem.rpartition("_")[2]
        if entry.suffix == ".db" and pid.isdigit() and _alive(int(pid)):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """Forget a dead worker's live gauges (its counters stay: they were counted)."""
    if _settings.metrics_multiproc_dir is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(_settings.metrics_multiproc_dir))  # type: ignore[no-untyped-call]


def worker_exit(server: Any, worker: Any) -> None:
    """Close the worker's application before it goes: its buffered verification events are
    written (verifier/verification_log.py), its listener and its connections closed."""
    from verifier import close_app, live_apps

    for app in live_apps():
        close_app(app, timeout=graceful_timeout)


def when_ready(server: Any) -> None:
    server.log.info(
        "Sceau serving on http://%s:%s (%s workers x %s threads)",
        _settings.host,
        _settings.port,
        workers,
        threads,
    )
