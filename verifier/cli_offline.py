"""`sceau verify --offline --trust trust.json INPUT`: a seal checked with no network at all.

What a desk with no connection can know: whether OFII's key signed these exact claims, what
the trust list says of that key (active, retired, or revoked and why), whether the claims'
own end date has passed, and how old the trust list is. What it cannot know is the register's
word (a certificate revoked or replaced one by one): the output says so, and gives the URL
that answers it online.

The verifier remembers, in an anchor file, the trust-list keys it believes and the newest list
it accepted, so that an older list (one from before a revocation) is refused; the first list
it is given is believed on first use unless ``--pin`` names the trust-list key's fingerprint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from signing.errors import SealFormatError, TrustListError
from signing.files import write_atomic
from signing.seal import SealVerification, decode, verify
from signing.trust import (
    DEFAULT_GRACE,
    Freshness,
    TrustAnchor,
    TrustListCheck,
    check_trust_list,
    parse_trust_list,
)
from verifier.errors import ScanError
from verifier.representation import seal_claims_json, signature_json
from verifier.scan import MAX_INPUT_BYTES, ScannedSeal, read_seal
from verifier.verification import SealStatus

__all__ = ["OfflineCheck", "check_offline", "default_anchor_path", "offline_options"]

_MAX_TRUST_BYTES = 1 << 20


class CannotCheck(click.ClickException):
    """Nothing can be said of the seal (exit code 2, as for input that is not a seal)."""

    exit_code = 2

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def default_anchor_path() -> Path:
    """Where this computer's verifier remembers trust lists (per user, like any app setting)."""
    return Path(click.get_app_dir("sceau")) / "trust-anchor.json"


_F = TypeVar("_F", bound=Callable[..., Any])


