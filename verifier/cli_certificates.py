"""`sceau issue | revoke | verify | demo | tokens | gc`: the service's work from a shell.

The commands go through the same functions as the API (parsing in `api_input`, issuance and
revocation in `issuance`, checks in `verification`, JSON in `representation`), so a shell and a
client can never disagree. Exit codes follow click: 0 done (for `verify`: valid), 1 refused or
not valid, 2 the input itself is wrong (nothing was written).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import CursorResult, delete, func, or_, select
from sqlalchemy.orm import Session

from bundles.certificate.samples import sample_document
from bundles.errors import CertificateError
from signing.errors import ClaimsError, SealFormatError
from signing.files import write_atomic
from signing.seal import CertificateType
from verifier import audit, db
from verifier.api_input import parse_issue_request
from verifier.cli_offline import offline_options, verify_offline
from verifier.db import utcnow
from verifier.errors import ApiError
from verifier.instance import blob_store, keyring
from verifier.issuance import Holder, IssuanceError, IssueRequest, issue, revoke
from verifier.models import (
    ApiToken,
    Appointment,
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    Certificate,
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    Job,
    JobState,
    Office,
    PackBuild,
    Person,
    RevocationReason,
    Role,
    StoredFile,
    Training,
    TrainingDay,
    TrainingKind,
    User,
    VerificationChannel,
)
from verifier.representation import certificate_json, document_check_json, seal_check_json
from verifier.tokens import Scope, create_token
from verifier.verification import (
    DocumentMatch,
    NotAPdfError,
    SealStatus,
    check_document,
    check_seal,
    online_status,
)

__all__ = ["COMMANDS"]

DEMO_OFFICE = ("DT-LYON", "OFII — Direction territoriale de Lyon")


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def _office(session: Session, code: str | None) -> Office:
    """The office named, or the only one: a single-office instance needs no --office."""
    if code is not None:
        found = session.scalar(select(Office).where(Office.code == code))
        if found is None:
            known = ", ".join(session.scalars(select(Office.code).order_by(Office.code)))
            raise click.BadParameter(
                f"no office {code} (known: {known or 'none'})", param_hint="--office"
            )
        return found
    offices = session.scalars(select(Office).limit(2)).all()
    if len(offices) != 1:
        raise click.UsageError(
            "give --office: "
            + ("no office yet (run sceau init)" if not offices else "several exist")
        )
    return offices[0]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


# ---------------------------------------------------------------------------------------------
# sceau issue


def _fields(pairs: Sequence[str]) -> dict[str, str | list[str]]:
    """``key=value`` pairs; a key given several times makes a list, in the order given."""
    details: dict[str, str | list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="--field")
        if key not in details:
            details[key] = value
        else:
            previous = details[key]
            details[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
    return details


def _option_of(field: str | None) -> str:
    """The command-line option behind a field name of the API's parser."""
    if not field:
        return "input"
    if field.startswith("details."):
        return f"--field {field.removeprefix('details.')}"
    if field == "holder":
        return "--family-name / --given-names"
    return "--" + field.removeprefix("holder.").replace("_", "-")


def _parse_issue(body: dict[str, Any]) -> IssueRequest:
    """The API's own parser: the same dates, limits and messages as a JSON request."""
    try:
        return parse_issue_request(body)
    except ApiError as exc:
        detail = str(exc.params.get("detail", exc.code))
        raise click.BadParameter(detail, param_hint=_option_of(exc.field)) from None


@dataclass(frozen=True)
class _HolderOptions:
    family_name: str | None
    given_names: str | None
    birth_date: str | None
    nationality: str | None
    foreigner_number: str | None

    def body(self) -> dict[str, Any] | None:
        """The holder as the API takes it; None when no name or birth date was given at all."""
        if self.family_name is None and self.given_names is None and self.birth_date is None:
            return None
        missing = [
            option
            for option, value in (
                ("--family-name", self.family_name),
                ("--given-names", self.given_names),
                ("--birth-date", self.birth_date),
            )
            if value is None
        ]
        if missing:
            raise click.UsageError("missing " + ", ".join(missing))
        holder: dict[str, Any] = {
            "family_name": self.family_name,
            "given_names": self.given_names,
            "birth_date": self.birth_date,
        }
        if self.nationality is not None:
            holder["nationality"] = self.nationality
        if self.foreigner_number is not None:
            holder["foreigner_number"] = self.foreigner_number
        return holder


