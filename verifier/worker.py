"""The worker: claim a job, run it, renew its lease while it runs, record the outcome.

Two ways to run it:

- ``sceau worker [--once] [--concurrency N]``: a process of its own (production; several may
  run on several machines, the queue's leases keep them apart). SIGTERM or SIGINT: the job in
  hand finishes, then the process exits; SIGKILL: its lease runs out and another worker takes
  the job again.
- in-process (development, ``make run``, and the test suite): unless
  ``SCEAU_INPROCESS_WORKER=0``, committing a session that added a job wakes a small pool of
  threads in the web process that drains the queue, and `sceau serve` also polls it (retries
  after their backoff, leases left by a dead process). Both paths claim through the same
  queue, so an in-process worker and a ``sceau worker`` never run the same job at once.

A handler raises :class:`PermanentJobError` for a failure a retry cannot fix (it is recorded
as failed at once); any other exception is retried after the queue's backoff.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from verifier import jobs
from verifier.config import settings_of
from verifier.models import Job

__all__ = [
    "PermanentJobError",
    "Worker",
    "kick",
    "shut_down",
    "start_poller",
    "wait_for_jobs",
]

log = logging.getLogger(__name__)

_POOL = "sceau.jobs.pool"
_FUTURES = "sceau.jobs.futures"
_APP = "sceau.jobs.app"
_lock = threading.Lock()


class PermanentJobError(RuntimeError):
    """The job cannot succeed by being tried again (its input is wrong, not the weather)."""


def _run_pack_build(app: Flask, job: Job) -> None:
    from verifier.instance import blob_store, keyring
    from verifier.packs import run_build

    if job.pack_build_id is None:
        raise PermanentJobError("pack-build job without a build")
    run_build(job.pack_build_id, keys=keyring(), blobs=blob_store(), retry_errors=True)


def _run_mail(app: Flask, job: Job) -> None:
    from verifier.mail import send_job

    send_job(settings_of(app), job.payload)


def _run_convocation_mail(app: Flask, job: Job) -> None:
    from verifier.journey_mail import send_queued_convocation

    sessions: sessionmaker[Session] = app.extensions["sceau.sessions"]
    with sessions() as session:
        send_queued_convocation(session, settings_of(app), job.payload)


HANDLERS: dict[str, Callable[[Flask, Job], None]] = {
    jobs.PACK_BUILD: _run_pack_build,
    jobs.MAIL: _run_mail,
    jobs.CONVOCATION_MAIL: _run_convocation_mail,
}


class Worker:
    """One loop (or ``concurrency`` loops in threads) over the queue of ``app``'s database."""

    def __init__(
        self,
        app: Flask,
        *,
        lease: timedelta = jobs.LEASE,
        poll: float = 1.0,
        concurrency: int = 1,
    ) -> None:
        self.app = app
        self.lease = lease
        self.poll = poll
        self.concurrency = max(1, concurrency)
        self.stopping = threading.Event()
        self.ran = 0
        self._count_lock = threading.Lock()

    def _sessions(self) -> sessionmaker[Session]:
        found: sessionmaker[Session] = self.app.extensions["sceau.sessions"]
        return found

    def stop(self) -> None:
        """Finish the job in hand, take no other (the SIGTERM handler calls this)."""
        self.stopping.set()

    def run_one(self, name: str | None = None) -> bool:
        """Claim one job due and run it; False when none was due."""
        name = name or jobs.worker_name()
        with self._sessions()() as session:
            job = jobs.claim(session, name, lease=self.lease)
            if job is None:
                return False
            session.expunge(job)
        log.info("job %s (%s) attempt %s by %s", job.id, job.kind, job.attempts, name)
        beat = threading.Event()
        heart = threading.Thread(
            target=self._heartbeat, args=(job.id, name, beat), daemon=True, name="sceau-lease"
        )
        heart.start()
        error: str | None = None
        permanent = False
        try:
            with self.app.app_context():
                HANDLERS[job.kind](self.app, job)
        except PermanentJobError as exc:
            error, permanent = str(exc), True
        except Exception as exc:  # retried: a database hiccup, an SMTP server down...
            log.exception("job %s (%s) failed", job.id, job.kind)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            beat.set()
            heart.join()
        with self._sessions()() as session:
            if error is None:
                jobs.complete(session, job.id, name)
            else:
                state = jobs.fail(session, job.id, name, error, permanent=permanent)
                log.warning("job %s (%s): %s, now %s", job.id, job.kind, error, state)
        with self._count_lock:
            self.ran += 1
        return True

    def _heartbeat(self, job_id: int, name: str, done: threading.Event) -> None:
        every = max(0.2, self.lease.total_seconds() / 3)
        while not done.wait(every):
            try:
                with self._sessions()() as session:
                    if not jobs.extend(session, job_id, name, lease=self.lease):
                        log.warning("job %s: lease lost by %s", job_id, name)
                        return
            except Exception:  # the database is away: the next beat tries again
                log.exception("job %s: cannot renew the lease", job_id)

    def _loop(self, once: bool) -> None:
        name = jobs.worker_name()
        while not self.stopping.is_set():
            try:
                ran = self.run_one(name)
            except Exception:  # the database is away: wait and claim again
                log.exception("cannot claim a job")
                ran = False
            if not ran:
                if once:
                    return
                self.stopping.wait(self.poll)

    def run(self, *, once: bool = False) -> int:
        """Work until :meth:`stop` (or, with ``once``, until no job is due); jobs run."""
        if self.concurrency == 1:
            self._loop(once)
            return self.ran
        threads = [
            threading.Thread(target=self._loop, args=(once,), name=f"sceau-worker-{i}")
            for i in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.ran


# ----------------------------------------------------------------------------- in-process


def _pool(app: Flask) -> ThreadPoolExecutor:
    found: ThreadPoolExecutor | None = app.extensions.get(_POOL)
    if found is None:
        with _lock:
            found = app.extensions.get(_POOL)
            if found is None:
                found = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sceau-job")
                app.extensions[_POOL] = found
                app.extensions[_FUTURES] = []
    return found


def _drain(app: Flask) -> None:
    Worker(app).run(once=True)


def kick(app: Flask) -> Future[None] | None:
    """Drain the queue in the web process's pool, when the in-process worker is on.

    A drain not started yet will see the new job: no second one is queued behind it.
    """
    if not settings_of(app).inprocess_worker:
        return None
    pool = _pool(app)
    with _lock:
        futures: list[Future[None]] = app.extensions[_FUTURES]
        futures[:] = [f for f in futures if not f.done()]
        for future in futures:
            if not future.running():
                return future
        future = pool.submit(_drain, app)
        futures.append(future)
    return future


def wait_for_jobs(app: Flask, timeout: float | None = None) -> None:
    """Wait until the in-process drains in flight are over (tests, a clean shutdown)."""
    while True:
        with _lock:
            pending = [f for f in app.extensions.get(_FUTURES, []) if not f.done()]
        if not pending:
            return
        for future in pending:
            future.result(timeout=timeout)


def shut_down(app: Flask, *, timeout: float | None = None) -> None:
    """Let the in-process drains in flight finish, then stop the pool's threads."""
    wait_for_jobs(app, timeout)
    with _lock:
        pool: ThreadPoolExecutor | None = app.extensions.pop(_POOL, None)
    if pool is not None:
        pool.shutdown(wait=True)


def start_poller(app: Flask, *, poll: float = 2.0) -> threading.Thread:
    """`sceau serve`'s in-process worker: a daemon thread polling the queue (retries whose
    backoff ran out, jobs a killed process left leased)."""
    thread = threading.Thread(
        target=Worker(app, poll=poll).run, daemon=True, name="sceau-job-poller"
    )
    thread.start()
    return thread


def init_app(app: Flask) -> None:
    """Wake the in-process pool when a session of ``app`` commits a new job."""
    sessions: sessionmaker[Session] = app.extensions["sceau.sessions"]
    sessions.configure(info={_APP: app})
    event.listen(sessions, "after_commit", _after_commit)


def _after_commit(session: Session) -> None:
    if not session.info.pop("sceau.jobs.added", False):
        return
    app: Any = session.info.get(_APP)
    if isinstance(app, Flask):
        kick(app)