def offline_options(command: _F) -> _F:
    """The options of offline verification, added to `sceau verify`."""
    options = [
        click.option(
            "--offline",
            is_flag=True,
            help="Check with no network and no register: against --trust only.",
        ),
        click.option(
            "--trust",
            "trust",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="The signed trust list (trust.json, from /.well-known/sceau/trust.json).",
        ),
        click.option(
            "--pin",
            default=None,
            metavar="FINGERPRINT",
            help="SHA-256 fingerprint of the trust-list key to believe (`sceau keys list`).",
        ),
        click.option(
            "--anchor",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Where the trust lists accepted are remembered [per-user app folder].",
        ),
        click.option(
            "--grace-days",
            type=click.IntRange(0, 365),
            default=DEFAULT_GRACE.days,
            show_default=True,
            help="Days an expired trust list is still used, with a warning.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class OfflineCheck:
    """The verdict on a seal from the seal and a trust list alone."""

    status: SealStatus  # valid, expired, not-genuine or not-trusted
    verification: SealVerification
    trust: TrustListCheck
    source: str  # text, image or pdf
    seal_text: str

    @property
    def genuine(self) -> bool:
        return self.status in (SealStatus.VALID, SealStatus.EXPIRED)


def check_offline(seal: ScannedSeal, trust: TrustListCheck, *, today: date) -> OfflineCheck:
    """Verify a seal against an accepted list; :class:`SealFormatError` if it is not a seal."""
    result = verify(decode(seal.text), trust.trust)
    if result.bottom_line:
        valid_until = result.claims.valid_until
        expired = valid_until is not None and valid_until < today
        status = SealStatus.EXPIRED if expired else SealStatus.VALID
    elif result.key_revoked:
        status = SealStatus.NOT_TRUSTED
    else:
        status = SealStatus.NOT_GENUINE
    return OfflineCheck(status, result, trust, seal.source, seal.text)


# ----------------------------------------------------------------------------- the command


def verify_offline(
    seal_or_file: str,
    *,
    as_json: bool,
    offline: bool,
    trust: Path | None,
    pin: str | None,
    anchor: Path | None,
    grace_days: int,
) -> None:
    """Run the offline check and exit 0 (valid), 1 (not valid) or 2 (cannot check)."""
    context = click.get_current_context()
    try:
        if not offline or trust is None:
            raise click.UsageError("offline verification needs both --offline and --trust FILE")
        now = datetime.now(UTC).replace(microsecond=0)
        anchor_path = anchor or default_anchor_path()
        trust_check = _accept_trust_list(trust, anchor_path, pin, now, timedelta(days=grace_days))
        scanned = _scan(seal_or_file)
        try:
            check = check_offline(scanned, trust_check, today=now.date())
        except SealFormatError as exc:
            raise CannotCheck("malformed-seal", f"not a seal: {exc}") from None
    except CannotCheck as exc:
        if as_json:
            click.echo(json.dumps({"error": exc.code, "message": exc.message}, indent=2))
            context.exit(2)
        raise
    if as_json:
        click.echo(json.dumps(offline_check_json(check), indent=2, ensure_ascii=False))
    else:
        _print(check, anchor_path)
    context.exit(0 if check.status is SealStatus.VALID else 1)


def _scan(seal_or_file: str) -> ScannedSeal:
    path = Path(seal_or_file)
    try:
        if path.is_file():
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
            return read_seal(data)
        return ScannedSeal(seal_or_file.strip(), "text")
    except ScanError as exc:
        raise CannotCheck(exc.code, str(exc)) from None
    except OSError as exc:
        raise CannotCheck("unreadable", f"cannot read {path}: {exc.strerror}") from None


def _accept_trust_list(
    path: Path, anchor_path: Path, pin: str | None, now: datetime, grace: timedelta
) -> TrustListCheck:
    """Read, check and (when newer) remember the trust list; CannotCheck if it is refused."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_TRUST_BYTES + 1)
    except OSError as exc:
        raise CannotCheck("trust-list-unreadable", f"cannot read {path}: {exc.strerror}") from None
    held: TrustAnchor | None = None
    try:
        if anchor_path.is_file():
            held = TrustAnchor.from_json(anchor_path.read_bytes())
    except (TrustListError, OSError) as exc:
        raise CannotCheck(
            "anchor-unreadable",
            f"the trust anchor {anchor_path} cannot be read ({exc}): restore it, or remove it to "
            "start afresh (the next list is then believed on first use, or by --pin)",
        ) from None
    try:
        check = check_trust_list(parse_trust_list(data), anchor=held, pin=pin, now=now, grace=grace)
    except TrustListError as exc:
        raise CannotCheck("trust-list-refused", f"trust list refused: {exc}") from None
    if held is None or check.version > held.version or check.anchor() != held:
        try:
            anchor_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(anchor_path, check.anchor().to_json().encode("utf-8"))
        except OSError as exc:
            # Not fatal: the check stands; only rollback protection is weaker next time.
            click.echo(f"warning: cannot remember the trust list in {anchor_path}: {exc}", err=True)
    return check


# ----------------------------------------------------------------------------- output


def _span(delta: timedelta) -> str:
    """A duration as people say it: "3 days", "5 hours", "less than an hour"."""
    seconds = abs(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{int(seconds // 86400)} days"
    if seconds >= 86400:
        return "1 day"
    if seconds >= 2 * 3600:
        return f"{int(seconds // 3600)} hours"
    if seconds >= 3600:
        return "1 hour"
    return "less than an hour"


def trust_age_line(trust: TrustListCheck) -> str:
    """ "trust list version 7, issued 3 days ago, expires in 4 days" (or how stale it is)."""
    head = f"trust list version {trust.version}, issued {_span(trust.age)} ago"
    if trust.freshness is Freshness.STALE:
        expired = trust.checked_at - trust.expires_at
        return (
            f"{head}; stale: expired {_span(expired)} ago, within the {trust.grace.days}-day "
            f"grace period (refused in {_span(trust.refuse_after - trust.checked_at)})"
        )
    return f"{head}, expires in {_span(trust.expires_at - trust.checked_at)}"


def _warnings(trust: TrustListCheck, anchor_path: Path | None) -> list[str]:
    found: list[str] = []
    if trust.freshness is Freshness.STALE:
        found.append(
            "the trust list has expired: fetch a new one (/.well-known/sceau/trust.json) "
            "before the grace period ends; a key revoked since would not show here"
        )
    elif trust.freshness is Freshness.REFRESH_DUE:
        found.append("a newer trust list should exist: fetch it when you have a connection")
    if trust.first_use:
        signer = trust.signed.signer
        where = f" (remembered in {anchor_path})" if anchor_path is not None else ""
        found.append(
            f"first use of trust-list key {signer.key_id.hex()}{where}: compare its fingerprint "
            f"{signer.fingerprint} with the one OFII publishes, or pass --pin"
        )
    return found


def _print(check: OfflineCheck, anchor_path: Path) -> None:
    result = check.verification
    kid = result.key_id.hex()
    click.echo(f"{check.status} (offline)")
    if check.status is SealStatus.NOT_TRUSTED:
        assert result.key is not None
        click.echo(f"  sealed by key {kid}, which OFII revoked: {result.key.reason}")
        click.echo("  nothing this seal states can be trusted; its details are not shown")
    elif not check.genuine:
        for reason in result.reasons:
            click.echo(f"  - {reason}")
    else:
        claims = result.claims
        status = result.key.status if result.key is not None else "unknown"
        click.echo(f"  certificate {claims.certificate_id.hex()}  {claims.certificate_type}")
        click.echo(
            f"  holder:  {claims.family_name} {claims.given_names}, born {claims.birth_date}"
        )
        until = f", valid until {claims.valid_until}" if claims.valid_until else ", no end date"
        click.echo(f"  office:  {claims.office}, issued {claims.issued_on}{until}")
        click.echo(f"  code:    {claims.verification_code}")
        click.echo(f"  key:     {kid} ({status})")
        click.echo("  not checked offline: whether OFII has since revoked or replaced it")
    click.echo(trust_age_line(check.trust))
    for warning in _warnings(check.trust, anchor_path):
        click.echo(f"warning: {warning}", err=True)


def offline_check_json(check: OfflineCheck) -> dict[str, Any]:
    result = check.verification
    trust = check.trust
    signer = trust.signed.signer
    return {
        "status": str(check.status),
        "genuine": check.genuine,
        "offline": True,
        "source": check.source,
        "reasons": [str(r) for r in result.reasons],
        "signature": signature_json(result),
        "verification_code": result.claims.verification_code if check.genuine else None,
        "seal_claims": seal_claims_json(result.claims) if check.genuine else None,
        "register_checked": False,
        "trust_list": {
            "version": trust.version,
            "issued_at": _iso(trust.trust.issued_at),
            "refresh_after": _iso(trust.trust.refresh_after),
            "expires_at": _iso(trust.expires_at),
            "checked_at": _iso(trust.checked_at),
            "age_seconds": int(trust.age.total_seconds()),
            "freshness": str(trust.freshness),
            "grace_days": trust.grace.days,
            "refused_after": _iso(trust.refuse_after),
            "signer": signer.key_id.hex(),
            "signer_fingerprint": signer.fingerprint,
            "first_use": trust.first_use,
            "summary": trust_age_line(trust),
            "warnings": _warnings(trust, None),
        },
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None
