"""The convocation mail goes through the job queue: the agent's request only queues it (no
mail server is talked to while the agent waits), a worker sends it and marks the appointment
mailed; a server that refuses is tried again with the same Message-ID, and after the last
attempt the failure is in the audit log while the appointment stays as it was."""

from __future__ import annotations

import asyncio
import email
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select, update

from tests.verifier.conftest import Staff, make_person
from tests.verifier.test_appointments import appointments_of, schedule, with_email
from tests.verifier.test_mail import Collector, free_port, mailing_to, ready
from tests.verifier.test_portal import signed_in
from verifier import Settings, db, jobs
from verifier.db import utcnow
from verifier.models import AuditEntry, Job, JobState, Role
from verifier.tokens import Scope
from verifier.worker import Worker, wait_for_jobs


def convocation_jobs(app: Flask) -> list[Job]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(Job).where(Job.kind == jobs.CONVOCATION_MAIL).order_by(Job.id)
            )
        )


def mail_entries(app: Flask, appointment_id: int) -> list[AuditEntry]:
    """The audit entries about the appointment's mail, oldest first."""
    with app.app_context():
        return list(
            db.session().scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.object_type == "appointment",
                    AuditEntry.object_id == str(appointment_id),
                    AuditEntry.action.startswith("appointment.mail"),
                )
                .order_by(AuditEntry.seq)
            )
        )


def due_now(app: Flask) -> None:
    """The retry's backoff is over."""
    with app.app_context():
        db.session().execute(update(Job).values(run_after=utcnow()))
        db.session().commit()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def queue_app(settings: Settings, smtp_port: int) -> Iterator[Flask]:
    """An instance mailing through 127.0.0.1:``smtp_port`` whose jobs run only when a test
    says so (no in-process worker): each attempt is the test's to observe."""
    app = ready(mailing_to(settings, smtp_port, inprocess_worker=False))
    yield app
    app.extensions["sceau.engine"].dispose()


class RefusingCollector(Collector):
    """An SMTP server that answers "try again later" to the first ``refusals`` messages and
    keeps the Message-ID of every message it was offered."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals
        self.offered: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.offered.append(str(message["Message-ID"]))
        if len(self.offered) <= self.refusals:
            return "451 4.3.0 try again later"
        return await super().handle_DATA(server, session, envelope)


class HoldingCollector(Collector):
    """An SMTP server that holds each message until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


