"""The background work queue: a ``jobs`` table in the service's own database.

Why the database and not Redis: a job is added in the same unit of work as the row it concerns
(a pack build, a password-reset code), so a build row exists if and only if its job does; a
crash between "row committed" and "job pushed" cannot happen. PostgreSQL gives concurrent
workers ``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite (one writer) needs only the conditional
UPDATE that follows, which both engines run: a claim succeeds only if the row still has the
state and attempt count the worker read.

A claimed job is leased (``locked_by``, ``locked_until``); the worker renews the lease while the
job runs (verifier/worker.py). A worker killed with SIGKILL renews nothing: once the lease runs
out the next claim takes the job again, attempts + 1. A failure is retried after an exponential
backoff until ``max_attempts``; then the job is ``failed`` and stays for an operator to read
(``last_error``), and the row it concerns says so: the pack build says failed, an appointment
whose convocation mail never went gets an ``appointment.mail-failed`` audit entry.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from verifier import audit
from verifier.db import utcnow
from verifier.models import Job, JobState, PackBuild, PackBuildStatus

__all__ = [
    "CONVOCATION_MAIL",
    "KINDS",
    "LEASE",
    "MAIL",
    "PACK_BUILD",
    "backoff",
    "claim",
    "complete",
    "enqueue",
    "extend",
    "fail",
    "queue_depth",
    "worker_name",
]

PACK_BUILD = "pack-build"
MAIL = "mail"
#: A mail (payload as MAIL's) that, once sent, marks its appointment mailed (journey_mail.py).
CONVOCATION_MAIL = "convocation-mail"
KINDS = (PACK_BUILD, MAIL, CONVOCATION_MAIL)
#: How long a claim holds a job without renewal; the worker renews every third of it.
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
_BACKOFF_BASE = timedelta(seconds=10)
_BACKOFF_CAP = timedelta(hours=1)


def worker_name() -> str:
    """``host:pid:thread``: what an operator reads in ``locked_by`` to find the process."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: 10 s, 40 s, 160 s, 640 s, then at most an hour."""
    delay: timedelta = _BACKOFF_BASE * 4 ** max(0, min(attempts - 1, 10))
    return min(_BACKOFF_CAP, delay)


def enqueue(
    session: Session,
    kind: str,
    *,
    payload: dict[str, Any] | None = None,
    pack_build: PackBuild | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    run_after: datetime | None = None,
) -> Job:
    """Add a job to ``session`` (flushed, not committed: it commits with the caller's rows)."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        payload=payload or {},
        state=JobState.QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        run_after=run_after or utcnow(),
        last_error="",
        pack_build_id=pack_build.id if pack_build is not None else None,
    )
    session.add(job)
    session.flush()
    session.info["sceau.jobs.added"] = True  # verifier/worker.py wakes the in-process pool
    return job


def _claimable(now: datetime) -> Any:
    return or_(
        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
        and_(Job.state == JobState.RUNNING, Job.locked_until < now),
    )


def claim(
    session: Session, worker: str, *, lease: timedelta = LEASE, now: datetime | None = None
) -> Job | None:
    """Lease the next job due to ``worker`` and commit; None when nothing is due.

    A job whose lease ran out on its last attempt is not claimed again: its worker died every
    time (a pack that kills the process, say), so it is marked failed instead.
    """
    for _ in range(20):  # lost races (another worker took the row between read and update)
        moment = now or utcnow()
        row = session.execute(
            select(Job.id, Job.state, Job.attempts, Job.max_attempts)
            .where(_claimable(moment))
            .order_by(Job.run_after, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders nothing
        ).first()
        if row is None:
            session.commit()
            return None
        same = (Job.id == row.id, Job.state == row.state, Job.attempts == row.attempts)
        if row.state == JobState.RUNNING and row.attempts >= row.max_attempts:
            error = f"worker lost (lease expired) on attempt {row.attempts} of {row.max_attempts}"
            taken = session.execute(
                update(Job)
                .where(*same)
                .values(
                    state=JobState.FAILED,
                    locked_by=None,
                    locked_until=None,
                    last_error=error,
                    finished_at=moment,
                )
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                _give_up(session, row.id)
            session.commit()
            continue
        taken = session.execute(
            update(Job)
            .where(*same)
            .values(
                state=JobState.RUNNING,
                attempts=Job.attempts + 1,
                locked_by=worker,
                locked_until=moment + lease,
            )
        )
        session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            job = session.get(Job, row.id, populate_existing=True)
            assert job is not None
            return job
    return None


def extend(session: Session, job_id: int, worker: str, *, lease: timedelta = LEASE) -> bool:
    """Renew ``worker``'s lease; False when the job is no longer its own (lease lost)."""
    renewed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker, Job.state == JobState.RUNNING)
        .values(locked_until=utcnow() + lease)
    )
    session.commit()
    return bool(renewed.rowcount == 1)  # type: ignore[attr-defined]


def complete(session: Session, job_id: int, worker: str) -> bool:
    """Mark the job done (if still leased by ``worker``) and commit."""
    finished = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker, Job.state == JobState.RUNNING)
        .values(state=JobState.DONE, locked_by=None, locked_until=None, finished_at=utcnow())
    )
    session.commit()
    return bool(finished.rowcount == 1)  # type: ignore[attr-defined]


def fail(
    session: Session,
    job_id: int,
    worker: str,
    error: str,
    *,
    permanent: bool = False,
    now: datetime | None = None,
) -> str:
    """Record a failed attempt and commit: queued again after :func:`backoff`, or failed for
    good when attempts are exhausted or ``permanent``. Returns the job's new state."""
    moment = now or utcnow()
    job = session.get(Job, job_id, populate_existing=True)
    if job is None or job.locked_by != worker or job.state != JobState.RUNNING:
        session.rollback()
        return job.state if job is not None else JobState.FAILED
    job.last_error = error[:2000]
    job.locked_by, job.locked_until = None, None
    if permanent or job.attempts >= job.max_attempts:
        job.state = JobState.FAILED
        job.finished_at = moment
        _give_up(session, job.id)
    else:
        job.state = JobState.QUEUED
        job.run_after = moment + backoff(job.attempts)
    session.commit()
    return job.state


def _give_up(session: Session, job_id: int) -> None:
    """The row a job concerns says failed too (a build nobody will finish must not say
    "running" forever; an appointment whose convocation mail never went has it in the audit
    log, under the agent who asked for the mail); not committed here."""
    job = session.execute(
        select(Job.kind, Job.payload, Job.pack_build_id, Job.attempts, Job.last_error).where(
            Job.id == job_id
        )
    ).one()
    if job.pack_build_id is not None:
        session.execute(
            update(PackBuild)
            .where(
                PackBuild.id == job.pack_build_id,
                PackBuild.status.in_([PackBuildStatus.QUEUED, PackBuildStatus.RUNNING]),
            )
            .values(
                status=PackBuildStatus.FAILED,
                error="internal error (retries exhausted)",
                finished_at=utcnow(),
            )
        )
    if job.kind == CONVOCATION_MAIL:
        payload = job.payload
        audit.append(
            session,
            actor=str(payload.get("actor") or "worker"),
            action="appointment.mail-failed",
            object_type="appointment",
            object_id=str(payload.get("appointment", "")),
            details={
                "person": payload.get("person"),
                "job": job_id,
                "attempts": job.attempts,
                "error": job.last_error[:200],
            },
        )


def queue_depth(session: Session) -> int:
    """Jobs not finished (queued, or running under a lease): the gauge /metrics exports."""
    found = session.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.state.in_([JobState.QUEUED, JobState.RUNNING]))
    )
    return int(found or 0)
