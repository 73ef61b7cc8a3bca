"""`sceau keys list | generate | rotate | retire | revoke`: the life of the instance's keys.

Rotation is the everyday operation: a new active key, and the previous one retired with its
window closed today, so everything it sealed keeps verifying (retired keys stay in the trust
list). Revocation is for a key that may be in someone else's hands: every seal it ever made
then verifies as "not trusted", with the reason given here, online at once and offline as soon
as a verifier holds the next trust list. Every change publishes a new trust list version and
is written to the audit log, like issuing and revoking certificates.
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from signing.errors import KeyNotFoundError, KeyStatusError
from signing.keys import MAX_REASON_LENGTH, KeyInfo, KeyPurpose, KeyStatus, KeyStore
from signing.trust import endorse, key_fingerprint
from signing.trust_publisher import PublishedTrustList
from verifier import audit, db
from verifier.config import Settings, settings_of
from verifier.instance import forget_keyring
from verifier.keys import open_key_store, open_pki
from verifier.models import Certificate
from verifier.trustlists import trust_publisher

__all__ = ["keys_group"]

_ACTOR = "command line"
_PURPOSES = click.Choice([str(p) for p in KeyPurpose])
#: Keys whose certificate the development PKI issues (PDF signatures, timestamps).
_CERTIFIED = (KeyPurpose.DOCUMENT, KeyPurpose.TIMESTAMP)


def _settings() -> Settings:
    return settings_of(current_app)


def _store() -> KeyStore:
    return open_key_store(_settings())


def _find(store: KeyStore, text: str) -> KeyInfo:
    """A key by its id or an unambiguous prefix of it (at least 4 hex digits)."""
    wanted = text.strip().lower()
    if len(wanted) < 4 or any(c not in "0123456789abcdef" for c in wanted):
        raise click.UsageError(f"{text!r}: give a key id (hex), or at least its first 4 digits")
    found = [k for k in store.keys(purpose=None) if k.key_id.hex().startswith(wanted)]
    if not found:
        raise click.ClickException(f"no key {wanted} in the store")
    if len(found) > 1:
        raise click.ClickException(f"{wanted} names {len(found)} keys: give more digits")
    return found[0]


def _sealed_by(key: KeyInfo) -> int:
    """How many certificates of the register this key sealed (seal keys only)."""
    if key.purpose is not KeyPurpose.SEAL:
        return 0
    session = db.session()
    count = session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.key_id == key.key_id.hex())
    )
    return int(count or 0)


def _key_json(store: KeyStore, key: KeyInfo) -> dict[str, Any]:
    return {
        "kid": key.key_id.hex(),
        "purpose": str(key.purpose),
        "status": str(key.status),
        "created_at": key.created_at.isoformat(),
        "not_before": key.not_before.isoformat(),
        "not_after": key.not_after.isoformat() if key.not_after else None,
        "reason": key.reason,
        "fingerprint": key_fingerprint(store.public_key(key.key_id)),
    }


def _line(key: KeyInfo) -> str:
    window = f"{key.not_before} .. {key.not_after or ''}".rstrip()
    reason = f"  ({key.reason})" if key.reason else ""
    return f"{key.key_id.hex()}  {key.purpose:<10}  {key.status:<7}  {window}{reason}"


def _after_change(
    store: KeyStore, *, action: str, key: KeyInfo, details: dict[str, object]
) -> PublishedTrustList | None:
    """What every change is followed by: a new trust list version, the audit entry, and the
    keys reloaded in this process. None when no trust-list key can sign (said, not hidden)."""
    forget_keyring()
    published: PublishedTrustList | None
    try:
        published = trust_publisher(_settings(), store).publish()
    except KeyNotFoundError:
        published = None
        click.echo(
            "warning: no active trust-list key, so no new trust list was signed: "
            "run `sceau keys generate --purpose trust-list`",
            err=True,
        )
    session = db.session()
    audit.append(
        session,
        actor=_ACTOR,
        action=action,
        object_type="key",
        object_id=key.key_id.hex(),
        details={
            "purpose": str(key.purpose),
            **details,
            "trust_list_version": published.version if published is not None else None,
        },
    )
    session.commit()
    return published


def _report(published: PublishedTrustList | None) -> None:
    if published is not None:
        click.echo(f"trust list: version {published.version} published")


def _no_active_left(store: KeyStore, purpose: KeyPurpose) -> bool:
    return not any(k.status is KeyStatus.ACTIVE for k in store.keys(purpose=purpose))


def _new_key(store: KeyStore, purpose: KeyPurpose) -> KeyInfo:
    """A new active key, with its certificate from the development PKI when it needs one."""
    info = store.generate(purpose=purpose)
    if purpose in _CERTIFIED:
        open_pki(_settings()).certify(store, purpose, info.key_id)
    return info


@click.group("keys", cls=AppGroup)
def keys_group() -> None:
    """The instance's keys: list, generate, rotate, retire, revoke."""


@keys_group.command("list")
@click.option("--purpose", type=_PURPOSES, default=None, help="Only the keys of one purpose.")
@click.option("--json", "as_json", is_flag=True, help="Print the keys as JSON.")
@with_appcontext
def keys_list(purpose: str | None, as_json: bool) -> None:
    """Every key, oldest first: id, purpose, status, window, reason."""
    store = _store()
    keys = store.keys(purpose=KeyPurpose(purpose) if purpose else None)
    if as_json:
        click.echo(json.dumps([_key_json(store, k) for k in keys], indent=2))
        return
    for key in keys:
        click.echo(_line(key))
    for key in keys:
        if key.purpose is KeyPurpose.TRUST_LIST and key.status is KeyStatus.ACTIVE:
            fingerprint = key_fingerprint(store.public_key(key.key_id))
            click.echo(f"trust-list key fingerprint (pin it in offline verifiers): {fingerprint}")


