"""Staff API tokens (interim, until accounts arrive): random, shown once, stored as SHA-256.

A token is ``sceau_`` + 32 random bytes in URL-safe base64: a SHA-256 of that much entropy
needs no salt or slow hash, and lets the lookup be a unique index.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from verifier.db import utcnow
from verifier.models import ApiToken, Office

__all__ = ["Scope", "authenticate", "create_token", "hash_token"]

PREFIX = "sceau_"


class Scope(enum.StrEnum):
    ISSUE = "issue"
    REVOKE = "revoke"
    VERIFY = "verify"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session, *, office: Office, scopes: set[Scope], label: str
) -> tuple[ApiToken, str]:
    """A new token row and its secret, which exists nowhere else once returned."""
    if not scopes:
        raise ValueError("a token needs at least one scope")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        office=office,
        label=label,
        scopes=" ".join(sorted(scopes)),
        token_hash=hash_token(secret),
        prefix=secret[: len(PREFIX) + 6],
    )
    session.add(token)
    session.flush()
    return token, secret


def authenticate(session: Session, authorization: str | None) -> ApiToken | None:
    """The live token named by an ``Authorization: Bearer ...`` header, or None."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    secret = authorization[len("Bearer ") :].strip()
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    digest = hash_token(secret)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token.token_hash, digest):  # pragma: no cover - index matched
        return None
    token.last_used_at = utcnow()
    return token
