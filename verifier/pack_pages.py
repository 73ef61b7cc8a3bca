"""Pages of the evidence packs (issue 7): choose pieces, build in the background, download;
and check a pack anyone holds, on a page or by API.

Two doors to the same builder, each behind the one access rule: the migrant their own file
(no person id in the URL), a lawyer the files of clients whose mandate covers "packs" now
(``open_file(..., MandateScope.BUILD_PACKS)``: any other id answers 404, like an unknown one).
A lawyer sees and downloads only the builds they made; the migrant every build of their file.
A lawyer's opening of the form, each build and each download are recorded (FileAccess + audit).

The build page refreshes itself with ``<meta http-equiv="refresh">`` while the build runs: no
JavaScript (the Content-Security-Policy allows none inline, and none is needed).

The order of the pieces is the pack's numbering (PJ1, PJ2...). The form sends the chosen
``piece`` values and, for each piece, a position ``order-<ref>``: pieces are sorted by
position (then in the order sent), pieces without one come after. Without script the agent
types the numbers; verifier/static/reorder.js turns the chosen pieces into a list reordered by
drag and drop or by Move up / Move down buttons, and writes the positions into the same
fields, so the server has one rule for both. The nearest running appeal deadline of the file
stays in view at the top of the builder (verifier/lawyer_pages.py).

``/packs/verify`` and ``POST /api/v1/packs/verify`` are public and rate-limited like every
anonymous verification. An uploaded archive is hostile until checked: before ``verify_pack``
opens it, :func:`screen_archive` refuses member names that climb out (``../``, absolute,
backslashes, NUL), too many members and declared sizes beyond a bound (``zipfile`` never
reads past a member's declared size, so bounding the declared sizes bounds the work).
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from io import BytesIO
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from bundles.pack import PackError, PackReport, verify_pack
from verifier import db
from verifier.access import record_access
from verifier.accounts import require_role
from verifier.blobs import BlobNotFound
from verifier.config import settings_of
from verifier.deadlines import PARIS, PROCEDURES, Deadline, deadline
from verifier.i18n import translated
from verifier.instance import blob_store, keyring
from verifier.lawyer_pages import DeadlineBox, deadline_box, running_deadlines
from verifier.limits import anonymous_verification
from verifier.models import MandateScope, PackBuild, Person, Role, StoredFile, User
from verifier.packs import (
    MAX_PIECES,
    SLOTS,
    PackInputError,
    PackOrder,
    PieceRef,
    build_deadline,
    check_pieces,
    create_build,
    effective_status,
    pack_trust_roots,
    person_pieces,
    submit_build,
)
from verifier.portal_pages import (
    current_user_or_403,
    format_day,
    format_moment,
    no_store,
    open_file,
)
from verifier.renewal import Checklist, renewal_checklist
from verifier.uploads import UploadRefused, refusal_message, store_upload, take_in_uploads

__all__ = [
    "MAX_MEMBERS",
    "MAX_POSITION",
    "ArchiveRefused",
    "bp",
    "bp_api",
    "ordered_pieces",
    "report_json",
    "screen_archive",
]

log = logging.getLogger(__name__)

bp = Blueprint("packs", __name__)
bp.after_request(no_store)
bp_api = Blueprint("packs_api", __name__, url_prefix="/api/v1")

MAX_MEMBERS = 5000
_REFRESH_SECONDS = 2
MAX_POSITION = 10_000


# ----------------------------------------------------------------------------- doors


@dataclass(frozen=True)
class Door:
    """Which side of the builder a page is on: the endpoints and their URL arguments."""

    own: bool
    person: Person
    user: User

    @property
    def args(self) -> dict[str, Any]:
        return {} if self.own else {"person_id": self.person.id}

    def url(self, name: str, **more: Any) -> str:
        prefix = "packs.mine" if self.own else "packs.client"
        return url_for(f"{prefix}{name}", **self.args, **more)

    @property
    def back(self) -> str:
        return url_for("portal.home") if self.own else url_for("lawyer.client", **self.args)


def _my_door(session: Session) -> Door:
    user = current_user_or_403()
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        abort(403)
    return Door(True, open_file(session, user, person.id), user)


def _client_door(session: Session, person_id: int) -> Door:
    user = current_user_or_403()
    return Door(False, open_file(session, user, person_id, MandateScope.BUILD_PACKS), user)


def _build_of(session: Session, door: Door, build_id: int) -> PackBuild:
    """The build ``build_id`` of this file (and, for a lawyer, of their own making), or 404."""
    build = session.get(PackBuild, build_id)
    if build is None or build.person_id != door.person.id:
        abort(404)
    if not door.own and build.created_by_id != door.user.id:
        abort(404)
    return build


def _builds(session: Session, door: Door) -> list[PackBuild]:
    query = select(PackBuild).where(PackBuild.person_id == door.person.id)
    if not door.own:
        query = query.where(PackBuild.created_by_id == door.user.id)
    return list(session.scalars(query.order_by(PackBuild.id.desc()).limit(20)))


# ----------------------------------------------------------------------------- views


@dataclass(frozen=True)
class DeadlineView:
    when: str
    source: str
    moved_day: str  # "" unless a weekend or holiday moved it
    hour_by_hour: bool
    title: str
    iso: str

    @classmethod
    def of(cls, found: Deadline) -> DeadlineView:
        return cls(
            when=found.ends_at.strftime("%d/%m/%Y %H:%M"),
            source=found.procedure.source,
            moved_day=format_day(found.unmoved_end) if found.moved else "",
            hour_by_hour=found.procedure.hour_by_hour,
            title=found.procedure.title_fr,
            iso=found.ends_at.isoformat(),
        )


@dataclass(frozen=True)
class BuildView:
    id: int
    purpose: str
    status: str
    status_words: str
    done: int
    total: int
    created: str
    url: str
    download_url: str


def _build_view(door: Door, build: PackBuild) -> BuildView:
    status = effective_status(build)
    return BuildView(
        id=build.id,
        purpose=translated(f"packs-purpose-{build.purpose}"),
        status=status,
        status_words=translated(f"packs-status-{status}"),
        done=build.done,
        total=build.total,
        created=format_moment(build.created_at),
        url=door.url("_build", build_id=build.id),
        download_url=door.url("_download", build_id=build.id) if status == "done" else "",
    )


def _checklist_view(checklist: Checklist) -> list[dict[str, str]]:
    return [
        {
            "key": line.key,
            "status": line.status,
            "status_words": translated(f"renewal-status-{line.status}"),
            "text": line.text(),
            "source": line.source,
        }
        for line in checklist.lines
    ]


def ordered_pieces(pieces: Sequence[str], positions: Mapping[str, str]) -> list[str]:
    """The chosen pieces in the pack's order: by their position field (1 to MAX_POSITION),
    ties and pieces without a position in the order sent; a piece named twice counts once.
    A position that is not a whole number in range is refused (PackInputError)."""
    keyed: list[tuple[tuple[int, int, int], str]] = []
    for index, ref in enumerate(dict.fromkeys(p.strip() for p in pieces if p.strip())):
        text = positions.get(ref, "").strip()
        if not text:
            keyed.append(((1, 0, index), ref))
            continue
        if not (text.isdigit() and len(text) <= 5 and 1 <= int(text) <= MAX_POSITION):
            raise PackInputError("packs-error-order")
        keyed.append(((0, int(text), index), ref))
    return [ref for _, ref in sorted(keyed)]


def _positions(refs: Sequence[str], chosen_order: Sequence[str]) -> dict[str, int]:
    """Where each piece stands: the chosen ones first, in their order, then the others."""
    rest = [ref for ref in refs if ref not in set(chosen_order)]
    return {ref: index for index, ref in enumerate([*chosen_order, *rest], start=1)}


def _form_page(
    session: Session,
    door: Door,
    *,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    found: Deadline | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    certificates, files = person_pieces(session, door.person)
    checklist = renewal_checklist(session, door.person)
    refs = [f"certificate:{c.id}" for c in certificates] + [f"file:{f.id}" for f in files]
    sent = (form or {}).get("piece", [])
    try:
        chosen_order = ordered_pieces(sent, (form or {}).get("order", {}))
    except PackInputError:  # the page says so; the pieces keep the order they were sent in
        chosen_order = list(dict.fromkeys(sent))
    if not chosen_order:
        evidence = set(checklist.evidence)
        chosen_order = [ref for ref in refs if ref in evidence]
    chosen = set(chosen_order)
    nearest = running_deadlines(session, [door.person.id]).get(door.person.id)
    box: DeadlineBox | None = None
    if found is not None:
        box = deadline_box(found)
    elif nearest is not None:
        box = deadline_box(nearest)
    page = render_template(
        "packs/form.html",
        t=translated,
        door=door,
        person=door.person,
        certificates=certificates,
        files=files,
        chosen=chosen,
        positions=_positions(refs, [ref for ref in chosen_order if ref in set(refs)]),
        deadline_box=box,
        checklist=_checklist_view(checklist),
        procedures=list(PROCEDURES.values()),
        slots=SLOTS,
        builds=[_build_view(door, b) for b in _builds(session, door)],
        form=form or {},
        error=error,
        deadline=DeadlineView.of(found) if found is not None else None,
        format_day=format_day,
    )
    return make_response(page, status)


def _read_form() -> dict[str, Any]:
    return {
        "purpose": request.form.get("purpose", ""),
        "piece": request.form.getlist("piece")[: MAX_PIECES + 1],
        "order": {
            key.removeprefix("order-"): value[:10]
            for key, value in request.form.items()
            if key.startswith("order-") and len(key) <= 60
        },
        "addressee": " ".join(request.form.get("addressee", "").split()),
        "procedure": request.form.get("procedure", ""),
        "notified_at": request.form.get("notified_at", "").strip(),
        "action": request.form.get("action", "build"),
    }


def _notified_at(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PackInputError("packs-error-notified-at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    if not 1990 <= moment.year <= 2100:
        raise PackInputError("packs-error-notified-at")
    return moment


def _slot_uploads() -> list[tuple[str, FileStorage]]:
    chosen = []
    for slot in SLOTS:
        upload = request.files.get(slot.replace("-", "_"))
        if upload is not None and upload.filename:
            chosen.append((slot, upload))
    return chosen


def _post(session: Session, door: Door) -> ResponseReturnValue:
    form = _read_form()
    try:
        purpose = form["purpose"]
        procedure = (form["procedure"] or None) if purpose == "appeal" else None
        notified = _notified_at(form["notified_at"]) if purpose == "appeal" else None
        if procedure is not None and procedure not in PROCEDURES:
            raise PackInputError("packs-error-procedure")
        found = deadline(procedure, notified) if procedure and notified else None
        if form["action"] == "preview":
            return _form_page(session, door, form=form, found=found)
        pieces = tuple(
            PieceRef.parse(text) for text in ordered_pieces(form["piece"], form["order"])
        )
        uploads = _slot_uploads() if purpose == "appeal" else []
        # Everything is checked before anything is stored: the order's fields (slots named,
        # their files not stored yet), the pieces against this file, then every upload.
        draft = PackOrder(
            purpose,
            pieces,
            form["addressee"],
            procedure,
            notified,
            tuple((slot, 0) for slot, _ in uploads),
        )
        check_pieces(session, door.person, pieces)
        results = take_in_uploads([upload for _, upload in uploads])
        slots = []
        for (slot, _), result in zip(uploads, results, strict=True):
            stored: StoredFile = store_upload(
                session, blob_store(), person=door.person, user=door.user, result=result
            )
            slots.append((slot, stored.id))
        order = replace(draft, slots=tuple(slots))
        build = create_build(session, door.person, door.user, order)
    except PackInputError as exc:
        session.rollback()
        return _form_page(session, door, form=form, error=translated(exc.code), status=400)
    except UploadRefused as refused:
        session.rollback()
        return _form_page(
            session, door, form=form, error=refusal_message(refused), status=refused.status
        )
    record_access(
        session, door.user, door.person, action="build", object_type="pack", object_id=build.id
    )
    session.commit()
    submit_build(build.id)
    return redirect(door.url("_build", build_id=build.id), 303)


def _build_page(session: Session, door: Door, build_id: int) -> ResponseReturnValue:
    build = _build_of(session, door, build_id)
    view = _build_view(door, build)
    found = build_deadline(build)
    missing = [translated(f"slot-{slot}") for slot in build.missing.split()]
    checklist = (
        _checklist_view(renewal_checklist(session, door.person))
        if build.purpose == "renewal"
        else []
    )
    return render_template(
        "packs/build.html",
        t=translated,
        door=door,
        person=door.person,
        build=view,
        error=build.error if view.status == "failed" else "",
        refresh=_REFRESH_SECONDS if view.status in ("queued", "running") else None,
        deadline=DeadlineView.of(found) if found is not None else None,
        missing=missing,
        checklist=checklist,
    )


def _download(session: Session, door: Door, build_id: int) -> ResponseReturnValue:
    build = _build_of(session, door, build_id)
    if effective_status(build) != "done" or build.zip_sha256 is None:
        abort(404)
    try:
        data = blob_store().get(build.zip_sha256)
    except BlobNotFound:
        abort(404)
    record_access(
        session, door.user, door.person, action="download", object_type="pack", object_id=build.id
    )
    session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    name = f"sceau-{build.purpose}-{build.person_id}-{build.id}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------- migrant


@bp.route("/my/packs", methods=["GET", "POST"])
@require_role(Role.MIGRANT)
def mine() -> ResponseReturnValue:
    session = db.session()
    door = _my_door(session)
    if request.method == "POST":
        return _post(session, door)
    return _form_page(session, door)


@bp.get("/my/packs/<int:build_id>")
@require_role(Role.MIGRANT)
def mine_build(build_id: int) -> ResponseReturnValue:
    session = db.session()
    return _build_page(session, _my_door(session), build_id)


@bp.get("/my/packs/<int:build_id>/download")
@require_role(Role.MIGRANT)
def mine_download(build_id: int) -> ResponseReturnValue:
    session = db.session()
    return _download(session, _my_door(session), build_id)


# ----------------------------------------------------------------------------- lawyer


@bp.route("/lawyer/clients/<int:person_id>/packs", methods=["GET", "POST"])
@require_role(Role.LAWYER)
def client(person_id: int) -> ResponseReturnValue:
    session = db.session()
    door = _client_door(session, person_id)
    if request.method == "POST":
        return _post(session, door)
    record_access(
        session, door.user, door.person, action="view", object_type="packs", object_id=person_id
    )
    page = _form_page(session, door)
    session.commit()
    return page


@bp.get("/lawyer/clients/<int:person_id>/packs/<int:build_id>")
@require_role(Role.LAWYER)
def client_build(person_id: int, build_id: int) -> ResponseReturnValue:
    session = db.session()
    return _build_page(session, _client_door(session, person_id), build_id)


@bp.get("/lawyer/clients/<int:person_id>/packs/<int:build_id>/download")
@require_role(Role.LAWYER)
def client_download(person_id: int, build_id: int) -> ResponseReturnValue:
    session = db.session()
    return _download(session, _client_door(session, person_id), build_id)


# ----------------------------------------------------------------------------- verification


class ArchiveRefused(ValueError):
    """An upload refused before verify_pack opens it; the message says why (English detail,
    shown inside a translated sentence)."""


def _max_uncompressed() -> int:
    return 4 * settings_of(current_app).max_upload_bytes


def screen_archive(data: bytes, *, max_total: int, max_members: int = MAX_MEMBERS) -> None:
    """Refuse a ZIP that a check should not even open; a PDF (or anything else) passes on
    to verify_pack, which says whether it is a pack at all."""
    if not data.startswith(b"PK"):
        return
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # verify_pack words "not a ZIP"
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise ArchiveRefused(f"more than {max_members} members")
        total = 0
        for info in members:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if (
                "\\" in name
                or "\x00" in name
                or name.startswith("/")
                or ".." in parts
                or (len(name) > 1 and name[1] == ":")
            ):
                raise ArchiveRefused(f"a member name leaves the archive: {name[:80]!r}")
            total += info.file_size
            if total > max_total:
                raise ArchiveRefused(f"declared content larger than {max_total // 2**20} MiB")


class _Refusal(Exception):
    def __init__(self, status: int, code: str, **params: str) -> None:
        super().__init__(code)
        self.status, self.code, self.params = status, code, params


def _check_upload() -> PackReport:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise _Refusal(400, "packs-verify-no-file")
    data = upload.read()
    if not data:
        raise _Refusal(400, "packs-verify-no-file")
    try:
        screen_archive(data, max_total=_max_uncompressed())
    except ArchiveRefused as exc:
        raise _Refusal(400, "packs-verify-hostile", detail=str(exc)) from None
    roots = pack_trust_roots(keyring())
    try:
        return verify_pack(data, trust_roots=roots)
    except PackError as exc:
        raise _Refusal(400, "packs-verify-unreadable", detail=str(exc)[:300]) from None
    except Exception as exc:  # hostile input that a parser below did not expect: a 400
        log.warning("pack verification could not read an upload: %r", exc)
        raise _Refusal(400, "packs-verify-unreadable", detail=type(exc).__name__) from None


@bp.get("/packs/verify")
def verify_form() -> ResponseReturnValue:
    return render_template("packs/verify.html", t=translated, report=None, error=None)


@bp.post("/packs/verify")
@anonymous_verification
def verify_upload() -> ResponseReturnValue:
    try:
        report = _check_upload()
    except _Refusal as refusal:
        page = render_template(
            "packs/verify.html",
            t=translated,
            report=None,
            error=translated(refusal.code, **refusal.params),
        )
        return make_response(page, refusal.status)
    return render_template("packs/verify.html", t=translated, report=report, error=None)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def report_json(report: PackReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "kind": report.kind,
        "timestamp_ok": report.timestamp_ok,
        "timestamp_trusted": report.timestamp_trusted,
        "timestamped_at": _moment(report.timestamped_at),
        "changed": list(report.changed),
        "problems": list(report.problems),
        "files": [{"name": f.name, "status": f.status, "detail": f.detail} for f in report.files],
        "signatures": [
            {
                "name": s.name,
                "ok": s.ok,
                "intact": s.intact,
                "valid": s.valid,
                "trusted": s.trusted,
                "timestamped": s.timestamped,
                "signer": s.signer,
                "signed_at": _moment(s.signed_at),
                "detail": s.detail,
            }
            for s in report.signatures
        ],
    }


@bp_api.post("/packs/verify")
@anonymous_verification
def verify_api() -> ResponseReturnValue:
    try:
        report = _check_upload()
    except _Refusal as refusal:
        body = {"error": refusal.code, "message": translated(refusal.code, **refusal.params)}
        response: Response = jsonify(body)
        response.status_code = refusal.status
        return response
    return jsonify(report_json(report))
