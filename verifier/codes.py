"""One-time codes: activation letters and password resets.

A code is 80 random bits written as four groups of four base32 characters (easy to type from
a paper letter: no 0/O or 1/I confusion, case ignored). Only its SHA-256 is stored; it works
once, and only until it expires.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier.db import utcnow
from verifier.models import OneTimeCode

__all__ = ["LIFETIME", "CodePurpose", "find_code", "issue_code", "normalize_code", "redeem_code"]


class CodePurpose(enum.StrEnum):
    ACTIVATION = "activation"
    PASSWORD_RESET = "password-reset"  # noqa: S105 - a purpose, not a password


LIFETIME = {
    CodePurpose.ACTIVATION: timedelta(days=30),
    CodePurpose.PASSWORD_RESET: timedelta(hours=2),
}


def normalize_code(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())[:32]


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode("ascii", "replace")).hexdigest()


def issue_code(
    session: Session,
    purpose: CodePurpose,
    *,
    person_id: int | None = None,
    user_id: int | None = None,
    created_by_id: int | None = None,
) -> tuple[OneTimeCode, str]:
    """A new code row (added to the session) and the code, which exists nowhere else."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")  # 16 characters
    code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
    row = OneTimeCode(
        purpose=str(purpose),
        code_hash=_hash(code),
        person_id=person_id,
        user_id=user_id,
        created_by_id=created_by_id,
        expires_at=utcnow() + LIFETIME[purpose],
    )
    session.add(row)
    return row, code


def find_code(session: Session, purpose: CodePurpose, code: str) -> OneTimeCode | None:
    """The live code row (unused, unexpired) for ``code``, without using it up."""
    row = session.scalar(select(OneTimeCode).where(OneTimeCode.code_hash == _hash(code)))
    if row is None or row.purpose != purpose or row.used_at is not None:
        return None
    if row.expires_at <= utcnow():
        return None
    return row


def redeem_code(session: Session, purpose: CodePurpose, code: str) -> OneTimeCode | None:
    """Use the code up (in the caller's transaction) and return its row, or None."""
    row = find_code(session, purpose, code)
    if row is not None:
        row.used_at = utcnow()
    return row
