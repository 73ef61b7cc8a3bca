"""The convocation by e-mail: a short text with the date, the place and the seal's address.

Why text and a link rather than the PDF attached: the sealed PDF is in the person's portal,
and the seal URL lets anyone (the person, a social worker) check the convocation is genuine;
a mail server that refuses or loses the message must not undo the appointment, so a failure
is reported to the agent and recorded, never raised.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from verifier import audit
from verifier.config import Settings
from verifier.db import utcnow
from verifier.journey import PARIS, PURPOSE_FR
from verifier.mail import MailError, send_mail
from verifier.models import Appointment, AppointmentPurpose

__all__ = ["convocation_mail", "mail_convocation"]

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


def mail_convocation(
    session: Session, settings: Settings, appointment: Appointment, *, actor: str
) -> bool:
    """Send the convocation to the person's address; True when handed to the server."""
    address = appointment.person.email
    if not address:
        return False
    subject, body = convocation_mail(appointment)
    try:
        send_mail(settings, to=address, subject=subject, body=body)
    except MailError as error:
        log.warning("convocation of appointment %s not mailed: %s", appointment.id, error)
        audit.append(
            session,
            actor=actor,
            action="appointment.mail-failed",
            object_type="appointment",
            object_id=appointment.id,
            details={"person": appointment.person_id},
        )
        session.commit()
        return False
    appointment.mailed_at = utcnow()
    audit.append(
        session,
        actor=actor,
        action="appointment.mail",
        object_type="appointment",
        object_id=appointment.id,
        details={"person": appointment.person_id},
    )
    session.commit()
    return True
