"""The agents' pages: OFII agents open the files their office holds; prefecture agents verify.

An OFII agent searches the persons of *their* office only, and opening a file asks the one
access rule (``may_open_file``: the agent's office must hold the file), so an id of another
office's person answers 404 like an unknown one. Every opening is recorded for the migrant.

A prefecture agent does not browse files: their page only takes a seal URL (from the camera
scanner, a keyboard-wedge reader, or pasted) to the public seal page, where being signed in
adds the certificate's status history (verifier/pages.py).

The creation of persons and their activation letters live in verifier/onboarding_pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select

from signing.errors import ClaimsError, SealFormatError
from signing.seal import normalize_name
from verifier import db
from verifier.access import record_access
from verifier.accounts import require_role
from verifier.i18n import gettext
from verifier.models import Person, Role
from verifier.portal_pages import (
    certificate_of,
    certificate_views,
    current_user_or_403,
    no_store,
    open_file,
    pdf_response,
)
from verifier.security import allow_camera
from verifier.wedge import scanned_seal_path

__all__ = ["bp"]

bp = Blueprint("agent", __name__)
bp.after_request(no_store)

SEARCH_MIN_LENGTH = 2  # no listing of the whole office from an empty or one-letter query
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class PersonLine:
    id: int
    name: str
    birth_date: str


def _search_form(text: str) -> str:
    """The query in the form names are indexed under (upper case, no accents)."""
    try:
        return normalize_name(text)
    except ClaimsError:  # non-Latin letters: no indexed name can match them anyway
        return text.strip().upper()


def _search(office_id: int | None, query: str) -> list[PersonLine]:
    needle = _search_form(query)
    if office_id is None or len(needle) < SEARCH_MIN_LENGTH:
        return []
    found = db.session().scalars(
        select(Person)
        .where(
            Person.office_id == office_id,
            or_(
                Person.family_name_normalized.contains(needle, autoescape=True),
                Person.given_names_normalized.contains(needle, autoescape=True),
            ),
        )
        .order_by(Person.family_name_normalized, Person.given_names_normalized, Person.id)
        .limit(SEARCH_LIMIT)
    )
    return [PersonLine(p.id, f"{p.family_name} {p.given_names}", p.birth_date) for p in found]


@bp.get("/agent")
@require_role(Role.OFII_AGENT)
def search() -> ResponseReturnValue:
    """Names and birth dates of the office's matching persons: a list to pick from, not an
    opening of a file (that is recorded on the person's page)."""
    user = current_user_or_403()
    query = request.args.get("q", "")[:200]
    return render_template(
        "agent/search.html",
        query=query,
        searched=bool(query.strip()),
        persons=_search(user.office_id, query),
        office=user.office,
    )


@bp.get("/agent/persons/<int:person_id>")
@require_role(Role.OFII_AGENT)
def person(person_id: int) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    found = open_file(session, user, person_id)
    record_access(session, user, found, action="view", object_type="person", object_id=found.id)
    page = render_template(
        "agent/person.html", person=found, certificates=certificate_views(session, found)
    )
    session.commit()
    return page


@bp.get("/agent/persons/<int:person_id>/certificates/<certificate_id>/pdf")
@require_role(Role.OFII_AGENT)
def certificate_pdf(person_id: int, certificate_id: str) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    found = open_file(session, user, person_id)
    certificate = certificate_of(session, found, certificate_id)
    response = pdf_response(certificate)
    record_access(
        session,
        user,
        found,
        action="download",
        object_type="certificate",
        object_id=certificate.id,
    )
    session.commit()
    return response


# ----------------------------------------------------------------------------- prefecture


@bp.get("/prefecture")
@allow_camera
@require_role(Role.PREFECTURE_AGENT)
def prefecture() -> ResponseReturnValue:
    return render_template("agent/prefecture.html", error=None, seal="")


@bp.post("/prefecture")
@allow_camera
@require_role(Role.PREFECTURE_AGENT)
def prefecture_check() -> ResponseReturnValue:
    """Take a scanned or pasted seal URL (camera, keyboard-wedge reader, even one typing
    through an AZERTY layout: verifier/wedge.py) to *this* site's seal page: only the payload
    is kept, so a URL naming another host cannot turn this into an open redirect."""
    text = request.form.get("seal", "")
    try:
        return redirect(scanned_seal_path(text), 303)
    except SealFormatError:
        error = gettext("scanner-error-seal")
        page = render_template("agent/prefecture.html", error=error, seal=text.strip()[:2000])
        return page, 400