def _issue_body(
    session: Session,
    *,
    kind: str,
    holder: _HolderOptions,
    fields: Sequence[str],
    valid_until: str | None,
    supersedes: str | None,
) -> dict[str, Any]:
    """A JSON body as a client would send it; with --supersedes alone, the same person."""
    body: dict[str, Any] = {"type": kind, "details": _fields(fields)}
    holder_body = holder.body()
    if holder_body is not None:
        body["holder"] = holder_body
    elif supersedes is None:
        raise click.UsageError("give --family-name, --given-names and --birth-date")
    else:
        previous = session.get(Certificate, supersedes)
        if previous is None:
            raise click.BadParameter(f"no certificate {supersedes}", param_hint="--supersedes")
        body["person_id"] = previous.person_id
    if valid_until is not None:
        body["valid_until"] = valid_until
    if supersedes is not None:
        body["supersedes"] = supersedes
    return body


def _print_certificate(certificate: Certificate, out: Path | None = None) -> None:
    person = certificate.person
    click.echo(f"certificate {certificate.id}  {certificate.type}  ({certificate.status})")
    click.echo(
        f"  holder:      {person.family_name} {person.given_names}, born {person.birth_date}"
    )
    valid = certificate.valid_until.isoformat() if certificate.valid_until else "no end date"
    click.echo(f"  office:      {certificate.office.code}, issued {certificate.issued_on}, {valid}")
    if certificate.supersedes_id:
        click.echo(f"  supersedes:  {certificate.supersedes_id}")
    click.echo(f"  seal URL:    {certificate.seal_url}")
    if out is not None:
        click.echo(f"  PDF:         {out}")


@click.command("issue")
@click.option(
    "--type",
    "kind",
    required=True,
    type=click.Choice([str(k) for k in CertificateType]),
    metavar="TYPE",
    help="Certificate type: " + ", ".join(CertificateType) + ".",
)
@click.option("--family-name", help="Family name as written (may be empty: --family-name '').")
@click.option("--given-names", help="Given names as written.")
@click.option("--birth-date", help="YYYY-MM-DD, or YYYY-MM / YYYY when not known.")
@click.option("--office", "office_code", help="Issuing office code [the only office].")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="KEY=VALUE",
    help="A field of the type; repeat a key to make a list. ISO dates are read as dates.",
)
@click.option("--valid-until", help="End of validity, YYYY-MM-DD.")
@click.option("--supersedes", help="Id of the certificate this one replaces (holder optional).")
@click.option("--nationality", help="ISO 3166-1 alpha-3 code, e.g. SEN (kept in the register).")
@click.option("--foreigner-number", help="AGDREF number (kept in the register, never printed).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the signed PDF.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the certificate as JSON.")
@with_appcontext
def issue_command(
    kind: str,
    family_name: str | None,
    given_names: str | None,
    birth_date: str | None,
    office_code: str | None,
    fields: tuple[str, ...],
    valid_until: str | None,
    supersedes: str | None,
    nationality: str | None,
    foreigner_number: str | None,
    out: Path,
    as_json: bool,
) -> None:
    """Issue a certificate and write its signed PDF to --out.

    Everything is checked before anything is signed or written: a wrong input exits with
    code 2 and leaves neither a file nor a row.
    """
    if not out.parent.is_dir():
        raise click.BadParameter(f"no folder {out.parent}", param_hint="--out")
    session = db.session()
    office = _office(session, office_code)
    holder = _HolderOptions(family_name, given_names, birth_date, nationality, foreigner_number)
    body = _issue_body(
        session,
        kind=kind,
        holder=holder,
        fields=fields,
        valid_until=valid_until,
        supersedes=supersedes,
    )
    request = _parse_issue(body)
    try:
        certificate, _ = issue(
            session, keyring=keyring(), blobs=blob_store(), office=office, request=request
        )
    except (IssuanceError, ClaimsError, CertificateError) as exc:
        session.rollback()
        raise click.UsageError(str(exc)) from None
    write_atomic(out, blob_store().get(certificate.pdf_sha256), mode=0o644)
    if as_json:
        _echo_json({**certificate_json(certificate), "out": str(out)})
    else:
        _print_certificate(certificate, out)


