"""Outgoing e-mail: a real SMTP server when configured, else an outbox folder.

In development (no SCEAU_SMTP_HOST) every message is written as an .eml file into
``instance/outbox/``, where a developer opens it; nothing leaves the machine. Tests run a real
SMTP exchange against an aiosmtpd server.

:func:`queue_mail` puts a message in the job queue (verifier/jobs.py) in the caller's unit of
work; a worker sends it and retries when the server is away. SMTP gives no way to know whether a
message handed over just before a crash was accepted, so delivery is at least once: the
Message-ID is chosen when the message is queued and kept in the job, so a retry re-sends the
same Message-ID and the recipient's mail system can drop the duplicate (the outbox file of a
retry replaces the first one).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from hashlib import sha256
from typing import Any

from sqlalchemy.orm import Session

from signing.files import write_atomic
from verifier import jobs
from verifier.config import Settings
from verifier.models import Job

__all__ = ["MailError", "queue_mail", "send_job", "send_mail"]


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def _message(
    settings: Settings, to: str, subject: str, body: str, message_id: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="sceau.local")
    message.set_content(body)
    return message


def send_mail(
    settings: Settings, *, to: str, subject: str, body: str, message_id: str | None = None
) -> None:
    message = _message(settings, to, subject, body, message_id)
    if settings.smtp_host is None:
        outbox = settings.instance_path / "outbox"
        outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        # A queued message's retry overwrites its first copy: one file per Message-ID.
        stamp = sha256(message_id.encode()).hexdigest()[:16] if message_id else time.time_ns()
        name = f"{stamp}-{to.replace('@', '_at_')[:60]}.eml"
        write_atomic(outbox / name, bytes(message))
        return
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
            if settings.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot send mail through {settings.smtp_host}: {exc}") from exc


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    kind: str = jobs.MAIL,
    extra: Mapping[str, Any] | None = None,
) -> Job:
    """Queue a message (sent by a worker after the caller commits); its Message-ID is fixed
    now so that every attempt sends the same one.

    ``kind`` names the handler that sends it (verifier/worker.py): :data:`jobs.MAIL` only
    sends; :data:`jobs.CONVOCATION_MAIL` also records on the appointment that it went. Its
    ``extra`` fields are kept in the job beside the message (``send_job`` ignores them).
    """
    return jobs.enqueue(
        session,
        kind,
        payload={
            **(extra or {}),
            "to": to,
            "subject": subject,
            "body": body,
            "message_id": make_msgid(domain="sceau.local"),
        },
    )


def send_job(settings: Settings, payload: dict[str, Any]) -> None:
    """Send a queued message (verifier/worker.py); MailError makes the queue retry it."""
    send_mail(
        settings,
        to=str(payload["to"]),
        subject=str(payload["subject"]),
        body=str(payload["body"]),
        message_id=str(payload["message_id"]),
    )
