"""Correspondence in a person's file: letters and e-mails, with their files, as evidence.

Why there is no edit and no delete: a letter's date, channel and acknowledgment of receipt are
what an appeal rests on ("I wrote to the prefecture on ..."), so a record, once added, stays as
it was added; who added it (``added_by_role``) is kept and shown. A wrong entry is answered by
adding a corrected one, never by rewriting history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bundles.intake import IntakeResult
from verifier import audit
from verifier.blobs import BlobStore
from verifier.journey import JourneyError
from verifier.models import (
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    Person,
    User,
)
from verifier.uploads import store_upload

__all__ = ["CorrespondenceInput", "record_correspondence"]

_MAX_PARTY = 200
_MAX_SUBJECT = 300
_MAX_TRACKING = 40


@dataclass(frozen=True, kw_only=True)
class CorrespondenceInput:
    on: date
    direction: CorrespondenceDirection
    sender: str
    recipient: str
    channel: CorrespondenceChannel
    subject: str
    tracking_number: str | None = None
    acknowledged_on: date | None = None

    def check(self, today: date) -> None:
        if self.on > today:
            raise JourneyError("journey-error-future", field="on", detail="a date in the future")
        for name, limit in (("sender", _MAX_PARTY), ("recipient", _MAX_PARTY)):
            value: str = getattr(self, name)
            if not value.strip() or len(value) > limit:
                raise JourneyError(
                    f"journey-error-missing-{name}", field=name, detail=f"1 to {limit} characters"
                )
        if not self.subject.strip() or len(self.subject) > _MAX_SUBJECT:
            raise JourneyError(
                "journey-error-missing-subject", field="subject", detail="1 to 300 characters"
            )
        self._check_registered()

    def _check_registered(self) -> None:
        """Tracking number and acknowledgment belong to registered mail only."""
        registered = self.channel is CorrespondenceChannel.REGISTERED_MAIL
        tracking = (self.tracking_number or "").strip()
        if not registered and (tracking or self.acknowledged_on is not None):
            raise JourneyError(
                "journey-error-not-registered",
                field="tracking_number",
                detail="only registered mail has a tracking number and acknowledgment",
            )
        if len(tracking) > _MAX_TRACKING:
            raise JourneyError(
                "journey-error-too-long", field="tracking_number", detail="at most 40 characters"
            )
        if self.acknowledged_on is not None and self.acknowledged_on < self.on:
            raise JourneyError(
                "journey-error-acknowledged",
                field="acknowledged_on",
                detail="acknowledged before it was sent",
            )


def record_correspondence(
    session: Session,
    blobs: BlobStore,
    *,
    person: Person,
    user: User,
    data: CorrespondenceInput,
    files: Sequence[IntakeResult],
    actor: str,
) -> Correspondence:
    """Add the record and its files (already taken in), audited, and commit."""
    data.check(date.today())
    entry = Correspondence(
        person_id=person.id,
        on=data.on,
        direction=str(data.direction),
        sender=data.sender.strip(),
        recipient=data.recipient.strip(),
        channel=str(data.channel),
        tracking_number=(data.tracking_number or "").strip() or None,
        acknowledged_on=data.acknowledged_on,
        subject=data.subject.strip(),
        added_by_id=user.id,
        added_by_role=user.role,
    )
    session.add(entry)
    session.flush()
    stored = [
        store_upload(session, blobs, person=person, user=user, result=f, correspondence=entry)
        for f in files
    ]
    audit.append(
        session,
        actor=actor,
        action="correspondence.add",
        object_type="correspondence",
        object_id=entry.id,
        details={
            "person": person.id,
            "role": user.role,
            "files": [s.id for s in stored],
            "sha256": [f.original_sha256 for f in files],
        },
    )
    session.commit()
    return entry