# ---------------------------------------------------------------------------------------------
# sceau revoke


@click.command("revoke")
@click.argument("certificate_id")
@click.option(
    "--reason",
    required=True,
    type=click.Choice([str(r) for r in RevocationReason]),
    help="Category of the revocation (shown to verifiers).",
)
@click.option("--text", default="", help="Free text kept in the register (staff view only).")
@click.option("--json", "as_json", is_flag=True, help="Print the certificate as JSON.")
@with_appcontext
def revoke_command(certificate_id: str, reason: str, text: str, as_json: bool) -> None:
    """Revoke the certificate CERTIFICATE_ID: its seal then verifies as revoked."""
    session = db.session()
    certificate = session.get(Certificate, certificate_id.strip().lower())
    if certificate is None:
        raise click.ClickException(f"no certificate {certificate_id}")
    try:
        revoke(
            session,
            certificate,
            reason=RevocationReason(reason),
            text=text,
            by="command line",
            keyring=keyring(),
        )
    except IssuanceError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(certificate_json(certificate))
    else:
        click.echo(f"certificate {certificate.id} revoked ({reason})")


# ---------------------------------------------------------------------------------------------
# sceau verify


def _verify_pdf(session: Session, pdf: bytes, as_json: bool) -> bool:
    """True when the file is exactly a document we issued and that is still valid."""
    check = check_document(session, keyring(), pdf, channel=VerificationChannel.UPLOAD)
    ok = check.match is DocumentMatch.EXACT and check.status is SealStatus.VALID
    if as_json:
        _echo_json(document_check_json(check))
        return ok
    status = f" ({check.status})" if check.status is not None else ""
    click.echo(f"{check.match}{status}")
    if check.certificate is not None:
        click.echo(f"  certificate {check.certificate.id}  {check.certificate.type}")
    for reason in check.reasons:
        click.echo(f"  - {reason}")
    return ok


def _verify_seal(session: Session, text: str, as_json: bool) -> bool:
    """True when the seal is genuine, registered and its certificate valid today."""
    try:
        check = check_seal(session, keyring(), text, channel=VerificationChannel.API)
    except SealFormatError as exc:
        raise click.UsageError(f"not a seal URL, seal payload or PDF: {exc}") from None
    if as_json:
        _echo_json(seal_check_json(check))
        return check.status is SealStatus.VALID
    click.echo(str(check.status))
    if check.status is SealStatus.NOT_TRUSTED:
        key_id = check.verification.key_id.hex()
        click.echo(f"  sealed by key {key_id}, which OFII revoked: {check.key_reason}")
    claims = check.verification.claims
    if check.genuine:
        click.echo(f"  certificate {claims.certificate_id.hex()}  {claims.certificate_type}")
        click.echo(
            f"  holder:  {claims.family_name} {claims.given_names}, born {claims.birth_date}"
        )
        click.echo(f"  office:  {claims.office}, issued {claims.issued_on}")
    for reason in check.reasons:
        click.echo(f"  - {reason}")
    return check.status is SealStatus.VALID


@click.command("verify")
@click.argument("seal_or_pdf", metavar="SEAL_URL_OR_PDF")
@click.option("--json", "as_json", is_flag=True, help="Print the check as JSON.")
@offline_options
@with_appcontext
def verify_command(seal_or_pdf: str, as_json: bool, **offline: Any) -> None:
    """Verify a seal URL or payload, or a file: a PDF, or a text file holding a seal.

    Exit code 0 when valid (for a PDF: an exact match of a valid certificate), 1 otherwise,
    2 when the input is not a seal or PDF at all. Scripts can rely on it.

    With --offline --trust trust.json: no network and no register; the seal is read from the
    text, an image (photo or scan of the paper) or a PDF (its page's QR code), and checked
    against the signed trust list, whose age is reported.
    """
    if offline["offline"] or offline["trust"] is not None:
        verify_offline(seal_or_pdf, as_json=as_json, **offline)
        return
    session = db.session()
    path = Path(seal_or_pdf)
    text = seal_or_pdf
    if path.is_file():
        data = path.read_bytes()
        try:
            ok = _verify_pdf(session, data, as_json)
        except NotAPdfError:
            text = data.decode("utf-8", errors="replace").strip()
        else:
            click.get_current_context().exit(0 if ok else 1)
    ok = _verify_seal(session, text, as_json)
    click.get_current_context().exit(0 if ok else 1)


