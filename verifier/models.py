"""Database rows.

Personal data lives in `persons` only; certificates keep the claims a seal carries plus the
type's own fields. The foreigner number (AGDREF) is stored for the office's own use and never
leaves this table: not in a seal, a URL, a log line or an API answer.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from verifier.db import Base, utcnow

__all__ = [
    "ApiToken",
    "Appointment",
    "AppointmentPurpose",
    "AppointmentStatus",
    "Attendance",
    "AuditEntry",
    "AuditHead",
    "Certificate",
    "CertificateStatus",
    "Correspondence",
    "CorrespondenceChannel",
    "CorrespondenceDirection",
    "FileAccess",
    "IdempotencyRecord",
    "Job",
    "JobState",
    "LogHead",
    "LogLeaf",
    "LogNode",
    "LogState",
    "Mandate",
    "MandateScope",
    "Office",
    "OneTimeCode",
    "PackBuild",
    "PackBuildStatus",
    "Person",
    "Revocation",
    "RevocationReason",
    "Role",
    "SignInFailure",
    "StoredFile",
    "Training",
    "TrainingDay",
    "TrainingKind",
    "User",
    "VerificationChannel",
    "VerificationEvent",
]


class CertificateStatus(enum.StrEnum):
    """Stored status; "expired" is derived from valid_until when read, never stored."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class RevocationReason(enum.StrEnum):
    ISSUED_IN_ERROR = "issued-in-error"
    DATA_CORRECTED = "data-corrected"
    FRAUD = "fraud"
    WITHDRAWN = "withdrawn"  # the underlying decision was withdrawn (e.g. contract terminated)
    OTHER = "other"


class VerificationChannel(enum.StrEnum):
    SCAN = "scan"
    UPLOAD = "upload"
    API = "api"


class Role(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    OFII_AGENT = "ofii-agent"  # scoped to an office
    PREFECTURE_AGENT = "prefecture-agent"  # scoped to a prefecture
    LAWYER = "lawyer"  # with bar membership; sees only clients who mandated them
    MIGRANT = "migrant"  # linked to one person record

    @property
    def is_staff(self) -> bool:
        """Staff must use a second factor (TOTP)."""
        return self in (Role.ADMINISTRATOR, Role.OFII_AGENT, Role.PREFECTURE_AGENT)


class MandateScope(enum.StrEnum):
    READ = "read"
    BUILD_PACKS = "packs"
    UPLOAD = "upload"


class Office(Base):
    """An OFII territorial directorate; its code is printed in every seal it issues."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200))  # as written
    given_names: Mapped[str] = mapped_column(String(200))
    family_name_normalized: Mapped[str] = mapped_column(String(64), index=True)  # seal form
    given_names_normalized: Mapped[str] = mapped_column(String(64))
    birth_date: Mapped[str] = mapped_column(String(10))  # ISO, reduced precision allowed
    nationality: Mapped[str | None] = mapped_column(String(3))
    foreigner_number: Mapped[str | None] = mapped_column(String(20))  # sensitive
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_language: Mapped[str] = mapped_column(String(5), default="fr")
    # The OFII office that holds the person's file: its agents may open it.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    office: Mapped[Office | None] = relationship()

    def __repr__(self) -> str:  # never the foreigner number, even in a debugger
        return f"<Person {self.id}>"


class ApiToken(Base):
    """A staff credential: the secret is shown once; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    label: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists, enough to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    office: Mapped[Office | None] = relationship()
    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # hex of the 96-bit seal id
    type: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=CertificateStatus.VALID)
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    key_id: Mapped[str] = mapped_column(String(16))
    seal_url: Mapped[str] = mapped_column(Text)
    seal_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("certificates.id"))
    superseded_by_id: Mapped[str | None] = mapped_column(ForeignKey("certificates.id"))
    issued_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))

    person: Mapped[Person] = relationship()
    office: Mapped[Office] = relationship()
    revocation: Mapped[Revocation | None] = relationship(back_populates="certificate")


class Revocation(Base):
    __tablename__ = "revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    revoked_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="revocation")


