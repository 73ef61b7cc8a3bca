"""Prometheus metrics at ``/metrics``: issuances, verifications by outcome, latency, packs, queue.

What is counted, and where:

- ``sceau_issuances_total{type}``: certificates created (verifier/issuance.py, after the
  commit; an idempotent replay is not a new issuance);
- ``sceau_verifications_total{channel,outcome}``: online verifications as recorded in the
  register (verifier/verification.py): channel ``scan`` (the seal page and the scan form),
  ``api``, ``upload``; outcome the seal status or the document match. ``sceau verify
  --offline`` runs on someone else's machine and is not counted;
- ``sceau_request_duration_seconds{endpoint,method}``: every request, by Flask endpoint (not
  path: paths carry seal payloads and person ids) (verifier/logs.py);
- ``sceau_pack_build_duration_seconds{status}``: from the build's start to its end;
- ``sceau_queue_depth``: work waiting, computed when scraped (see :func:`queue_depth`).

Several gunicorn workers are several processes: each would count alone. When
``PROMETHEUS_MULTIPROC_DIR`` is set (``sceau serve --production`` sets it), prometheus_client
writes every sample to files there and ``/metrics`` adds up all workers' files; the server
empties the folder at start and marks dead workers (verifier/gunicorn_conf.py).

Who may read: the figures say how busy the service is and which outcomes occur; not for the
internet. With ``SCEAU_METRICS_TOKEN`` set, only a request bearing ``Authorization: Bearer
<token>``; without, only a request from the machine itself (loopback) that no proxy forwarded
(no ``X-Forwarded-For``): a Prometheus beside each app server scrapes it directly.
"""

from __future__ import annotations

import hmac
import importlib
import ipaddress
import logging
from collections.abc import Iterable

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from verifier import db
from verifier.config import settings_of

__all__ = [
    "bp",
    "issued",
    "observe_pack_build",
    "observe_request",
    "queue_depth",
    "verified",
]

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)

ISSUANCES = Counter("sceau_issuances_total", "Certificates issued.", ["type"])
VERIFICATIONS = Counter(
    "sceau_verifications_total",
    "Online verifications, by channel (scan, api, upload) and outcome.",
    ["channel", "outcome"],
)
REQUEST_DURATION = Histogram(
    "sceau_request_duration_seconds",
    "Time to answer a request, by Flask endpoint and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
PACK_BUILD_DURATION = Histogram(
    "sceau_pack_build_duration_seconds",
    "Time to build an evidence pack, by result (done, failed).",
    ["status"],
    buckets=(1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0),
)


def issued(kind: str) -> None:
    ISSUANCES.labels(type=kind).inc()


def verified(channel: str, outcome: str) -> None:
    VERIFICATIONS.labels(channel=channel, outcome=outcome).inc()


def observe_request(endpoint: str, method: str, seconds: float) -> None:
    REQUEST_DURATION.labels(endpoint=endpoint, method=method).observe(seconds)


def observe_pack_build(status: str, seconds: float) -> None:
    PACK_BUILD_DURATION.labels(status=status).observe(seconds)


def queue_depth(session: Session) -> int:
    """Jobs waiting: the job queue's own count when it has one, else pack builds queued."""
    try:
        counted = getattr(importlib.import_module("verifier.jobs"), "queue_depth", None)
    except ImportError:
        counted = None
    if counted is not None:
        return int(counted(session))
    from verifier.models import PackBuild, PackBuildStatus

    waiting = session.scalar(
        select(func.count())
        .select_from(PackBuild)
        .where(PackBuild.status == PackBuildStatus.QUEUED)
    )
    return int(waiting or 0)


def _allowed() -> bool:
    token = settings_of(current_app).metrics_token
    if token is not None:
        offered = request.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    if not _allowed():
        abort(
            403,
            description="/metrics answers only on loopback, or with the bearer token "
            "SCEAU_METRICS_TOKEN",
        )
    settings = settings_of(current_app)
    if settings.metrics_multiproc_dir is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(settings.metrics_multiproc_dir))  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    # Read now, by the worker that answers: a gauge kept per worker would disagree.
    # Without the database (an outage: when metrics matter most) the rest is still served.
    session = db.session()
    try:
        waiting = queue_depth(session)
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("metrics: no queue depth: %s", type(exc).__name__)
        return Response(body, content_type=CONTENT_TYPE_LATEST)
    depth = CollectorRegistry()
    depth.register(_QueueDepth(waiting))
    return Response(body + generate_latest(depth), content_type=CONTENT_TYPE_LATEST)


class _QueueDepth(Collector):
    def __init__(self, value: int) -> None:
        self.value = value

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily(
            "sceau_queue_depth", "Jobs waiting (pack builds, e-mails).", value=self.value
        )
