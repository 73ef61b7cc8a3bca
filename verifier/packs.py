"""Evidence packs, the service side: from a person's file to a PackRequest, built in the
background, the ZIP kept in the blob store.

Why a background worker: a pack of forty scanned pieces takes longer than a browser waits for
one request. The page creates a ``PackBuild`` row (queued) and, in the same commit, its job in
the queue (verifier/jobs.py), then redirects to the build page, which refreshes itself while
the row says queued or running. A worker (`sceau worker`, or the web process's own in
development: verifier/worker.py) runs the build in its own application context, hence its own
database session, and commits its progress (``done``/``total`` as ``build_pack`` reports them)
so that the page can read it. The ZIP is written to the blob store BEFORE the row says done (a
crash leaves an orphan blob for `sceau gc`, never a "done" without its file);
``PackBuild.zip_sha256`` is the column `sceau gc` must keep.

A worker that dies mid-build leaves its job leased: when the lease runs out another worker
builds it again, and a build not finished after :data:`STALE_AFTER` is shown as failed
("interrupted"), so nobody waits for it forever.

The appeal slots (the contested decision and its notification proof, CJA R.412-1) are required
but not blocking: without them the pack still builds, and its cover, like the page, says what
is missing. A lawyer under a 48-hour deadline files what they have and completes later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bundles.certificate import WORDING
from bundles.pack import PackError, PackRequest, Piece, build_pack
from signing.seal import CertificateType
from signing.timestamps import TimestampClient
from verifier import db, jobs, metrics
from verifier.blobs import BlobNotFound, BlobStore
from verifier.db import utcnow
from verifier.deadlines import PROCEDURES, Deadline, deadline
from verifier.faults import pause_point
from verifier.i18n import translated
from verifier.keyring import Keyring
from verifier.models import (
    Certificate,
    Job,
    JobState,
    PackBuild,
    PackBuildStatus,
    Person,
    StoredFile,
    User,
)
from verifier.renewal import renewal_checklist
from verifier.timeline import build_timeline, render_pdf
from verifier.worker import kick, wait_for_jobs

__all__ = [
    "MAX_PIECES",
    "PURPOSES",
    "SLOTS",
    "STALE_AFTER",
    "PackInputError",
    "PackOrder",
    "PackTimestamps",
    "PieceRef",
    "assemble_request",
    "build_deadline",
    "check_order",
    "check_pieces",
    "create_build",
    "effective_status",
    "missing_slots",
    "pack_trust_roots",
    "person_pieces",
    "resume_builds",
    "run_build",
    "submit_build",
    "wait_for_builds",
]

log = logging.getLogger(__name__)

PURPOSES = ("appeal", "renewal")
SLOTS = ("contested-decision", "notification-proof")
SLOT_LABELS = {
    "contested-decision": "Décision attaquée",
    "notification-proof": "Preuve de la date de notification",
}
MAX_PIECES = 200
MAX_ADDRESSEE = 200
STALE_AFTER = timedelta(minutes=30)


class PackInputError(ValueError):
    """The order cannot be accepted: ``code`` is a key of verifier/pack_messages.py."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PieceRef:
    """A piece of the file: ``certificate:<hex id>`` or ``file:<stored file id>``."""

    kind: str
    id: str

    @classmethod
    def parse(cls, text: str) -> PieceRef:
        kind, _, ident = text.strip().partition(":")
        if kind == "certificate" and len(ident) == 24 and ident.isalnum():
            return cls(kind, ident.lower())
        if kind == "file" and ident.isdigit() and 0 < len(ident) <= 9:
            return cls(kind, str(int(ident)))
        raise PackInputError("packs-error-piece")

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PackOrder:
    """What the person asked for, checked: a build row is made from it."""

    purpose: str
    pieces: tuple[PieceRef, ...]
    addressee: str = ""
    procedure: str | None = None
    notified_at: datetime | None = None
    slots: tuple[tuple[str, int], ...] = ()  # (slot, stored file id) of the appeal slots

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise PackInputError("packs-error-purpose")
        if self.procedure is not None and self.procedure not in PROCEDURES:
            raise PackInputError("packs-error-procedure")
        if len(self.addressee) > MAX_ADDRESSEE:
            raise PackInputError("packs-error-addressee")
        if len(self.pieces) > MAX_PIECES:
            raise PackInputError("packs-error-piece")
        if not self.pieces and not self.slots:
            raise PackInputError("packs-error-empty")


