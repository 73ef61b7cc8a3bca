"""The lawyer's area: the clients who mandated them, and those clients' certificates.

A lawyer sees only the persons whose mandate to them is live *today*; every page that opens a
client's file asks the one access rule (``may_open_file``) again, so a mandate the migrant
revoked, or one that ended, is refused on the very next request (404, like an unknown id, as
everywhere in the file pages). Every opening is recorded: the migrant sees it in their portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from verifier import db
from verifier.access import active_mandate, record_access
from verifier.accounts import require_role
from verifier.models import Mandate, Role
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

__all__ = ["bp"]

bp = Blueprint("lawyer", __name__)
bp.after_request(no_store)


@dataclass(frozen=True)
class ClientView:
    person_id: int
    name: str
    scopes: str
    ends_on: str


def _client_view(mandate: Mandate) -> ClientView:
    person = mandate.person
    return ClientView(
        person_id=person.id,
        name=f"{person.family_name} {person.given_names}",
        scopes=scope_words(mandate.scope_set),
        ends_on=format_day(mandate.ends_on),
    )


@bp.get("/lawyer")
@require_role(Role.LAWYER)
def clients() -> ResponseReturnValue:
    """The clients with a live mandate; listing the names the mandates carry opens no file,
    so it is not recorded as an access."""
    user = current_user_or_403()
    found = db.session().scalars(
        select(Mandate)
        .where(
            Mandate.lawyer_id == user.id,
            Mandate.revoked_at.is_(None),
            Mandate.ends_on >= date.today(),
        )
        .order_by(Mandate.ends_on, Mandate.id)
    )
    return render_template("lawyer/clients.html", clients=[_client_view(m) for m in found])


@bp.get("/lawyer/clients/<int:person_id>")
@require_role(Role.LAWYER)
def client(person_id: int) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, person_id)
    mandate = active_mandate(session, user, person.id)
    record_access(session, user, person, action="view", object_type="person", object_id=person.id)
    page = render_template(
        "lawyer/client.html",
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