# ---------------------------------------------------------------------------------------------
# sceau demo


def _ensure_office(session: Session, code: str, name: str) -> Office:
    found = session.scalar(select(Office).where(Office.code == code))
    if found is None:
        found = Office(code=code, name=name)
        session.add(found)
        session.commit()
    return found


def _demo_issue(
    session: Session,
    office: Office,
    kind: CertificateType,
    *,
    person: Person | None = None,
    issued_on: date | None = None,
    supersedes: str | None = None,
    details: dict[str, Any] | None = None,
) -> Certificate:
    """One certificate from the sample document of ``kind`` (its holder, unless ``person``)."""
    document = sample_document(kind, issued_on=issued_on, office=office.code)
    claims = document.claims
    holder = None
    if person is None and supersedes is None:
        holder = Holder(
            family_name=claims.family_name,
            given_names=claims.given_names,
            birth_date=claims.birth_date,
        )
    request = IssueRequest(
        certificate_type=kind,
        holder=holder,
        person_id=person.id if person is not None else None,
        details={**document.details, **(details or {})},
        issued_on=claims.issued_on,
        valid_until=claims.valid_until,
        supersedes=supersedes,
    )
    certificate, _ = issue(
        session, keyring=keyring(), blobs=blob_store(), office=office, request=request
    )
    return certificate


def _create_demo(session: Session, offices: Sequence[Office]) -> None:
    """One valid certificate per type (offices alternating), then one of each other status."""
    by_kind: dict[CertificateType, Certificate] = {}
    for index, kind in enumerate(CertificateType):
        # Every seal is dated today: the instance's seal key was made by `sceau init` and vouches
        # for nothing before its first day, so a backdated seal would verify as not genuine.
        # The VLS-TS was validated 70 days ago, so that its timeline shows the missing summons.
        extra = (
            {"validated_on": date.today() - timedelta(days=70)}
            if kind is CertificateType.VLS_TS_VALIDATION
            else None
        )
        by_kind[kind] = _demo_issue(session, offices[index % len(offices)], kind, details=extra)
    # Superseded: the civic-training certificate, corrected by a new one for the same person.
    civic = by_kind[CertificateType.CIVIC_TRAINING]
    _demo_issue(session, civic.office, CertificateType.CIVIC_TRAINING, supersedes=civic.id)
    # Revoked: a second VLS-TS validation issued in error for the same person.
    vls = by_kind[CertificateType.VLS_TS_VALIDATION]
    twice = _demo_issue(session, vls.office, CertificateType.VLS_TS_VALIDATION, person=vls.person)
    revoke(
        session,
        twice,
        reason=RevocationReason.ISSUED_IN_ERROR,
        text="Demo: issued twice by mistake",
        by="sceau demo",
        keyring=keyring(),
    )
    # Expired: a genuine seal cannot predate the key, so this one is sealed today and its end
    # date moved to yesterday in the register only (demo data: the register's word is what the
    # verification page shows, with the paper's own end date beside it).
    life = by_kind[CertificateType.LIFE_IN_FRANCE]
    expired = _demo_issue(session, life.office, CertificateType.LIFE_IN_FRANCE, person=life.person)
    expired.valid_until = date.today() - timedelta(days=1)
    session.commit()
    _demo_journey(session, by_kind)


