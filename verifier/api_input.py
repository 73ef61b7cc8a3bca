"""Parsing the JSON bodies of the API: hostile until checked, one clear field error each.

Every failure is an :class:`ApiError` naming the field, so a client fixes its request from the
answer alone; nothing is half-parsed into the database.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import request

from bundles.certificate import DetailValue
from signing.errors import ClaimsError
from signing.seal import BirthDate, CertificateType
from verifier.db import MAX_DATABASE_ID
from verifier.errors import ApiError
from verifier.i18n import LANGUAGES
from verifier.issuance import Holder, IssueRequest
from verifier.models import RevocationReason

__all__ = ["json_object", "parse_issue_request", "parse_revocation"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
_BIRTH_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CERTIFICATE_ID = re.compile(r"[0-9a-f]{24}")
_NATIONALITY = re.compile(r"[A-Z]{3}")
_MAX_TEXT = 200
_MAX_DETAIL = 2000
_MAX_LIST = 60


def json_object() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(415, "unsupported-media-type", expected="application/json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad-json")
    return body


def _invalid(field: str, detail: str) -> ApiError:
    return ApiError(422, "invalid-field", field=field, detail=detail)


def _text(
    body: dict[str, Any], key: str, field: str, *, required: bool = True, limit: int = _MAX_TEXT
) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise _invalid(field, "required")
        return None
    if not isinstance(value, str):
        raise _invalid(field, "must be a string")
    if len(value) > limit:
        raise _invalid(field, f"at most {limit} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise _invalid(field, "control characters are not allowed")
    return value


def _required(body: dict[str, Any], key: str, field: str, *, limit: int = _MAX_TEXT) -> str:
    value = _text(body, key, field, limit=limit)
    if value is None:  # pragma: no cover - _text raises for a missing required field
        raise _invalid(field, "required")
    return value


def _date(body: dict[str, Any], key: str) -> date | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _invalid(key, "a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(key, "no such date") from None


def _birth_date(value: Any) -> BirthDate:
    match = _BIRTH_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _invalid("holder.birth_date", "YYYY-MM-DD, or YYYY-MM or YYYY when not known")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        return BirthDate(year or 0, month, day)
    except ClaimsError as exc:
        raise _invalid("holder.birth_date", str(exc)) from None


def _holder(value: Any) -> Holder:
    if not isinstance(value, dict):
        raise _invalid("holder", "must be an object")
    family = _required(value, "family_name", "holder.family_name")
    given = _required(value, "given_names", "holder.given_names")
    if not (family.strip() or given.strip()):
        raise _invalid("holder", "give a family name or given names")
    nationality = _text(value, "nationality", "holder.nationality", required=False)
    if nationality is not None and not _NATIONALITY.fullmatch(nationality):
        raise _invalid("holder.nationality", "an ISO 3166-1 alpha-3 code such as SEN")
    language = _text(value, "preferred_language", "holder.preferred_language", required=False)
    if language is not None and language not in LANGUAGES:
        raise _invalid("holder.preferred_language", "one of " + ", ".join(LANGUAGES))
    email = _text(value, "email", "holder.email", required=False, limit=254)
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise _invalid("holder.email", "not an e-mail address")
    return Holder(
        family_name=family.strip(),
        given_names=given.strip(),
        birth_date=_birth_date(value.get("birth_date")),
        nationality=nationality,
        foreigner_number=_text(
            value, "foreigner_number", "holder.foreigner_number", required=False, limit=20
        ),
        email=email,
        preferred_language=language or "fr",
    )


def _detail(key: str, value: Any) -> DetailValue:
    field = f"details.{key}"
    if isinstance(value, bool):
        raise _invalid(field, "a string, a whole number or a list of strings")
    if isinstance(value, int):
        if not 0 <= value <= 100_000:
            raise _invalid(field, "out of range")
        return value
    if isinstance(value, str):
        checked = _required({key: value}, key, field, limit=_MAX_DETAIL)
        try:
            if _ISO_DATETIME.fullmatch(checked):
                return datetime.fromisoformat(checked)
            if _ISO_DATE.fullmatch(checked):
                return date.fromisoformat(checked)
        except ValueError:
            raise _invalid(field, "no such date") from None
        return checked
    if isinstance(value, list) and len(value) <= _MAX_LIST:
        return [_required({key: item}, key, field) for item in value]
    raise _invalid(field, "a string, a whole number or a list of strings")


def parse_issue_request(body: dict[str, Any]) -> IssueRequest:
    kind = body.get("type")
    try:
        certificate_type = CertificateType(str(kind))
    except ValueError:
        raise _invalid("type", "one of " + ", ".join(CertificateType)) from None
    person_id = body.get("person_id")
    holder = body.get("holder")
    if (person_id is None) == (holder is None):
        raise _invalid("holder", "give either holder or person_id")
    if person_id is not None and (
        isinstance(person_id, bool)
        or not isinstance(person_id, int)
        or not 1 <= person_id <= MAX_DATABASE_ID
    ):
        raise _invalid("person_id", f"a whole number from 1 to {MAX_DATABASE_ID}")
    details = body.get("details", {})
    if not isinstance(details, dict) or len(details) > 40:
        raise _invalid("details", "an object of at most 40 fields")
    supersedes = body.get("supersedes")
    if supersedes is not None and (
        not isinstance(supersedes, str) or not _CERTIFICATE_ID.fullmatch(supersedes)
    ):
        raise _invalid("supersedes", "a certificate id (24 hexadecimal digits)")
    issued_on, valid_until = _date(body, "issued_on"), _date(body, "valid_until")
    if issued_on is not None and valid_until is not None and valid_until < issued_on:
        raise _invalid("valid_until", "before the issue date")
    return IssueRequest(
        certificate_type=certificate_type,
        holder=_holder(holder) if holder is not None else None,
        person_id=person_id,
        details={str(k): _detail(str(k), v) for k, v in details.items()},
        issued_on=issued_on,
        valid_until=valid_until,
        supersedes=supersedes,
    )


def parse_revocation(body: dict[str, Any]) -> tuple[RevocationReason, str]:
    try:
        reason = RevocationReason(str(body.get("reason")))
    except ValueError:
        raise _invalid("reason", "one of " + ", ".join(RevocationReason)) from None
    text = _text(body, "text", "text", required=False, limit=2000) or ""
    return reason, text