# ----------------------------------------------------------------------------- the file


def person_pieces(session: Session, person: Person) -> tuple[list[Certificate], list[StoredFile]]:
    """What can go into a pack: the person's certificates (all, revoked included: an appeal
    may rest on one) and stored files, oldest first."""
    certificates = session.scalars(
        select(Certificate)
        .where(Certificate.person_id == person.id)
        .order_by(Certificate.issued_at, Certificate.id)
    ).all()
    files = session.scalars(
        select(StoredFile).where(StoredFile.person_id == person.id).order_by(StoredFile.id)
    ).all()
    return list(certificates), list(files)


def _certificate_of(session: Session, person: Person, ident: str) -> Certificate:
    found = session.get(Certificate, ident)
    if found is None or found.person_id != person.id:
        raise PackInputError("packs-error-piece")
    return found


def _file_of(session: Session, person: Person, ident: int) -> StoredFile:
    found = session.get(StoredFile, ident)
    if found is None or found.person_id != person.id:
        raise PackInputError("packs-error-piece")
    return found


def check_pieces(session: Session, person: Person, pieces: Sequence[PieceRef]) -> None:
    """Every piece named belongs to this person's file (an id from another file is refused
    exactly like one that does not exist)."""
    for ref in pieces:
        if ref.kind == "certificate":
            _certificate_of(session, person, ref.id)
        else:
            _file_of(session, person, int(ref.id))


def check_order(session: Session, person: Person, order: PackOrder) -> None:
    check_pieces(session, person, order.pieces)
    for _, ident in order.slots:
        _file_of(session, person, ident)


def _certificate_piece(certificate: Certificate, blobs: BlobStore) -> Piece:
    try:
        kind = CertificateType(certificate.type)
        title = WORDING[kind].title_fr
    except (ValueError, KeyError):
        title = f"Attestation OFII ({certificate.type})"
    return Piece(
        label=title,
        pdf=blobs.get(certificate.pdf_sha256),
        original_sha256=certificate.pdf_sha256,
        original_name=f"attestation-{certificate.id}.pdf",
        date=certificate.issued_on,
        origin=f"OFII {certificate.office.code}" if certificate.office else "OFII",
    )


def _file_piece(stored: StoredFile, blobs: BlobStore, label: str | None = None) -> Piece:
    letter = stored.correspondence
    return Piece(
        label=label or stored.title,
        pdf=blobs.get(stored.pdf_sha256),
        original_sha256=stored.original_sha256,
        original_name=stored.title,
        date=letter.on if letter is not None else stored.created_at.date(),
        origin=letter.sender if letter is not None else "",
    )


def missing_slots(purpose: str, slots: Sequence[str]) -> tuple[str, ...]:
    """The appeal slots not filled, in their order (a renewal has none)."""
    if purpose != "appeal":
        return ()
    return tuple(slot for slot in SLOTS if slot not in slots)


def build_deadline(build: PackBuild) -> Deadline | None:
    if build.procedure is None or build.notified_at is None:
        return None
    return deadline(build.procedure, build.notified_at)


def _tokens(build: PackBuild) -> list[tuple[str, str]]:
    return [tuple(t.split(":", 1)) for t in build.pieces.split() if ":" in t]  # type: ignore[misc]


