"""Opening a migrant's account: the OFII agent's side (person, activation letter) and the
migrant's (the activation page).

The agent creates the person's record (or picks one their office already holds) and prints a
signed activation letter carrying a one-time code; the migrant types the code, or scans the
letter's QR code, and chooses an e-mail address and a password. Nothing is sent by e-mail at
this stage: the paper handed over at the office is what proves the account is theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bundles.letters import ActivationLetter, build_activation_letter
from signing.errors import ClaimsError
from signing.seal import BirthDate, normalize_name
from verifier import audit, db
from verifier.access import actor_label
from verifier.accounts import require_role, signed_in_user
from verifier.auth_pages import complete_sign_in
from verifier.codes import CodePurpose, find_code, issue_code, redeem_code
from verifier.config import settings_of
from verifier.db import utcnow
from verifier.errors import ApiError
from verifier.i18n import LANGUAGES, chosen_language, translate
from verifier.instance import keyring
from verifier.models import OneTimeCode, Person, Role, User
from verifier.passwords import hash_password, password_problem

__all__ = ["bp"]

bp = Blueprint("onboarding", __name__)

_BIRTH_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_NATIONALITY = re.compile(r"[A-Z]{3}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PERSON_FIELDS = (
    "family_name",
    "given_names",
    "birth_date",
    "nationality",
    "email",
    "preferred_language",
)


@bp.after_request
def _private(response: Response) -> Response:
    """Personal data and one-time codes: never cached, never sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _agent() -> User:
    """The signed-in OFII agent (require_role has let only them through) and their office."""
    user = signed_in_user()
    if user is None or user.office_id is None:
        raise ApiError(403, "forbidden")
    return user


def _person_of_office(person_id: int, agent: User) -> Person:
    """The person, if the agent's office holds their file; else 404 (another office's
    persons are not even said to exist)."""
    person = db.session().get(Person, person_id)
    if person is None or person.office_id != agent.office_id:
        raise ApiError(404, "not-found")
    return person


def _has_account(person_id: int) -> bool:
    return db.session().scalar(select(User.id).where(User.person_id == person_id)) is not None


# ----------------------------------------------------------------------------- person form


@dataclass(frozen=True)
class _PersonInput:
    family_name: str
    given_names: str
    birth_date: str
    nationality: str | None
    email: str | None
    preferred_language: str


def _birth_date_problem(text: str) -> str | None:
    match = _BIRTH_DATE.fullmatch(text)
    if match is None:
        return "onboarding-birth-date-invalid"
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        BirthDate(year or 0, month, day)
    except (ClaimsError, ValueError):
        return "onboarding-birth-date-invalid"
    return None


def _name_problem(family: str, given: str) -> str | None:
    if not (family or given) or len(family) > 200 or len(given) > 200:
        return "onboarding-name-required"
    try:
        normalize_name(family)
        normalize_name(given)
    except ClaimsError:
        return "onboarding-name-latin"
    return None


def _parse_person(form: dict[str, str]) -> tuple[_PersonInput | None, str | None]:
    """The person typed in the form, or the message key of the first problem found."""
    family, given = form["family_name"], form["given_names"]
    nationality = form["nationality"].upper() or None
    email = form["email"].lower() or None
    language = form["preferred_language"] or "fr"
    problem = (
        _name_problem(family, given)
        or _birth_date_problem(form["birth_date"])
        or (
            "onboarding-nationality-invalid"
            if nationality and not _NATIONALITY.fullmatch(nationality)
            else None
        )
        or ("auth-email-invalid" if email and not _valid_email(email) else None)
        or ("onboarding-language-invalid" if language not in LANGUAGES else None)
    )
    if problem is not None:
        return None, problem
    return _PersonInput(family, given, form["birth_date"], nationality, email, language), None


def _valid_email(email: str) -> bool:
    return len(email) <= 254 and _EMAIL.fullmatch(email) is not None


def _create_person(agent: User, typed: _PersonInput) -> Person:
    database = db.session()
    person = Person(
        family_name=typed.family_name,
        given_names=typed.given_names,
        family_name_normalized=normalize_name(typed.family_name),
        given_names_normalized=normalize_name(typed.given_names),
        birth_date=typed.birth_date,
        nationality=typed.nationality,
        email=typed.email,
        preferred_language=typed.preferred_language,
        office_id=agent.office_id,
    )
    database.add(person)
    database.flush()
    audit.append(
        database,
        actor=actor_label(agent),
        action="person.create",
        object_type="person",
        object_id=person.id,
    )
    database.commit()
    return person


@bp.route("/agent/persons/new", methods=["GET", "POST"])
@require_role(Role.OFII_AGENT)
def new_person() -> ResponseReturnValue:
    """Create a person in the agent's office, or pick one it already holds (by number)."""
    agent = _agent()
    if request.method == "GET":
        return render_template("onboarding/new_person.html", form={})
    if request.form.get("action") == "link":
        return _link_person(agent)
    form = {key: request.form.get(key, "").strip() for key in _PERSON_FIELDS}
    typed, problem = _parse_person(form)
    if typed is None:
        page = render_template(
            "onboarding/new_person.html", form=form, error=translate(problem or "bad-request")
        )
        return page, 400
    person = _create_person(agent, typed)
    return redirect(url_for("onboarding.activation", person_id=person.id))


