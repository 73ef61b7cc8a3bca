"""The job queue (verifier/jobs.py) and its worker: leases, retries with backoff, a job that
keeps killing its worker, SKIP LOCKED claims from many threads, Message-IDs kept across mail
retries, and `sceau worker` finishing its job on SIGTERM."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select, update

from tests.verifier.test_mail import Collector, free_port, ready
from verifier import Settings, db, jobs
from verifier.config import settings_of
from verifier.db import utcnow
from verifier.mail import queue_mail
from verifier.models import Job, JobState
from verifier.worker import Worker

SCEAU = str(Path(sys.executable).parent / "sceau")


@pytest.fixture
def queue_app(settings: Settings) -> Iterator[Flask]:
    """An instance whose jobs run only when a test says so (no in-process worker)."""
    app = ready(dataclasses.replace(settings, inprocess_worker=False))
    yield app
    app.extensions["sceau.engine"].dispose()


def add_mails(app: Flask, count: int) -> list[int]:
    with app.app_context():
        session = db.session()
        made = [
            queue_mail(session, to=f"p{i}@example.org", subject="s", body="b") for i in range(count)
        ]
        session.commit()
        return [job.id for job in made]


def job_of(app: Flask, job_id: int) -> Job:
    with app.app_context():
        found = db.session().get(Job, job_id)
        assert found is not None
        return found


def test_a_lease_keeps_other_workers_off_until_it_runs_out(queue_app: Flask) -> None:
    (job_id,) = add_mails(queue_app, 1)
    with queue_app.app_context():
        session = db.session()
        assert jobs.queue_depth(session) == 1
        first = jobs.claim(session, "host:1:1", lease=timedelta(seconds=30))
        assert first is not None
        assert (first.id, first.attempts, first.locked_by) == (job_id, 1, "host:1:1")
        assert jobs.claim(session, "host:2:1") is None  # leased
        assert jobs.queue_depth(session) == 1  # running still counts
        # host 1 is killed; 31 s later its lease has run out and host 2 takes the job.
        later = utcnow() + timedelta(seconds=31)
        again = jobs.claim(session, "host:2:1", now=later)
        assert again is not None
        assert (again.id, again.attempts, again.locked_by) == (job_id, 2, "host:2:1")
        assert not jobs.extend(session, job_id, "host:1:1")  # the dead one lost it
        assert not jobs.complete(session, job_id, "host:1:1")
        assert jobs.complete(session, job_id, "host:2:1")
        assert jobs.queue_depth(session) == 0


def test_failures_back_off_then_stop_for_an_operator(queue_app: Flask) -> None:
    (job_id,) = add_mails(queue_app, 1)
    with queue_app.app_context():
        session = db.session()
        now = utcnow()
        waits = []
        for attempt in range(1, 6):
            job = jobs.claim(session, "w", now=now)
            assert job is not None
            assert job.attempts == attempt
            state = jobs.fail(session, job_id, "w", "SMTP server away", now=now)
            found = session.get(Job, job_id, populate_existing=True)
            assert found is not None
            if attempt < 5:
                assert state == JobState.QUEUED
                assert jobs.claim(session, "w", now=now) is None  # not before its backoff
                waits.append(found.run_after - now)
                now = found.run_after
        assert waits == [timedelta(seconds=s) for s in (10, 40, 160, 640)]
        assert state == JobState.FAILED
        last = session.get(Job, job_id)
        assert last is not None
        assert last.last_error == "SMTP server away"
        assert jobs.queue_depth(session) == 0


def test_a_job_that_kills_its_worker_every_time_ends_failed(queue_app: Flask) -> None:
    (job_id,) = add_mails(queue_app, 1)
    with queue_app.app_context():
        session = db.session()
        now = utcnow()
        for _ in range(5):  # claimed, then the worker dies: the lease runs out each time
            assert jobs.claim(session, "w", lease=timedelta(seconds=1), now=now) is not None
            now += timedelta(seconds=2)
        assert jobs.claim(session, "w", now=now) is None
        found = session.get(Job, job_id, populate_existing=True)
        assert found is not None
        assert found.state == JobState.FAILED
        assert "lease expired" in found.last_error


def test_many_workers_claim_each_job_exactly_once(queue_app: Flask) -> None:
    ids = add_mails(queue_app, 12)
    claimed: list[int] = []
    errors: list[BaseException] = []
    sessions = queue_app.extensions["sceau.sessions"]

    def claimer(n: int) -> None:
        try:
            with sessions() as session:
                while (job := jobs.claim(session, f"w{n}")) is not None:
                    claimed.append(job.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(claimed) == ids


class SlowCollector(Collector):
    """An SMTP server that holds each message until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


def test_a_mail_retried_after_a_server_outage_keeps_its_message_id(queue_app: Flask) -> None:
    port = free_port()
    queue_app.extensions["sceau.settings"] = dataclasses.replace(
        settings_of(queue_app), smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
    )
    (job_id,) = add_mails(queue_app, 1)
    message_id = job_of(queue_app, job_id).payload["message_id"]
    worker = Worker(queue_app)
    assert worker.run_one()  # nobody listens on the port yet
    failed = job_of(queue_app, job_id)
    assert failed.state == JobState.QUEUED
    assert "cannot send mail" in failed.last_error

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with queue_app.app_context():  # the backoff is over
            db.session().execute(update(Job).values(run_after=utcnow()))
            db.session().commit()
        assert worker.run_one()
    finally:
        controller.stop()
    done = job_of(queue_app, job_id)
    assert (done.state, done.attempts) == (JobState.DONE, 2)
    ((recipients, message),) = collector.messages
    assert recipients == ["p0@example.org"]
    assert message["Message-ID"] == message_id


def test_sceau_worker_finishes_its_job_on_sigterm_then_exits(
    queue_app: Flask, settings: Settings, database_url: str
) -> None:
    collector = SlowCollector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    first, second = add_mails(queue_app, 2)
    env = {
        **os.environ,
        "SCEAU_INSTANCE": str(settings.instance_path),
        "DATABASE_URL": database_url,
        "SCEAU_KEY_PASSPHRASE": "test passphrase",
        "SCEAU_SMTP_HOST": "127.0.0.1",
        "SCEAU_SMTP_PORT": str(port),
        "SCEAU_SMTP_STARTTLS": "0",
    }
    process = subprocess.Popen(
        [SCEAU, "worker", "--poll", "0.1"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert collector.arrived.wait(60), "the worker sent nothing"
        process.send_signal(signal.SIGTERM)  # while the first message is in flight
        time.sleep(0.3)
        assert process.poll() is None  # still finishing
        collector.release.set()
        _, err = process.communicate(timeout=30)
    finally:
        collector.release.set()
        if process.poll() is None:
            process.kill()
        controller.stop()
    assert process.returncode == 0, err
    assert "1 job(s) run" in err
    assert len(collector.messages) == 1
    assert job_of(queue_app, first).state == JobState.DONE
    assert job_of(queue_app, second).state == JobState.QUEUED  # left for the next worker
    with queue_app.app_context():
        assert db.session().scalars(select(Job.locked_by)).all() == [None, None]
