"""The rate limit of anonymous verification: one budget per address across the seal page, the
drop page and the API; a ``verify`` token is exempt; with Redis, every worker process sees the
same count (shown with two application instances and a real redis-server)."""

from __future__ import annotations

import io
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis
from flask import Flask

from tests.tools import require_tool
from tests.verifier.conftest import Staff, form_token, issue_body
from verifier import Settings, create_app
from verifier.i18n import translate
from verifier.tokens import Scope

LIMIT = "3 per minute"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with a budget small enough to exhaust in a test."""
    return replace(settings, verify_rate_limit=LIMIT)


def _seal_url(app: Flask, staff: Staff) -> str:
    made = app.test_client().post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "limit"}),
    )
    assert made.status_code == 201, made.get_json()
    url: str = made.get_json()["seal_url"]
    return url


def _page(url: str) -> str:
    return "/V/" + url.rsplit("/", 1)[1]


def test_the_fourth_anonymous_check_is_refused_in_the_visitors_language(
    ready_app: Flask, staff: Staff
) -> None:
    url = _seal_url(ready_app, staff)
    client = ready_app.test_client()
    english = {"Accept-Language": "en"}
    assert client.post("/api/v1/verify", json={"seal": url}, headers=english).status_code == 200
    assert client.get(_page(url), headers=english).status_code == 200
    assert client.post("/api/v1/verify", json={"seal": url}, headers=english).status_code == 200

    page = client.get(_page(url), headers=english)
    assert page.status_code == 429
    assert page.mimetype == "text/html"
    assert translate("rate-limited", lang="en") in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"

    api = client.post("/api/v1/verify", json={"seal": url}, headers={"Accept-Language": "ar"})
    assert api.status_code == 429
    assert api.get_json() == {
        "error": "rate-limited",
        "message": translate("rate-limited", lang="ar"),
    }


def test_the_drop_page_shares_the_budget(ready_app: Flask, staff: Staff) -> None:
    url = _seal_url(ready_app, staff)
    client = ready_app.test_client()
    for _ in range(3):
        dropped = client.post(
            "/verifier",
            data={
                "file": (io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "c.pdf"),
                "csrf_token": form_token(client, "/verifier"),
            },
            content_type="multipart/form-data",
        )
        assert dropped.status_code == 200
    assert client.get(_page(url)).status_code == 429
    assert client.get("/verifier").status_code == 200  # showing the form is not a check


def test_each_address_has_its_own_budget(ready_app: Flask, staff: Staff) -> None:
    url = _seal_url(ready_app, staff)
    first = ready_app.test_client()
    other = ready_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for _ in range(3):
        assert first.get(_page(url)).status_code == 200
    assert first.get(_page(url)).status_code == 429
    assert other.get(_page(url)).status_code == 200


def test_a_verify_token_is_exempt(ready_app: Flask, staff: Staff) -> None:
    url = _seal_url(ready_app, staff)
    client = ready_app.test_client()
    token = staff.headers(Scope.VERIFY)
    for _ in range(6):
        assert client.post("/api/v1/verify", json={"seal": url}, headers=token).status_code == 200
        assert client.get(_page(url), headers=token).status_code == 200
    assert client.post("/api/v1/verify", json={"seal": url}).status_code == 200
    # An issue-only token does not buy verification volume.
    issue_only = staff.headers(Scope.ISSUE)
    for _ in range(2):
        assert client.get(_page(url), headers=issue_only).status_code == 200
    assert client.get(_page(url), headers=issue_only).status_code == 429


# ----------------------------------------------------------------------------- Redis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real, throwaway redis-server on a free port, stopped at teardown."""
    command = require_tool("redis-server", "redis-server")
    port = _free_port()
    server = subprocess.Popen(
        [command, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_redis(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_redis(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while True:
        assert server.poll() is None, "redis-server exited at start"
        with redis.Redis(host="127.0.0.1", port=port, socket_timeout=1) as probe:
            try:
                if probe.ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
        time.sleep(0.05)


@pytest.mark.slow
def test_two_app_instances_share_the_count_through_redis(
    settings: Settings, redis_url: str
) -> None:
    """As two worker processes would: A spends two checks, B (built after A, with its own
    connection) sees them and refuses the fourth. With memory storage B would start at zero."""
    shared = replace(settings, redis_url=redis_url)
    shared.instance_path.mkdir(parents=True, exist_ok=True)
    first = create_app(shared)
    apps = [first]
    try:
        assert first.test_cli_runner().invoke(args=["init"]).exit_code == 0
        seal = {"seal": "AAAA"}  # malformed: refused with 422, and still counted
        client_a = first.test_client()
        assert client_a.post("/api/v1/verify", json=seal).status_code == 422
        assert client_a.post("/api/v1/verify", json=seal).status_code == 422

        second = create_app(shared)
        apps.append(second)
        client_b = second.test_client()
        assert client_b.post("/api/v1/verify", json=seal).status_code == 422
        refused = client_b.post("/api/v1/verify", json=seal)
        assert refused.status_code == 429
        assert refused.get_json()["error"] == "rate-limited"
        assert client_a.get("/V/AAAA").status_code == 429
    finally:
        for app in apps:
            app.extensions["sceau.engine"].dispose()


def test_counted_answers_say_what_is_left_and_a_refusal_when_to_come_back(
    ready_app: Flask, staff: Staff
) -> None:
    url = _seal_url(ready_app, staff)
    client = ready_app.test_client()
    first = client.get(_page(url))
    assert first.headers["X-RateLimit-Limit"] == "3"
    assert first.headers["X-RateLimit-Remaining"] == "2"
    reset = int(first.headers["X-RateLimit-Reset"])
    assert 0 < reset - time.time() <= 60
    client.get(_page(url))
    client.get(_page(url))
    refused = client.get(_page(url))
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Pages that count nothing say nothing of a budget.
    assert "X-RateLimit-Limit" not in client.get("/verifier").headers


@pytest.mark.slow
def test_redis_answers_the_count_in_one_round_trip_and_its_outage_refuses_nobody(
    settings: Settings, redis_url: str
) -> None:
    """Under a small limit each counted request is one command to Redis (the script that
    counts and reads the window); with Redis gone, verification goes on uncounted rather than
    failing."""
    shared = replace(settings, redis_url=redis_url, verify_rate_limit="60 per minute")
    shared.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(shared)
    try:
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        monitor = redis.Redis.from_url(redis_url)
        monitor.config_resetstat()
        client = app.test_client()
        seal = {"seal": "AAAA"}
        assert client.post("/api/v1/verify", json=seal).status_code == 422
        assert client.post("/api/v1/verify", json=seal).status_code == 422
        calls = {
            name.removeprefix("cmdstat_"): stats["calls"]
            for name, stats in monitor.info("commandstats").items()
        }
        # One script call per request (plus one EVAL the first time, for a server that did
        # not know the script yet); its INCRBY and TTL are the only others, no GET after it.
        assert calls.get("evalsha", 0) == 2, calls
        assert calls.get("eval", 0) <= 1, calls
        assert calls.get("incrby") == calls.get("ttl") == 2, calls
        assert "get" not in calls, calls
        monitor.shutdown(nosave=True)
        monitor.close()
        answer = client.post("/api/v1/verify", json=seal)
        assert answer.status_code == 422  # checked (and refused as malformed), not a 500
        assert "X-RateLimit-Limit" not in answer.headers
    finally:
        app.extensions["sceau.engine"].dispose()


@pytest.mark.slow
def test_a_large_limit_is_taken_from_redis_in_blocks_and_never_exceeded(
    settings: Settings, redis_url: str
) -> None:
    """Under 300 per minute a process takes 3 places at a time: a third of the round trips.
    Two processes taking turns never let more than 300 through, and the headers count down
    one request at a time."""
    shared = replace(settings, redis_url=redis_url, verify_rate_limit="300 per minute")
    shared.instance_path.mkdir(parents=True, exist_ok=True)
    first = create_app(shared)
    apps = [first]
    try:
        assert first.test_cli_runner().invoke(args=["init"]).exit_code == 0
        second = create_app(shared)
        apps.append(second)
        monitor = redis.Redis.from_url(redis_url)
        monitor.config_resetstat()
        seal = {"seal": "AAAA"}
        one, other = first.test_client(), second.test_client()
        left = [int(one.post("/api/v1/verify", json=seal).headers["X-RateLimit-Remaining"])]
        for _ in range(8):
            left.append(int(one.post("/api/v1/verify", json=seal).headers["X-RateLimit-Remaining"]))
        assert left == list(range(299, 290, -1))
        calls = monitor.info("commandstats")
        taken = calls["cmdstat_evalsha"]["calls"] + calls.get("cmdstat_eval", {}).get("calls", 0)
        assert taken <= 4, calls  # 9 requests, 3 blocks (+ 1 EVAL for an unknown script)

        answers = [
            (one if turn % 2 else other).post("/api/v1/verify", json=seal).status_code
            for turn in range(400)
        ]
        allowed = 9 + answers.count(422)
        assert answers.count(429) == 400 - answers.count(422)
        # Never more than the limit; at most a block per process left unused.
        assert 300 - 2 * 2 <= allowed <= 300, allowed
    finally:
        for app in apps:
            app.extensions["sceau.engine"].dispose()
