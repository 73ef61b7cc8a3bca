"""Rate limits per client address: anonymous verification, and the forgotten-password form.

A prefecture system verifying in bulk uses a token scoped ``verify`` and is exempt; anybody
else (a phone scanning a QR code, a visitor dropping a PDF) shares the limit of their address.
Counters live in Redis when SCEAU_REDIS_URL is set, so that every worker process sees the
same count; in memory otherwise (one process, development).

Fixed windows, as flask-limiter's default that this replaces: a limit "3 per minute" counts in
a window that starts at the address's first request and lasts a minute. Why our own: the seal
page is what a whole country's phones open, and flask-limiter cost it three round trips to
Redis (count, then count and expiry again for the headers) and more Python than the page's own
work once the page is cached (verifier/seal_cache.py). Here every limit of a request is counted
by one script in one round trip that returns the counts and their expiries together.

Answers: over the limit, 429 ``rate-limited`` in the visitor's language (verifier/errors.py)
with ``Retry-After``; every counted answer carries ``X-RateLimit-Limit``, ``-Remaining`` and
``-Reset`` (the tightest window), the headers flask-limiter sent. Redis unreachable: the
request is served uncounted and a warning logged; refusing every verification because the
counters' store is down would turn a hiccup into an outage.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar

import redis
from flask import Flask, Response, current_app, g, request
from limits import RateLimitItem, parse_many
from redis.exceptions import NoScriptError
from werkzeug.exceptions import TooManyRequests

from verifier.config import settings_of
from verifier.tokens import Scope

__all__ = [
    "MemoryCounter",
    "RedisCounter",
    "Window",
    "anonymous_verification",
    "init_app",
    "rate_limit",
]

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_EXTENSION = "sceau.limits"
_PREFIX = "sceau:limit"


@dataclass(frozen=True)
class Window:
    """One limit's window as a request left it."""

    amount: int
    count: int
    reset_at: float  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.amount - self.count)

    @property
    def exceeded(self) -> bool:
        return self.count > self.amount


class Counter(Protocol):
    def hit(
        self, keys: Sequence[str], seconds: Sequence[int], amounts: Sequence[int]
    ) -> list[tuple[int, float]]:
        """Count one request in each window (of ``amounts`` allowed); each window's count
        (this request's place in it) and reset time."""
        ...


# Each key counted by its block size and, when new, given its window; the count and the time
# to live returned. KEYS: the windows; ARGV: their lengths, then their block sizes.
_COUNT = """
local answer = {}
local n = #KEYS
for i, key in ipairs(KEYS) do
    local size = tonumber(ARGV[n + i])
    local count = redis.call("incrby", key, size)
    if count == size then
        redis.call("expire", key, ARGV[i])
    end
    answer[2 * i - 1] = count
    answer[2 * i] = redis.call("ttl", key)
end
return answer
"""

#: A process takes a window's places from Redis a hundredth of the limit at a time.
BLOCK_FRACTION = 100


@dataclass
class _Block:
    """Places of a window this process took from Redis and has not used yet."""

    upto: int  # the window's count in Redis after the block was taken
    left: int
    reset_at: float