class VerificationEvent(Base):
    """That a check happened and its outcome; nothing about who checked."""

    __tablename__ = "verification_events"
    __table_args__ = (Index("ix_verification_events_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(20))
    certificate_id: Mapped[str | None] = mapped_column(String(24))


class IdempotencyRecord(Base):
    """The first answer to an Idempotency-Key, so that a retried POST never issues twice."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """A person who signs in. Staff and lawyers have no person record; a migrant has one."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lowercased
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    totp_last_step: Mapped[int | None] = mapped_column(default=None)  # no code used twice
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    prefecture: Mapped[str | None] = mapped_column(String(100), default=None)
    bar: Mapped[str | None] = mapped_column(String(100), default=None)
    bar_number: Mapped[str | None] = mapped_column(String(40), default=None)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), unique=True)
    preferred_language: Mapped[str] = mapped_column(String(5), default="fr")
    # Bumped on password change and disabling: every older session stops being valid.
    session_version: Mapped[int] = mapped_column(default=1)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(default=None)

    office: Mapped[Office | None] = relationship()
    person: Mapped[Person | None] = relationship()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Mandate(Base):
    """A migrant's grant of access to a lawyer: scopes, an end date, revocable at once."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scopes: Mapped[str] = mapped_column(String(40))  # space-separated MandateScope values
    ends_on: Mapped[date] = mapped_column(Date)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    person: Mapped[Person] = relationship()
    lawyer: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def active_on(self, day: date) -> bool:
        return self.revoked_at is None and day <= self.ends_on


class FileAccess(Base):
    """That someone other than the migrant looked at the migrant's file: shown to the migrant."""

    __tablename__ = "file_accesses"
    __table_args__ = (Index("ix_file_accesses_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class AuditHead(Base):
    """The one row holding the chain's last sequence number and hash (locked while appending)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """Append-only, hash-chained: each entry's hash covers its content and the previous hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class OneTimeCode(Base):
    """Activation letters and password resets: only a hash is kept; single use; expiring."""

    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "activation" | "password-reset"
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class SignInFailure(Base):
    """Failed sign-ins, per account and per address, for throttling (kept a day)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_email_at", "email", "at"),
        Index("ix_sign_in_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


# ----------------------------------------------------------------------------- journey (issue 6)


class TrainingKind(enum.StrEnum):
    CIVIC = "civic"
    LANGUAGE = "language"
    LIFE_IN_FRANCE = "life-in-france"
    SKILLS_ORIENTATION = "skills-orientation"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Training(Base):
    """A training under the integration contract, as OFII recorded it; certificates of
    attendance are issued from this record (and its days), never typed by hand."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Session 2026-14"
    provider: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    # Language training only.
    assessment_result: Mapped[str | None] = mapped_column(String(200), default=None)
    hours_prescribed: Mapped[int | None] = mapped_column(default=None)  # 100/200/400/600
    hours_attended: Mapped[int | None] = mapped_column(default=None)
    level_reached: Mapped[str | None] = mapped_column(String(40), default=None)
    exempt: Mapped[bool] = mapped_column(default=False)
    exemption_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    office: Mapped[Office] = relationship()
    days: Mapped[list[TrainingDay]] = relationship(
        back_populates="training", order_by="TrainingDay.day", cascade="all, delete-orphan"
    )


class TrainingDay(Base):
    __tablename__ = "training_days"
    __table_args__ = (UniqueConstraint("training_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[int] = mapped_column(default=6)
    attendance: Mapped[str] = mapped_column(String(10), default=Attendance.PRESENT)

    training: Mapped[Training] = relationship(back_populates="days")


class AppointmentPurpose(enum.StrEnum):
    RECEPTION_INTERVIEW = "reception-interview"
    MEDICAL_VISIT = "medical-visit"
    CIR_SIGNATURE = "cir-signature"
    TRAINING = "training"
    END_OF_CONTRACT_INTERVIEW = "end-of-contract-interview"
    OTHER = "other"


class AppointmentStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    MISSED = "missed"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    purpose: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12), default=AppointmentStatus.SCHEDULED)
    note: Mapped[str] = mapped_column(Text, default="")
    convocation_id: Mapped[str | None] = mapped_column(ForeignKey("certificates.id"))
    rescheduled_to_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    mailed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    office: Mapped[Office] = relationship()
    convocation: Mapped[Certificate | None] = relationship()


class CorrespondenceDirection(enum.StrEnum):
    """Seen from the migrant: what they sent, what they received."""

    SENT = "sent"
    RECEIVED = "received"


class CorrespondenceChannel(enum.StrEnum):
    POST = "post"
    REGISTERED_MAIL = "registered-mail"  # tracking number, acknowledgment of receipt
    EMAIL = "email"
    HAND_DELIVERY = "hand-delivery"


class Correspondence(Base):
    """A letter or e-mail in the person's file: the proof of diligence appeals rest on."""

    __tablename__ = "correspondence"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(10))
    sender: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    tracking_number: Mapped[str | None] = mapped_column(String(40), default=None)
    acknowledged_on: Mapped[date | None] = mapped_column(Date, default=None)  # AR signed
    subject: Mapped[str] = mapped_column(String(300))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    files: Mapped[list[StoredFile]] = relationship(
        back_populates="correspondence", order_by="StoredFile.id"
    )


class StoredFile(Base):
    """An uploaded file after intake: the original and its normalised PDF, both in the blob
    store, named by their SHA-256."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    correspondence_id: Mapped[int | None] = mapped_column(ForeignKey("correspondence.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))  # e-mail
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    original_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    removed: Mapped[str] = mapped_column(Text, default="")  # space-separated codes
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    correspondence: Mapped[Correspondence | None] = relationship(back_populates="files")


# ----------------------------------------------------------------------------- packs (issue 7)


class PackBuildStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PackBuild(Base):
    """An evidence pack being built in the background, then its ZIP (in the blob store,
    written before the row says done: ``zip_sha256`` is what `sceau gc` must keep)."""

    __tablename__ = "pack_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "appeal" | "renewal"
    status: Mapped[str] = mapped_column(String(10), default=PackBuildStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    zip_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    addressee: Mapped[str] = mapped_column(String(200), default="")
    pieces: Mapped[str] = mapped_column(Text, default="")  # "certificate:ID file:ID ..."
    procedure: Mapped[str | None] = mapped_column(String(20), default=None)
    notified_at: Mapped[datetime | None] = mapped_column(default=None)
    deadline_at: Mapped[datetime | None] = mapped_column(default=None)
    missing: Mapped[str] = mapped_column(Text, default="")  # space-separated slot codes
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    person: Mapped[Person] = relationship()


class LogLeaf(Base):
    """One leaf of the transparency log: an issuance or a revocation (signing.transparency).

    ``leaf_data`` is the canonical encoding (hex) the leaf hash covers; the certificate id and
    event are kept beside it to find a certificate's leaves, and ``created_at`` (not hashed) says
    when it was logged. A certificate is issued once and revoked at most once: one leaf each.
    """

    __tablename__ = "log_leaves"
    __table_args__ = (UniqueConstraint("certificate_id", "event"),)

    leaf_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    leaf_data: Mapped[str] = mapped_column(Text)
    event: Mapped[str] = mapped_column(String(8))
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogNode(Base):
    """The hash of a perfect subtree of the log above the leaves (level >= 1), kept so that a
    proof reads O(log n) rows instead of rehashing the log."""

    __tablename__ = "log_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    node_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class LogHead(Base):
    """A signed tree head, one per tree size (one per append): what the log committed to."""

    __tablename__ = "log_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    timestamp: Mapped[int] = mapped_column(BigInteger)  # milliseconds since the epoch, signed
    root_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(Text)  # base64 of the DER ECDSA signature


class LogState(Base):
    """The one row locked while appending (SELECT ... FOR UPDATE), holding the log's size."""

    __tablename__ = "log_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, default=0)


class JobState(enum.StrEnum):
    QUEUED = "queued"  # waiting for its run_after
    RUNNING = "running"  # leased by a worker until locked_until
    DONE = "done"
    FAILED = "failed"  # attempts exhausted, or a permanent error: an operator looks


class Job(Base):
    """One piece of background work (verifier/jobs.py): a pack build or an e-mail.

    Added in the same unit of work as the row it concerns, so that a build row without its job
    (or the reverse) cannot be committed. A worker leases it (``locked_by``/``locked_until``)
    and renews the lease while it runs; a lease that runs out belongs to a dead worker and the
    next claim takes the job again.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "pack-build", "mail", "convocation-mail"
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(100), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    pack_build_id: Mapped[int | None] = mapped_column(
        ForeignKey("pack_builds.id"), default=None, unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
