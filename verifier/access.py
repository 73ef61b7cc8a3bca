"""Who may open a person's file, and the record that they did.

One place answers "may this user see person N's file (for this purpose)?", so that every page
and API asks the same question; each answer of "yes" to someone other than the person
themselves leaves a FileAccess row (which the migrant sees in their portal) and an audit entry.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier import audit
from verifier.models import FileAccess, Mandate, MandateScope, Person, Role, User

__all__ = ["active_mandate", "actor_label", "may_open_file", "record_access"]


def actor_label(user: User) -> str:
    return f"user:{user.id}"


def active_mandate(
    session: Session,
    lawyer: User,
    person_id: int,
    scope: MandateScope = MandateScope.READ,
    *,
    today: date | None = None,
) -> Mandate | None:
    """The lawyer's live mandate from this person covering ``scope``, checked at each call:
    a mandate revoked or ended a second ago no longer counts."""
    day = today or date.today()
    for mandate in session.scalars(
        select(Mandate).where(
            Mandate.lawyer_id == lawyer.id,
            Mandate.person_id == person_id,
            Mandate.revoked_at.is_(None),
            Mandate.ends_on >= day,
        )
    ):
        if str(scope) in mandate.scope_set and mandate.active_on(day):
            return mandate
    return None


def may_open_file(
    session: Session, user: User, person: Person, scope: MandateScope = MandateScope.READ
) -> bool:
    """The migrant themselves; a lawyer they mandated (for ``scope``); an OFII agent of the
    office holding the file. Nobody else: not administrators, not prefecture agents (they
    verify documents, they do not browse files)."""
    if user.disabled_at is not None:
        return False
    role = user.role_enum
    if role is Role.MIGRANT:
        return user.person_id == person.id
    if role is Role.LAWYER:
        return active_mandate(session, user, person.id, scope) is not None
    if role is Role.OFII_AGENT:
        return user.office_id is not None and user.office_id == person.office_id
    return False


def record_access(
    session: Session,
    user: User,
    person: Person,
    *,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
) -> None:
    """Record (in the caller's transaction) that ``user`` opened part of ``person``'s file.

    The person's own visits are not recorded: the log is of others looking."""
    if user.person_id == person.id:
        return
    session.add(
        FileAccess(
            person_id=person.id,
            user_id=user.id,
            role=user.role,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
        )
    )
    audit.append(
        session,
        actor=actor_label(user),
        action=f"file.{action}",
        object_type=object_type or "person",
        object_id=object_id or person.id,
        details={"person": person.id},
    )