class RedisCounter:
    """Windows in Redis, shared by every process of the service.

    Each process takes a window's places in blocks of a hundredth of the limit (one place for
    limits up to 199): the seal page, scanned hundreds of times a second under a limit in the
    thousands, costs one round trip to Redis per block rather than per scan. Nothing lets more
    than the limit through: a place is counted in Redis before it is used, so a block a
    process does not use up only makes the limit stricter for the others, by at most a
    hundredth per process, until the window ends. Small limits (the forgotten password's 5 per
    minute, an anonymous budget of 60) stay exact, one round trip per request.

    Each thread keeps one connection and speaks to it directly (EVALSHA, then EVAL once if
    the server does not know the script yet): redis-py's client, its pool and its retries cost
    more Python than the count itself."""

    def __init__(self, url: str) -> None:
        self._pool = redis.ConnectionPool.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._sha = hashlib.sha1(_COUNT.encode(), usedforsecurity=False).hexdigest()
        self._local = threading.local()
        self._blocks: dict[str, _Block] = {}
        self._lock = threading.Lock()

    def hit(
        self, keys: Sequence[str], seconds: Sequence[int], amounts: Sequence[int]
    ) -> list[tuple[int, float]]:
        now = time.time()
        answer: list[tuple[int, float]] = [(0, 0.0)] * len(keys)
        wanted: list[int] = []
        with self._lock:
            for i, key in enumerate(keys):
                block = self._blocks.get(key)
                if block is not None and block.left > 0 and block.reset_at > now:
                    block.left -= 1
                    answer[i] = (block.upto - block.left, block.reset_at)
                else:
                    wanted.append(i)
        if not wanted:
            return answer
        sizes = [max(1, amounts[i] // BLOCK_FRACTION) for i in wanted]
        flat = self._take([keys[i] for i in wanted], [*(seconds[i] for i in wanted), *sizes])
        with self._lock:
            if len(self._blocks) > 10_000:  # addresses that came once: forget ended windows
                self._blocks = {k: b for k, b in self._blocks.items() if b.reset_at > now}
            for j, i in enumerate(wanted):
                count, reset_at = int(flat[2 * j]), now + max(int(flat[2 * j + 1]), 0)
                self._blocks[keys[i]] = _Block(count, sizes[j] - 1, reset_at)
                answer[i] = (count - sizes[j] + 1, reset_at)
        return answer

    def _take(self, keys: Sequence[str], args: Sequence[int]) -> list[int]:
        # redis-py's connection methods are untyped: Any keeps mypy strict elsewhere.
        connection: Any = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._pool.make_connection()
        try:
            try:
                connection.send_command("EVALSHA", self._sha, len(keys), *keys, *args)
                answer: list[int] = connection.read_response()
            except NoScriptError:
                connection.send_command("EVAL", _COUNT, len(keys), *keys, *args)
                answer = connection.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            connection.disconnect()  # the next request reconnects
            raise
        return answer


class MemoryCounter:
    """Windows in this process's memory (development: one process)."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def hit(
        self, keys: Sequence[str], seconds: Sequence[int], amounts: Sequence[int]
    ) -> list[tuple[int, float]]:
        now = time.time()
        answer = []
        with self._lock:
            if len(self._windows) > 100_000:  # addresses that came once: forget the ended
                self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
            for key, length in zip(keys, seconds, strict=True):
                count, reset_at = self._windows.get(key, (0, 0.0))
                if reset_at <= now:
                    count, reset_at = 0, now + length
                self._windows[key] = (count + 1, reset_at)
                answer.append((count + 1, reset_at))
        return answer


def _counter() -> Counter:
    found: Counter = current_app.extensions[_EXTENSION]
    return found


def _address() -> str:
    # Behind a proxy, ProxyFix (SCEAU_BEHIND_PROXY) has put the client's address here.
    return request.remote_addr or "unknown"


def _count(scope: str, items: Sequence[RateLimitItem]) -> list[Window] | None:
    address = _address()
    keys = [f"{_PREFIX}:{scope}:{address}:{item.amount}/{item.get_expiry()}" for item in items]
    try:
        counted = _counter().hit(
            keys, [item.get_expiry() for item in items], [item.amount for item in items]
        )
    except redis.RedisError as exc:
        log.warning("rate limit %s not counted: %s", scope, type(exc).__name__)
        return None
    return [
        Window(item.amount, count, reset_at)
        for item, (count, reset_at) in zip(items, counted, strict=True)
    ]


def rate_limit(
    limits: str | Callable[[], str],
    *,
    scope: str,
    exempt_when: Callable[[], bool] | None = None,
    methods: Sequence[str] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Count each request of the view against ``limits`` ("5 per minute; 30 per hour", or a
    function that reads them from the settings), per address; views of the same ``scope``
    share one budget."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if (methods is None or request.method in methods) and not (
                exempt_when is not None and exempt_when()
            ):
                spec = limits() if callable(limits) else limits
                windows = _count(scope, parse_many(spec))
                if windows:
                    tightest = min(windows, key=lambda w: (w.remaining, -w.reset_at))
                    g.sceau_rate_window = tightest
                    if any(window.exceeded for window in windows):
                        latest = max(w.reset_at for w in windows if w.exceeded)
                        raise TooManyRequests(retry_after=max(1, int(latest - time.time())))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def _headers(response: Response) -> Response:
    window: Window | None = g.pop("sceau_rate_window", None)
    if window is None:
        return response
    response.headers["X-RateLimit-Limit"] = str(window.amount)
    response.headers["X-RateLimit-Remaining"] = str(window.remaining)
    response.headers["X-RateLimit-Reset"] = str(int(window.reset_at))
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, int(window.reset_at - time.time())))
    return response


def _has_verify_token() -> bool:
    from verifier.auth import current_token

    token = current_token()
    return token is not None and str(Scope.VERIFY) in token.scope_set


def _verify_limit() -> str:
    return settings_of(current_app).verify_rate_limit


# Shared by every anonymous verification route (scan page, upload page, API): one budget.
anonymous_verification = rate_limit(
    _verify_limit, scope="anonymous-verification", exempt_when=_has_verify_token
)


def init_app(app: Flask) -> None:
    redis_url = settings_of(app).redis_url
    app.extensions[_EXTENSION] = RedisCounter(redis_url) if redis_url else MemoryCounter()
    app.after_request(_headers)