def assemble_request(
    session: Session,
    blobs: BlobStore,
    build: PackBuild,
    *,
    built_at: datetime | None = None,
) -> PackRequest:
    """The PackRequest of a build row: slots first (PJ1 the contested decision, PJ2 its
    notification), then the chosen pieces in the order chosen, the chronology, and the
    cover's lines (what is missing and the deadline with its source; or the checklist)."""
    person = build.person
    pieces: list[Piece] = []
    seen: set[str] = set()
    tokens = _tokens(build)
    for slot in SLOTS:
        for kind, ident in tokens:
            if kind == slot:
                stored = _file_of(session, person, int(ident))
                pieces.append(_file_piece(stored, blobs, SLOT_LABELS[slot]))
                seen.add(f"file:{stored.id}")
    for kind, ident in tokens:
        token = f"{kind}:{ident}"
        if kind in SLOTS or token in seen:
            continue
        seen.add(token)
        if kind == "certificate":
            pieces.append(_certificate_piece(_certificate_of(session, person, ident), blobs))
        elif kind == "file":
            pieces.append(_file_piece(_file_of(session, person, int(ident)), blobs))
    found = build_deadline(build)
    front: list[str] = []
    if build.purpose == "appeal":
        for slot in build.missing.split():
            name = translated(f"slot-{slot}", lang="fr")
            front.append(translated("slot-missing", lang="fr", slot=name))
        if found is not None:
            front.extend(found.lines_fr())
    else:
        front.extend(renewal_checklist(session, person).front_matter())
    chronology = render_pdf(build_timeline(session, person, language="fr"))
    return PackRequest(
        person_name=f"{person.family_name} {person.given_names}".strip(),
        purpose=build.purpose,
        addressee=build.addressee,
        deadline=found.ends_at if found is not None else None,
        pieces=pieces,
        chronology_pdf=chronology,
        front_matter=tuple(front),
        built_at=built_at,
    )


# ----------------------------------------------------------------------------- keys


class PackTimestamps:
    """The RFC 3161 side a pack needs (``bundles.pack.Timestamper``: the WHOLE TimeStampResp
    for timestamp.tsr, and the chain) from the instance's timestamp client."""

    def __init__(self, client: TimestampClient) -> None:
        self._client = client

    def stamp(self, data: bytes) -> bytes:
        return self._client.stamp_reply(data)

    def chain_pem(self) -> bytes:
        return self._client.chain_pem()


def pack_trust_roots(keys: Keyring) -> list[x509.Certificate]:
    """The roots a pack of this instance chains to: the document signer's, and the embedded
    timestamp authority's (an external TSA's root must be trusted by configuration)."""
    roots = [keys.chain.root, *keys.tsa_roots]
    if keys.authority is not None:
        for certificate in x509.load_pem_x509_certificates(keys.authority.chain_pem()):
            if certificate.subject == certificate.issuer and certificate not in roots:
                roots.append(certificate)
    return roots


# ----------------------------------------------------------------------------- builds


def create_build(
    session: Session, person: Person, user: User | None, order: PackOrder
) -> PackBuild:
    """A queued build row for ``order`` (checked against the file), flushed."""
    check_order(session, person, order)
    found = None
    if order.purpose == "appeal" and order.procedure and order.notified_at is not None:
        found = deadline(order.procedure, order.notified_at)
    tokens = [f"{slot}:{ident}" for slot, ident in order.slots]
    tokens += [str(ref) for ref in order.pieces]
    build = PackBuild(
        person_id=person.id,
        purpose=order.purpose,
        status=PackBuildStatus.QUEUED,
        done=0,
        total=len(tokens) + 4,
        addressee=order.addressee,
        pieces=" ".join(tokens),
        procedure=order.procedure if order.purpose == "appeal" else None,
        notified_at=order.notified_at if order.purpose == "appeal" else None,
        deadline_at=found.ends_at if found is not None else None,
        missing=" ".join(missing_slots(order.purpose, [s for s, _ in order.slots])),
        created_by_id=user.id if user is not None else None,
    )
    session.add(build)
    session.flush()
    jobs.enqueue(session, jobs.PACK_BUILD, pack_build=build)  # committed with the row
    return build


def effective_status(build: PackBuild, now: datetime | None = None) -> str:
    """The row's status, except that an unfinished build older than STALE_AFTER failed."""
    unfinished = build.status in (PackBuildStatus.QUEUED, PackBuildStatus.RUNNING)
    if unfinished and (now or utcnow()) - build.created_at > STALE_AFTER:
        return str(PackBuildStatus.FAILED)
    return build.status


