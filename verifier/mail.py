"""Outgoing e-mail: a real SMTP server when configured, else an outbox folder.

In development (no SCEAU_SMTP_HOST) every message is written as an .eml file into
``instance/outbox/``, where a developer opens it; nothing leaves the machine. Tests run a real
SMTP exchange against an aiosmtpd server.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from signing.files import write_atomic
from verifier.config import Settings

__all__ = ["MailError", "send_mail"]


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def _message(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="sceau.local")
    message.set_content(body)
    return message


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    message = _message(settings, to, subject, body)
    if settings.smtp_host is None:
        outbox = settings.instance_path / "outbox"
        outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"{time.time_ns()}-{to.replace('@', '_at_')[:60]}.eml"
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
