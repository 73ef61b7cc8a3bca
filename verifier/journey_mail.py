"""The convocation by e-mail: a short text with the date, the place and the seal's address.

Why text and a link rather than the PDF attached: the sealed PDF is in the person's portal,
and the seal URL lets anyone (the person, a social worker) check the convocation is genuine.

The mail goes through the job queue (verifier/jobs.py), like a password-reset mail: the agent's
request only queues it (audit ``appointment.mail-queued``) and never waits for, or depends on,
a mail server. A worker sends it (:func:`send_queued_convocation`), then sets
``appointment.mailed_at`` and audits ``appointment.mail``; a server that refuses is tried again
after the queue's backoff, and when the last attempt fails the queue audits
``appointment.mail-failed`` (``jobs._give_up``). The appointment is never undone by a mail.

The job commits just after the appointment, not with it: ``schedule_appointment`` commits its
own unit of work. A crash in between leaves an appointment without its mail (its list shows it
not mailed), never a mail for an appointment that does not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from verifier import audit, jobs
from verifier.config import Settings
from verifier.db import utcnow
from verifier.journey import PARIS, PURPOSE_FR
from verifier.mail import queue_mail, send_job
from verifier.models import Appointment, AppointmentPurpose
from verifier.worker import PermanentJobError

__all__ = ["convocation_mail", "mail_convocation", "send_queued_convocation"]

log = logging.getLogger(__name__)


def convocation_mail(appointment: Appointment) -> tuple[str, str]:
    """Subject and body (in French, the language of the convocation itself)."""
    when = appointment.at.astimezone(PARIS).strftime("%d/%m/%Y à %H h %M")
    purpose = PURPOSE_FR[AppointmentPurpose(appointment.purpose)]
    seal = appointment.convocation.seal_url if appointment.convocation is not None else ""
    body = "\n".join(
        [
            "Bonjour,",
            "",
            f"Vous êtes convoqué(e) par l'OFII : {purpose}.",
            f"Date et heure : {when} (heure de Paris)",
            f"Lieu : {appointment.place}",
            "",
            "La convocation signée est dans votre espace personnel Sceau.",
            f"Pour vérifier qu'elle est authentique : {seal}",
            "",
            "En cas d'empêchement, prévenez l'OFII avant la date.",
        ]
    )
    return f"Convocation OFII du {when}", body


def mail_convocation(session: Session, appointment: Appointment, *, actor: str) -> bool:
    """Queue the convocation mail to the person's address, in the caller's unit of work (the
    appointment's: both commit or neither); True when queued, False (nothing queued) when the
    person has no address. The caller's commit wakes the in-process worker.

    Subject, body, address and Message-ID are fixed now, when the agent asks, and kept in the
    job: every attempt sends the very message the agent asked for, byte for byte but the Date,
    so that a receiving system which drops a duplicate Message-ID (a retry after a lost answer
    from the server) drops an identical copy, never a different text. The date and place cannot
    change in between (a new date or place is a new appointment); an address the person changes
    afterwards is not followed: the mail goes where it was asked to go.
    """
    address = appointment.person.email
    if not address:
        return False
    subject, body = convocation_mail(appointment)
    job = queue_mail(
        session,
        to=address,
        subject=subject,
        body=body,
        kind=jobs.CONVOCATION_MAIL,
        extra={"appointment": appointment.id, "person": appointment.person_id, "actor": actor},
    )
    audit.append(
        session,
        actor=actor,
        action="appointment.mail-queued",
        object_type="appointment",
        object_id=appointment.id,
        details={
            "person": appointment.person_id,
            "job": job.id,
            "message_id": job.payload["message_id"],
        },
    )
    return True


def send_queued_convocation(session: Session, settings: Settings, payload: dict[str, Any]) -> None:
    """The worker's side (verifier/worker.py): send the queued message, then mark the
    appointment mailed and audit it, committed together.

    A :class:`~verifier.mail.MailError` propagates: the queue tries again after its backoff
    (same Message-ID) and, after the last attempt, records ``appointment.mail-failed``. An
    appointment already marked mailed is not mailed twice: an earlier attempt sent the message
    and recorded it, and only the job's own completion was lost (a worker killed in between).
    """
    appointment = session.get(Appointment, int(payload["appointment"]))
    if appointment is None:
        raise PermanentJobError(f"appointment {payload['appointment']} not found")
    if appointment.mailed_at is not None:
        log.info("convocation of appointment %s already mailed", appointment.id)
        return
    session.commit()  # ends the read: no transaction held open while the mail server talks
    send_job(settings, payload)
    appointment.mailed_at = utcnow()
    audit.append(
        session,
        actor=str(payload.get("actor") or "worker"),
        action="appointment.mail",
        object_type="appointment",
        object_id=appointment.id,
        details={"person": appointment.person_id, "message_id": payload["message_id"]},
    )
    session.commit()
