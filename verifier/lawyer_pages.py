"""The lawyer's area: the clients who mandated them, and those clients' certificates.

A lawyer sees only the persons whose mandate to them is live *today*; every page that opens a
client's file asks the one access rule (``may_open_file``) again, so a mandate the migrant
revoked, or one that ended, is refused on the very next request (404, like an unknown id, as
everywhere in the file pages). Every opening is recorded: the migrant sees it in their portal.

Deadlines in view: an appeal is often due in days or hours, so the client list puts the
clients whose nearest running deadline ends soonest first, and the client page and the pack
builder show that deadline at the top. The deadlines are those of the file's pack builds that
name a procedure and a notification time, recomputed from verifier/deadlines.py (a corrected
row of its table corrects every page at once); one already past is not "running".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier import db
from verifier.access import active_mandate, record_access
from verifier.accounts import require_role
from verifier.deadlines import Deadline
from verifier.i18n import gettext
from verifier.models import Mandate, MandateScope, PackBuild, Role
from verifier.packs import build_deadline
from verifier.portal_pages import (
    certificate_of,
    certificate_views,
    current_user_or_403,
    format_day,
    no_store,
    open_file,
    pdf_response,
    scope_words,
)

__all__ = ["URGENT", "DeadlineBox", "bp", "deadline_box", "remaining_words", "running_deadlines"]

bp = Blueprint("lawyer", __name__)
bp.after_request(no_store)


URGENT = timedelta(hours=48)  # under this, the box says "urgent" (in words, not colour only)


@dataclass(frozen=True)
class DeadlineBox:
    """A running deadline as the pages show it: when (Paris), how long is left in words, and
    the machine-readable instant for ``<time datetime>``."""

    title_fr: str  # the procedure as the court names it (French on every page)
    when: str
    iso: str
    remaining: str
    urgent: bool
    hour_by_hour: bool
    source: str


def remaining_words(left: timedelta) -> str:
    """ "2 d 5 h left", "5 h 20 min left", "12 min left": coarse enough to read at a glance."""
    minutes = max(0, int(left.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return gettext("deadline-remaining-days", days=days, hours=hours)
    if hours:
        return gettext("deadline-remaining-hours", hours=hours, minutes=mins)
    return gettext("deadline-remaining-minutes", minutes=mins)


def deadline_box(found: Deadline, now: datetime | None = None) -> DeadlineBox:
    moment = now or datetime.now(UTC)
    left = found.ends_at - moment
    return DeadlineBox(
        title_fr=found.procedure.title_fr,
        when=found.ends_at.strftime("%d/%m/%Y %H:%M"),
        iso=found.ends_at.isoformat(),
        remaining=remaining_words(left),
        urgent=left < URGENT,
        hour_by_hour=found.procedure.hour_by_hour,
        source=found.procedure.source,
    )


def running_deadlines(
    session: Session, person_ids: Iterable[int], now: datetime | None = None
) -> dict[int, Deadline]:
    """For each person, the deadline ending soonest among those not yet past, from the pack
    builds of their file that name a procedure and a notification time."""
    ids = list(person_ids)
    moment = now or datetime.now(UTC)
    nearest: dict[int, Deadline] = {}
    if not ids:
        return nearest
    builds = session.scalars(
        select(PackBuild).where(
            PackBuild.person_id.in_(ids),
            PackBuild.procedure.is_not(None),
            PackBuild.notified_at.is_not(None),
        )
    )
    for build in builds:
        found = build_deadline(build)
        if found is None or found.ends_at <= moment:
            continue
        known = nearest.get(build.person_id)
        if known is None or found.ends_at < known.ends_at:
            nearest[build.person_id] = found
    return nearest


@dataclass(frozen=True)
class ClientView:
    person_id: int
    name: str
    scopes: str
    ends_on: str
    deadline: DeadlineBox | None = None


def _client_view(mandate: Mandate, found: Deadline | None, now: datetime) -> ClientView:
    person = mandate.person
    return ClientView(
        person_id=person.id,
        name=f"{person.family_name} {person.given_names}",
        scopes=scope_words(mandate.scope_set),
        ends_on=format_day(mandate.ends_on),
        deadline=deadline_box(found, now) if found is not None else None,
    )


@bp.get("/lawyer")
@require_role(Role.LAWYER)
def clients() -> ResponseReturnValue:
    """The clients with a live mandate, the nearest running deadline first; listing the names
    the mandates carry opens no file, so it is not recorded as an access."""
    user = current_user_or_403()
    session = db.session()
    found = session.scalars(
        select(Mandate)
        .where(
            Mandate.lawyer_id == user.id,
            Mandate.revoked_at.is_(None),
            Mandate.ends_on >= date.today(),
        )
        .order_by(Mandate.ends_on, Mandate.id)
    ).all()
    now = datetime.now(UTC)
    deadlines = running_deadlines(session, {m.person_id for m in found}, now)
    views = [_client_view(m, deadlines.get(m.person_id), now) for m in found]
    far = datetime.max.replace(tzinfo=UTC)
    # Soonest deadline first; clients without one keep the mandates' order (sort is stable).
    views.sort(key=lambda v: deadlines[v.person_id].ends_at if v.deadline else far)
    return render_template("lawyer/clients.html", clients=views)


@bp.get("/lawyer/clients/<int:person_id>")
@require_role(Role.LAWYER)
def client(person_id: int) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, person_id)
    mandate = active_mandate(session, user, person.id)
    record_access(session, user, person, action="view", object_type="person", object_id=person.id)
    nearest = running_deadlines(session, [person.id]).get(person.id)
    page = render_template(
        "lawyer/client.html",
        deadline=deadline_box(nearest) if nearest is not None else None,
        may_build=active_mandate(session, user, person.id, MandateScope.BUILD_PACKS) is not None,
        person=person,
        certificates=certificate_views(session, person),
        scopes=scope_words(mandate.scope_set) if mandate else "",
        ends_on=format_day(mandate.ends_on) if mandate else "",
    )
    session.commit()
    return page


@bp.get("/lawyer/clients/<int:person_id>/certificates/<certificate_id>/pdf")
@require_role(Role.LAWYER)
def certificate_pdf(person_id: int, certificate_id: str) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, person_id)
    certificate = certificate_of(session, person, certificate_id)
    response = pdf_response(certificate)
    record_access(
        session,
        user,
        person,
        action="download",
        object_type="certificate",
        object_id=certificate.id,
    )
    session.commit()
    return response