def _link_person(agent: User) -> ResponseReturnValue:
    text = request.form.get("person_id", "").strip()
    person = db.session().get(Person, int(text)) if text.isdigit() and len(text) < 12 else None
    if person is None or person.office_id != agent.office_id:
        page = render_template(
            "onboarding/new_person.html",
            form={},
            link_error=translate("onboarding-person-not-found"),
        )
        return page, 404
    return redirect(url_for("onboarding.activation", person_id=person.id))


# ----------------------------------------------------------------------------- the letter


@bp.get("/agent/persons/<int:person_id>/activation")
@require_role(Role.OFII_AGENT)
def activation(person_id: int) -> ResponseReturnValue:
    person = _person_of_office(person_id, _agent())
    return render_template(
        "onboarding/activation.html", person=person, has_account=_has_account(person.id)
    )


@bp.post("/agent/persons/<int:person_id>/activation-letter")
@require_role(Role.OFII_AGENT)
def activation_letter(person_id: int) -> ResponseReturnValue:
    """A new code and its signed letter, as a download. Printing a new letter withdraws the
    codes of earlier ones, so that a lost letter stops working once it is replaced."""
    agent = _agent()
    person = _person_of_office(person_id, agent)
    if _has_account(person.id):
        raise ApiError(409, "onboarding-person-has-account")
    database = db.session()
    _withdraw_earlier_codes(person.id)
    row, code = issue_code(
        database, CodePurpose.ACTIVATION, person_id=person.id, created_by_id=agent.id
    )
    pdf = _letter_pdf(person, row, code)
    audit.append(
        database,
        actor=actor_label(agent),
        action="person.activation-letter",
        object_type="person",
        object_id=person.id,
        details={"code": row.id},
    )
    database.commit()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="activation-letter-{person.id}.pdf"'
    )
    return response


def _withdraw_earlier_codes(person_id: int) -> None:
    db.session().execute(
        update(OneTimeCode)
        .where(
            OneTimeCode.person_id == person_id,
            OneTimeCode.purpose == str(CodePurpose.ACTIVATION),
            OneTimeCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _letter_pdf(person: Person, row: OneTimeCode, code: str) -> bytes:
    base = settings_of(current_app).seal_base_url.lower()
    keys = keyring()
    letter = ActivationLetter(
        office_name=person.office.name if person.office is not None else "OFII",
        family_name=person.family_name,
        given_names=person.given_names,
        code=code,
        activation_url=f"{base}/activate?code={code}",
        expires_on=row.expires_at.astimezone(UTC).date(),
        language=person.preferred_language,
    )
    return build_activation_letter(letter, pdf_signer=keys.pdf_signer, timestamper=keys.timestamper)


# ----------------------------------------------------------------------------- activation


@bp.route("/activate", methods=["GET", "POST"])
def activate() -> ResponseReturnValue:
    """Anyone holding a live activation code makes the account of the person it names."""
    code = (request.form.get("code") or request.args.get("code") or "").strip()
    if request.method == "GET":
        if code and find_code(db.session(), CodePurpose.ACTIVATION, code) is None:
            return render_template("auth/code_invalid.html", kind="activation"), 410
        return render_template("onboarding/activate.html", code=code, email="")
    return _activate_post(code)


def _activate_post(code: str) -> ResponseReturnValue:
    database = db.session()
    row = find_code(database, CodePurpose.ACTIVATION, code) if code else None
    if row is None or row.person_id is None:
        return render_template("auth/code_invalid.html", kind="activation"), 410
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    problem = _account_problem(row.person_id, email, password)
    if problem is not None:
        page = render_template(
            "onboarding/activate.html", code=code, email=email, error=translate(problem)
        )
        return page, 400
    user = _create_account(row.person_id, code, email, password)
    if user is None:
        page = render_template(
            "onboarding/activate.html",
            code=code,
            email=email,
            error=translate("onboarding-account-conflict"),
        )
        return page, 409
    return complete_sign_in(user)


def _account_problem(person_id: int, email: str, password: str) -> str | None:
    if _has_account(person_id):
        return "onboarding-person-has-account"
    if not _valid_email(email):
        return "auth-email-invalid"
    if db.session().scalar(select(User.id).where(User.email == email)) is not None:
        return "onboarding-email-taken"
    if password != request.form.get("password_again", ""):
        return "auth-passwords-differ"
    return password_problem(password)


def _create_account(person_id: int, code: str, email: str, password: str) -> User | None:
    """The migrant's account, the code used up and the audit entry in one transaction; None
    if a concurrent request took the code, the person or the address first."""
    database = db.session()
    row = redeem_code(database, CodePurpose.ACTIVATION, code)
    person = database.get(Person, person_id)
    if row is None or person is None:
        database.rollback()
        return None
    user = User(
        email=email,
        display_name=f"{person.given_names} {person.family_name}".strip(),
        role=Role.MIGRANT,
        password_hash=hash_password(password),
        person_id=person.id,
        # The language the migrant picked on the activation page, else the one given at the
        # office: what their pages, e-mails and letters will be in.
        preferred_language=chosen_language() or person.preferred_language,
    )
    database.add(user)
    try:
        database.flush()
        audit.append(
            database,
            actor=actor_label(user),
            action="user.activate",
            object_type="user",
            object_id=user.id,
            details={"person": person.id, "code": row.id},
        )
        database.commit()
    except IntegrityError:
        database.rollback()
        return None
    return user
