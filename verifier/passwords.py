"""Password hashes (argon2id) and the second factor (TOTP, RFC 6238).

argon2id with the library's defaults (RFC 9106's second recommended set: 64 MiB, 3 passes)
costs ~50 ms here: slow for a guesser, quick for a person. A hash made with older parameters is
upgraded at the next successful sign-in.
"""

from __future__ import annotations

import time

import pyotp
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "check_password",
    "hash_password",
    "needs_rehash",
    "new_totp_secret",
    "password_problem",
    "totp_step_accepted",
    "totp_uri",
]

MIN_PASSWORD_LENGTH = 12
_HASHER = PasswordHasher(type=Type.ID)
# A dummy hash to spend the same time when the account does not exist (no user enumeration).
_DUMMY = _HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def password_problem(password: str) -> str | None:
    """A message key if the password is too weak to accept, else None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password-too-short"
    if len(set(password)) < 5:
        return "password-too-simple"
    return None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, *, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name="Sceau OFII")


def totp_step_accepted(
    secret: str, code: str, *, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step ``code`` belongs to (current one, or one either side for clock drift),
    or None; a step at or before ``last_step`` is refused, so a code works only once."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // totp.interval)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.at(step * totp.interval), code):
            return step
    return None