def run_build(
    build_id: int,
    *,
    keys: Keyring,
    blobs: BlobStore,
    progress: Callable[[int, int], None] | None = None,
    retry_errors: bool = False,
) -> PackBuild:
    """Build the pack of row ``build_id`` in the current app context (its own session):
    running -> progress -> ZIP in the blob store -> done; or failed with the reason.

    Safe to run again after a crash (the queue retries a job whose worker died): a build
    already done or failed is left as it is, and the row says done only if no other attempt
    got there first, so a retry leaves one done row and one ZIP it names (an attempt killed
    after writing its ZIP leaves an orphan blob for `sceau gc`). With ``retry_errors`` (the
    worker), an unexpected error is raised for the queue to retry instead of failing the row.
    """
    session = db.session()
    build = session.get(PackBuild, build_id)
    if build is None:
        raise LookupError(f"no pack build {build_id}")
    if build.status in (PackBuildStatus.DONE, PackBuildStatus.FAILED):
        return build  # a retry of finished work: nothing to do
    if effective_status(build) == PackBuildStatus.FAILED:  # nobody waits for it any more
        build.status = PackBuildStatus.FAILED
        build.error = "interrupted"
        build.finished_at = utcnow()
        session.commit()
        return build
    build.status = PackBuildStatus.RUNNING
    build.done = 0
    session.commit()
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        build.done, build.total = done, total
        session.commit()
        if progress is not None:
            progress(done, total)

    try:
        if keys.timestamps is None:
            raise PackError("no timestamp authority is configured")
        request = assemble_request(session, blobs, build)
        data = build_pack(
            request,
            signer=keys.pdf_signer,
            pdf_timestamper=keys.timestamper,
            timestamper=PackTimestamps(keys.timestamps),
            progress=report,
        )
        key = blobs.put(data)  # durable before the row names it
        pause_point("pack-after-blob")  # tests/fault: a crash here leaves an orphan blob
        session.rollback()  # read the row again: has another attempt finished it meanwhile?
        session.execute(
            update(PackBuild)
            .where(PackBuild.id == build_id, PackBuild.status != PackBuildStatus.DONE)
            .values(
                zip_sha256=key,
                status=PackBuildStatus.DONE,
                done=PackBuild.total,
                finished_at=utcnow(),
                error="",
            )
        )
        session.commit()
        session.refresh(build)
        metrics.observe_pack_build(str(build.status), time.monotonic() - started)
        return build
    except (PackError, PackInputError, BlobNotFound) as exc:
        session.rollback()
        build.status = PackBuildStatus.FAILED
        build.error = str(exc)[:2000]
    except Exception as exc:  # a worker must leave the row finished, whatever happened
        session.rollback()
        if retry_errors:
            raise
        log.exception("pack build %s failed", build_id)
        build.status = PackBuildStatus.FAILED
        build.error = f"internal error ({type(exc).__name__})"
    build.finished_at = utcnow()
    session.commit()
    metrics.observe_pack_build(str(build.status), time.monotonic() - started)
    return build


def submit_build(build_id: int, app: Flask | None = None) -> Future[None] | None:
    """Wake the in-process worker for a build whose row (and job, added by
    :func:`create_build`) is committed; a separate `sceau worker` needs no call."""
    application = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return kick(application)


def resume_builds(app: Flask, now: datetime | None = None) -> list[int]:
    """The unfinished builds younger than :data:`STALE_AFTER`, each with a job that will run
    it (one is added for a row from before the queue); the ids.

    A job left leased by a dead worker is taken again when its lease runs out: nothing to do
    for it here. Builds older than :data:`STALE_AFTER` stay failed ("interrupted"): whoever
    asked has been told, and may have built another since.
    """
    with app.app_context():
        session = db.session()
        cutoff = (now or utcnow()) - STALE_AFTER
        builds = session.scalars(
            select(PackBuild)
            .where(
                PackBuild.status.in_([PackBuildStatus.QUEUED, PackBuildStatus.RUNNING]),
                PackBuild.created_at > cutoff,
            )
            .order_by(PackBuild.id)
        ).all()
        for build in builds:
            job = session.scalar(select(Job).where(Job.pack_build_id == build.id))
            if job is None:
                jobs.enqueue(session, jobs.PACK_BUILD, pack_build=build)
            elif job.state in (JobState.DONE, JobState.FAILED):
                job.state, job.attempts, job.run_after = JobState.QUEUED, 0, utcnow()
        session.commit()
        ids = [build.id for build in builds]
    kick(app)
    return ids


def wait_for_builds(app: Flask, timeout: float | None = None) -> None:
    """Wait for the builds in flight in this process (tests, and a clean shutdown)."""
    wait_for_jobs(app, timeout=timeout)
