"""Database rows.

Personal data lives in `persons` only; certificates keep the claims a seal carries plus the
type's own fields. The foreigner number (AGDREF) is stored for the office's own use and never
leaves this table: not in a seal, a URL, a log line or an API answer.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from verifier.db import Base, utcnow

__all__ = [
    "ApiToken",
    "Certificate",
    "CertificateStatus",
    "IdempotencyRecord",
    "Office",
    "Person",
    "Revocation",
    "RevocationReason",
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:  # never the foreigner number, even in a debugger
        return f"<Person {self.id}>"


class ApiToken(Base):
    """A staff credential: the secret is shown once; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    label: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists, enough to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    office: Mapped[Office] = relationship()

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
