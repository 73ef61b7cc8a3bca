"""Uploaded files: through the intake, then into the blob store and the stored_files table.

Why in this order: an upload is hostile until ``take_in`` has returned, so a form's files are
ALL taken in before anything is written; one refusal refuses the whole form and nothing is
stored (no blob, no row). Accepted files are written blob first (the original and the
normalised PDF), row second, as everywhere in Sceau: a crash leaves an orphan blob for
``sceau gc``, never a row naming a missing file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from bundles.errors import IntakeError
from bundles.intake import IntakeLimits, IntakeResult, take_in
from verifier.blobs import BlobStore
from verifier.errors import ApiError
from verifier.i18n import gettext
from verifier.models import Correspondence, Person, StoredFile, User

__all__ = [
    "MAX_FILES",
    "UploadRefused",
    "api_error",
    "download_name",
    "refusal_message",
    "removed_codes",
    "store_upload",
    "take_in_upload",
    "take_in_uploads",
]

MAX_FILES = 5  # per form: one letter and its enclosures
_MAX_TITLE = 200
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_SPACES = re.compile(r"\s+")


class UploadRefused(Exception):
    """A file of the form was refused: its name as sent, the intake's code, the HTTP status."""

    def __init__(self, filename: str, code: str, status: int) -> None:
        super().__init__(f"{filename}: {code}")
        self.filename = filename
        self.code = code
        self.status = status


def _status(code: str) -> int:
    return 413 if code == "too-large" else 400


def _shown_name(upload: FileStorage) -> str:
    """The name as the browser sent it, for the message only (never a path)."""
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:_MAX_TITLE] or "?"


def take_in_upload(upload: FileStorage, *, limits: IntakeLimits | None = None) -> IntakeResult:
    """The intake's result for one uploaded file, or :class:`UploadRefused`."""
    name = _shown_name(upload)
    data = upload.read()
    try:
        return take_in(data, filename=upload.filename or "", limits=limits or IntakeLimits())
    except IntakeError as error:
        raise UploadRefused(name, error.code, _status(error.code)) from None


def take_in_uploads(
    uploads: Sequence[FileStorage], *, limits: IntakeLimits | None = None
) -> list[IntakeResult]:
    """Every file of a form taken in, or UploadRefused for the first refused one (before
    anything is stored). Empty file inputs (no file chosen) are skipped."""
    chosen = [u for u in uploads if u.filename]
    if len(chosen) > MAX_FILES:
        raise UploadRefused(_shown_name(chosen[MAX_FILES]), "too-many-files", 400)
    return [take_in_upload(upload, limits=limits) for upload in chosen]


def refusal_message(refused: UploadRefused) -> str:
    """ "<file name>: <reason>" in the visitor's language."""
    return gettext(
        "intake-refused", name=refused.filename, reason=gettext(f"intake-{refused.code}")
    )


def api_error(refused: UploadRefused) -> ApiError:
    """The same refusal for API clients: 400 (413 too large), the code ``intake-<code>``."""
    return ApiError(refused.status, f"intake-{refused.code}", field="files", name=refused.filename)


def removed_codes(result: IntakeResult) -> str:
    """What the intake stripped, space-separated (each code kept free of spaces)."""
    return " ".join(_SPACES.sub("_", code) for code in result.removed)


def store_upload(
    session: Session,
    blobs: BlobStore,
    *,
    person: Person,
    user: User | None,
    result: IntakeResult,
    correspondence: Correspondence | None = None,
    parent: StoredFile | None = None,
) -> StoredFile:
    """Write the original and the PDF, then add the row (and a child row per attachment of
    an e-mail, with ``parent_id``). Flushed, not committed: the caller's unit of work."""
    blobs.put(result.original)
    blobs.put(result.pdf)
    stored = StoredFile(
        person_id=person.id,
        correspondence_id=correspondence.id if correspondence is not None else None,
        parent_id=parent.id if parent is not None else None,
        kind=result.kind[:10],
        title=(result.title or "document")[:_MAX_TITLE],
        original_sha256=result.original_sha256,
        pdf_sha256=result.pdf_sha256,
        pages=result.pages,
        size=len(result.original),
        removed=removed_codes(result),
        uploaded_by_id=user.id if user is not None else None,
    )
    session.add(stored)
    session.flush()
    for attachment in result.attachments:
        store_upload(
            session,
            blobs,
            person=person,
            user=user,
            result=attachment,
            correspondence=correspondence,
            parent=stored,
        )
    return stored


_EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "heic": "heic", "eml": "eml"}


def download_name(stored: StoredFile, *, original: bool) -> str:
    """A file name safe in a Content-Disposition header: ASCII letters, digits, ``._-``."""
    stem = _UNSAFE_NAME.sub("-", stored.title).strip("-.")[:80] or "document"
    extension = _EXTENSION.get(stored.kind, "bin") if original else "pdf"
    return f"{stored.id}-{stem}.{extension}"