def _demo_moment(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """A French office hour ``days_ago`` days before today (negative: in the future), UTC."""
    day = date.today() - timedelta(days=days_ago)
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
    return local.astimezone(UTC)


def _demo_journey(session: Session, by_kind: dict[CertificateType, Certificate]) -> None:
    """Trainings, appointments and letters for some demo persons, so that their timelines
    (verifier/timeline.py) show each kind of gap beside ordinary, complete records:

    - Haddad (VLS-TS validated 70 days ago): no summons since; a registered letter with the
      passport copy sent 25 days ago, no acknowledgment recorded.
    - Abdelkader-Benyamina (CIR): the signature appointment attended, then a civic training
      with one day absent and no make-up session.
    - Tesfaye: a reception interview rescheduled (and then attended: no gap), and the CIR
      signature appointment missed 12 days ago with no new one.
    - Suharto: the appointment of their convocation, scheduled.
    """
    today = date.today()
    vls = by_kind[CertificateType.VLS_TS_VALIDATION]
    session.add(
        Correspondence(
            person_id=vls.person_id,
            on=today - timedelta(days=25),
            direction=CorrespondenceDirection.SENT,
            sender=f"{vls.person.given_names} {vls.person.family_name}",
            recipient="OFII — Direction territoriale",
            channel=CorrespondenceChannel.REGISTERED_MAIL,
            tracking_number="1A 234 567 8901 2",
            subject="Copie du passeport et de la confirmation de validation du VLS-TS",
            added_by_role=Role.MIGRANT,
        )
    )

    cir = by_kind[CertificateType.CIR_SIGNATURE]
    session.add(
        Appointment(
            person_id=cir.person_id,
            office_id=cir.office_id,
            purpose=AppointmentPurpose.CIR_SIGNATURE,
            at=_demo_moment(40, 9, 30),
            place=cir.office.name,
            status=AppointmentStatus.ATTENDED,
        )
    )
    civic = Training(
        person_id=cir.person_id,
        office_id=cir.office_id,
        kind=TrainingKind.CIVIC,
        title="Session 2026-21",
        provider="Organisme de formation civique",
        place="Maison de la formation",
    )
    for days_ago, attendance in ((30, Attendance.PRESENT), (29, Attendance.PRESENT)):
        civic.days.append(TrainingDay(day=today - timedelta(days=days_ago), attendance=attendance))
    civic.days.append(TrainingDay(day=today - timedelta(days=23), attendance=Attendance.ABSENT))
    civic.days.append(TrainingDay(day=today - timedelta(days=22), attendance=Attendance.PRESENT))
    session.add(civic)

    life = by_kind[CertificateType.LIFE_IN_FRANCE]
    moved_to = Appointment(
        person_id=life.person_id,
        office_id=life.office_id,
        purpose=AppointmentPurpose.RECEPTION_INTERVIEW,
        at=_demo_moment(25, 14),
        place=life.office.name,
        status=AppointmentStatus.ATTENDED,
    )
    session.add(moved_to)
    session.flush()
    session.add_all(
        [
            Appointment(
                person_id=life.person_id,
                office_id=life.office_id,
                purpose=AppointmentPurpose.RECEPTION_INTERVIEW,
                at=_demo_moment(30, 10),
                place=life.office.name,
                status=AppointmentStatus.RESCHEDULED,
                rescheduled_to_id=moved_to.id,
            ),
            Appointment(
                person_id=life.person_id,
                office_id=life.office_id,
                purpose=AppointmentPurpose.CIR_SIGNATURE,
                at=_demo_moment(12, 9),
                place=life.office.name,
                status=AppointmentStatus.MISSED,
            ),
        ]
    )

    convocation = by_kind[CertificateType.CONVOCATION]
    session.add(
        Appointment(
            person_id=convocation.person_id,
            office_id=convocation.office_id,
            purpose=AppointmentPurpose.END_OF_CONTRACT_INTERVIEW,
            at=_demo_moment(-18, 9, 30),
            place=str(convocation.details.get("place", convocation.office.name)),
            status=AppointmentStatus.SCHEDULED,
            convocation_id=convocation.id,
        )
    )
    session.commit()


def _demo_report(session: Session, offices: Sequence[Office]) -> dict[str, Any]:
    office_ids = [office.id for office in offices]
    certificates = session.scalars(
        select(Certificate)
        .where(Certificate.office_id.in_(office_ids))
        .order_by(Certificate.issued_at, Certificate.id)
    ).all()
    persons = list(dict.fromkeys(certificate.person_id for certificate in certificates))
    return {
        "offices": [office.code for office in offices],
        "persons": persons,
        "certificates": [
            {
                "id": c.id,
                "type": c.type,
                "status": str(online_status(c, trust=keyring().trust)),
                "seal_url": c.seal_url,
            }
            for c in certificates
        ],
    }


def _print_demo(report: dict[str, Any]) -> None:
    click.echo("offices: " + ", ".join(report["offices"]))
    click.echo("persons: " + ", ".join(str(p) for p in report["persons"]))
    for entry in report["certificates"]:
        click.echo(f"  {entry['id']}  {entry['type']:<30} {entry['status']}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any certificate exists.")
@click.option("--json", "as_json", is_flag=True, help="Print offices, persons, certificates.")
@with_appcontext
def demo_command(if_empty: bool, as_json: bool) -> None:
    """Fill a development instance: two offices, a few persons, a certificate of every type,
    and a revoked, a superseded and an expired one, so that every status can be seen.

    Safe to run again: when the demo office already has certificates, says so and lists them.
    """
    session = db.session()
    if if_empty and session.scalar(select(func.count()).select_from(Certificate)):
        click.echo("certificates exist: no demo data added", err=as_json)
        if as_json:
            _echo_json({"skipped": True})
        return
    from verifier.cli import DEV_OFFICE

    offices = [_ensure_office(session, *DEV_OFFICE), _ensure_office(session, *DEMO_OFFICE)]
    lyon = offices[1]
    present = session.scalar(select(Certificate.id).where(Certificate.office_id == lyon.id))
    if present is not None:
        click.echo("demo data already present", err=as_json)
    else:
        _create_demo(session, offices)
    report = _demo_report(session, offices)
    if as_json:
        _echo_json({**report, "created": present is None})
    else:
        _print_demo(report)


# ---------------------------------------------------------------------------------------------
# sceau tokens


@click.group("tokens", cls=AppGroup)
def tokens_group() -> None:
    """Staff API tokens: create (the secret is shown once), list, revoke."""


@tokens_group.command("create")
@click.option("--office", "office_code", help="Office the token acts for [the only office].")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice([str(s) for s in Scope]),
    help="What the token may do; repeat for several.",
)
@click.option("--label", default="", help="Who or what holds the token, for the list.")
@click.option(
    "--user",
    "user_email",
    default=None,
    help="Account the token acts for (its role limits the scopes); else the office's "
    "service account.",
)
def tokens_create(
    office_code: str | None, scopes: tuple[str, ...], label: str, user_email: str | None
) -> None:
    """Create a token and print its secret: only its hash is kept, so copy it now."""
    session = db.session()
    user = None
    if user_email is not None:
        user = session.scalar(select(User).where(User.email == user_email.strip().lower()))
        if user is None or user.disabled_at is not None:
            raise click.UsageError(f"no active account {user_email!r}")
    office = _office(session, office_code) if user is None else None
    try:
        token, secret = create_token(
            session, user=user, office=office, scopes={Scope(s) for s in scopes}, label=label
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    audit.append(
        session,
        actor="cli",
        action="token.create",
        object_type="token",
        object_id=token.id,
        details={"user": token.user_id, "scopes": token.scopes},
    )
    session.commit()
    click.echo(secret)
    where = token.office.code if token.office else token.user.email
    click.echo(
        f"token {token.id} ({token.prefix}…, {where}, {token.scopes}): "
        "this secret will not be shown again.",
        err=True,
    )


@tokens_group.command("list")
def tokens_list() -> None:
    """List the tokens (prefix, office, scopes, dates); never their secrets."""
    tokens = db.session().scalars(select(ApiToken).order_by(ApiToken.id)).all()
    click.echo(
        f"{'id':>4}  {'prefix':<13} {'office':<10} {'scopes':<20} "
        f"{'created (UTC)':<17} {'last used':<17} {'revoked':<17} label"
    )
    for token in tokens:
        office = token.office.code if token.office else "-"
        click.echo(
            f"{token.id:>4}  {token.prefix:<13} {office:<10} {token.scopes:<20} "
            f"{_when(token.created_at):<17} {_when(token.last_used_at):<17} "
            f"{_when(token.revoked_at):<17} {token.label}"
        )


def _find_token(session: Session, prefix_or_id: str) -> ApiToken:
    """By id (digits) or by the prefix the list shows; an ambiguous prefix is refused."""
    conditions = [ApiToken.prefix == prefix_or_id]
    if prefix_or_id.isdigit():
        conditions.append(ApiToken.id == int(prefix_or_id))
    found = session.scalars(select(ApiToken).where(or_(*conditions))).all()
    if not found:
        raise click.ClickException(f"no token {prefix_or_id}")
    if len(found) > 1:
        ids = ", ".join(str(token.id) for token in found)
        raise click.ClickException(f"{prefix_or_id} names several tokens ({ids}): give the id")
    return found[0]


@tokens_group.command("revoke")
@click.argument("prefix_or_id")
def tokens_revoke(prefix_or_id: str) -> None:
    """Revoke the token PREFIX_OR_ID: the API refuses it from now on."""
    session = db.session()
    token = _find_token(session, prefix_or_id.strip())
    if token.revoked_at is not None:
        raise click.ClickException(f"token {token.id} was revoked on {_when(token.revoked_at)}")
    token.revoked_at = utcnow()
    audit.append(
        session, actor="cli", action="token.revoke", object_type="token", object_id=token.id
    )
    session.commit()
    click.echo(f"token {token.id} ({token.prefix}…) revoked")


# ---------------------------------------------------------------------------------------------
# sceau gc


def _referenced(session: Session) -> Iterable[str]:
    """Every blob a row names: certificates' PDFs, uploads (original and normalised), packs."""
    named = set(session.scalars(select(Certificate.pdf_sha256)))
    named.update(session.scalars(select(StoredFile.original_sha256)))
    named.update(session.scalars(select(StoredFile.pdf_sha256)))
    named.update(key for key in session.scalars(select(PackBuild.zip_sha256)) if key)
    return named


def _prune_jobs(session: Session, days: int, *, dry_run: bool) -> int:
    """Finished jobs older than ``days``: a mail job's payload holds an address and a message,
    kept no longer than an operator needs to look into a failure."""
    finished = (
        Job.state.in_([JobState.DONE, JobState.FAILED]),
        Job.finished_at.is_not(None),
        Job.finished_at < utcnow() - timedelta(days=days),
    )
    if dry_run:
        return int(session.scalar(select(func.count()).select_from(Job).where(*finished)) or 0)
    result: CursorResult[Any] = session.execute(delete(Job).where(*finished))  # type: ignore[assignment]
    session.commit()
    return int(result.rowcount or 0)


@click.command("gc")
@click.option(
    "--older-than",
    type=click.IntRange(min=0),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="Only blobs written longer ago: younger ones may belong to an issuance in flight.",
)
@click.option(
    "--jobs-older-than",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    metavar="DAYS",
    help="Remove background jobs finished (done or failed) longer ago.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@with_appcontext
def gc_command(older_than: int, jobs_older_than: int, dry_run: bool) -> None:
    """Remove blobs no certificate names (left by an issuance that failed before its commit)
    and background jobs long finished."""
    store = blob_store()
    session = db.session()
    referenced = _referenced(session)
    if dry_run:
        keep = set(referenced)
        orphans = [key for key in store.keys_older_than(older_than) if key not in keep]
        for key in orphans:
            click.echo(key)
        click.echo(f"{len(orphans)} orphan blob(s) would be removed")
        jobs = _prune_jobs(session, jobs_older_than, dry_run=True)
        click.echo(f"{jobs} finished job(s) would be removed")
        return
    removed = store.sweep(referenced, older_than=older_than)
    click.echo(f"{len(removed)} orphan blob(s) removed")
    jobs = _prune_jobs(session, jobs_older_than, dry_run=False)
    click.echo(f"{jobs} finished job(s) removed")


COMMANDS: list[click.Command] = [
    issue_command,
    revoke_command,
    verify_command,
    demo_command,
    tokens_group,
    gc_command,
]