def _add_key(store: KeyStore, kind: KeyPurpose) -> tuple[KeyInfo, list[KeyInfo]]:
    """A new active key of ``kind``, and the keys that were active before it.

    The newest active trust-list key signs the next list: each key active until now endorses
    it, so that verifiers follow it from the key they hold.
    """
    previous = [k for k in store.keys(purpose=kind) if k.status is KeyStatus.ACTIVE]
    new = _new_key(store, kind)
    if kind is KeyPurpose.TRUST_LIST:
        publisher = trust_publisher(_settings(), store)
        for old in previous:
            publisher.add_endorsement(endorse(store, old.key_id, new.key_id))
    return new, previous


@keys_group.command("generate")
@click.option("--purpose", type=_PURPOSES, required=True, help="What the key will sign.")
@with_appcontext
def keys_generate(purpose: str) -> None:
    """Add a new active key; the newest active key of a purpose is the one that signs.

    The keys already active stay active (use `rotate` to retire them in the same step).
    """
    store = _store()
    info, _ = _add_key(store, KeyPurpose(purpose))
    published = _after_change(store, action="key.generate", key=info, details={})
    click.echo(f"generated: {_line(info)}")
    _report(published)


@keys_group.command("rotate")
@click.option(
    "--purpose",
    type=_PURPOSES,
    default=str(KeyPurpose.SEAL),
    show_default=True,
    help="Which key to rotate.",
)
@with_appcontext
def keys_rotate(purpose: str) -> None:
    """A new active key; the previously active ones become retired, their window closing today.

    What the old key sealed keeps verifying. Rotating the trust-list key has the old key
    endorse the new one, so offline verifiers follow without being re-pinned.
    """
    store = _store()
    new, previous = _add_key(store, KeyPurpose(purpose))
    retired = [
        store.set_status(old.key_id, KeyStatus.RETIRED, reason="rotated") for old in previous
    ]
    published = _after_change(
        store,
        action="key.rotate",
        key=new,
        details={"retired": [k.key_id.hex() for k in retired]},
    )
    click.echo(f"new key: {_line(new)}")
    for key in retired:
        click.echo(f"retired: {_line(key)}")
    _report(published)


@keys_group.command("retire")
@click.argument("key_id")
@click.option("--reason", default=None, help="Why, in words shown to verifiers (optional).")
@with_appcontext
def keys_retire(key_id: str, reason: str | None) -> None:
    """Stop signing with KEY_ID; what it signed until today stays valid.

    Refused for the last active key of its purpose: `rotate` replaces it in one step.
    """
    store = _store()
    key = _find(store, key_id)
    others = [
        k
        for k in store.keys(purpose=key.purpose)
        if k.status is KeyStatus.ACTIVE and k.key_id != key.key_id
    ]
    if key.status is KeyStatus.ACTIVE and not others:
        raise click.ClickException(
            f"{key.key_id.hex()} is the only active {key.purpose} key: "
            f"`sceau keys rotate --purpose {key.purpose}` replaces and retires it"
        )
    try:
        retired = store.set_status(key.key_id, KeyStatus.RETIRED, reason=reason)
    except KeyStatusError as exc:
        raise click.ClickException(str(exc)) from None
    published = _after_change(
        store, action="key.retire", key=retired, details={"reason": retired.reason}
    )
    click.echo(f"retired: {_line(retired)}")
    _report(published)


@keys_group.command("revoke")
@click.argument("key_id")
@click.option(
    "--reason",
    required=True,
    help=f"Why (shown to everyone who verifies a seal of this key; at most {MAX_REASON_LENGTH} "
    "characters).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def keys_revoke(key_id: str, reason: str, yes: bool) -> None:
    """Revoke KEY_ID: everything it ever signed is no longer trusted. Cannot be undone.

    For a seal key, every certificate it sealed then verifies as "not trusted" with REASON,
    online at once and offline with the next trust list; reissue them (`sceau issue
    --supersedes ID`) with the new key.
    """
    store = _store()
    key = _find(store, key_id)
    if key.status is KeyStatus.REVOKED:
        raise click.ClickException(f"key {key.key_id.hex()} is already revoked ({key.reason})")
    sealed = _sealed_by(key)
    if not yes:
        what = f", which sealed {sealed} certificate(s) of the register" if sealed else ""
        click.confirm(
            f"Revoke {key.purpose} key {key.key_id.hex()}{what}? Everything it signed will no "
            "longer be trusted, and this cannot be undone.",
            abort=True,
        )
    try:
        revoked = store.set_status(key.key_id, KeyStatus.REVOKED, reason=reason)
    except KeyStatusError as exc:
        raise click.ClickException(str(exc)) from None
    published = _after_change(
        store,
        action="key.revoke",
        key=revoked,
        details={"reason": revoked.reason, "certificates_sealed": sealed},
    )
    click.echo(f"revoked: {_line(revoked)}")
    if key.purpose is KeyPurpose.SEAL:
        click.echo(f"{sealed} certificate(s) sealed by it now verify as not trusted")
    if _no_active_left(store, key.purpose):
        click.echo(
            f"warning: no active {key.purpose} key is left: "
            f"`sceau keys generate --purpose {key.purpose}` before signing again",
            err=True,
        )
    _report(published)
