"""`sceau users create | list | disable` and `sceau audit verify`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from verifier import audit, db
from verifier.codes import CodePurpose, issue_code
from verifier.config import settings_of
from verifier.db import utcnow
from verifier.models import Office, Person, Role, User
from verifier.passwords import hash_password, password_problem

__all__ = ["COMMANDS"]

ACTOR = "cli"


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """Accounts of the people who sign in."""


def _office(code: str | None) -> Office | None:
    if code is None:
        return None
    office = db.session().scalar(select(Office).where(Office.code == code))
    if office is None:
        raise click.UsageError(f"no office {code!r}")
    return office


def _check_role_fields(
    role: Role,
    office: Office | None,
    person: Person | None,
    prefecture: str | None,
    bar: str | None,
) -> None:
    if role is Role.OFII_AGENT and office is None:
        raise click.UsageError("an OFII agent needs --office CODE")
    if role is Role.PREFECTURE_AGENT and not prefecture:
        raise click.UsageError("a prefecture agent needs --prefecture NAME")
    if role is Role.LAWYER and not bar:
        raise click.UsageError("a lawyer needs --bar NAME (and --bar-number)")
    if role is Role.MIGRANT and person is None:
        raise click.UsageError("a migrant account needs --person ID")
    if role is not Role.MIGRANT and person is not None:
        raise click.UsageError("only a migrant account is linked to a person")


@users_group.command("create")
@click.option("--role", type=click.Choice([str(r) for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", "display_name", default="", help="Name shown to others.")
@click.option("--office", "office_code", default=None, help="OFII agents: the office code.")
@click.option("--prefecture", default=None, help="Prefecture agents: the prefecture.")
@click.option("--bar", default=None, help="Lawyers: the bar (barreau).")
@click.option("--bar-number", default=None, help="Lawyers: membership number.")
@click.option("--person", "person_id", type=int, default=None, help="Migrants: person id.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(
    role: str,
    email: str,
    display_name: str,
    office_code: str | None,
    prefecture: str | None,
    bar: str | None,
    bar_number: str | None,
    person_id: int | None,
    password_stdin: bool,
) -> None:
    """Create an account. Without --password-stdin, prints a one-time link to set the
    password (staff then enrol their second factor at first sign-in)."""
    session = db.session()
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.UsageError(f"not an e-mail address: {email!r}")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise click.UsageError(f"an account with {email} exists already")
    kind = Role(role)
    office = _office(office_code)
    person = session.get(Person, person_id) if person_id is not None else None
    if person_id is not None and person is None:
        raise click.UsageError(f"no person {person_id}")
    _check_role_fields(kind, office, person, prefecture, bar)
    user = User(
        email=email,
        display_name=display_name,
        role=kind,
        office=office,
        prefecture=prefecture,
        bar=bar,
        bar_number=bar_number,
        person=person,
    )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        problem = password_problem(password)
        if problem is not None:
            raise click.UsageError(f"password refused: {problem}")
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    audit.append(
        session,
        actor=ACTOR,
        action="user.create",
        object_type="user",
        object_id=user.id,
        details={"role": role, "email": email},
    )
    link = None
    if not password_stdin:
        _, code = issue_code(session, CodePurpose.PASSWORD_RESET, user_id=user.id)
        link = f"{settings_of(current_app).seal_base_url.lower()}/password/reset?code={code}"
    session.commit()
    click.echo(f"user {user.id}: {email} ({role})")
    if link is not None:
        click.echo(f"set the password within 2 hours at: {link}")


@users_group.command("list")
@with_appcontext
def users_list() -> None:
    """Every account: id, e-mail, role, scope, second factor, state."""
    for user in db.session().scalars(select(User).order_by(User.id)):
        scope = (
            (user.office.code if user.office else "")
            or user.prefecture
            or (f"{user.bar} {user.bar_number or ''}".strip() if user.bar else "")
            or (f"person {user.person_id}" if user.person_id else "")
        )
        state = "disabled" if user.disabled_at else "active"
        totp = "totp" if user.has_totp else "-"
        click.echo(f"{user.id:>4}  {user.email:<40} {user.role:<17} {scope:<24} {totp:<5} {state}")


@users_group.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable an account: its sessions and API tokens stop working at once."""
    session = db.session()
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.UsageError(f"no account {email!r}")
    if user.disabled_at is not None:
        raise click.UsageError(f"{email} is already disabled")
    user.disabled_at = utcnow()
    user.session_version += 1
    audit.append(session, actor=ACTOR, action="user.disable", object_type="user", object_id=user.id)
    session.commit()
    click.echo(f"disabled {user.email}")


@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Re-check every entry's hash and link; exit 1 if any was changed or deleted."""
    session = db.session()
    problems = audit.verify_chain(session)
    head = session.get(audit.AuditHead, 1)
    count = head.seq if head is not None else 0
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"audit log BROKEN: {len(problems)} problem(s) in {count} entries", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {count} entries")


COMMANDS: list[click.Command] = [users_group, audit_group]
