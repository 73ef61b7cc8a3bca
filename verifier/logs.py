"""Structured logs: one JSON object per line, a request id on every line, no personal data.

Why JSON: the log collector of a production platform (Loki, Elasticsearch, journald) indexes
fields, so an operator filters by ``request_id`` or ``status`` instead of grepping text. Why
the request id: a visitor's complaint, the load balancer's log and our lines meet on it; it is
taken from an incoming ``X-Request-Id`` when the proxy set a sane one, else generated, and
always echoed in the response.

Why no personal data: the URL of a seal page carries the seal payload (names, birth date),
and other paths carry person ids. The access line therefore names the URL *rule*
(``/V/<path:payload>``), never the raw path, never the query string, never a body; an
unhandled exception is logged with its type and stack frames but not its message (a message
may quote input). The formatter writes only the fields listed in :data:`FIELDS` plus the
stack, so a stray ``extra=`` cannot leak either.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
import traceback
import types
from datetime import UTC, datetime
from typing import IO, Any

from flask import Flask, Response, g, has_request_context, request

__all__ = [
    "ACCESS_LOGGER",
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "configure",
    "init_app",
    "request_id",
    "route_of",
]

ACCESS_LOGGER = "sceau.access"
REQUEST_ID_HEADER = "X-Request-Id"
# What a proxy's id looks like (uuid, hex, ULID, AWS "Root=1-..."): short, no spaces, no
# characters a log reader or a header could misread.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{7,127}")
# The fields a line may carry, in this order; anything else on a record is ignored.
FIELDS = ("method", "path", "endpoint", "status", "duration_ms")


def request_id() -> str | None:
    """The current request's id, or None outside a request."""
    if not has_request_context():
        return None
    found: str | None = g.get("sceau_request_id")
    return found


def route_of() -> str:
    """The URL rule the request matched (``/V/<path:payload>``), never the path itself."""
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the access fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if has_request_context():  # any line written while answering: which request
            line.setdefault("method", request.method)
            line.setdefault("path", route_of())
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, tb = record.exc_info
            # The exception's type and where it happened; its message may quote input.
            line["exception"] = kind.__qualname__
            line["stack"] = "".join(traceback.format_tb(tb))
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """Send every logger's records through one JSON handler (stderr by default).

    Called by the servers (`sceau serve`, the gunicorn workers), not by the app factory: the
    test suite and the CLI keep Python's default logging.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Werkzeug's own request lines carry the raw path and query: ours replace them.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.sceau_request_id = offered if _SANE_ID.fullmatch(offered) else secrets.token_hex(16)
    g.sceau_request_start = time.perf_counter()


def _finish(response: Response) -> Response:
    rid = g.get("sceau_request_id")
    if rid is None:  # a request that failed before before_request ran
        return response
    response.headers[REQUEST_ID_HEADER] = rid
    duration = time.perf_counter() - g.sceau_request_start
    endpoint = request.url_rule.endpoint if request.url_rule is not None else "<unmatched>"
    logging.getLogger(ACCESS_LOGGER).info(
        "%s %s %s",
        request.method,
        route_of(),
        response.status_code,
        extra={
            "method": request.method,
            "path": route_of(),
            "endpoint": endpoint,
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 2),
        },
    )
    from verifier import metrics

    metrics.observe_request(endpoint, request.method, duration)
    return response


def _log_exception(
    app: Flask,
    exc_info: tuple[type[BaseException], BaseException, types.TracebackType]
    | tuple[None, None, None],
) -> None:
    """Flask's default names ``request.path`` (a seal payload): the rule instead."""
    app.logger.error(
        "unhandled exception on %s %s",
        request.method,
        route_of(),
        exc_info=exc_info,
        extra={"method": request.method, "path": route_of()},
    )


def init_app(app: Flask) -> None:
    """Give each request an id, log one access line per request, keep paths out of errors."""
    app.before_request(_start)
    app.after_request(_finish)
    app.log_exception = types.MethodType(_log_exception, app)  # type: ignore[method-assign]