def test_the_request_queues_the_mail_and_the_worker_puts_it_in_the_outbox(
    ready_app: Flask, settings: Settings
) -> None:
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = with_email(ready_app)
    made = schedule(agent, person_id, send_mail="1")
    assert made.status_code == 303
    assert "mail=queued" in made.headers["Location"]
    page = agent.get(made.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Appointment scheduled; the letter will be e-mailed." in page
    french = agent.get(made.headers["Location"] + "&lang=fr").get_data(as_text=True)
    assert "la convocation va être envoyée par e-mail" in french

    wait_for_jobs(ready_app, timeout=30)
    [path] = (settings.instance_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert message["To"] == "amina@example.org"
    assert message["Subject"] == "Convocation OFII du 06/07/2026 à 09 h 30"
    [appointment] = appointments_of(ready_app, person_id)
    assert appointment.mailed_at is not None
    queued, mailed = mail_entries(ready_app, appointment.id)
    assert (queued.action, mailed.action) == ("appointment.mail-queued", "appointment.mail")
    assert json.loads(queued.details)["message_id"] == message["Message-ID"]
    assert mailed.actor == queued.actor  # on behalf of the agent who asked
    [job] = convocation_jobs(ready_app)
    assert (job.state, job.attempts) == (JobState.DONE, 1)
    listed = agent.get(f"/agent/persons/{person_id}/appointments?lang=en")
    assert "letter e-mailed" in listed.get_data(as_text=True)


def test_the_agent_is_answered_while_the_mail_server_still_holds_the_message(
    settings: Settings,
) -> None:
    collector = HoldingCollector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app = ready(mailing_to(settings, port))
    try:
        agent, _ = signed_in(app, Role.OFII_AGENT)
        person_id = with_email(app)
        made = schedule(agent, person_id, send_mail="1")
        assert made.status_code == 303
        assert "mail=queued" in made.headers["Location"]
        assert collector.messages == []  # an inline send would have waited for the server
        # What the request committed: the appointment, its queued mail, the audit entry.
        [appointment] = appointments_of(app, person_id)
        assert appointment.mailed_at is None
        [job] = convocation_jobs(app)
        assert job.payload["appointment"] == appointment.id
        assert job.payload["to"] == "amina@example.org"
        assert [e.action for e in mail_entries(app, appointment.id)] == ["appointment.mail-queued"]

        collector.release.set()
        wait_for_jobs(app, timeout=30)
        [(recipients, message)] = collector.messages
        assert recipients == ["amina@example.org"]
        assert message["Message-ID"] == job.payload["message_id"]
        [appointment] = appointments_of(app, person_id)
        assert appointment.mailed_at is not None
    finally:
        collector.release.set()
        controller.stop()
        app.extensions["sceau.engine"].dispose()


def test_a_refused_mail_is_retried_with_the_same_message_id(
    queue_app: Flask, smtp_port: int
) -> None:
    collector = RefusingCollector(refusals=2)
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        agent, _ = signed_in(queue_app, Role.OFII_AGENT)
        person_id = with_email(queue_app)
        made = schedule(agent, person_id, send_mail="1")
        assert "mail=queued" in made.headers["Location"]
        [job] = convocation_jobs(queue_app)
        message_id = job.payload["message_id"]
        worker = Worker(queue_app)
        for attempt in (1, 2):
            assert worker.run_one()
            [job] = convocation_jobs(queue_app)
            assert (job.state, job.attempts) == (JobState.QUEUED, attempt)
            assert "try again later" in job.last_error
            [appointment] = appointments_of(queue_app, person_id)
            assert (appointment.status, appointment.mailed_at) == ("scheduled", None)
            assert appointment.convocation_id is not None
            due_now(queue_app)
        assert worker.run_one()
    finally:
        controller.stop()
    assert collector.offered == [message_id] * 3
    [(recipients, _)] = collector.messages
    assert recipients == ["amina@example.org"]
    [job] = convocation_jobs(queue_app)
    assert (job.state, job.attempts) == (JobState.DONE, 3)
    [appointment] = appointments_of(queue_app, person_id)
    assert appointment.mailed_at is not None
    assert [e.action for e in mail_entries(queue_app, appointment.id)] == [
        "appointment.mail-queued",
        "appointment.mail",
    ]


def test_after_the_last_attempt_the_failure_is_audited_and_the_appointment_kept(
    queue_app: Flask,
) -> None:
    # Nobody listens on the instance's SMTP port: every attempt fails.
    agent, _ = signed_in(queue_app, Role.OFII_AGENT)
    person_id = with_email(queue_app)
    made = schedule(agent, person_id, send_mail="1")
    assert "mail=queued" in made.headers["Location"]
    [appointment] = appointments_of(queue_app, person_id)
    worker = Worker(queue_app)
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert worker.run_one()
        [job] = convocation_jobs(queue_app)
        assert job.attempts == attempt
        actions = [e.action for e in mail_entries(queue_app, appointment.id)]
        if attempt < jobs.MAX_ATTEMPTS:
            assert job.state == JobState.QUEUED
            assert actions == ["appointment.mail-queued"]  # not failed while it may still go
            due_now(queue_app)
    assert job.state == JobState.FAILED
    assert "cannot send mail" in job.last_error
    queued, failed = mail_entries(queue_app, appointment.id)
    assert failed.action == "appointment.mail-failed"
    assert failed.actor == queued.actor
    details = json.loads(failed.details)
    assert details["attempts"] == jobs.MAX_ATTEMPTS
    assert "cannot send mail" in details["error"]
    [kept] = appointments_of(queue_app, person_id)
    assert (kept.status, kept.convocation_id, kept.mailed_at) == (
        "scheduled",
        appointment.convocation_id,
        None,
    )
    listed = agent.get(f"/agent/persons/{person_id}/appointments?lang=en")
    assert "letter e-mailed" not in listed.get_data(as_text=True)
    assert not worker.run_one()  # nothing left to try


def test_a_worker_killed_on_every_attempt_also_leaves_the_failure_audited(
    queue_app: Flask,
) -> None:
    agent, _ = signed_in(queue_app, Role.OFII_AGENT)
    person_id = with_email(queue_app)
    schedule(agent, person_id, send_mail="1")
    [appointment] = appointments_of(queue_app, person_id)
    with queue_app.app_context():
        session = db.session()
        now = utcnow()
        for _ in range(jobs.MAX_ATTEMPTS):  # claimed, then the worker dies: its lease runs out
            assert jobs.claim(session, "w", lease=timedelta(seconds=1), now=now) is not None
            now += timedelta(seconds=2)
        assert jobs.claim(session, "w", now=now) is None
    [job] = convocation_jobs(queue_app)
    assert job.state == JobState.FAILED
    actions = [e.action for e in mail_entries(queue_app, appointment.id)]
    assert actions == ["appointment.mail-queued", "appointment.mail-failed"]


def test_a_job_run_again_after_its_mail_went_does_not_mail_twice(
    queue_app: Flask, smtp_port: int
) -> None:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        agent, _ = signed_in(queue_app, Role.OFII_AGENT)
        person_id = with_email(queue_app)
        schedule(agent, person_id, send_mail="1")
        worker = Worker(queue_app)
        assert worker.run_one()
        assert len(collector.messages) == 1
        # The worker died after recording the mail but before marking its job done: the lease
        # runs out and another worker takes the job again.
        with queue_app.app_context():
            db.session().execute(
                update(Job).values(
                    state=JobState.RUNNING,
                    locked_by="dead:1:1",
                    locked_until=utcnow() - timedelta(seconds=1),
                )
            )
            db.session().commit()
        assert worker.run_one()
    finally:
        controller.stop()
    assert len(collector.messages) == 1
    [job] = convocation_jobs(queue_app)
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    [appointment] = appointments_of(queue_app, person_id)
    assert [e.action for e in mail_entries(queue_app, appointment.id)] == [
        "appointment.mail-queued",
        "appointment.mail",
    ]


def test_the_api_says_the_mail_is_queued_and_the_journey_says_when_it_went(
    ready_app: Flask, staff: Staff, settings: Settings
) -> None:
    client = ready_app.test_client()
    person_id = with_email(ready_app)
    made = client.post(
        f"/api/v1/persons/{person_id}/appointments",
        json={
            "purpose": "medical-visit",
            "at": "2026-12-01T08:00:00Z",
            "place": "OFII Paris",
            "send_mail": True,
        },
        headers=staff.headers(Scope.ISSUE),
    )
    assert made.status_code == 201, made.get_json()
    answer = made.get_json()
    assert (answer["mail_queued"], answer["mailed"]) == (True, False)
    wait_for_jobs(ready_app, timeout=30)
    assert len(list((settings.instance_path / "outbox").glob("*.eml"))) == 1
    journey = client.get(
        f"/api/v1/persons/{person_id}/journey", headers=staff.headers(Scope.VERIFY)
    ).get_json()
    [listed] = journey["appointments"]
    assert (listed["id"], listed["mailed"]) == (answer["id"], True)

    without = make_person(ready_app)  # no address: nothing queued
    refused = client.post(
        f"/api/v1/persons/{without}/appointments",
        json={
            "purpose": "medical-visit",
            "at": "2026-12-02T08:00",
            "place": "x",
            "send_mail": True,
        },
        headers=staff.headers(Scope.ISSUE),
    ).get_json()
    assert (refused["mail_queued"], refused["mailed"]) == (False, False)
    not_asked = client.post(
        f"/api/v1/persons/{person_id}/appointments",
        json={"purpose": "medical-visit", "at": "2026-12-03T08:00", "place": "x"},
        headers=staff.headers(Scope.ISSUE),
    ).get_json()
    assert not_asked["mail_queued"] is False
    assert len(convocation_jobs(ready_app)) == 1


def test_the_appointment_and_its_mail_commit_together(
    ready_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mail that cannot be queued leaves no appointment claiming it was asked for; the
    convocation itself, sealed in its own commit first, stays in the register."""
    agent, _ = signed_in(ready_app, Role.OFII_AGENT)
    person_id = with_email(ready_app)

    def broken(*_args: Any, **_kwargs: Any) -> Job:
        raise RuntimeError("the queue's table is unreachable")

    monkeypatch.setattr("verifier.journey_mail.queue_mail", broken)
    failed = schedule(agent, person_id, send_mail="1")
    assert failed.status_code == 500
    assert appointments_of(ready_app, person_id) == []
    assert convocation_jobs(ready_app) == []

    monkeypatch.undo()
    made = schedule(agent, person_id, send_mail="1")
    assert made.status_code == 303
    [appointment] = appointments_of(ready_app, person_id)
    [job] = convocation_jobs(ready_app)
    assert job.payload["appointment"] == appointment.id
