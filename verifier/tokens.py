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
from verifier.models import ApiToken, Office, Role, User

__all__ = [
    "SCOPES_BY_ROLE",
    "Scope",
    "authenticate",
    "create_token",
    "hash_token",
    "service_account",
]

PREFIX = "sceau_"


class Scope(enum.StrEnum):
    ISSUE = "issue"
    REVOKE = "revoke"
    VERIFY = "verify"


# What a token may be allowed to do, by the role of the account it acts for: issuing and
# revoking are OFII's; prefectures (and administrators, for checks) verify.
SCOPES_BY_ROLE: dict[Role, frozenset[Scope]] = {
    Role.OFII_AGENT: frozenset(Scope),
    Role.PREFECTURE_AGENT: frozenset({Scope.VERIFY}),
    Role.ADMINISTRATOR: frozenset({Scope.VERIFY}),
    Role.LAWYER: frozenset(),
    Role.MIGRANT: frozenset(),
}


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def service_account(session: Session, office: Office) -> User:
    """The office's account for machine tokens: an OFII agent with no password (cannot sign
    in on the web), created on first use."""
    email = f"service-{office.code.lower()}@sceau.invalid"
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=f"API tokens of {office.code}",
            role=Role.OFII_AGENT,
            office=office,
        )
        session.add(user)
        session.flush()
    return user


def create_token(
    session: Session,
    *,
    scopes: set[Scope],
    label: str,
    user: User | None = None,
    office: Office | None = None,
) -> tuple[ApiToken, str]:
    """A new token row and its secret, which exists nowhere else once returned.

    The token acts for ``user`` (its office, if any, comes from the user); given only an
    ``office``, for that office's service account.
    """
    if not scopes:
        raise ValueError("a token needs at least one scope")
    if user is None:
        if office is None:
            raise ValueError("a token belongs to a user or an office")
        user = service_account(session, office)
    refused = set(scopes) - SCOPES_BY_ROLE[user.role_enum]
    if refused:
        raise ValueError(
            f"a {user.role} account cannot hold a token for {', '.join(sorted(refused))}"
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        office=user.office,
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
    if token is None or token.revoked_at is not None or token.user.disabled_at is not None:
        return None
    if not hmac.compare_digest(token.token_hash, digest):  # pragma: no cover - index matched
        return None
    token.last_used_at = utcnow()
    return token
