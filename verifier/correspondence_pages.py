"""Correspondence pages of the migrant, a mandated lawyer and the OFII agent, and downloads of
the stored files (registered on the journey blueprint by verifier/journey_pages.py).

Each role reaches the file through its own door, all asking the one access rule: the migrant
their own file only (``/my/...``), a lawyer with a live mandate ("read" to list and download,
"upload" to add), an agent of the office holding the file. A stored file named in a URL is
looked up *through* the person: another person's file id answers 404 like an unknown one.

Nothing here edits or deletes: records are evidence (verifier/correspondence.py). The original
of an upload is given to the migrant and the agent; a lawyer gets the normalised PDF, which is
what goes into a pack and carries no active content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier import db
from verifier.access import active_mandate, actor_label, record_access
from verifier.accounts import require_role
from verifier.blobs import BlobNotFound
from verifier.correspondence import record_correspondence
from verifier.i18n import gettext
from verifier.instance import blob_store
from verifier.journey import JourneyError
from verifier.journey_forms import correspondence_input, path_id
from verifier.journey_views import correspondence_views
from verifier.models import (
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    MandateScope,
    Person,
    Role,
    StoredFile,
    User,
)
from verifier.portal_pages import current_user_or_403, open_file
from verifier.uploads import (
    MAX_FILES,
    UploadRefused,
    download_name,
    refusal_message,
    take_in_uploads,
)

__all__ = ["register"]


@dataclass(frozen=True)
class _Door:
    """How one role reaches a file's correspondence: its add URL and file download links."""

    add_endpoint: str
    file_endpoint: str
    original_endpoint: str | None
    args: dict[str, Any]
    can_add: bool


def _my_person(session: Session, user: User) -> Person:
    if user.person_id is None:
        abort(403)
    return open_file(session, user, user.person_id)


def _open(session: Session, user: User, person_id: int) -> Person:
    return open_file(session, user, path_id(person_id))


def _file_of(session: Session, person: Person, file_id: int) -> StoredFile:
    stored = session.get(StoredFile, path_id(file_id))
    if stored is None or stored.person_id != person.id:
        abort(404)
    return stored


# ----------------------------------------------------------------------------- the page


def _page(
    session: Session,
    user: User,
    person: Person,
    door: _Door,
    *,
    error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    found = session.scalars(
        select(Correspondence)
        .where(Correspondence.person_id == person.id)
        .order_by(Correspondence.on.desc(), Correspondence.id.desc())
    )
    record_access(
        session, user, person, action="correspondence", object_type="person", object_id=person.id
    )
    page = render_template(
        "journey/correspondence.html",
        person=person,
        own=user.person_id == person.id,
        entries=correspondence_views(list(found)),
        door=door,
        directions=list(CorrespondenceDirection),
        channels=list(CorrespondenceChannel),
        max_files=MAX_FILES,
        form=request.form,
        error=error,
        role=user.role,
    )
    session.commit()
    return page, status


def _add(session: Session, user: User, person: Person, door: _Door) -> ResponseReturnValue:
    """All files taken in first; any refusal refuses the form and nothing is stored."""
    try:
        data = correspondence_input(request.form)
        data.check(date.today())
        files = take_in_uploads(request.files.getlist("files"))
        record_correspondence(
            session,
            blob_store(),
            person=person,
            user=user,
            data=data,
            files=files,
            actor=actor_label(user),
        )
    except JourneyError as error:
        session.rollback()
        return _page(session, user, person, door, error=gettext(error.code), status=400)
    except UploadRefused as refused:
        session.rollback()
        message = refusal_message(refused)
        return _page(session, user, person, door, error=message, status=refused.status)
    return redirect(url_for(door.add_endpoint, **door.args, added=1), 303)


def _download(
    session: Session, user: User, person: Person, file_id: int, *, original: bool
) -> ResponseReturnValue:
    stored = _file_of(session, person, file_id)
    try:
        data = blob_store().get(stored.original_sha256 if original else stored.pdf_sha256)
    except BlobNotFound:  # pragma: no cover - the blob is written before its row
        abort(404)
    record_access(
        session, user, person, action="file-download", object_type="file", object_id=stored.id
    )
    session.commit()
    response = make_response(data)
    # The original is served as opaque bytes: never rendered by the browser as what it claims.
    response.headers["Content-Type"] = "application/octet-stream" if original else "application/pdf"
    name = download_name(stored, original=original)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------- migrant


def _migrant_door() -> _Door:
    return _Door(
        "journey.my_correspondence", "journey.my_file_pdf", "journey.my_file_original", {}, True
    )


@require_role(Role.MIGRANT)
def my_correspondence() -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    return _page(session, user, _my_person(session, user), _migrant_door())


@require_role(Role.MIGRANT)
def my_add_correspondence() -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    return _add(session, user, _my_person(session, user), _migrant_door())


@require_role(Role.MIGRANT)
def my_file_pdf(file_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    return _download(session, user, _my_person(session, user), file_id, original=False)


@require_role(Role.MIGRANT)
def my_file_original(file_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    return _download(session, user, _my_person(session, user), file_id, original=True)


# ----------------------------------------------------------------------------- lawyer


def _lawyer_door(session: Session, user: User, person: Person) -> _Door:
    can_add = active_mandate(session, user, person.id, MandateScope.UPLOAD) is not None
    args = {"person_id": person.id}
    return _Door("journey.lawyer_correspondence", "journey.lawyer_file_pdf", None, args, can_add)


@require_role(Role.LAWYER)
def lawyer_correspondence(person_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _page(session, user, person, _lawyer_door(session, user, person))


@require_role(Role.LAWYER)
def lawyer_add_correspondence(person_id: int) -> ResponseReturnValue:
    """A read-only mandate lists but cannot add: 403 (the lawyer knows the file exists)."""
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    door = _lawyer_door(session, user, person)
    if not door.can_add:
        abort(403)
    return _add(session, user, person, door)


@require_role(Role.LAWYER)
def lawyer_file_pdf(person_id: int, file_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _download(session, user, person, file_id, original=False)


# ----------------------------------------------------------------------------- agent


def _agent_door(person: Person) -> _Door:
    args = {"person_id": person.id}
    return _Door(
        "journey.agent_correspondence",
        "journey.agent_file_pdf",
        "journey.agent_file_original",
        args,
        True,
    )


@require_role(Role.OFII_AGENT)
def agent_correspondence(person_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _page(session, user, person, _agent_door(person))


@require_role(Role.OFII_AGENT)
def agent_add_correspondence(person_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _add(session, user, person, _agent_door(person))


@require_role(Role.OFII_AGENT)
def agent_file_pdf(person_id: int, file_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _download(session, user, person, file_id, original=False)


@require_role(Role.OFII_AGENT)
def agent_file_original(person_id: int, file_id: int) -> ResponseReturnValue:
    session, user = db.session(), current_user_or_403()
    person = _open(session, user, person_id)
    return _download(session, user, person, file_id, original=True)


_ROUTES = (
    ("/my/correspondence", my_correspondence, "GET"),
    ("/my/correspondence", my_add_correspondence, "POST"),
    ("/my/files/<int:file_id>/pdf", my_file_pdf, "GET"),
    ("/my/files/<int:file_id>/original", my_file_original, "GET"),
    ("/lawyer/clients/<int:person_id>/correspondence", lawyer_correspondence, "GET"),
    ("/lawyer/clients/<int:person_id>/correspondence", lawyer_add_correspondence, "POST"),
    ("/lawyer/clients/<int:person_id>/files/<int:file_id>/pdf", lawyer_file_pdf, "GET"),
    ("/agent/persons/<int:person_id>/correspondence", agent_correspondence, "GET"),
    ("/agent/persons/<int:person_id>/correspondence", agent_add_correspondence, "POST"),
    ("/agent/persons/<int:person_id>/files/<int:file_id>/pdf", agent_file_pdf, "GET"),
    ("/agent/persons/<int:person_id>/files/<int:file_id>/original", agent_file_original, "GET"),
)


def register(bp: Blueprint) -> None:
    """Add these routes to the journey blueprint (endpoint = the view's name)."""
    for rule, view, method in _ROUTES:
        bp.add_url_rule(rule, view.__name__, view, methods=[method])
